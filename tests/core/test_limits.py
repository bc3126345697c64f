"""Generation limits: answer caps that follow the task, a reasoning budget apart from the answer,
loops stopped while streaming, no control tokens or fences in the answer. On real models: the
tiny gpt-oss set to write fixed harmony sequences (loops, reserved tokens, endless reasoning)
and SmolLM2."""

from __future__ import annotations

from dataclasses import replace

import pytest

from copilot.core import jobs, limits
from copilot.core.engine import ChatRequest, LocalEngine, ModelConfig
from copilot.core.events import Answer, Finished, Findings, Notice, Reasoning
from copilot.core.tasks import TaskPrompt, chat
from copilot.core.tasks.email import LENGTHS, email_reply_prompt
from copilot.core.tasks.writing import writing_prompt
from tiny_gpt_oss import write_tiny_gpt_oss

USER = [{"role": "user", "content": "hola"}]
THREAD = ("From: Lucía <lucia@example.es>\nSubject: Reunión\nDate: Mon, 23 Nov 2026 10:00:00 +0100\n\n"
          "Hola Marta, ¿podemos vernos el jueves 26 a las 11:00 para revisar el presupuesto?\nGracias, Lucía")


# -- budgets --------------------------------------------------------------------------------------
def test_email_budget_follows_the_length_setting():
    caps = [email_reply_prompt(THREAD, length=length).max_tokens for length in ("short", "medium", "long")]
    assert caps == sorted(caps) and len(set(caps)) == 3
    for length, cap in zip(("short", "medium", "long"), caps):
        assert LENGTHS[length] * 1.5 < cap < LENGTHS[length] * 4  # room for the words, not for an essay


def test_writing_budgets_follow_the_text():
    short, long_ = "Thanks for the notes.", "We reviewed the plan and agreed on the next steps. " * 40
    assert writing_prompt("proofread", long_).max_tokens > limits.estimate_tokens(long_)
    assert writing_prompt("proofread", long_).max_tokens < 2 * limits.estimate_tokens(long_) + 100
    assert writing_prompt("summarize", long_).max_tokens < writing_prompt("proofread", long_).max_tokens
    assert writing_prompt("summarize", short).max_tokens >= 160  # a paragraph, even for a line
    assert writing_prompt("continue", short).max_tokens == limits.CONTINUE_TOKENS
    assert writing_prompt("proofread", "x" * 100_000).max_tokens == limits.MAX_ANSWER_TOKENS


def test_minutes_budget_grows_with_the_transcript_and_is_bounded():
    sizes = [limits.minutes_answer_tokens("word " * n) for n in (10, 2_000, 20_000, 500_000)]
    assert sizes == sorted(sizes)
    assert sizes[0] == limits.MINUTES_MIN_TOKENS and sizes[-1] == limits.MINUTES_MAX_TOKENS


def test_reasoning_budget_by_effort():
    assert limits.reasoning_tokens("low") < limits.reasoning_tokens("medium") < limits.reasoning_tokens("high")


# -- the loop guard, on text ----------------------------------------------------------------------
def feed_all(guard: limits.RepetitionGuard, text: str, chunk: int = 3):
    for i in range(0, len(text), chunk):
        verdict = guard.feed(text[i:i + chunk])
        if verdict is not None:
            return verdict, i
    return None, len(text)


@pytest.mark.parametrize("loop", [
    "very " * 200,
    "We will send the invoice on Monday and confirm the order. " * 30,
    "HolaHolaHola" * 100,
    "| a | b |\n| 1 | 2 |\n" * 60,
    "- Marta: revisar el presupuesto (due: viernes)\n" * 40,
    "这是一个测试句子" * 100,  # no spaces at all
])
def test_loops_are_stopped(loop):
    verdict, at = feed_all(limits.RepetitionGuard(), loop)
    assert verdict is not None and verdict.kind == "repeat"
    assert at < len(loop) * 0.75  # well before the end


FAITHFUL = [
    # a long, varied text: no loop
    " ".join(f"Paragraph {i} says something new about topic {i * 7 % 13} and its owner number {i}." for i in range(80)),
    # a table whose rule and cells repeat
    "| Name | Task | Due |\n| --- | --- | --- |\n" + "".join(f"| P{i} | task {i} | day {i} |\n" for i in range(60)),
    # minutes with many "None." sections and repeated headings
    "## Summary\nWe met.\n\n## Decisions\nNone.\n\n## Action items\nNone.\n\n## Open questions\nNone.\n",
    "".join(f"- **Unassigned**: check item {i} [{i}]\n" for i in range(50)),
    "-" * 600,  # a rule
    "Dear Ana,\n\nThank you. Thank you. Thank you for everything.\n\nBest,\nMarta",
]


