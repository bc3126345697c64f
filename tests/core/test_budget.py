import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copilot.core import budget, jobs
from copilot.core.budget import Budget, pack, plan_summary, reserve_for
from copilot.core.engine import LocalEngine, ModelConfig
from copilot.core.events import Answer, Cited, Finished, Progress


def words(text: str) -> int:
    return len(text.split())


def test_budget_fits_and_message():
    b = Budget(n_ctx=8192, prompt_tokens=7000, reserve=3072)
    assert not b.fits and b.needed == 10072
    assert "7,000 tokens of input + 3,072 for the answer of a 8,192-token context" in b.too_long_message()
    assert "about 1,880 tokens" in b.too_long_message()
    assert Budget(8192, 5000, 3072).fits


def test_reserve_never_exceeds_half_the_context():
    assert reserve_for("high", 4096) == 2048
    assert reserve_for("low", 131072) == budget.ANSWER_RESERVE["low"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab c.", min_size=1, max_size=80), min_size=1, max_size=30),
       st.integers(3, 40))
def test_pack_keeps_every_word_in_order_within_the_limit(units, limit):
    chunks = pack(units, words, limit)
    assert all(words(c) <= limit for c in chunks)
    assert " ".join(chunks).split() == " ".join(units).split()


def test_plan_direct_when_it_fits():
    plan = plan_summary(["a b c"] * 10, words, n_ctx=4096, overhead=100, effort="high")
    assert plan.direct and "one pass" in plan.describe()


def test_plan_chunks_when_it_does_not():
    lines = [f"Speaker {i % 3}: " + "word " * 50 for i in range(200)]
    plan = plan_summary(lines, words, n_ctx=4096, overhead=200, effort="high")
    assert not plan.direct
    assert all(words(c) <= plan.chunk_limit for c in plan.chunks)
    assert sum(words(c) for c in plan.chunks) == sum(words(l) for l in lines)
    assert f"{len(plan.chunks)} parts" in plan.describe()


def test_plan_refuses_a_context_too_small_to_split():
    with pytest.raises(ValueError, match="too small"):
        plan_summary(["w " * 5000], words, n_ctx=1200, overhead=100, effort="low")


def test_long_transcript_goes_through_map_reduce(smol_path, monkeypatch):
    monkeypatch.setattr(budget, "NOTES_MAX_TOKENS", 48)
    monkeypatch.setattr(jobs, "NOTES_MAX_TOKENS", 48)
    engine = LocalEngine()
    engine.load(ModelConfig(smol_path, n_ctx=1536, seed=3))
    try:
        names = ["Ana", "Luis", "Marta"]
        transcript = "\n".join(f"{names[i % 3]}: Item {i}: we reviewed the budget line {i} and agreed to keep it."
                               for i in range(90))
        events = list(jobs.summarize_job(engine, transcript, effort="low"))
    finally:
        engine.close()
    progress = [e for e in events if isinstance(e, Progress)]
    assert len(progress) >= 3  # at least two parts, then the minutes
    assert progress[0].label.startswith("Reading part 1 of")
    assert progress[-1].label == "Writing the minutes"
    assert isinstance(events[-2], Finished) and isinstance(events[-1], Cited)  # the minutes' citations, checked
    assert "".join(e.text for e in events if isinstance(e, Answer)).strip()
