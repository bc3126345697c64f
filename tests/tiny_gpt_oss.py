"""Write a tiny gpt-oss-architecture GGUF: random weights, byte-level vocab, harmony tokens.

It runs through the very code paths of gpt-oss-20b in llama.cpp (MoE, attention sinks,
sliding window, the harmony chat template) in a few hundred kilobytes. Its text is noise.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

TEMPLATE_PATH = Path(__file__).parent / "data" / "openai-gpt-oss-120b.jinja"

HARMONY_SPECIALS = (
    "<|startoftext|>", "<|endoftext|>", "<|return|>", "<|constrain|>", "<|channel|>",
    "<|start|>", "<|end|>", "<|message|>", "<|call|>",
)
_MERGES = ("Ġ t", "h e", "i n", "Ġ a")

N_LAYER, N_EMBD, N_HEAD, N_HEAD_KV, HEAD_DIM = 2, 64, 4, 2, 16
N_EXPERT, N_EXPERT_USED, N_FF_EXP = 4, 2, 32


def _byte_vocab() -> list[str]:
    """GPT-2's reversible byte -> printable character table."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    table, extra = {}, 0
    for b in range(256):
        if b in printable:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return [table[b] for b in range(256)]


def write_tiny_gpt_oss(path: Path, *, seed: int = 0, omit_keys: tuple[str, ...] = (),
                       always: str | None = None, script: tuple[str, ...] = (),
                       arch: str = "gpt-oss", drop_tensors: Iterable[str] = (),
                       rename: Mapping[str, str] | None = None,
                       tensor_types: Mapping[str, int] | None = None,
                       controls: tuple[str, ...] = ()) -> Path:
    """Write the model to ``path``. ``omit_keys`` leaves out metadata, to build broken files.

    More ways to break it, or to imitate other converters (defaults change nothing):
    ``arch`` is the architecture written (its keys follow it: Ollama writes "gptoss");
    ``drop_tensors`` names tensors to leave out; ``rename`` maps substrings of tensor
    names to replacements (``{".attn_output.": ".attn_out."}``); ``tensor_types`` maps
    final tensor names to a ggml type id patched into the header afterwards, the data
    left as it is (Ollama's MXFP4 was type 4).

    ``always`` names a token that the model then predicts at every step. ``script`` is a
    sequence of token texts (byte-level spelling, e.g. "Ġmundo") that the model then writes
    after the chat template's generation prompt, then the last one forever (or, when the last
    one already has a successor, the cycle from there). ``controls`` adds control tokens to the
    vocabulary (e.g. "<|reserved_286|>", as gpt-oss has hundreds), which a script may use. Both work the
    same way: every layer is zero, so the hidden state is the current token's embedding;
    give each token of interest its own one-hot embedding and let ``output`` map it to its
    successor. The next token is then a pure function of the current one.
    """
    import gguf

    rng = np.random.default_rng(seed)
    specials = HARMONY_SPECIALS + tuple(c for c in controls if c not in HARMONY_SPECIALS)
    words = [t for t in dict.fromkeys(script) if t not in specials and len(t) > 1]
    tokens = _byte_vocab() + [m.replace(" ", "") for m in _MERGES] + words + list(specials)
    types = [gguf.TokenType.NORMAL] * (len(tokens) - len(specials)) + [gguf.TokenType.CONTROL] * len(specials)
    ids = {t: i for i, t in enumerate(tokens)}
    n_vocab = len(tokens)

    dropped = set(drop_tensors)
    w = gguf.GGUFWriter(str(path), arch)
    kv = {
        "block_count": lambda: w.add_block_count(N_LAYER),
        "context_length": lambda: w.add_context_length(4096),
        "embedding_length": lambda: w.add_embedding_length(N_EMBD),
        "feed_forward_length": lambda: w.add_feed_forward_length(N_FF_EXP),
        "attention.head_count": lambda: w.add_head_count(N_HEAD),
        "attention.head_count_kv": lambda: w.add_head_count_kv(N_HEAD_KV),
        "attention.key_length": lambda: w.add_key_length(HEAD_DIM),
        "attention.value_length": lambda: w.add_value_length(HEAD_DIM),
        "rope.freq_base": lambda: w.add_rope_freq_base(150000.0),
        "attention.layer_norm_rms_epsilon": lambda: w.add_layer_norm_rms_eps(1e-5),
        "attention.sliding_window": lambda: w.add_sliding_window(128),
        "expert_count": lambda: w.add_expert_count(N_EXPERT),
        "expert_used_count": lambda: w.add_expert_used_count(N_EXPERT_USED),
        "expert_feed_forward_length": lambda: w.add_expert_feed_forward_length(N_FF_EXP),
    }
    for key, add in kv.items():
        if key not in omit_keys:
            add()
    w.add_name("tiny-gpt-oss")
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-4o")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(list(_MERGES))
    w.add_bos_token_id(ids["<|startoftext|>"])
    w.add_eos_token_id(ids["<|return|>"])
    w.add_pad_token_id(ids["<|endoftext|>"])
    w.add_add_bos_token(False)
    w.add_chat_template(TEMPLATE_PATH.read_text(encoding="utf-8"))

    # successor table for `always` / `script`: current token id -> next token id
    chain: dict[int, int] = {}
    if script:
        previous = ids["t"]  # the generation prompt ends "<|start|>assistant": byte tokens, last is "t"
        for text in script:
            if chain.setdefault(previous, ids[text]) != ids[text]:
                raise ValueError(f"token {tokens[previous]!r} would need two successors")
            previous = ids[text]
        chain.setdefault(previous, previous)
    dims = {tok: d for d, tok in enumerate(chain)}
    assert len(dims) <= N_EMBD, "script too long for the embedding width"

    def add(name: str, data: np.ndarray) -> None:
        if name in dropped:
            return
        for old, new in (rename or {}).items():
            name = name.replace(old, new)
        w.add_tensor(name, data)

    def t(name: str, *shape: int, scale: float = 0.02) -> None:
        if always is not None or chain:
            data = np.zeros(shape, dtype=np.float32)
            if name == "token_embd.weight":
                if always is not None:
                    data[:] = 1.0
                for tok, d in dims.items():
                    data[tok, d] = 1.0
            elif name == "output.weight":
                if always is not None:
                    data[ids[always]] = 1.0
                for tok, nxt in chain.items():
                    data[nxt, dims[tok]] = 10.0
        else:
            data = (rng.standard_normal(shape) * scale).astype(np.float32)
        add(name, data)

    def ones(name: str, *shape: int) -> None:
        add(name, np.ones(shape, dtype=np.float32))

    q, kvd = N_HEAD * HEAD_DIM, N_HEAD_KV * HEAD_DIM
    t("token_embd.weight", n_vocab, N_EMBD, scale=1.0)
    ones("output_norm.weight", N_EMBD)
    t("output.weight", n_vocab, N_EMBD, scale=0.5)
    for i in range(N_LAYER):
        b = f"blk.{i}."
        ones(b + "attn_norm.weight", N_EMBD)
        ones(b + "post_attention_norm.weight", N_EMBD)
        t(b + "attn_q.weight", q, N_EMBD)
        t(b + "attn_q.bias", q)
        t(b + "attn_k.weight", kvd, N_EMBD)
        t(b + "attn_k.bias", kvd)
        t(b + "attn_v.weight", kvd, N_EMBD)
        t(b + "attn_v.bias", kvd)
        t(b + "attn_output.weight", N_EMBD, q)
        t(b + "attn_output.bias", N_EMBD)
        t(b + "attn_sinks.weight", N_HEAD)
        t(b + "ffn_gate_inp.weight", N_EXPERT, N_EMBD)
        t(b + "ffn_gate_inp.bias", N_EXPERT)
        t(b + "ffn_gate_exps.weight", N_EXPERT, N_FF_EXP, N_EMBD)
        t(b + "ffn_gate_exps.bias", N_EXPERT, N_FF_EXP)
        t(b + "ffn_up_exps.weight", N_EXPERT, N_FF_EXP, N_EMBD)
        t(b + "ffn_up_exps.bias", N_EXPERT, N_FF_EXP)
        t(b + "ffn_down_exps.weight", N_EXPERT, N_EMBD, N_FF_EXP)
        t(b + "ffn_down_exps.bias", N_EXPERT, N_EMBD)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    if tensor_types:
        _patch_tensor_types(path, tensor_types)
    return path


def _patch_tensor_types(path: Path, types: Mapping[str, int]) -> None:
    """Overwrite the type id of named tensors in the header's tensor list."""
    data = bytearray(path.read_bytes())
    for name, ttype in types.items():
        key = struct.pack("<Q", len(name.encode())) + name.encode()
        at = data.find(key)
        if at < 0:
            raise KeyError(name)
        at += len(key)
        (n_dims,) = struct.unpack_from("<I", data, at)
        struct.pack_into("<I", data, at + 4 + 8 * n_dims, ttype)
    path.write_bytes(data)
