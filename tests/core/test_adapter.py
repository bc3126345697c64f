"""LoRA adapters: checked before loading (models/adapter.py), applied by llama.cpp (LocalEngine).

The adapters are written by tests/lora_data.py for the real SmolLM2 and the tiny gpt-oss.
llama.cpp computes ``W x + scale * alpha / rank * B (A x)`` for every adapted weight; on the
output head (the tiny gpt-oss has an ``output.weight``) the logits are then exactly linear in
the scale, and the change is that formula applied to the final hidden state.
"""

import math

import numpy as np
import pytest

from copilot.core.engine import ChatRequest, EngineError, LocalEngine, ModelConfig, Sampling
from copilot.core.events import Finished
from copilot.core.models.adapter import AdapterError, check_adapter
from copilot.core.models.gguf_header import ModelFileError
from tests.lora_data import write_lora

PROMPT = "The meeting moved to Friday, so"
GREEDY = Sampling(temperature=0.0, top_p=1.0, top_k=1, min_p=0.0, repeat_penalty=1.0)
SMOL_TARGETS = ("blk.0.attn_q.weight", "blk.29.ffn_down.weight")


def last_logits(engine: LocalEngine, text: str = PROMPT) -> np.ndarray:
    """Logits of the last prompt token, evaluated from an empty context."""
    import llama_cpp

    llm = engine._llm
    tokens = llm.tokenize(text.encode(), add_bos=False)
    llm.reset()
    llm._ctx.kv_cache_seq_rm(-1, -1, -1)
    llm.eval(tokens)
    ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    return np.ctypeslib.as_array(ptr, shape=(llm.n_vocab(),)).copy()


def config(path, lora=None, scale=1.0, n_ctx=512):
    return ModelConfig(path, n_ctx=n_ctx, n_threads=2, seed=7, lora_path=lora, lora_scale=scale)


@pytest.fixture(scope="module")
def engine():
    e = LocalEngine()
    yield e
    e.close()


@pytest.fixture(scope="module")
def lora_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("lora")


@pytest.fixture(scope="module")
def gpt_oss_head(tiny_gpt_oss, lora_dir):
    return write_lora(lora_dir / "gpt-oss-head.gguf", tiny_gpt_oss, ["output.weight"], rank=2, alpha=4.0, seed=1)


@pytest.fixture(scope="module")
def smol_lora(smol_path, lora_dir):
    return write_lora(lora_dir / "smol.gguf", smol_path, SMOL_TARGETS, rank=4, alpha=8.0, seed=2)


# -- the math ----------------------------------------------------------------------------------
def test_gpt_oss_head_adapter_is_linear_in_the_scale_and_adds_scale_alpha_over_rank_b_a_h(
        engine, tiny_gpt_oss, gpt_oss_head):
    from gguf import GGUFReader

    engine.load(config(tiny_gpt_oss))
    bare = last_logits(engine)
    info = engine.load(config(tiny_gpt_oss, gpt_oss_head.path, 1.0))
    assert (info.adapter, info.adapter_scale) == (gpt_oss_head.path.name, 1.0)
    assert engine.adapter.targets == ("output.weight",) and engine.adapter.rank == 2
    one = last_logits(engine)
    engine.set_lora_scale(2.0)
    two = last_logits(engine)
    engine.set_lora_scale(0.0)
    zero = last_logits(engine)
    engine.load(config(tiny_gpt_oss, gpt_oss_head.path, 2.0))  # a fresh load at 2 agrees with the change in place
    np.testing.assert_allclose(last_logits(engine), two, rtol=0, atol=1e-6)

    delta = one - bare
    assert np.abs(delta).max() > 1e-3  # the adapter does something
    np.testing.assert_array_equal(zero, bare)  # scale 0: llama.cpp drops the adapter
    np.testing.assert_allclose(two - bare, 2 * delta, rtol=0, atol=1e-5)

    # the final hidden state h from the bare logits (the head is float32 and full column rank), then
    # the change predicted by the formula: scale * alpha / rank * B (A h)
    head = next(t for t in GGUFReader(str(tiny_gpt_oss)).tensors if t.name == "output.weight")
    w = np.asarray(head.data, dtype=np.float64).reshape(int(head.shape[1]), int(head.shape[0]))
    h, *_ = np.linalg.lstsq(w, bare.astype(np.float64), rcond=None)
    assert np.abs(w @ h - bare).max() < 1e-4
    a, b = gpt_oss_head.pairs["output.weight"]
    predicted = gpt_oss_head.factor(1.0) * (b.astype(np.float64) @ (a.astype(np.float64) @ h))
    assert gpt_oss_head.factor(1.0) == 2.0
    np.testing.assert_allclose(delta, predicted, rtol=0, atol=1e-4 * np.abs(predicted).max() + 1e-5)


