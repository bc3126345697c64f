import time

import pytest

from copilot.core import jobs
from copilot.core.engine import ModelConfig
from copilot.core.events import Answer, Failed, Finished, PromptProgress
from copilot.core.tasks.writing import writing_prompt
from copilot.ui.runner import TaskRunner


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    r.shutdown()
    assert not r._thread.isRunning()


@pytest.fixture
def loaded(qtbot, runner, smol_path):
    with qtbot.waitSignal(runner.sig_loaded, timeout=60_000):
        runner.load(ModelConfig(smol_path, n_ctx=4096, seed=5))
    return runner


def proofread(text, max_tokens=None):
    prompt = writing_prompt("proofread", text)
    prompt = type(prompt)(prompt.messages, prompt.reasoning_effort, max_tokens)
    return lambda engine: jobs.run_prompt(engine, prompt, source=text)


def collect(qtbot, runner):
    events = []
    runner.sig_event.connect(lambda rid, ev: events.append((rid, ev)))
    return events


def test_generation_streams_through_signals(qtbot, loaded):
    events = collect(qtbot, loaded)
    with qtbot.waitSignal(loaded.sig_finished, timeout=60_000) as done:
        rid = loaded.submit(proofread("Ths is a tset.", max_tokens=20))
    assert done.args == [rid]
    answers = [e for r, e in events if isinstance(e, Answer)]
    assert answers and all(r == rid for r, _ in events)
    assert isinstance(events[-1][1], Finished)


LONG = "Notes from the quarterly planning meeting. " * 250


def test_stop_cancels_within_100ms(qtbot, loaded):
    events = collect(qtbot, loaded)
    # cancel while the long prompt is read: no race with the model ending its answer
    with qtbot.waitSignal(loaded.sig_event, timeout=60_000,
                          check_params_cb=lambda rid, ev: isinstance(ev, PromptProgress)):
        loaded.submit(lambda engine: jobs.run_prompt(engine, writing_prompt("summarize", LONG)))
    t0 = time.perf_counter()
    with qtbot.waitSignal(loaded.sig_finished, timeout=5_000):
        loaded.cancel()
    assert time.perf_counter() - t0 < 0.1
    assert isinstance(events[-1][1], Finished) and events[-1][1].stats.stop_reason == "cancelled"


def test_second_request_cancels_the_first(qtbot, loaded):
    events = collect(qtbot, loaded)
    with qtbot.waitSignal(loaded.sig_event, timeout=60_000,
                          check_params_cb=lambda rid, ev: isinstance(ev, PromptProgress)):
        first = loaded.submit(lambda engine: jobs.run_prompt(engine, writing_prompt("summarize", LONG)))
    with qtbot.waitSignal(loaded.sig_finished, timeout=60_000,
                          check_params_cb=lambda rid: rid == first + 1):
        second = loaded.submit(proofread("Helo wrld.", max_tokens=10))
    seen_after = [r for r, _ in events if r != first]
    assert seen_after and set(seen_after) == {second}
    assert isinstance(events[-1][1], Finished) and events[-1][0] == second
    assert loaded.latest_id == second


def test_errors_arrive_as_events(qtbot, loaded):
    events = collect(qtbot, loaded)
    with qtbot.waitSignal(loaded.sig_finished, timeout=60_000):
        loaded.submit(proofread("palabra " * 5000))
    assert isinstance(events[-1][1], Failed) and "too long" in events[-1][1].message

    def broken(engine):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    with qtbot.waitSignal(loaded.sig_finished, timeout=10_000):
        loaded.submit(broken)
    assert isinstance(events[-1][1], Failed) and "boom" in events[-1][1].message


def test_missing_model_and_no_model(qtbot, runner, tmp_path):
    with qtbot.waitSignal(runner.sig_load_failed, timeout=10_000) as failed:
        runner.load(ModelConfig(tmp_path / "nope.gguf"))
    assert "No model file" in failed.args[0]
    events = collect(qtbot, runner)
    with qtbot.waitSignal(runner.sig_finished, timeout=10_000):
        runner.submit(proofread("text"))
    assert isinstance(events[-1][1], Failed) and "No model is loaded" in events[-1][1].message


# -- evaluating ahead (prefetch) -----------------------------------------------------------
def finished_stats(qtbot, runner, job):
    events = collect(qtbot, runner)
    with qtbot.waitSignal(runner.sig_finished, timeout=60_000):
        rid = runner.submit(job)
    ends = [e for r, e in events if r == rid and isinstance(e, Finished)]
    assert ends, events[-3:]
    return ends[0].stats


