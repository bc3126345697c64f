"""Jobs: a task recipe run on an engine, as one stream of events for the CLI or the UI.

A job checks the budget before generating, cleans the answer of preambles as it streams,
and runs long meeting transcripts through map-reduce.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterator, Sequence

from copilot.core.budget import NOTES_MAX_TOKENS, Budget, plan_summary, reserve_for
from copilot.core.engine import ChatRequest, LocalEngine
from copilot.core import evidence, limits
from copilot.core.events import Answer, Cited, Failed, Finished, Findings, JobEvent, Notice, Prepared, Progress
from copilot.core.language import detect_language
from copilot.core.tasks import TaskPrompt
from copilot.core.tasks.cleanup import PreambleFilter
from copilot.core.tasks.meeting import chunk_notes_prompt, combine_notes_prompt, meeting_prompt
from copilot.core.tasks.writing import efforts as writing_efforts
from copilot.core.tasks.writing import writing_check_mode
from copilot.core.tasks.writing import shared_start


def reasoning_budget(engine: LocalEngine, prompt: TaskPrompt) -> int:
    """Tokens of reasoning this prompt may use before its answer: none for a model that does not
    reason apart (its whole output is the answer)."""
    if not (engine.info and engine.info.harmony):
        return 0
    return prompt.max_reasoning if prompt.max_reasoning is not None else limits.reasoning_tokens(
        prompt.reasoning_effort)


def check_budget(engine: LocalEngine, prompt: TaskPrompt) -> Budget:
    n_ctx = engine.info.n_ctx
    tokens = engine.count_tokens(prompt.messages, prompt.reasoning_effort)
    if prompt.max_tokens:
        reserve = prompt.max_tokens + reasoning_budget(engine, prompt)
    else:
        reserve = reserve_for(prompt.reasoning_effort, n_ctx)
    return Budget(n_ctx, tokens, reserve)


def request_for(engine: LocalEngine, prompt: TaskPrompt) -> ChatRequest:
    """The engine request of a prompt, with its limits: the answer's cap, and the reasoning's."""
    reasoning = reasoning_budget(engine, prompt)
    return ChatRequest(prompt.messages, prompt.reasoning_effort, prompt.max_tokens,
                       max_reasoning_tokens=reasoning or None)


@dataclass(frozen=True)
class CheckSpec:
    """What a finished answer is checked against (core.check): the thread, the selection or the
    transcript; the user's points; the email's date for relative dates; "reply" (the answer is
    new text) or "rewrite" (the answer is the source, transformed: every changed fact counts)."""

    sources: tuple[str, ...]
    points: str = ""
    reference: datetime | None = None
    mode: str = "reply"
    language: str = "en"  # of the summary line

    @classmethod
    def for_writing(cls, action: str, text: str, language: str | None = None) -> "CheckSpec":
        """A writing action's result against the text it was given; ``language`` of the summary
        (default: the text's)."""
        return cls((text,), mode=writing_check_mode(action), language=_summary_language(language, text))

    @classmethod
    def for_reply(cls, thread, points: str = "", language: str | None = None) -> "CheckSpec":
        """A reply against the email (with the headers a reply may repeat) and the rest of the
        thread, the user's points and the email's date; ``language`` of the summary (default:
        the email's)."""
        from copilot.core.check import parse_email_date

        latest = thread.latest
        return cls((latest.with_headers(), thread.context_text()), points=points,
                   reference=parse_email_date(latest.date), language=_summary_language(language, latest.body))

    def run(self, answer: str) -> Findings:
        from copilot.core.check import check_draft, summary_line

        found = tuple(check_draft(answer, self.sources, points=self.points, reference=self.reference,
                                  mode=self.mode))
        return Findings(found, summary_line(list(found), self.language), answer, self.language)


def _summary_language(code: str | None, text: str) -> str:
    """The check speaks English and Spanish."""
    return "es" if (code or detect_language(text)) == "es" else "en"


def run_prompt(engine: LocalEngine, prompt: TaskPrompt, *, source: str | None = None,
               echo_of: str = "", check: "CheckSpec | CitationSpec | None" = None, prefix: str = "") -> Iterator[JobEvent]:
    """Stream one prompt within its limits.

    With ``source`` (the user's text), preambles are stripped from the answer. The prompt's
    fences never reach the answer. A loop stops the generation: the text before it is kept, a
    Notice says why, and Finished carries stop_reason "repetition". ``echo_of``: text the answer
    must not copy back at length (the email replied to, the transcript), also a loop.
    With ``check``, the whole answer (``prefix``, an answer this one continues, and the new
    text) is checked once it is finished, and its event (Findings, or Cited for minutes)
    follows Finished.
    """
    budget = check_budget(engine, prompt)
    if not budget.fits:
        yield Failed(budget.too_long_message())
        return
    filt = PreambleFilter(source) if source is not None else None
    fences = limits.DelimiterFilter(source or "")
    guard = limits.RepetitionGuard(echo_of)
    loop: limits.LoopVerdict | None = None

    answer: list[str] = [prefix]

    def clean(text: str) -> str:
        text = fences.feed(text)
        text = filt.feed(text) if filt is not None and text else text
        answer.append(text)
        return text

    for event in engine.stream(request_for(engine, prompt)):
        if isinstance(event, Answer):
            if loop is not None:
                continue  # written after the cancel took effect: part of the loop
            loop = guard.feed(event.text)
            if loop is not None:
                engine.cancel()
            text = clean(event.text)
            if text:
                yield Answer(text)
            continue
        if isinstance(event, Finished):
            rest = fences.close()
            if filt is not None:
                rest = (filt.feed(rest) if rest else "") + filt.close()
            if rest:
                answer.append(rest)
                yield Answer(rest)
            if loop is not None:
                yield Notice(loop.message)
                event = Finished(replace(event.stats, stop_reason="repetition"))
            yield event
            text = "".join(answer)
            if check is not None and text.strip() and event.stats.stop_reason != "cancelled":
                yield check.run(text)
            continue
        yield event


def continue_prompt(prompt: TaskPrompt, answer: str) -> TaskPrompt:
    """The request that continues an answer cut at its length limit, with the same budget: the
    answer so far is the assistant's, and the user asks for the rest."""
    messages = (*prompt.messages, {"role": "assistant", "content": answer},
                {"role": "user", "content": "Continue exactly where you stopped, without repeating anything "
                                            "you already wrote."})
    return replace(prompt, messages=messages)


def collect(engine: LocalEngine, prompt: TaskPrompt) -> tuple[str, Finished | Failed]:
    """Run a prompt to the end; the answer text and the closing event."""
    parts: list[str] = []
    end: Finished | Failed = Failed("no result")
    for event in run_prompt(engine, prompt):
        if isinstance(event, Answer):
            parts.append(event.text)
        elif isinstance(event, (Finished, Failed)):
            end = event
    return "".join(parts), end


@dataclass(frozen=True)
class CitationSpec:
    """What verifies finished minutes: the transcript's numbered lines (core.evidence)."""

    lines: tuple[evidence.SourceLine, ...]

    def run(self, answer: str) -> Cited:
        return Cited(evidence.verify_minutes(answer, self.lines))


def summarize_job(engine: LocalEngine, text: str, *, template: str = "general", language: str | None = None,
                  effort: str = "high", max_tokens: int | None = None,
                  starts: Sequence[float | None] | None = None) -> Iterator[JobEvent]:
    """Minutes of a transcript of any length: one pass when it fits, map-reduce when it does not.

    The transcript's lines go in numbered and the minutes cite them; a Cited event with the
    verified citations follows Finished. ``starts``: each line's start time (.vtt/.srt,
    Transcript.line_starts). ``max_tokens`` caps the minutes (the final step; by default
    limits.minutes_answer_tokens), not the notes on each part.
    """
    code = language or detect_language(text)
    lines = evidence.source_lines(text, starts)
    numbered = evidence.numbered(lines)
    cap = max_tokens if max_tokens is not None else limits.minutes_answer_tokens(text)
    cite = CitationSpec(tuple(lines))
    direct = replace(meeting_prompt("\n".join(numbered), template=template, language=code, effort=effort,
                                    cited=True), max_tokens=cap)
    overhead = engine.count_tokens(meeting_prompt("x", template=template, language=code, cited=True).messages,
                                   effort)
    try:
        plan = plan_summary(numbered, engine.count_text, n_ctx=engine.info.n_ctx, overhead=overhead, effort=effort)
    except ValueError as exc:
        yield Failed(str(exc))
        return
    if plan.direct:
        yield from run_prompt(engine, direct, source="", echo_of=text, check=cite)
        return

    notes: list[str] = []
    total = len(plan.chunks)
    for i, chunk in enumerate(plan.chunks, 1):
        yield Progress(f"Reading part {i} of {total}", i - 1, total + 1)
        answer, end = collect(engine, _capped(chunk_notes_prompt(chunk, part=i, parts=total, language=code,
                                                                 cited=True)))
        if _stopped(end):
            yield end
            return
        notes.append(answer)

    # Merge neighbouring notes pairwise until the final request fits the context.
    final = combine_notes_prompt(notes, template=template, language=code, effort=effort, cited=True)
    while len(notes) > 1 and not check_budget(engine, final).fits:
        merged = []
        for i in range(0, len(notes), 2):
            if i + 1 == len(notes):
                merged.append(notes[i])
                continue
            answer, end = collect(engine, _capped(combine_notes_prompt(notes[i:i + 2], language=code, final=False,
                                                                       cited=True)))
            if _stopped(end):
                yield end
                return
            merged.append(answer)
        notes = merged
        final = combine_notes_prompt(notes, template=template, language=code, effort=effort, cited=True)
    final = replace(final, max_tokens=cap)
    yield Progress("Writing the minutes", total, total + 1)
    yield from run_prompt(engine, final, source="", check=cite)


def _stopped(end: Finished | Failed) -> bool:
    return isinstance(end, Failed) or end.stats.stop_reason == "cancelled"


def _capped(prompt: TaskPrompt) -> TaskPrompt:
    """A map or merge step within NOTES_MAX_TOKENS, which plan_summary keeps free: a third of it
    for reasoning (on gpt-oss), the rest for the notes."""
    reasoning = min(limits.reasoning_tokens(prompt.reasoning_effort), NOTES_MAX_TOKENS // 3)
    return TaskPrompt(prompt.messages, prompt.reasoning_effort, NOTES_MAX_TOKENS - reasoning, reasoning)


# -- evaluating prompt starts ahead of time (TaskRunner.prefetch) ----------------------------
def prepare_job(engine: LocalEngine, chats, effort: str, *, keep: bool = False) -> Iterator[JobEvent]:
    """Evaluate what ``chats`` share (LocalEngine.prepare), then say how many tokens are ready."""
    ready = yield from engine.prepare(chats, effort, keep=keep)
    yield Prepared(ready)


def warm_writing(engine: LocalEngine) -> Iterator[JobEvent]:
    """After a load: the writing actions' instructions, kept, for each effort they use (the
    hotkey's first), so that even the first hotkey press reads only the selection."""
    ready = 0
    for effort in writing_efforts():
        done = yield from engine.prepare(shared_start(effort), effort, keep=True)
        if done < 0:
            yield Prepared(-1)
            return
        ready += done
        yield Prepared(ready)  # between steps the runner can stop the job if it went stale


def read_selection(engine: LocalEngine, text: str, effort: str) -> Iterator[JobEvent]:
    """While the hotkey popup waits for the action: the instructions and the selected text,
    which every writing action on this selection begins with."""
    yield from prepare_job(engine, shared_start(effort, text), effort)
