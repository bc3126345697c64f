"""Prompt starts evaluated ahead of time (LocalEngine.prepare) and kept as snapshots.

Real llama.cpp on both small models: SmolLM2 (a plain KV cache) and the tiny gpt-oss
(sliding-window layers beside full ones, as in gpt-oss-20b), with and without the full-size
SWA cache. The reused state must give the same logits as evaluating the prompt from nothing.
"""

import ctypes

import numpy as np
import pytest

from copilot.core import jobs
from copilot.core.engine import ChatRequest, LocalEngine, ModelConfig, Sampling
from copilot.core.events import Finished, Prepared
from copilot.core.tasks.email import email_reply_prompt
from copilot.core.tasks.writing import shared_start, writing_prompt

GREEDY = Sampling(temperature=0.0, top_p=1.0, top_k=1, min_p=0.0, repeat_penalty=1.0)
TEXT = "Ths is my frist draft of the anouncement. The offise will be closed on friday for maintenence."
OTHER = "Plese send me the budjet before thursday, and copy Marta in the emial."


def drain(gen):
    """Run a generator to its end: (events, return value)."""
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return events, stop.value


def common(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def last_logits(engine):
    import llama_cpp

    llm = engine._llm
    ptr = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    return np.ctypeslib.as_array(ctypes.cast(ptr, ctypes.POINTER(ctypes.c_float)), shape=(llm.n_vocab(),)).copy()


def prefill(engine, messages, effort):
    """Bring the context to the prompt of ``messages``; (tokens reused, logits of the last token)."""
    prompt = engine.tokenize_chat(messages, effort)
    _, reused = drain(engine._prefill(engine._llm, prompt))
    return reused, last_logits(engine)


def cold_logits(engine, messages, effort):
    engine._llm.reset()
    saved, engine._snapshots = engine._snapshots, []
    try:
        reused, logits = prefill(engine, messages, effort)
    finally:
        engine._snapshots = saved
    assert reused == 0
    return logits


# Flash attention off except for the memory-saving choice (flash attention + q8_0 KV): with an
# f16 cache (the app's default since the q8_0 loss measured on gpt-oss-20b, fit.auto_cache_type), llama.cpp's CPU flash attention gives batch-size-dependent results (SmolLM2: a
# 190-token prompt read in two parts differs from one read at once by up to 0.88 in a logit, with
# no cache reuse at all), which would hide what these tests check: that reuse changes nothing.
@pytest.fixture(params=["smollm2", "gpt-oss-swa-full", "gpt-oss-swa-window", "gpt-oss-q8_0"])
def engine(request, smol_path, tiny_gpt_oss, tiny_gpt_oss_32):
    engine = LocalEngine()
    if request.param == "smollm2":
        engine.load(ModelConfig(smol_path, n_ctx=2048, seed=3, flash_attn=False))
    elif request.param == "gpt-oss-q8_0":
        engine.load(ModelConfig(tiny_gpt_oss_32, n_ctx=2048, seed=3, kv_type="q8_0"))
        assert engine.info.kv_type == "q8_0" and engine.info.flash_attn
    else:
        engine.load(ModelConfig(tiny_gpt_oss, n_ctx=2048, seed=3, swa_full=request.param.endswith("full"),
                                flash_attn=False))
    yield engine
    engine.close()


def test_prepare_evaluates_exactly_what_the_chats_share(engine):
    chats = shared_start("low", TEXT)
    a, b = (engine.tokenize_chat(c, "low") for c in chats)
    shared = common(a, b)
    assert shared > engine.count_text(TEXT)  # the instructions and the selection
    _, ready = drain(engine.prepare(chats, "low"))
    assert ready == shared
    assert list(engine._llm._input_ids) == a[:shared]
    # the action the user then picks reads only its own task line
    end = [e for e in engine.stream(ChatRequest(chats[1], "low", max_tokens=1, sampling=GREEDY))
           if isinstance(e, Finished)][0]
    if engine.info.harmony and not engine._llm._ctx.kv_cache_seq_rm(0, shared, -1):
        pytest.skip("this cache type cannot drop a suffix")  # never the case with these models
    assert end.stats.cached_tokens >= shared - 2  # the fence's last token may merge with what follows


def test_kept_prefix_survives_other_prompts_and_gives_the_same_logits(engine):
    effort = "low"
    _, ready = drain(engine.prepare(shared_start(effort), effort, keep=True))
    assert ready > 20 and len(engine._snapshots) == 1 and engine.snapshot_bytes > 0
    email = email_reply_prompt("Hi Ana, can we move the call to Friday at 10?", points="yes")
    drain(engine._prefill(engine._llm, engine.tokenize_chat(email.messages, email.reasoning_effort)))
    assert common(engine._llm._input_ids, engine.tokenize_chat(shared_start(effort)[0], effort)) < ready

    proofread = writing_prompt("proofread", OTHER, effort=effort).messages
    reused, logits = prefill(engine, proofread, effort)
    if not engine._llm._ctx.kv_cache_seq_rm(0, reused, -1) and reused == 0:
        pytest.skip("this cache type cannot drop a suffix")
    assert reused == ready or (engine.info.harmony and reused == 0)
    expected = cold_logits(engine, proofread, effort)
    np.testing.assert_allclose(logits, expected, rtol=1e-3, atol=1e-3)


def test_snapshots_are_bounded_and_dropped_on_close(smol_path, monkeypatch):
    from copilot.core import engine as engine_module

    monkeypatch.setattr(engine_module, "MAX_SNAPSHOTS", 2)
    engine = LocalEngine()
    engine.load(ModelConfig(smol_path, n_ctx=2048, seed=3))
    try:
        for text in ("one", "two", "three"):
            drain(engine.prepare([writing_prompt("proofread", text).messages], "low", keep=True))
        assert len(engine._snapshots) == 2
        newest = engine.tokenize_chat(writing_prompt("proofread", "three").messages, "low")
        assert list(engine._snapshots[0].tokens) == newest[:len(engine._snapshots[0].tokens)]
    finally:
        engine.close()
    assert engine._snapshots == [] and engine.snapshot_bytes == 0


def test_prepare_is_cancellable_and_keeps_nothing_half_done(smol_path):
    engine = LocalEngine()
    engine.load(ModelConfig(smol_path, n_ctx=4096, n_batch=64, seed=3))
    try:
        long_text = "Notes from the quarterly planning meeting. " * 200
        gen = engine.prepare(shared_start("low", long_text), "low", keep=True)
        next(gen)  # the first batch is in
        engine.cancel()
        events, ready = drain(gen)
        assert ready == -1 and engine._snapshots == []
    finally:
        engine.close()


@pytest.mark.parametrize("which", ["smol_engine", "gpt_oss_engine"])
def test_warm_writing_job_keeps_every_effort_and_the_first_press_reuses_it(which, request):
    smol_engine = request.getfixturevalue(which)
    smol_engine._llm.reset()
    smol_engine._snapshots.clear()
    request.addfinalizer(smol_engine._snapshots.clear)  # a session fixture: leave it as found
    events = list(jobs.warm_writing(smol_engine))
    assert isinstance(events[-1], Prepared) and events[-1].tokens > 0
    # gpt-oss: low (the hotkey's) and medium (summaries, tables) differ in the system block's
    # "Reasoning:" line; ChatML ignores the effort, so both are one prefix there
    assert len(smol_engine._snapshots) == (2 if smol_engine.info.harmony else 1)
    for action in ("proofread", "summarize"):
        prompt = writing_prompt(action, TEXT)
        start = smol_engine.tokenize_chat(shared_start(prompt.reasoning_effort)[0], prompt.reasoning_effort)
        end = [e for e in smol_engine.stream(ChatRequest(prompt.messages, prompt.reasoning_effort, max_tokens=1))
               if isinstance(e, Finished)][0]
        assert end.stats.cached_tokens >= common(start, smol_engine.tokenize_chat(
            shared_start(prompt.reasoning_effort)[1], prompt.reasoning_effort)) - 1


def test_window_only_cache_is_not_reused_once_the_prefix_slid_out(tiny_gpt_oss):
    """swa_full=False keeps 128 positions on the sliding-window layers: going back to a prefix
    whose window was dropped must read the prompt again, not attend to a hole."""
    engine = LocalEngine()
    engine.load(ModelConfig(tiny_gpt_oss, n_ctx=2048, seed=3, swa_full=False))
    try:
        base = [{"role": "system", "content": "Notes. " + "The plan stays as it is. " * 20}]
        long_chat = base + [{"role": "user", "content": "Alpha beta gamma. " * 25}]
        short_chat = base + [{"role": "user", "content": "Something else."}]
        drain(engine._prefill(engine._llm, engine.tokenize_chat(long_chat, "low")))
        shared = common(engine._llm._input_ids, engine.tokenize_chat(short_chat, "low"))
        assert len(engine._llm._input_ids) - shared > 300  # far past the 128-token window
        reused, logits = prefill(engine, short_chat, "low")
        assert reused == 0
        np.testing.assert_allclose(logits, cold_logits(engine, short_chat, "low"), rtol=1e-4, atol=1e-4)
        # close to the end, the window is still there: reused
        drain(engine._prefill(engine._llm, engine.tokenize_chat(long_chat, "low")))
        nearly = base + [{"role": "user", "content": "Alpha beta gamma. " * 24 + "Delta."}]
        reused, logits = prefill(engine, nearly, "low")
        assert reused > 0
        np.testing.assert_allclose(logits, cold_logits(engine, nearly, "low"), rtol=1e-3, atol=1e-3)
    finally:
        engine.close()
