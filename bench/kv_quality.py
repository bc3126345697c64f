"""Does a q8_0 KV cache (with flash attention) change what the model predicts? Measured on a
real model, SmolLM2-135M-Instruct (the tests' model), since the synthetic gpt-oss-20b has
random weights: teacher-forced next-token prediction over real English and Spanish text,
f16 KV without flash attention (llama.cpp's default, the reference) against flash attention
with f16 and with q8_0 KV. Reports the top-1 agreement with the reference, the mean KL
divergence of the next-token distributions, and each run's perplexity on the text.

    .venv/bin/python bench/kv_quality.py [--tokens 1024] [--write]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CONFIGS = (("flash attention off, KV f16 (reference)", False, 1), ("flash attention on, KV f16", True, 1),
           ("flash attention on, KV q8_0", True, 8))


def corpus() -> str:
    """Real prose in both languages of our first users: this project's README and the Spanish
    strings of its interface (translations), as plain text."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    spanish = re.findall(r"<translation>([^<]{20,})</translation>",
                         (ROOT / "resources" / "translations" / "copilot_es.ts").read_text(encoding="utf-8"))
    return readme[:3500] + "\n\n" + "\n".join(spanish)[:3500]


def log_probs(model: Path, tokens: list[int], flash_attn: bool, kv_type: int) -> np.ndarray:
    import llama_cpp

    from copilot.core.engine import default_threads

    llm = llama_cpp.Llama(model_path=str(model), n_ctx=len(tokens) + 8, n_batch=512, logits_all=True,
                          flash_attn=flash_attn, type_k=kv_type, type_v=kv_type, verbose=False,
                          n_threads=default_threads(), n_threads_batch=default_threads())
    llm.eval(tokens)
    logits = np.array(llm.scores[:len(tokens)], dtype=np.float64)
    llm.close()
    logits -= logits.max(axis=1, keepdims=True)
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=1536)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    import llama_cpp

    from conftest import smollm2_path

    model = smollm2_path()
    vocab_only = llama_cpp.Llama(model_path=str(model), vocab_only=True, verbose=False)
    tokens = vocab_only.tokenize(corpus().encode("utf-8"), add_bos=True)[:args.tokens]
    t0 = time.perf_counter()
    runs = [(label, log_probs(model, tokens, fa, kv)) for label, fa, kv in CONFIGS]
    target = np.array(tokens[1:])
    ref = runs[0][1][:-1]
    lines = [f"SmolLM2-135M-Instruct, {len(tokens)} tokens of README (English) and interface strings (Spanish), "
             f"teacher-forced, {time.strftime('%Y-%m-%d')}:", "",
             "| KV cache | top-1 agreement with the reference | mean KL divergence (nats) | perplexity |",
             "| --- | --- | --- | --- |"]
    for label, lp in runs:
        lp = lp[:-1]
        agree = float((lp.argmax(axis=1) == ref.argmax(axis=1)).mean())
        kl = float((np.exp(ref) * (ref - lp)).sum(axis=1).mean())
        ppl = float(np.exp(-lp[np.arange(len(target)), target].mean()))
        lines.append(f"| {label} | {agree:.4f} | {kl:.6f} | {ppl:.3f} |")
    print("\n".join(lines))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.write:
        sys.path.insert(0, str(ROOT / "bench"))
        from perf_doc import add_to_section

        add_to_section("gpt-oss-20b scale (issue: Performance at gpt-oss-20b scale)",
                       "`python bench/bench_20b.py --write`", ["", "`python bench/kv_quality.py --write`:", ""] + lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
