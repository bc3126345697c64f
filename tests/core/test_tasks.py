import pytest

from copilot.core import jobs
from copilot.core.events import Answer, Cited, Failed, Findings, Finished, Progress
from copilot.core.language import detect_language
from copilot.core.tasks import TaskPrompt
from copilot.core.tasks.cleanup import PreambleFilter, clean_output
from copilot.core.tasks.email import email_reply_prompt, reply_subject
from copilot.core.documents import parse_email_text
from copilot.core.tasks.meeting import (chunk_notes_prompt, combine_notes_prompt, meeting_prompt,
                                        parse_minutes)
from copilot.core.tasks.writing import ACTIONS, writing_prompt

SPANISH_EMAIL = """From: Lucía Fernández <lucia@example.es>
Subject: Reunión del jueves

Hola Marta,

¿Podemos mover la reunión del jueves a las 11:00? Necesito que revisemos el presupuesto antes del viernes.

Gracias y un saludo,
Lucía
"""


def system_of(prompt: TaskPrompt) -> str:
    return prompt.messages[0]["content"]


def user_of(prompt: TaskPrompt) -> str:
    return prompt.messages[1]["content"]


# -- language ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [
    ("¿Podemos mover la reunión del jueves? Gracias por tu ayuda con el presupuesto.", "es"),
    ("Could we move the meeting to Thursday? Thanks for your help with the budget.", "en"),
    ("Pouvons-nous déplacer la réunion à jeudi ? Merci pour votre aide.", "fr"),
    ("Können wir das Treffen auf Donnerstag verschieben? Danke für die Hilfe.", "de"),
    ("ok", "en"),
    ("", "en"),
])
def test_detect_language(text, code):
    assert detect_language(text) == code


# -- writing ----------------------------------------------------------------------------
@pytest.mark.parametrize("action", [a for a in ACTIONS if a != "custom"])
def test_every_writing_action_builds_a_prompt(action):
    prompt = writing_prompt(action, "Hola, te escribo para confirmar la reunión de mañana con el equipo.")
    user = user_of(prompt)
    # the selection first, then the task: the selection can be read before the action is chosen
    assert user.startswith("<<<\nHola, te escribo")
    assert user.index(">>>") < user.index(ACTIONS[action].instruction)
    assert "Spanish" in user.split(">>>")[1]
    assert prompt.reasoning_effort == ACTIONS[action].effort


def test_writing_system_message_is_shared_by_every_action_and_language():
    systems = {system_of(writing_prompt(action, text, instruction="Make it rhyme"))
               for action in ACTIONS for text in ("Hola, ¿qué tal estás hoy?", "Hello, how are you today?")}
    assert len(systems) == 1


def test_reasoning_effort_defaults_and_override():
    assert writing_prompt("proofread", "text here").reasoning_effort == "low"
    assert writing_prompt("proofread", "text here", effort="high").reasoning_effort == "high"
    assert meeting_prompt("Ana: hi").reasoning_effort == "high"
    assert email_reply_prompt("Hi, can we meet?").reasoning_effort == "medium"


def test_custom_action_needs_an_instruction():
    with pytest.raises(ValueError, match="needs an instruction"):
        writing_prompt("custom", "some text")
    prompt = writing_prompt("custom", "some text", instruction="Make it rhyme")
    assert "Make it rhyme" in user_of(prompt)


def test_empty_text_and_unknown_action():
    with pytest.raises(ValueError, match="no text"):
        writing_prompt("proofread", "  \n ")
    with pytest.raises(ValueError, match="unknown writing action"):
        writing_prompt("shout", "text")


# -- email ------------------------------------------------------------------------------
def test_reply_in_the_language_of_the_email():
    prompt = email_reply_prompt(SPANISH_EMAIL, points="sí, a las 11 me va bien", sign_off="Marta")
    system = system_of(prompt)
    assert "in Spanish" in system
    assert '"Marta"' in system
    assert "sí, a las 11 me va bien" in user_of(prompt)
    assert "Lucía Fernández" in user_of(prompt) and "Reunión del jueves" in user_of(prompt)


def test_reply_language_override_intent_tone_length():
    prompt = email_reply_prompt(SPANISH_EMAIL, intent="decline", tone="formal", length="short", language="en")
    system = system_of(prompt)
    assert "in English" in system and "formal" in system and "80 words" in system
    assert "Decline politely" in user_of(prompt)


def test_reply_rejects_bad_options_and_empty_email():
    with pytest.raises(ValueError, match="no email"):
        email_reply_prompt("   ")
    with pytest.raises(ValueError, match="unknown tone"):
        email_reply_prompt(SPANISH_EMAIL, tone="angry")
    with pytest.raises(ValueError, match="unknown intent"):
        email_reply_prompt(SPANISH_EMAIL, intent="ignore")


def test_reply_subject():
    assert reply_subject(parse_email_text(SPANISH_EMAIL)) == "Re: Reunión del jueves"


# -- meeting ----------------------------------------------------------------------------
def test_meeting_prompt_headings_follow_language():
    es = meeting_prompt("Ana: Hola, empezamos con el presupuesto y las tareas de la semana.")
    assert "## Resumen" in system_of(es) and "## Tareas" in system_of(es)
    en = meeting_prompt("Ana: Hello, we start with the budget and the tasks for the week.", template="standup")
    assert "## Summary" in system_of(en) and "stand-up" in system_of(en)
    with pytest.raises(ValueError, match="unknown template"):
        meeting_prompt("text", template="party")


