"""Sweep llama.cpp's tuning knobs at gpt-oss-20b scale, on the synthetic model, to pick the app's defaults.

Every configuration runs in a fresh child process with one model load (two 12 GB models are
never in memory at once, and resident memory is that load's alone). Timed figures are
llama-bench style (fixed token ids, no sampling; LocalEngine.measure), the median of --rounds
inside the child, after a warm-up measure(64, 2). Memory figures are llama.cpp's own buffer
report (the "KV buffer size" lines summed, the largest "compute buffer size" line) and the
process's resident memory after the load. Groups (--only picks some):

1. threads: n_threads in 1, 2, 4, 8, ... up to os.cpu_count(), plus the physical cores:
   pp (--pp tokens) and tg (--tg tokens) tokens/s. The sweep sets n_threads and n_threads_batch
   (the prompt's threads) both to n; the app's own pair (both default_threads(), the physical
   cores; llama-cpp-python alone would read prompts with every logical CPU) is the reference row.
2. batch: n_ubatch 128, 256, 512 with n_batch 512: pp tokens/s over --batch-pp tokens, and the
   compute buffer. Note: with --batch-pp 256 (default) ubatch 256 and 512 both do the prompt in
   one micro-batch; use --batch-pp 512 or more to separate them (about 45 s a round here).
3. attention: (flash attention off, f16 KV), (on, f16), (on, q8_0): pp, tg at depth 0, and tg
   after --depth tokens already in the context (filled once, then each round decodes --tg
   tokens and rolls back); then memory only (a load, nothing timed) at n_ctx 8192 and 32768.
4. swa: swa_full True vs False at n_ctx 8192 and 32768: KV and compute buffers, resident memory.

Timed children use the app's n_ctx 8192 (more if --depth + --tg needs it); cpu_repack stays
at its default (off). The "vs default" column divides each row by its group's reference: the
app's threads (default_threads()) and SWA cache (swa_full True), and llama.cpp's own defaults for
the physical batch (n_ubatch 512) and attention (flash attention off, f16), which the app's
defaults were chosen against (flash attention + q8_0 for gpt-oss on the CPU, n_ubatch 128).

    .venv/bin/python bench/make_synthetic_gpt_oss.py      # once: ~12 GB in ~/.cache
    .venv/bin/python bench/sweep_20b.py [--model PATH] [--rounds 2] [--pp 128] [--tg 16]
        [--depth 1024] [--batch-pp 256] [--only threads,batch,attention,swa] [--write]

Run time with the defaults on a 2-core machine (the full 24-layer model does pp about 12 tok/s,
tg about 5 tok/s there): threads ~2 min, batch ~2.5 min, attention ~7 min (filling the 1024-token
depth alone is ~1.5 min per configuration), swa ~0.5 min: about 12-15 minutes in all, and the
machine is fully busy throughout (and needs ~13 GB free for the model, ~18 GB for the 32k
flash-attention-off row). --write appends the table to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_synthetic_gpt_oss import DEFAULT_OUT  # noqa: E402

GROUPS = ("threads", "batch", "attention", "swa")
SECTION = "Tuning sweep at gpt-oss-20b scale (issue: Performance at gpt-oss-20b scale)"
APP_CTX = 8192  # ModelConfig's default n_ctx
MEMORY_CTXS = (8192, 32768)
UBATCHES = (128, 256, 512)
ATTENTION = ((False, "f16"), (True, "f16"), (True, "q8_0"))  # (flash_attn, kv_type); the first is llama.cpp's


# -- the child: one load, one configuration, one JSON line on stdout --------------------------------
def child(spec: dict) -> dict:
    import psutil

    from llama_buffers import listen

    buffers = listen(quiet=True)  # llama.cpp's chatter stays out of the child's stderr
    kv, compute = buffers.kv, buffers.compute

    from copilot.core.engine import EngineError, LocalEngine, ModelConfig

    config = ModelConfig(Path(spec["model"]), n_ctx=spec["n_ctx"], n_threads=spec.get("n_threads"),
                         n_batch=spec.get("n_batch", 512), n_ubatch=spec.get("n_ubatch"),
                         flash_attn=spec.get("flash_attn", False), kv_type=spec.get("kv_type", "f16"),
                         swa_full=spec.get("swa_full", True))
    engine = LocalEngine()
    t0 = time.perf_counter()
    try:
        engine.load(config)
    except EngineError as exc:
        return {"error": str(exc)}
    result = {"load_s": time.perf_counter() - t0, "rss_mb": psutil.Process().memory_info().rss / 1e6,
              "kv_mib": sum(kv) if kv else None, "compute_mib": max(compute) if compute else None}
    llm = engine._llm
    if spec.get("n_threads_batch"):
        import llama_cpp

        llama_cpp.llama_set_n_threads(llm._ctx.ctx, spec["n_threads"], spec["n_threads_batch"])
        result["threads"] = [llama_cpp.llama_n_threads(llm._ctx.ctx), llama_cpp.llama_n_threads_batch(llm._ctx.ctx)]
    if spec.get("memory_only"):
        return result

    rounds, pp, tg, depth = spec["rounds"], spec["pp"], spec["tg"], spec.get("depth", 0)
    engine.measure(64, 2)  # warm-up: page in the mapped weights (64 random tokens reach every expert)
    pps, tgs = [], []
    for _ in range(rounds):
        pp_s, tg_s = engine.measure(pp, tg)
        pps.append(pp / pp_s)
        if tg:
            tgs.append(tg / tg_s)
    result["pp"] = statistics.median(pps)
    result["tg"] = statistics.median(tgs) if tgs else None
    if depth and tg:
        from copilot.core.engine import bench_tokens

        fill = bench_tokens(llm.n_vocab(), depth + tg, seed=1)
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(fill[:depth])
        result["depth_fill"] = depth / (time.perf_counter() - t0)
        deep = []
        for _ in range(rounds):
            llm.n_tokens = depth  # eval() drops the cells past n_tokens: the same positions each round
            t0 = time.perf_counter()
            for token in fill[depth:]:
                llm.eval([token])
            deep.append(tg / (time.perf_counter() - t0))
        llm.reset()
        result["tg_depth"] = statistics.median(deep)
    engine.close()
    return result


def run_child(spec: dict, cache: dict) -> dict:
    key = json.dumps(spec, sort_keys=True)
    if key in cache:
        return cache[key]
    t0 = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, __file__, "--child", key], capture_output=True, text=True, timeout=3600)
        if out.returncode:
            result = {"error": f"child exited {out.returncode}: {out.stderr.strip()[-500:]}"}
        else:
            result = json.loads(out.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError) as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result["wall_s"] = time.perf_counter() - t0
    cache[key] = result
    return result


# -- the sweep ------------------------------------------------------------------------------------
def thread_counts() -> list[int]:
    import psutil

    from copilot.core.engine import default_threads

    n = os.cpu_count() or 1
    counts = {1, n, psutil.cpu_count(logical=False) or n, default_threads()}
    v = 2
    while v < n:
        counts.add(v)
        v *= 2
    return sorted(c for c in counts if 1 <= c <= n)


def progress(text: str) -> None:
    print(text, flush=True)


def describe(r: dict) -> str:
    if "error" in r:
        return f"FAILED: {r['error']}"
    parts = [f"{name} {r[key]:.2f} tok/s" for key, name in (("pp", "pp"), ("tg", "tg"), ("tg_depth", "tg at depth"),
                                                             ("depth_fill", "depth fill")) if r.get(key)]
    parts += [f"{name} {r[key]:.0f}" for key, name in (("kv_mib", "KV MiB"), ("compute_mib", "compute MiB"),
                                                       ("rss_mb", "RSS MB")) if r.get(key) is not None]
    return ", ".join(parts) + f" ({r['wall_s']:.0f} s)"


def sweep(args, groups: list[str]) -> list[tuple[str, str, dict, dict | None]]:
    """Rows of (knob, setting, result, the group's default result or None for the default itself)."""
    from copilot.core.engine import default_threads

    cache: dict = {}
    base = {"model": str(args.model), "rounds": args.rounds, "pp": args.pp, "tg": args.tg}
    timed_ctx = max(APP_CTX, args.pp + args.tg, args.batch_pp, args.depth + args.tg)
    rows = []

    def one(group: str, setting: str, spec: dict) -> dict:
        progress(f"[{group}] {setting} ...")
        result = run_child(spec, cache)
        progress(f"[{group}] {setting}: {describe(result)}")
        return result

    if "threads" in groups:
        app = (default_threads(), default_threads())  # what the app runs with: n_threads, n_threads_batch
        counts = [(n, n) for n in thread_counts()]
        pairs = ([app] if app not in counts else []) + counts
        results = {}
        for n, nb in pairs:
            spec = dict(base, n_ctx=timed_ctx, n_threads=n, n_threads_batch=nb)
            label = f"{n}" if n == nb else f"{n} (prompt {nb})"
            if (n, nb) == app:
                label += " (app default)"
            results[(n, nb)] = (label, one("threads", f"n_threads {label}", spec))
        for pair, (label, r) in results.items():
            rows.append(("n_threads", label, r, None if pair == app else results[app][1]))

    if "batch" in groups:
        results = {}
        for ub in UBATCHES:
            spec = dict(base, n_ctx=timed_ctx, n_batch=512, n_ubatch=ub, pp=args.batch_pp, tg=0)
            label = f"{ub} (n_batch 512, {args.batch_pp}-token prompt)" + (" (llama.cpp's default)" if ub == 512 else "")
            results[ub] = (label, one("batch", f"n_ubatch {label}", spec))
        for ub, (label, r) in results.items():
            rows.append(("n_ubatch", label, r, None if ub == 512 else results[512][1]))

    if "attention" in groups:
        results = {}
        for fa, kv in ATTENTION:
            spec = dict(base, n_ctx=timed_ctx, flash_attn=fa, kv_type=kv, depth=args.depth)
            label = f"flash attn {'on' if fa else 'off'}, KV {kv}" + (" (llama.cpp's default)" if (fa, kv) == ATTENTION[0] else "")
            results[(fa, kv)] = (label, one("attention", label, spec))
        for key, (label, r) in results.items():
            rows.append(("attention", label, r, None if key == ATTENTION[0] else results[ATTENTION[0]][1]))
        for ctx in MEMORY_CTXS:
            mem = {}
            for fa, kv in ATTENTION:
                spec = {"model": str(args.model), "n_ctx": ctx, "flash_attn": fa, "kv_type": kv, "memory_only": True}
                label = f"flash attn {'on' if fa else 'off'}, KV {kv}, n_ctx {ctx} (memory)"
                mem[(fa, kv)] = (label, one("attention", label, spec))
            for key, (label, r) in mem.items():
                rows.append(("attention", label, r, None if key == ATTENTION[0] else mem[ATTENTION[0]][1]))

    if "swa" in groups:
        for ctx in MEMORY_CTXS:
            mem = {}
            for full in (True, False):
                # the same spec as the attention group's (fa off, f16) memory row: run once
                spec = {"model": str(args.model), "n_ctx": ctx, "flash_attn": False, "kv_type": "f16",
                        "memory_only": True, **({} if full else {"swa_full": False})}
                label = f"{full}, n_ctx {ctx}" + (" (app default)" if full else "")
                mem[full] = (label, one("swa", f"swa_full {label}", spec))
            for full, (label, r) in mem.items():
                rows.append(("swa_full", label, r, None if full else mem[True][1]))
    return rows


# -- the table ------------------------------------------------------------------------------------
def ratio_text(r: dict, ref: dict | None) -> str:
    if "error" in r:
        return ""
    if ref is None:
        return "(reference)"
    if "error" in ref:
        return ""
    parts = []
    for key, name in (("pp", "pp"), ("tg", "tg"), ("tg_depth", "depth"), ("kv_mib", "KV"),
                      ("compute_mib", "compute"), ("rss_mb", "RSS")):
        if key in ("kv_mib", "compute_mib", "rss_mb") and "pp" in r:
            continue  # timed rows: their memory is a side figure, the speed is the point
        if r.get(key) and ref.get(key):
            parts.append(f"{name} {r[key] / ref[key]:.2f}")
    return ", ".join(parts)


def table(rows, args) -> list[str]:
    depth = f"tg at depth {args.depth} tok/s"
    lines = [f"| knob | setting | pp tok/s | tg tok/s | {depth} | KV MiB | compute MiB | RSS MB | vs default |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def cell(r: dict, key: str, fmt: str) -> str:
        value = r.get(key)
        return format(value, fmt) if value is not None else ""

    for knob, setting, r, ref in rows:
        if "error" in r:
            reason = r["error"].replace("|", "/").replace("\n", " ")[:200]
            lines.append(f"| {knob} | {setting} | failed: {reason} | | | | | | |")
            continue
        timed = "pp" in r
        # memory columns: the memory-only rows, and the batch rows' compute buffer (n_ubatch sets its size)
        kv = "" if timed else cell(r, "kv_mib", ".0f")
        compute = cell(r, "compute_mib", ".0f") if (not timed or knob == "n_ubatch") else ""
        rss = "" if timed else cell(r, "rss_mb", ".0f")
        lines.append(f"| {knob} | {setting} | {cell(r, 'pp', '.2f')} | {cell(r, 'tg', '.2f')} | "
                     f"{cell(r, 'tg_depth', '.2f')} | {kv} | {compute} | {rss} | {ratio_text(r, ref)} |")
    return lines


def parse_only(values: list[str] | None) -> list[str]:
    if not values:
        return list(GROUPS)
    chosen = {v.strip() for value in values for v in value.split(",") if v.strip()}
    unknown = chosen - set(GROUPS)
    if unknown:
        raise SystemExit(f"--only: unknown group(s) {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
    return [g for g in GROUPS if g in chosen]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds per configuration (median)")
    parser.add_argument("--pp", type=int, default=128, help="prompt tokens for the threads and attention groups")
    parser.add_argument("--tg", type=int, default=16, help="generated tokens per round")
    parser.add_argument("--depth", type=int, default=1024, help="tokens in the context before the 'at depth' tg")
    parser.add_argument("--batch-pp", type=int, default=256, help="prompt tokens for the n_ubatch group")
    parser.add_argument("--only", action="append", metavar="GROUP",
                        help=f"run only these groups ({', '.join(GROUPS)}); repeat or comma-separate")
    parser.add_argument("--write", action="store_true", help="append the table to docs/PERFORMANCE.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))), flush=True)
        return 0
    groups = parse_only(args.only)
    if args.rounds < 1 or args.pp < 1 or args.tg < 1 or args.batch_pp < 1 or args.depth < 0:
        parser.error("--rounds, --pp, --tg and --batch-pp must be at least 1, --depth at least 0")
    if not args.model.exists():
        print(f"{args.model} does not exist: make it first with\n"
              f"    .venv/bin/python bench/make_synthetic_gpt_oss.py{'' if args.model == DEFAULT_OUT else f' --out {args.model}'}\n"
              "(about 12 GB; --layers N makes a smaller one for a quick try)", file=sys.stderr)
        return 2

    import llama_cpp
    import psutil

    from copilot.core.engine import default_threads
    from copilot.core.models.gguf_header import inspect_gguf

    info = inspect_gguf(args.model)
    layers = info.metadata.get(f"{info.architecture}.block_count")
    machine = (f"{platform.machine()}, {os.cpu_count()} logical cores ({psutil.cpu_count(logical=False)} physical; "
               f"app default_threads() = {default_threads()}), {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
               f"{platform.system()}, llama-cpp-python {llama_cpp.__version__}, {time.strftime('%Y-%m-%d')}")
    model = f"{info.name} ({args.model.stat().st_size / 1e9:.1f} GB, {layers} layers)"
    progress(f"{machine}\nmodel: {model}\ngroups: {', '.join(groups)}")
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load_before > 0.5:
        progress(f"warning: load average {load_before:.1f} before the sweep: other work shares the CPU, "
                 "the timings will be low and noisy")
    t0 = time.perf_counter()
    rows = sweep(args, groups)
    minutes = (time.perf_counter() - t0) / 60
    busy = f"; load average before it {load_before:.1f}" if load_before > 0.5 else ""

    command = shlex.join(["python", "bench/sweep_20b.py", *sys.argv[1:]])
    timed_ctx = max(APP_CTX, args.pp + args.tg, args.batch_pp, args.depth + args.tg)
    what = []
    if {"threads", "attention"} & set(groups):
        what.append(f"pp over {args.pp} tokens, tg over {args.tg} tokens")
    if "attention" in groups:
        what.append(f"tg at depth after {args.depth} tokens in the context")
    if "batch" in groups:
        what.append(f"n_ubatch rows: pp over {args.batch_pp} tokens")
    if "threads" in groups:
        what.append("thread rows set n_threads and n_threads_batch alike, the app default row is the app's own pair")
    timed = f"Timed rows at n_ctx {timed_ctx}, medians of {args.rounds} rounds; " if what else ""
    lines = [
        f"{model}, {machine}. Command: `{command}` ({minutes:.0f} min{busy}). {timed}"
        + "".join(f"{w}; " for w in what)
        + "each row one fresh process; KV and compute: llama.cpp's buffer report; RSS: resident memory after the load.",
        "",
        *table(rows, args),
    ]
    print()
    print("\n".join(lines), flush=True)
    if args.write:
        from perf_doc import add_to_section

        add_to_section(SECTION, "Reproduce with `python bench/make_synthetic_gpt_oss.py && python bench/sweep_20b.py "
                       "--write` (a hand-run sweep of llama.cpp's knobs, one model load per configuration).", lines)
        print("\nwritten to docs/PERFORMANCE.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