@pytest.mark.parametrize("text", FAITHFUL)
def test_ordinary_text_is_not_a_loop(text):
    assert feed_all(limits.RepetitionGuard(), text)[0] is None


def test_echo_of_the_source_is_stopped_only_when_asked():
    email = " ".join(f"line {i} of the quoted email about budget item {i * 3}" for i in range(60))
    verdict, _ = feed_all(limits.RepetitionGuard(echo_of=email), "Hola Lucía,\n\n" + email)
    assert verdict is not None and verdict.kind == "echo"
    assert feed_all(limits.RepetitionGuard(), "Hola Lucía,\n\n" + email)[0] is None  # a proofread may look so
    # quoting a sentence of it is fine
    quote = "Hola, about 'line 3 of the quoted email about budget item 9': yes, we agree."
    assert feed_all(limits.RepetitionGuard(echo_of=email), quote)[0] is None


@pytest.mark.parametrize("chunk", [1, 2, 5, 50])
def test_fences_never_reach_the_answer(chunk):
    text = "<<<\nHola Lucía,\n\nSí, el jueves me viene bien.\n>>>\nSaludos >>> <<<"
    f = limits.DelimiterFilter()
    out = "".join(f.feed(text[i:i + chunk]) for i in range(0, len(text), chunk)) + f.close()
    assert "<<<" not in out and ">>>" not in out
    assert out.startswith("Hola Lucía,\n\nSí, el jueves me viene bien.") and "Saludos" in out
    # a lone ">" or "<" is text
    f = limits.DelimiterFilter()
    assert "".join(f.feed(c) for c in "a > b <- c") + f.close() == "a > b <- c"
    # the user's own text with fences keeps them
    assert limits.DelimiterFilter("cat <<< EOF").feed("cat <<< EOF") == "cat <<< EOF"


# -- on the tiny gpt-oss ----------------------------------------------------------------------------
def scripted(tmp_path, name, script, **kw) -> LocalEngine:
    engine = LocalEngine()
    engine.load(ModelConfig(write_tiny_gpt_oss(tmp_path / f"{name}.gguf", script=script, **kw), n_ctx=4096))
    return engine


def answer_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, Answer))


def test_reserved_tokens_never_reach_the_answer(tmp_path, caplog):
    script = ("<|channel|>", "final", "<|message|>", "Hola", "<|reserved_286|>", "Ġmundo", "<|reserved_7|>",
              "<|return|>")
    engine = scripted(tmp_path, "reserved", script, controls=("<|reserved_286|>", "<|reserved_7|>"))
    try:
        caplog.set_level("INFO", logger="copilot.engine")
        events = list(engine.stream(ChatRequest(USER, "low", max_tokens=50)))
    finally:
        engine.close()
    assert answer_of(events) == "Hola mundo"
    end = events[-1]
    assert end.stats.dropped_tokens == 2 and end.stats.stop_reason == "stop"
    logged = [r.getMessage() for r in caplog.records if r.name == "copilot.engine"]
    assert any("dropped 2 control tokens" in m for m in logged) and not any("Hola" in m for m in logged)


def test_reasoning_budget_moves_the_model_on_to_its_answer(tmp_path):
    """Endless thinking: after the reasoning budget the engine closes the analysis and opens the
    final message, so the answer still gets its own budget."""
    engine = scripted(tmp_path, "think", ("<|channel|>", "analysis", "<|message|>", "Ġhmm"))
    try:
        events = list(engine.stream(ChatRequest(USER, "high", max_tokens=12, max_reasoning_tokens=20)))
    finally:
        engine.close()
    reasoning = "".join(e.text for e in events if isinstance(e, Reasoning))
    assert reasoning == " hmm" * 20
    assert answer_of(events).strip().startswith("hmm")  # the model's own words, now as its answer
    stats = events[-1].stats
    assert stats.reasoning_tokens == 20 and stats.stop_reason == "length"
    assert stats.generated_tokens == 3 + 20 + 12 - 3  # header + reasoning + answer (its header counted in it)


def test_without_a_reasoning_budget_thinking_runs_to_the_answer_cap_only(tmp_path):
    engine = scripted(tmp_path, "think2", ("<|channel|>", "analysis", "<|message|>", "Ġhmm"))
    try:
        events = list(engine.stream(ChatRequest(USER, "high", max_tokens=12)))
    finally:
        engine.close()
    # no cap on reasoning: it runs until the context ends, never reaching an answer
    assert not answer_of(events) and events[-1].stats.stop_reason == "length"
    assert events[-1].stats.generated_tokens + events[-1].stats.prompt_tokens == 4096