def test_warmup_runs_after_every_load_and_the_first_request_reuses_it(qtbot, runner, smol_path):
    runner.warmup = jobs.warm_writing
    with qtbot.waitSignal(runner.sig_prefetched, timeout=60_000,
                          check_params_cb=lambda pid, ready: ready > 0):
        runner.load(ModelConfig(smol_path, n_ctx=4096, seed=5))
    engine = runner._engine.local
    assert engine._snapshots
    from copilot.core.tasks.writing import shared_start
    a, b = (engine.tokenize_chat(c, "low") for c in shared_start("low"))
    prefix = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)
    stats = finished_stats(qtbot, runner, proofread("Ths is a tset of the warm start.", max_tokens=2))
    assert stats.cached_tokens >= prefix - 1
    # idle unload, then the next request loads the model again and the warm-up follows it
    runner.unload()
    assert runner.info is None
    with qtbot.waitSignal(runner.sig_prefetched, timeout=60_000, check_params_cb=lambda pid, ready: ready > 0):
        finished_stats(qtbot, runner, proofread("Another tset.", max_tokens=2))


def test_a_request_stops_a_plain_prefetch_but_waits_for_a_held_one(qtbot, loaded):
    text = "Notes from the quarterly planning meeting. " * 120  # long enough to be cut mid-way
    from copilot.core.tasks.writing import shared_start

    engine = loaded._engine.local
    a, b = (engine.tokenize_chat(chat, "low") for chat in shared_start("low", text))
    start = a[:next(i for i, (x, y) in enumerate(zip(a, b)) if x != y)]  # instructions + selection
    # plain: the request cancels it (its events are never shown)
    events = collect(qtbot, loaded)
    with qtbot.waitSignal(loaded.sig_prefetched, timeout=60_000) as ended:
        loaded.prefetch(lambda e: jobs.read_selection(e, text, "low"))
        qtbot.wait(50)
        loaded.submit(proofread("Short one.", max_tokens=2))
    assert ended.args[1] == -1
    qtbot.waitUntil(lambda: not loaded.busy, timeout=60_000)
    assert not any(isinstance(e, PromptProgress) and r == 0 for r, e in events)
    # held: the popup's own action waits for it and then reads only its task line
    loaded.prefetch(lambda e: jobs.read_selection(e, text, "low"), hold=True)
    stats = finished_stats(qtbot, loaded, proofread(text, max_tokens=2))
    assert stats.cached_tokens >= len(start) - 3
    assert loaded.last_prefetch[1] > 0


def test_cancel_prefetch_and_a_newer_prefetch_stop_the_older(qtbot, loaded):
    text = "Notes from the quarterly planning meeting. " * 120
    ends = []
    loaded.sig_prefetched.connect(lambda pid, ready: ends.append((pid, ready)))
    first = loaded.prefetch(lambda e: jobs.read_selection(e, text, "low"), hold=True)
    second = loaded.prefetch(lambda e: jobs.read_selection(e, "Other words entirely. " * 100, "low"), hold=True)
    qtbot.waitUntil(lambda: len(ends) == 2, timeout=60_000)
    assert dict(ends)[first] == -1 and dict(ends)[second] > 0
    third = loaded.prefetch(lambda e: jobs.read_selection(e, text + " more", "low"), hold=True)
    loaded.cancel_prefetch()
    qtbot.waitUntil(lambda: len(ends) == 3, timeout=60_000)
    assert dict(ends)[third] == -1
    assert not loaded.busy


def test_a_warmup_that_fails_is_not_retried(qtbot, runner, smol_path):
    calls = []

    def broken(engine):
        calls.append(1)
        raise ValueError("this template cannot render a system message")
        yield  # a generator, like every job

    runner.warmup = broken
    with qtbot.waitSignal(runner.sig_prefetched, timeout=60_000) as ended:
        runner.load(ModelConfig(smol_path, n_ctx=2048, seed=5))
    assert ended.args[1] == -2
    qtbot.wait(300)
    assert calls == [1]
    assert finished_stats(qtbot, runner, proofread("Stil works.", max_tokens=2)).generated_tokens > 0
    qtbot.wait(300)
    assert calls == [1]  # not after a request either
