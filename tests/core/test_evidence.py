"""Minutes with evidence: citation parsing and verification, timestamps, and map-reduce on a real model."""

import json

import pytest

from copilot.core import evidence, jobs
from copilot.core.documents import parse_srt, parse_vtt
from copilot.core.engine import LocalEngine, ModelConfig
from copilot.core.events import Answer, Cited, Finished, Progress
from copilot.core.evidence import parse_citations, source_lines, verify_minutes
from tiny_gpt_oss import write_tiny_gpt_oss

TRANSCRIPT = """Ana: Good morning, let's start with the release.
Luis: The release is ready; we ship on Friday 27 March.

Ana: Agreed, we ship on Friday.
Marta: I will send the budget of 12.000 euros to the client by Monday.
Luis: Who books the room for the workshop?
Ana: Nobody yet, we decide next week."""


def items_of(minutes: str, text: str = TRANSCRIPT):
    return verify_minutes(minutes, source_lines(text)).items


def test_lines_are_numbered_as_the_user_sees_them_blank_lines_counted():
    lines = source_lines(TRANSCRIPT)
    assert [l.number for l in lines] == [1, 2, 4, 5, 6, 7]
    assert evidence.numbered(lines)[2] == "[4] Ana: Agreed, we ship on Friday."


@pytest.mark.parametrize("written, lines", [
    ("[12]", (12,)), ("[12-14]", (12, 13, 14)), ("[12–14]", (12, 13, 14)), ("[3, 17-18]", (3, 17, 18)),
    ("[L4]", (4,)), ("[lines 2-3]", (2, 3)), ("[líneas 5 a 6]", (5, 6)), ("(line 7)", (7,)), ("[4; 9]", (4, 9)),
])
def test_citation_forms(written, lines):
    (c,) = parse_citations(f"- Ship it {written}.")
    assert c.lines == lines and c.text == written


def test_markdown_links_and_prices_are_not_citations():
    assert parse_citations("see [the plan](http://x) and pay 12 € [approx]") == []


def test_faithful_minutes_verify_with_owner_due_and_quotes():
    minutes = ("## Summary\nThe team agreed to ship.\n\n## Decisions\n- Ship the release on Friday 27 March [2, 4]\n\n"
               "## Action items\n- **Marta**: send the budget to the client (due: Monday) [5]\n\n"
               "## Open questions\n- Who books the room for the workshop? [6-7]\n")
    cited = verify_minutes(minutes, source_lines(TRANSCRIPT))
    assert cited.summary == "The team agreed to ship."
    decision, action, question = cited.items
    assert decision.section == "decisions" and decision.verified and [e.line for e in decision.evidence] == [2, 4]
    assert action.owner == "Marta" and action.due == "Monday" and action.text == "send the budget to the client"
    assert action.verified and action.evidence[0].quote.startswith("Marta: I will send the budget")
    assert question.verified and not cited.unverified
    assert cited.report() == "All 3 items cite the transcript lines they come from."


def test_what_the_lines_do_not_back_is_kept_and_marked():
    minutes = ("## Decisions\n- Hire two more designers [2]\n- Ship on Friday [99]\n- Ship on Friday [1-40]\n"
               "- Ship on Friday\n## Action items\n- **Pedro**: send the budget (due: Monday) [5]\n"
               "- **Marta**: send the budget (due: Tuesday) [5]\n## Preguntas abiertas\n- Ninguna.\n")
    hire, missing, wide, uncited, owner, due = items_of(minutes)
    assert not hire.verified and hire.problems[0].startswith("no source found: the cited lines do not say this")
    assert not missing.verified and missing.problems == ("line 99 does not exist",)
    assert not wide.verified and wide.problems == ("[1-40] spans more than 25 lines",)
    assert not uncited.verified and "cites no transcript line" in uncited.problems[0]
    assert not owner.verified and owner.problems == ("the owner Pedro is not named in the cited lines",)
    assert not due.verified and due.problems == ("the due date Tuesday is not in the cited lines",)
    # "Ninguna." is no item; every other bullet is kept, none is dropped
    assert len(items_of(minutes)) == 6


def test_spanish_minutes_with_bold_headings_and_continuation_lines():
    text = "Ana: Enviaré el presupuesto de 12.000 euros el lunes.\nLuis: Perfecto, lo revisamos el martes."
    minutes = ("**Resumen**\nSe habló del presupuesto.\n\n**Tareas**\n- **Ana**: enviar el presupuesto\n"
               "  al cliente (fecha: lunes) [1]\n* **Luis**: revisar el presupuesto (plazo: martes) [2]\n")
    ana, luis = items_of(minutes, text)
    assert (ana.section, ana.owner, ana.due) == ("action_items", "Ana", "lunes")
    assert ana.text == "enviar el presupuesto al cliente" and ana.verified
    assert luis.verified and luis.due == "martes"


def test_output_that_ignores_the_format_gives_a_clear_result():
    for junk in ("", "   ", "Sure! Here are your minutes.", "## Decisions\n\n## Action items\nNone."):
        cited = verify_minutes(junk, source_lines(TRANSCRIPT))
        assert cited.items == () and cited.report() == ""
        assert set(cited.as_dict()) == {"summary", "decisions", "action_items", "open_questions"}
    cited = verify_minutes("## Decisions\n- We ship\n", source_lines(""))  # no transcript lines at all
    assert not cited.items[0].verified


VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Ana>We ship on Friday.

00:00:05.000 --> 00:00:08.000
<v Ana>The client pays 12.000 euros.

00:01:10.500 --> 00:01:14.000
<v Luis>I will write the notes by Monday.
"""


def test_cue_times_travel_to_the_evidence_and_the_export():
    transcript = parse_vtt(VTT)
    text = transcript.to_text()
    assert text.split("\n")[1] == "Luis: I will write the notes by Monday."
    assert transcript.line_starts() == [1.0, 70.5]
    lines = source_lines(text, transcript.line_starts())
    minutes = "## Decisions\n- Ship on Friday [1]\n## Action items\n- **Luis**: write the notes (due: Monday) [2]\n" \
              "- **Luis**: buy a boat [1-2]\n"
    cited = verify_minutes(minutes, lines)
    assert cited.timed and cited.items[1].evidence[0].start_time == 70.5
    exported = evidence.export_markdown(cited)
    assert "- Ship on Friday [00:01]\n" in exported
    assert "write the notes (due: Monday) [01:10]\n" in exported
    assert "buy a boat [00:01–01:10] _(no source found: the cited lines do not say this)_" in exported
    data = json.loads(json.dumps(cited.as_dict()))
    assert data["action_items"][0] == {"text": "write the notes", "owner": "Luis", "due": "Monday",
                                       "evidence": [{"line": 2, "start_time": 70.5,
                                                     "quote": "Luis: I will write the notes by Monday."}],
                                       "verified": True, "problems": []}


def test_srt_without_speakers_and_untimed_text_export_line_numbers():
    srt = "1\n00:00:02,000 --> 00:00:03,000\nWe ship on Friday.\n\n2\n01:00:00,000 --> 01:00:01,000\nDone.\n"
    transcript = parse_srt(srt)
    lines = source_lines(transcript.to_text(), transcript.line_starts())
    assert evidence.export_markdown(verify_minutes("## Decisions\n- Ship on Friday [1]", lines)).endswith("[00:02]")
    assert evidence.cite_label(parse_citations("[2]")[0], {l.number: l for l in lines}) == "[1:00:00]"
    plain = verify_minutes("## Decisions\n- Ship on Friday [2]", source_lines(TRANSCRIPT))
    assert evidence.export_markdown(plain) == "## Decisions\n- Ship on Friday [2]"


def _script(text: str) -> tuple[str, ...]:
    """The tiny gpt-oss writes ``text`` as its final answer: one token per distinct word."""
    words = [w.replace(" ", "Ġ").replace("\n", "Ċ") for w in text.split("|")]
    return ("<|channel|>", "final", "<|message|>", *words, "<|return|>")


def test_map_reduce_keeps_the_original_line_numbers(tmp_path, monkeypatch):
    """A transcript too long for one pass: each part's prompt numbers its lines as in the whole
    transcript, and the minutes' citation of line 58 (in the last part) verifies against it."""
    lines = [f"{['Ana', 'Luis', 'Marta'][i % 3]}: point {i} about the roadmap and the hiring plan, nothing else."
             for i in range(1, 61)]
    lines[57] = "Marta: We decided to move the launch to the 14th of May."
    transcript = "\n".join(lines)
    answer = "## Decisions\n|- Move the launch to 14 May |[58]\n|## Action items\n|- **Luis**: buy a boat |[2]\n"
    model = write_tiny_gpt_oss(tmp_path / "minutes.gguf", script=_script(answer))
    seen = []
    original = jobs.chunk_notes_prompt
    monkeypatch.setattr(jobs, "chunk_notes_prompt", lambda chunk, **kw: seen.append(chunk) or original(chunk, **kw))
    engine = LocalEngine()
    engine.load(ModelConfig(model, n_ctx=4096))
    try:
        events = list(jobs.summarize_job(engine, transcript, effort="low"))
    finally:
        engine.close()
    assert len([e for e in events if isinstance(e, Progress)]) >= 3 and len(seen) >= 2
    assert seen[0].startswith("[1] Luis: point 1 ") and seen[-1].endswith("[60] Ana: point 60 about the roadmap "
                                                                        "and the hiring plan, nothing else.")
    assert "[58] Marta: We decided to move the launch" in seen[-1]
    assert "".join(e.text for e in events if isinstance(e, Answer)) == answer.replace("|", "")
    finished = next(i for i, e in enumerate(events) if isinstance(e, Finished))
    (cited,) = [e for e in events[finished:] if isinstance(e, Cited)]
    move, boat = cited.minutes.items
    assert move.verified and move.evidence[0].line == 58 and move.evidence[0].quote == lines[57]
    assert not boat.verified


def test_minutes_on_smollm2_always_give_a_result(smol_engine):
    """A real small model that may ignore the citation format: the minutes are kept, and each
    item it wrote is there, verified or marked."""
    events = list(jobs.summarize_job(smol_engine, TRANSCRIPT, effort="low", max_tokens=120))
    answer = "".join(e.text for e in events if isinstance(e, Answer))
    (cited,) = [e for e in events if isinstance(e, Cited)]
    assert cited.minutes.text == answer
    for item in cited.minutes.unverified:
        assert item.problems