def test_smollm2_adapter_enters_as_scale_times_alpha_over_rank(engine, smol_path, smol_lora, lora_dir):
    """SmolLM2 shares its embedding with its head, so no adapter sits on the head alone; on inner
    weights the logits are not linear in the scale (nor smooth: Q4_1 weights multiply activations
    rounded to 8 bits), but the factor scale * alpha / rank is exact: alpha 8 at rank 4 with B equals
    alpha 4 with 2 B, scale -1 equals -B (powers of two and signs: the same floats), and scale 0
    equals no adapter."""
    twice_b = _write_pairs(lora_dir / "smol-2b.gguf", "llama", 4.0,
                           {name: (a, 2 * b) for name, (a, b) in smol_lora.pairs.items()})
    minus_b = _write_pairs(lora_dir / "smol-minus-b.gguf", "llama", 8.0,
                           {name: (a, -b) for name, (a, b) in smol_lora.pairs.items()})
    zero_b = write_lora(lora_dir / "smol-zero.gguf", smol_path, SMOL_TARGETS, rank=3, zero_b=True)
    engine.load(config(smol_path))
    bare = last_logits(engine)
    engine.load(config(smol_path, zero_b.path, 1.5))
    np.testing.assert_array_equal(last_logits(engine), bare)  # B = 0: the same logits
    engine.load(config(smol_path, smol_lora.path, 1.0))
    one = last_logits(engine)
    engine.set_lora_scale(0.0)
    np.testing.assert_array_equal(last_logits(engine), bare)
    engine.set_lora_scale(-1.0)
    minus = last_logits(engine)
    engine.load(config(smol_path, twice_b, 1.0))
    np.testing.assert_allclose(last_logits(engine), one, rtol=0, atol=1e-5)
    engine.load(config(smol_path, minus_b, 1.0))
    np.testing.assert_allclose(last_logits(engine), minus, rtol=0, atol=1e-5)
    assert np.abs(one - bare).max() > 1e-2 and np.abs(minus - bare).max() > 1e-2
    assert np.abs(one - minus).max() > 1e-2