def test_map_and_reduce_prompts():
    m = chunk_notes_prompt("Ana: we ship Friday", part=2, parts=5, language="en")
    assert "part 2 of 5" in system_of(m) and m.reasoning_effort == "low"
    r = combine_notes_prompt(["- a", "- b"], template="client", language="es")
    assert "Notes on part 2:\n- b" in user_of(r) and "## Resumen" in system_of(r)
    assert combine_notes_prompt(["- a", "- b"], language="en", final=False).reasoning_effort == "low"


def test_parse_minutes_english_and_spanish():
    en = parse_minutes("## Summary\nWe met.\n\n## Decisions\n- Ship Friday\n## Action items\n"
                       "- **Ana**: send deck (due: Monday)\n## Open questions\nNone.")
    assert en.summary == "We met." and en.decisions == "- Ship Friday"
    assert "Ana" in en.action_items and en.open_questions == "None."
    es = parse_minutes("**Resumen**\nNos reunimos.\n# Decisiones\n- Lanzar\n### Tareas\n- x\n## Preguntas abiertas\n- ¿y?")
    assert es.summary == "Nos reunimos." and es.decisions == "- Lanzar" and es.open_questions == "- ¿y?"


# -- cleanup ----------------------------------------------------------------------------
@pytest.mark.parametrize("raw, clean", [
    ("Here is the corrected text:\n\nI have a dog.", "I have a dog."),
    ("Sure! Here's a more concise version:\nWe meet at 5.\n\nLet me know if you need anything else!", "We meet at 5."),
    ("Aquí tienes el texto corregido:\nTengo un perro.", "Tengo un perro."),
    ("```\nplain text\n```", "plain text"),
    ("Just the text.", "Just the text."),
])
def test_clean_output(raw, clean):
    assert clean_output(raw) == clean


def test_users_own_first_line_is_never_stripped():
    source = "Here is the agenda for Monday:\n- budget\n- hiring"
    out = "Here is the agenda for Monday:\n- Budget\n- Hiring"
    assert clean_output(out, source) == out
    filt = PreambleFilter(source)
    assert filt.feed(out) + filt.close() == out


def test_streaming_filter_matches_batch_cleanup():
    raw = "Sure, here is the rewritten text:\n\nDear team, the launch moves to May."
    filt = PreambleFilter("dear team the launch moves to may")
    streamed = "".join(filt.feed(raw[i:i + 3]) for i in range(0, len(raw), 3)) + filt.close()
    assert streamed == "Dear team, the launch moves to May."


def test_streaming_filter_releases_long_first_lines():
    filt = PreambleFilter()
    text = "word " * 60
    assert filt.feed(text) == text  # no newline for 300 chars: content, not a preamble


# -- real runs through every recipe (SmolLM2) --------------------------------------------
def answer_of(events):
    # the check of the answer (Findings, or Cited for minutes) may follow Finished
    ends = [e for e in events if not isinstance(e, (Findings, Cited))]
    assert isinstance(ends[-1], Finished), ends[-1]
    return "".join(e.text for e in events if isinstance(e, Answer))


@pytest.mark.parametrize("action", ["proofread", "concise", "keypoints", "table", "continue"])
def test_writing_actions_run_on_smollm2(smol_engine, action):
    text = "Ths is my frist draft of the anouncement. The offise will be closed on friday for maintenence."
    prompt = writing_prompt(action, text)
    prompt = TaskPrompt(prompt.messages, prompt.reasoning_effort, 40)
    assert answer_of(list(jobs.run_prompt(smol_engine, prompt, source=text))).strip()


def test_email_reply_runs_on_smollm2(smol_engine):
    prompt = email_reply_prompt(SPANISH_EMAIL, points="yes, 11:00 works", sign_off="Marta")
    prompt = TaskPrompt(prompt.messages, prompt.reasoning_effort, 40)
    assert answer_of(list(jobs.run_prompt(smol_engine, prompt))).strip()


def test_meeting_summary_runs_on_smollm2(smol_engine):
    events = list(jobs.summarize_job(smol_engine, "Ana: We ship on Friday.\nLuis: I will write the notes.",
                                     effort="low"))
    assert answer_of(events).strip()
    assert not any(isinstance(e, Progress) for e in events)  # short: one pass


def test_job_refuses_what_does_not_fit(smol_engine):
    prompt = writing_prompt("proofread", "palabra " * 3000)
    events = list(jobs.run_prompt(smol_engine, prompt))
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert "too long" in events[0].message and "4,096-token context" in events[0].message


def test_echoed_delimiters_are_removed_batch_and_streaming():
    raw = "<<<\nThe office is closed on Friday.\n>>>"
    assert clean_output(raw) == "The office is closed on Friday."
    filt = PreambleFilter()
    streamed = "".join(filt.feed(raw[i:i + 2]) for i in range(0, len(raw), 2)) + filt.close()
    assert streamed.strip() == "The office is closed on Friday."
    filt = PreambleFilter()
    assert filt.feed("a > b\n>") + filt.close() == "a > b\n>"  # a lone ">" is the user's
