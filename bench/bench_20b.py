"""Benchmarks at gpt-oss-20b scale, on the synthetic model (bench/make_synthetic_gpt_oss.py).

Each figure is ours ÷ bare llama-cpp-python in the same run where a baseline exists:
1. load time and resident memory after load (each in a fresh process), ours ÷ bare;
2. prompt processing and generation tokens/s (llama-bench style: fixed tokens), ours ÷ bare;
3. the app's streaming pipeline (LocalEngine.stream: template, harmony parser, events)
   tokens/s ÷ bare create_chat_completion(stream=True); goal >= 0.98;
4. time to first token of a hotkey action on 100 words, ÷ the same with nothing evaluated
   (cold): with the instructions evaluated after load (the keep-warm), on the next press, and
   with the selection read while the user chooses the action (goal <= 0.3);
5. KV cache at 8k and 32k tokens with and without a full-size SWA cache (llama.cpp's own
   buffer report) and the process's resident memory.

    .venv/bin/python bench/make_synthetic_gpt_oss.py        # once: ~12 GB in ~/.cache
    .venv/bin/python bench/bench_20b.py [--model PATH] [--rounds 3] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_hotkey import SELECTION as TEXT  # noqa: E402 - the same 100 words as the hotkey benchmark
from bench_hotkey import WORDS  # noqa: E402
from make_synthetic_gpt_oss import DEFAULT_OUT  # noqa: E402

OTHER = " ".join(WORDS[(i * 7 + 3) % len(WORDS)] for i in range(100))  # the next press: other words


# -- child processes: one load each, so resident memory is the load's alone ------------------
def child(model: str, which: str, n_ctx: int, swa_full: bool, repack: bool = True, speed: bool = False) -> None:
    import psutil

    from llama_buffers import listen

    buffers = listen()  # before the load: llama.cpp reports its buffers while loading
    t0 = time.perf_counter()
    if which == "ours":
        from copilot.core.engine import LocalEngine, ModelConfig

        engine = LocalEngine()
        engine.load(ModelConfig(Path(model), n_ctx=n_ctx, swa_full=swa_full, cpu_repack=repack))
    else:
        import llama_cpp

        llm = llama_cpp.Llama(model_path=model, n_ctx=n_ctx, swa_full=swa_full, verbose=False)  # noqa: F841
    load_s = time.perf_counter() - t0
    tg = None
    if speed and which == "ours":
        pp_s, tg_s = engine.measure(64, 8)
        tg = 8 / tg_s
    mib = sum(buffers.kv)
    print(json.dumps({"load_s": load_s, "rss_mb": psutil.Process().memory_info().rss / 1e6, "kv_mib": mib,
                      "tg": tg}))


def run_child(model: Path, which: str, n_ctx: int, swa_full: bool = True, repack: bool = True,
              speed: bool = False) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", which, "--model", str(model), "--ctx", str(n_ctx),
                          *([] if swa_full else ["--no-swa-full"]), *([] if repack else ["--no-repack"]),
                          *(["--speed"] if speed else [])], capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- in-process measurements ---------------------------------------------------------------------
def throughput(model: Path, rounds: int, tokens: int) -> dict:
    """Ours, then bare, one model in memory at a time (two 12 GB models do not fit 24 GB), both
    without the CPU repack (the app's default), each warmed up on the prompt first."""
    import llama_cpp

    from copilot.core.engine import (KV_TYPES, ChatRequest, LocalEngine, ModelConfig, Sampling, _weights_in_place,
                                      bench_tokens, default_threads)
    from copilot.core.models.fit import CPU_UBATCH
    from copilot.core.events import Finished

    sampling = Sampling(temperature=0.8, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.0)
    messages = [{"role": "user", "content": "Write about the weather."}]
    ours = {"pp": [], "tg": [], "stream": []}
    engine = LocalEngine()
    engine.load(ModelConfig(model, n_ctx=4096, seed=1))
    for _ in engine.stream(ChatRequest(messages, max_tokens=2, sampling=sampling)):
        pass  # the prompt is read once; the timed rounds then reuse it
    for _ in range(rounds):
        pp, tg = engine.measure(128, tokens)
        ours["pp"].append(128 / pp)
        ours["tg"].append(tokens / tg)
        for _ in engine.stream(ChatRequest(messages, max_tokens=2, sampling=sampling)):
            pass  # measure() emptied the context: read the prompt again, untimed
        t0 = time.perf_counter()
        for event in engine.stream(ChatRequest(messages, max_tokens=tokens, sampling=sampling)):
            if isinstance(event, Finished):
                ours["stream"].append(event.stats.generated_tokens / (time.perf_counter() - t0))
    engine.close()

    bare_stats = {"pp": [], "tg": [], "stream": []}
    with _weights_in_place(llama_cpp, keep=True):
        # the same threads as ours: llama-cpp-python's own default (cpu_count // 2) would be 1 here
        # and the app's tuned llama.cpp settings (flash attention, q8_0 KV, 128-token passes): this
        # row measures what the app adds on top of llama.cpp; bench/sweep_20b.py measures the tuning
        bare = llama_cpp.Llama(model_path=str(model), n_ctx=4096, seed=1, verbose=False,
                               n_threads=default_threads(), n_threads_batch=default_threads(),
                               flash_attn=True, type_k=KV_TYPES["q8_0"], type_v=KV_TYPES["q8_0"],
                               n_ubatch=CPU_UBATCH)
    for _ in bare.create_chat_completion(messages, max_tokens=2, stream=True):
        pass
    same = bench_tokens(bare.n_vocab(), 128 + tokens)  # the very tokens LocalEngine.measure uses
    for _ in range(rounds):
        bare.reset()
        t0 = time.perf_counter()
        bare.eval(same[:128])
        bare_stats["pp"].append(128 / (time.perf_counter() - t0))
        bare.reset()
        t0 = time.perf_counter()
        for tok in same[128:]:
            bare.eval([tok])
        bare_stats["tg"].append(tokens / (time.perf_counter() - t0))
        bare.reset()
        for _ in bare.create_chat_completion(messages, max_tokens=2, stream=True):
            pass
        t0 = time.perf_counter()
        for _chunk in bare.create_chat_completion(messages, max_tokens=tokens, stream=True, temperature=0.8,
                                                  top_p=0.95, top_k=40, min_p=0.05, seed=1):
            pass
        bare_stats["stream"].append(tokens / (time.perf_counter() - t0))
    bare.close()
    med = statistics.median
    return {"pp_ours": med(ours["pp"]), "pp_bare": med(bare_stats["pp"]), "tg_ours": med(ours["tg"]),
            "tg_bare": med(bare_stats["tg"]), "stream_ours": med(ours["stream"]),
            "stream_bare": med(bare_stats["stream"]),
            "stream_ratio": med(ours["stream"]) / med(bare_stats["stream"])}


def proofread_ttft(model: Path, rounds: int, think: float) -> dict:
    """Time to first token of a hotkey action on 100 words, as the app runs it.

    cold: a fresh context, nothing evaluated; instructions: the runner's warm-up after load
    (jobs.warm_writing) done, the selection not; second: the next press on other words; read
    ahead: the popup read the selection (jobs.read_selection) while the user chose, the action
    pressed ``think`` seconds after the popup opened (the press waits for the read to end), and
    read ahead, done: pressed after the read ended. Each also as a ratio to cold.
    """
    import threading

    from copilot.core import jobs
    from copilot.core.engine import ChatRequest, LocalEngine, ModelConfig
    from copilot.core.events import Finished
    from copilot.core.tasks.writing import writing_prompt

    def press(engine, action, text) -> tuple[float, int, int]:
        prompt = writing_prompt(action, text, effort="low")
        t0 = time.perf_counter()
        for event in engine.stream(ChatRequest(prompt.messages, reasoning_effort="low", max_tokens=1)):
            if isinstance(event, Finished):
                return time.perf_counter() - t0, event.stats.cached_tokens, event.stats.prompt_tokens
        raise RuntimeError("no answer")

    def touch(engine) -> None:
        """Page every expert in before timing (256 random tokens reach all 32 experts of each
        layer), then empty the context: the figures then compare prompt caching alone, not
        first-touch page faults of the memory-mapped weights."""
        import random

        rnd = random.Random(0)
        engine._llm.reset()
        engine._llm.eval([rnd.randrange(1000, 40000) for _ in range(256)])
        engine._llm.reset()

    engine = LocalEngine()
    rows: dict[str, list] = {k: [] for k in ("cold", "instructions", "second", "read_ahead", "read_ahead_done")}
    extra: dict[str, list] = {"reload_s": [], "warm_s": [], "read_s": [], "snapshot_mb": []}
    for i in range(rounds):
        t0 = time.perf_counter()
        engine.load(ModelConfig(model, n_ctx=4096, seed=1))  # a fresh context: nothing cached
        extra["reload_s"].append(time.perf_counter() - t0)
        touch(engine)
        rows["cold"].append(press(engine, "proofread", TEXT))

        engine.load(ModelConfig(model, n_ctx=4096, seed=1))
        touch(engine)
        t0 = time.perf_counter()
        list(jobs.warm_writing(engine))  # what TaskRunner runs after every load
        extra["warm_s"].append(time.perf_counter() - t0)
        extra["snapshot_mb"].append(engine.snapshot_bytes / 1e6)
        rows["instructions"].append(press(engine, "proofread", TEXT))
        rows["second"].append(press(engine, "proofread", OTHER))

        # the popup opens on new words and reads them; the user presses Rewrite after `think` s
        third = " ".join(reversed(TEXT.split()))
        read: list[float] = []

        def read_ahead(text=third) -> None:
            t0 = time.perf_counter()
            list(jobs.read_selection(engine, text, "low"))
            read.append(time.perf_counter() - t0)

        reader = threading.Thread(target=read_ahead)
        reader.start()
        time.sleep(think)
        t_press = time.perf_counter()
        reader.join()  # the action queues behind the read on the one inference thread
        waited = time.perf_counter() - t_press
        ttft, cached, total = press(engine, "rewrite", third)
        rows["read_ahead"].append((waited + ttft, cached, total))
        extra["read_s"].append(read[0])
        fourth = " ".join(TEXT.split()[50:] + OTHER.split()[:50])
        list(jobs.read_selection(engine, fourth, "low"))  # a read that ended before the press
        rows["read_ahead_done"].append(press(engine, "rewrite", fourth))
    engine.close()
    med = statistics.median
    out = {k: {"s": med(r[0] for r in v), "cached": v[-1][1], "prompt": v[-1][2]} for k, v in rows.items()}
    for k in out:
        out[k]["ratio"] = med(a[0] / c[0] for a, c in zip(rows[k], rows["cold"]))
    out.update({k: med(v) for k, v in extra.items()})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--child", choices=("ours", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--ctx", type=int, default=4096, help=argparse.SUPPRESS)
    parser.add_argument("--no-swa-full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-repack", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--speed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--throughput-only", action="store_true", help="only the tokens/s rows (figure 2 and 3)")
    parser.add_argument("--ttft-only", action="store_true", help="only the time-to-first-token rows (figure 4)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="seconds between the popup opening and the action press (default 1)")
    args = parser.parse_args()
    if args.child:
        child(str(args.model), args.child, args.ctx, not args.no_swa_full, not args.no_repack, args.speed)
        return 0
    if not args.model.exists():
        print(f"{args.model} does not exist: run bench/make_synthetic_gpt_oss.py first", file=sys.stderr)
        return 2

    if args.throughput_only:
        print(throughput(args.model, args.rounds, args.tokens))
        return 0
    if args.ttft_only:
        print(json.dumps(proofread_ttft(args.model, args.rounds, args.think), indent=1))
        return 0
    loads = {"ours": [], "bare": []}
    for i in range(args.rounds):
        for which in (("ours", "bare") if i % 2 == 0 else ("bare", "ours")):
            loads[which].append(run_child(args.model, which, 4096, repack=which == "bare"))
    med = statistics.median
    load = {w: med(r["load_s"] for r in rs) for w, rs in loads.items()}
    rss = {w: med(r["rss_mb"] for r in rs) for w, rs in loads.items()}
    print(f"load {load}, rss {rss}", flush=True)
    repack_on = run_child(args.model, "ours", 4096, repack=True, speed=True)
    repack_off = run_child(args.model, "ours", 4096, repack=False, speed=True)
    print(f"repack on {repack_on}, off {repack_off}", flush=True)
    memory = {(ctx, swa): run_child(args.model, "ours", ctx, swa, repack=False) for ctx in (8192, 32768) for swa in (True, False)}
    print({k: (round(v["kv_mib"]), round(v["rss_mb"])) for k, v in memory.items()}, flush=True)
    tp = throughput(args.model, args.rounds, args.tokens)
    print(tp, flush=True)
    ttft = proofread_ttft(args.model, args.rounds, args.think)
    print(ttft, flush=True)

    size_gb = args.model.stat().st_size / 1e9
    lines = [
        f"Synthetic gpt-oss-20b ({size_gb:.1f} GB, exact shapes and types), {time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, {os.cpu_count()} cores, CPU build, {args.rounds} rounds, medians:",
        "",
        "| figure | ours | bare llama-cpp-python | ratio | command |",
        "| --- | --- | --- | --- | --- |",
        f"| load time, 4k context (ours: no repack; bare: its default, repack) | {load['ours']:.2f} s | {load['bare']:.2f} s | {load['ours'] / load['bare']:.2f} | "
        "`bench/bench_20b.py` |",
        f"| resident memory after load (mmap) | {rss['ours']:.0f} MB | {rss['bare']:.0f} MB | "
        f"{rss['ours'] / rss['bare']:.2f} | same |",
        f"| prompt processing (128 tokens) | {tp['pp_ours']:.1f} tok/s | {tp['pp_bare']:.1f} tok/s | "
        f"{tp['pp_ours'] / tp['pp_bare']:.2f} | same |",
        f"| generation ({args.tokens} tokens) | {tp['tg_ours']:.2f} tok/s | {tp['tg_bare']:.2f} tok/s | "
        f"{tp['tg_ours'] / tp['tg_bare']:.2f} | same |",
        f"| streaming pipeline (goal ≥ 0.98) | {tp['stream_ours']:.2f} tok/s | {tp['stream_bare']:.2f} tok/s | "
        f"**{tp['stream_ratio']:.2f}** | same |",
        f"| hotkey action on 100 words, time to first token, cold (nothing evaluated) | "
        f"{ttft['cold']['s']:.2f} s | | 1.00 | same ({ttft['cold']['prompt']} prompt tokens) |",
        f"| … instructions evaluated after load (keep-warm), first press | {ttft['instructions']['s']:.2f} s | "
        f"{ttft['cold']['s']:.2f} s (cold) | **{ttft['instructions']['ratio']:.2f}** | same "
        f"({ttft['instructions']['cached']} of {ttft['instructions']['prompt']} tokens reused) |",
        f"| … next press on other words | {ttft['second']['s']:.2f} s | {ttft['cold']['s']:.2f} s (cold) | "
        f"**{ttft['second']['ratio']:.2f}** | same ({ttft['second']['cached']} of {ttft['second']['prompt']}) |",
        f"| … selection read while choosing, action pressed {args.think:g} s after the popup opened "
        f"(the read took {ttft['read_s']:.1f} s) | {ttft['read_ahead']['s']:.2f} s | {ttft['cold']['s']:.2f} s (cold) | "
        f"**{ttft['read_ahead']['ratio']:.2f}** | same ({ttft['read_ahead']['cached']} of "
        f"{ttft['read_ahead']['prompt']}) |",
        f"| … selection read before the press (goal ≤ 0.3) | {ttft['read_ahead_done']['s']:.2f} s | "
        f"{ttft['cold']['s']:.2f} s (cold) | **{ttft['read_ahead_done']['ratio']:.2f}** | same "
        f"({ttft['read_ahead_done']['cached']} of {ttft['read_ahead_done']['prompt']}) |",
        f"| keep-warm cost after each load: writing instructions for 2 efforts, kept | "
        f"{ttft['warm_s']:.1f} s in the background | | | same ({ttft['snapshot_mb']:.0f} MB of snapshots) |",
        f"| reload after an idle unload (mmap, file in the page cache) | {ttft['reload_s']:.2f} s | | | same |",
        f"| CPU repack (llama.cpp's extra buffers) on ÷ off: load | {repack_on['load_s']:.1f} s | "
        f"{repack_off['load_s']:.1f} s | {repack_on['load_s'] / repack_off['load_s']:.1f} | same |",
        f"| CPU repack on ÷ off: resident memory | {repack_on['rss_mb']:.0f} MB | {repack_off['rss_mb']:.0f} MB | "
        f"{repack_on['rss_mb'] / repack_off['rss_mb']:.2f} | same |",
        f"| CPU repack on ÷ off: generation | {repack_on['tg']:.2f} tok/s | {repack_off['tg']:.2f} tok/s | "
        f"{repack_on['tg'] / repack_off['tg']:.2f} | same |",
    ]
    for ctx in (8192, 32768):
        full, window = memory[(ctx, True)], memory[(ctx, False)]
        lines.append(f"| KV cache at {ctx // 1024}k: full-size SWA cache vs window only | {full['kv_mib']:.0f} MiB "
                     f"(RSS {full['rss_mb']:.0f} MB) | {window['kv_mib']:.0f} MiB (RSS {window['rss_mb']:.0f} MB) | "
                     f"{window['kv_mib'] / full['kv_mib']:.2f} | same |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        from perf_doc import add_to_section

        add_to_section("gpt-oss-20b scale (issue: Performance at gpt-oss-20b scale)",
                       "`python bench/make_synthetic_gpt_oss.py && python bench/bench_20b.py --write`", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