def _write_pairs(path, arch: str, alpha: float | None, pairs: dict) -> object:
    """An adapter file holding exactly these (A, B) pairs."""
    import gguf

    w = gguf.GGUFWriter(str(path), arch)
    w.add_type("adapter")
    w.add_string(gguf.Keys.Adapter.TYPE, "lora")
    if alpha is not None:
        w.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    for name, (a, b) in pairs.items():
        w.add_tensor(f"{name}.lora_a", np.asarray(a, np.float32))
        w.add_tensor(f"{name}.lora_b", np.asarray(b, np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def test_zero_b_gives_the_same_logits_as_no_adapter(engine, tiny_gpt_oss, lora_dir):
    """(SmolLM2's case is in the test above, which has its bare logits already.)"""
    lora = write_lora(lora_dir / "gpt-oss-zero.gguf", tiny_gpt_oss, ["output.weight", "blk.*.attn_q.weight"],
                      rank=3, zero_b=True)
    engine.load(config(tiny_gpt_oss))
    bare = last_logits(engine)
    engine.load(config(tiny_gpt_oss, lora.path, 1.5))
    np.testing.assert_array_equal(last_logits(engine), bare)


def test_a_kept_prompt_state_is_never_reused_across_adapters_or_scales(engine, tiny_gpt_oss, gpt_oss_head):
    chat = [{"role": "user", "content": "Summarize the meeting in one line."}]
    request = ChatRequest(chat, max_tokens=2, sampling=GREEDY, reasoning_effort="low")

    def cached():
        (done,) = [e for e in engine.stream(request) if isinstance(e, Finished)]
        return done.stats.cached_tokens

    engine.load(config(tiny_gpt_oss, n_ctx=2048))  # byte-level tokens: the harmony prompt is long
    list(engine.prepare([chat], "low", keep=True))
    assert engine.snapshot_bytes > 0 and cached() > 0
    engine.load(config(tiny_gpt_oss, gpt_oss_head.path, 1.0, n_ctx=2048))  # the bare model's state goes with it
    assert engine.snapshot_bytes == 0 and cached() == 0
    list(engine.prepare([chat], "low", keep=True))
    assert engine.snapshot_bytes > 0 and cached() > 0
    engine.set_lora_scale(0.5)
    assert engine.snapshot_bytes == 0 and cached() == 0
    assert engine.info.adapter_scale == 0.5


# -- what the check reports ------------------------------------------------------------------
def test_check_reports_rank_alpha_targets_and_size(smol_path, smol_lora, tiny_gpt_oss, lora_dir):
    info = check_adapter(smol_lora.path, smol_path)
    assert (info.architecture, info.rank, info.ranks, info.alpha) == ("llama", 4, (4,), 8.0)
    assert info.targets == tuple(sorted(SMOL_TARGETS)) and info.tensor_count == 4
    assert info.nbytes == sum(a.nbytes + b.nbytes for a, b in smol_lora.pairs.values())
    assert info.file_size == smol_lora.path.stat().st_size and info.factor(0.5) == 1.0
    plain = write_lora(lora_dir / "no-alpha.gguf", tiny_gpt_oss, ["blk.*.attn_k.weight"], rank=3, alpha=None)
    info = check_adapter(plain.path, tiny_gpt_oss)
    assert info.alpha is None and info.factor(0.5) == 0.5 and len(info.targets) == 2
    normed = write_lora(lora_dir / "norm.gguf", tiny_gpt_oss, ["output.weight"],
                        extra_tensors={"blk.0.attn_norm.weight": np.ones(64, np.float32)})
    assert check_adapter(normed.path, tiny_gpt_oss).ignored == ("blk.0.attn_norm.weight",)


# -- bad input ---------------------------------------------------------------------------------
def _bad_adapters(tmp, smol_path, tiny_gpt_oss, smol_lora):
    """(adapter file, what the message must say) for the tiny gpt-oss."""
    good = write_lora(tmp / "good.gguf", tiny_gpt_oss, ["output.weight", "blk.*.attn_v.weight"], seed=3).path
    data = good.read_bytes()
    cases = [
        (smol_path, "it is a model, not an adapter"),
        (tiny_gpt_oss, "it is a model, not an adapter"),
        (smol_lora.path, "it is an adapter for llama, but the model is gpt-oss"),
        (write_lora(tmp / "in.gguf", tiny_gpt_oss, ["blk.0.attn_q.weight"], break_shape="in").path,
         "blk.0.attn_q.weight takes 64 inputs to 64 outputs, the adapter's pair 65 to 64"),
        (write_lora(tmp / "out.gguf", tiny_gpt_oss, ["output.weight"], break_shape="out").path,
         "the adapter's pair 64 to"),
        (write_lora(tmp / "rank.gguf", tiny_gpt_oss, ["output.weight"], break_shape="rank").path,
         "lora_a has rank 2 and its lora_b 3"),
        (write_lora(tmp / "other-size.gguf", tiny_gpt_oss, ["output.weight"], extra_tensors={
            "blk.5.attn_q.weight.lora_a": np.zeros((2, 64), np.float32),
            "blk.5.attn_q.weight.lora_b": np.zeros((64, 2), np.float32)}).path,
         "the model has no tensor blk.5.attn_q.weight"),
        (write_lora(tmp / "half.gguf", tiny_gpt_oss, ["output.weight"], extra_tensors={
            "blk.0.attn_k.weight.lora_a": np.zeros((2, 64), np.float32)}).path, "has a lora_a but no lora_b"),
        (write_lora(tmp / "odd.gguf", tiny_gpt_oss, ["output.weight"], extra_tensors={
            "blk.0.attn_k.weight": np.zeros((32, 64), np.float32)}).path, "is neither a lora_a nor a lora_b"),
        (write_lora(tmp / "cvec.gguf", tiny_gpt_oss, ["output.weight"], adapter_type="control_vector").path,
         "not a LoRA adapter"),
        (write_lora(tmp / "untyped.gguf", tiny_gpt_oss, ["output.weight"], general_type=None).path,
         "it has no general.type, not 'adapter'"),
        (_write(tmp / "truncated.gguf", data[:-100]), "the file is truncated"),
        (_write(tmp / "header-cut.gguf", data[:40]), "truncated"),
        (_write(tmp / "empty.gguf", b""), "the file is empty"),
        (_write(tmp / "adapter.safetensors", b'{"__metadata__": {}}' * 4), "it is not a GGUF file"),
        (_alpha_f64(tmp / "alpha64.gguf", tiny_gpt_oss), "adapter.lora.alpha is stored as float64, not float32"),
        (tmp / "missing.gguf", "No adapter file at"),
        (tmp, "is a folder, not an adapter file"),
    ]
    return cases


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def _alpha_f64(path, base):
    import gguf
    from tests.lora_data import base_shapes

    n_vocab = base_shapes(base)[1]["output.weight"][1]
    w = gguf.GGUFWriter(str(path), "gpt-oss")
    w.add_type("adapter")
    w.add_string(gguf.Keys.Adapter.TYPE, "lora")
    w.add_float64(gguf.Keys.Adapter.LORA_ALPHA, 4.0)
    w.add_tensor("output.weight.lora_a", np.zeros((2, 64), np.float32))
    w.add_tensor("output.weight.lora_b", np.zeros((n_vocab, 2), np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def test_bad_adapters_get_clear_messages_and_the_loaded_model_stays(engine, tiny_gpt_oss, smol_path, smol_lora,
                                                                    tmp_path):
    engine.load(config(tiny_gpt_oss))
    before = engine.info
    for path, expected in _bad_adapters(tmp_path, smol_path, tiny_gpt_oss, smol_lora):
        with pytest.raises(AdapterError) as raised:
            check_adapter(path, tiny_gpt_oss)
        assert expected in str(raised.value), (path.name, str(raised.value))
        with pytest.raises(ModelFileError, match="adapter"):
            engine.load(config(tiny_gpt_oss, path))
        assert engine.info is before and engine.adapter is None  # nothing loaded, nothing unloaded
    with pytest.raises(EngineError, match="not a number"):
        engine.load(config(tiny_gpt_oss, write_lora(tmp_path / "ok.gguf", tiny_gpt_oss).path, math.nan))
    with pytest.raises(EngineError, match="No adapter is loaded"):
        engine.set_lora_scale(1.0)
    request = ChatRequest([{"role": "user", "content": "Hi"}], max_tokens=2, sampling=GREEDY, reasoning_effort="low")
    assert isinstance(list(engine.stream(request))[-1], Finished)  # still usable


def test_an_adapter_on_the_shared_embedding_is_refused_before_llama_cpp_aborts(engine, smol_path, lora_dir):
    """SmolLM2 has no output.weight: its head is token_embd.weight, and llama.cpp would apply an
    embedding adapter to the head too, where the shapes cannot multiply: GGML_ASSERT, the process dies."""
    # GGUF dimensions: A [rank, n_vocab], B [rank, n_embd] (numpy shapes reversed)
    path = _write_pairs(lora_dir / "smol-embd.gguf", "llama", None, {
        "token_embd.weight": (np.zeros((49152, 2), np.float32), np.zeros((576, 2), np.float32))})
    with pytest.raises(AdapterError, match="also uses as its output head"):
        engine.load(config(smol_path, path))


def test_llama_cpp_itself_would_take_the_same_files(tiny_gpt_oss, gpt_oss_head, smol_lora):
    """The format written and checked here is the one llama.cpp reads: its own loader accepts the
    good adapter and refuses the one for the other architecture (a NULL, no abort)."""
    import llama_cpp

    llm = llama_cpp.Llama(model_path=str(tiny_gpt_oss), n_ctx=64, n_threads=1, verbose=False)
    try:
        good = llama_cpp.llama_adapter_lora_init(llm._model.model, str(gpt_oss_head.path).encode())
        assert good
        llama_cpp.llama_adapter_lora_free(good)
        assert not llama_cpp.llama_adapter_lora_init(llm._model.model, str(smol_lora.path).encode())
    finally:
        llm.close()