def test_a_looping_answer_is_stopped_with_a_notice_and_the_text_kept(tmp_path):
    engine = scripted(tmp_path, "loop", ("<|channel|>", "final", "<|message|>", "ĠSi", "Ġclaro", "ĠSi"))
    prompt = writing_prompt("continue", "Una historia:")
    try:
        events = list(jobs.run_prompt(engine, replace(prompt, max_tokens=1000), source="Una historia:"))
    finally:
        engine.close()
    notices = [e for e in events if isinstance(e, Notice)]
    assert [n.message for n in notices] == [limits.REPETITION_MESSAGE]
    end = [e for e in events if isinstance(e, Finished)][-1]
    assert end.stats.stop_reason == "repetition"
    assert end.stats.generated_tokens < 200  # stopped within a few dozen words, not at the 1,000 cap
    assert answer_of(events).startswith(" Si claro Si claro")


def test_a_reply_that_copies_the_email_back_is_stopped(tmp_path):
    words = ["Ġla", "Ġreunión", "Ġdel", "Ġjueves", "Ġpara", "Ġrevisar", "Ġel", "Ġpresupuesto", "Ġanual",
             "Ġcon", "Ġtodo", "Ġequipo", "Ġde", "Ġventas", "Ġy", "Ġmarketing"]
    email = " ".join(w[1:] for w in words)
    # the model writes the email's words once, then stops: an echo, not a loop
    script = ("<|channel|>", "final", "<|message|>", *words, "<|return|>")
    engine = scripted(tmp_path, "echo", script)
    try:
        prompt = TaskPrompt(chat("Reply.", email), "low", 500)
        long_email = (email + " ") * 1
        events = list(jobs.run_prompt(engine, prompt, source="", echo_of=long_email))
    finally:
        engine.close()
    # 16 words is far below ECHO_RUN: a short quote is not an echo
    assert [e for e in events if isinstance(e, Finished)][-1].stats.stop_reason == "stop"


def test_answer_cap_cuts_and_continue_picks_up(tmp_path):
    engine = scripted(tmp_path, "count", ("<|channel|>", "final", "<|message|>", *[f"Ġw{i}" for i in range(40)],
                                          "<|return|>"))
    prompt = TaskPrompt(chat("Write.", "Go"), "low", 10)
    try:
        first = list(jobs.run_prompt(engine, prompt, source=""))
        end = [e for e in first if isinstance(e, Finished)][-1]
        assert end.stats.stop_reason == "length"
        text = answer_of(first)
        assert text.split() == [f"w{i}" for i in range(7)]  # 10 tokens: 3 of header, 7 words
        more = list(jobs.run_prompt(engine, jobs.continue_prompt(prompt, text), source="", prefix=text))
    finally:
        engine.close()
    assert answer_of(more).strip()  # the continuation streams more text
    assert jobs.continue_prompt(prompt, text).messages[-2] == {"role": "assistant", "content": text}


def test_findings_follow_the_answer(tmp_path):
    pytest.importorskip("dateparser")
    script = ("<|channel|>", "final", "<|message|>", "Sí", "Ġel", "Ġviernes", "Ġ27", "Ġpor", "Ġ15.000", "Ġ€",
              "<|return|>")
    engine = scripted(tmp_path, "facts", script)
    check = jobs.CheckSpec((THREAD,), points="sí al jueves", language="es")
    try:
        events = list(jobs.run_prompt(engine, TaskPrompt(chat("Reply.", THREAD), "low", 100), source="",
                                      check=check))
    finally:
        engine.close()
    assert isinstance(events[-1], Findings) and isinstance(events[-2], Finished)
    found = events[-1]
    assert found.text == answer_of(events)
    assert any("15.000" in f.text for f in found.findings), found.findings
    assert found.summary


# -- on SmolLM2: real text, bounded ---------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_smollm2_reply_is_bounded_by_the_length_setting(smol_path, seed):
    engine = LocalEngine()
    engine.load(ModelConfig(smol_path, n_ctx=4096, seed=seed))
    prompt = email_reply_prompt(THREAD, points="sí al jueves 26 a las 11", length="short")
    try:
        events = list(jobs.run_prompt(engine, prompt, source="", echo_of=THREAD))
    finally:
        engine.close()
    end = [e for e in events if isinstance(e, Finished)][-1]
    assert end.stats.generated_tokens <= prompt.max_tokens
    assert end.stats.stop_reason in ("stop", "length", "repetition")
    assert len(answer_of(events).split()) <= prompt.max_tokens
    assert "<<<" not in answer_of(events) and ">>>" not in answer_of(events)
