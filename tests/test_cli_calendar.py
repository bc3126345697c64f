"""`tasks`, `summarize --ics` and `reply --invite`, run as a user runs them, and their files read
back by icalendar and by real calendar clients (khal for events, todoman for tasks)."""

import json
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from test_cli import cli, env  # noqa: F401 - the fixture
from tiny_gpt_oss import write_tiny_gpt_oss

MINUTES = """# Weekly sync — 2026-03-09

## Summary
Budget and launch.

## Action items
- **Ana Gómez**: send the revised budget (due: Friday) [00:12]
- **Luis**: book the venue (due: end of month)
- **Unassigned**: check the contract (due: asap)

## Open questions
- None.
"""


def _scripted(tmp_path, name, text):
    words = [w.replace(" ", "Ġ").replace("\n", "Ċ") for w in text.split("|")]
    return write_tiny_gpt_oss(tmp_path / name, script=("<|channel|>", "final", "<|message|>", *words, "<|return|>"))


def test_tasks_text_checklist_json_and_ics(env, tmp_path):  # noqa: F811
    minutes = tmp_path / "minutes.md"
    minutes.write_text(MINUTES, encoding="utf-8")
    r = cli(["tasks", str(minutes)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Ana Gómez: send the revised budget (due Fri 13 Mar 2026)\n"
                        "Luis: book the venue (due Tue 31 Mar 2026)\n"
                        "check the contract (due: asap)\n")
    assert "1 due date to check" in r.stderr and "asap" in r.stderr

    r = cli(["tasks", str(minutes), "--checklist", "--meeting-date", "2026-03-16"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "- [ ] **Ana Gómez**: send the revised budget (due 2026-03-20)"

    r = cli(["tasks", str(minutes), "--json"], env, tmp_path)
    data = json.loads(r.stdout)
    assert [t["due"] for t in data] == ["2026-03-13", "2026-03-31", None]

    out = tmp_path / "tasks.ics"
    r = cli(["tasks", str(minutes), "--ics", str(out)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and "3 tasks written to" in r.stderr
    todos = list(Calendar.from_ical(out.read_bytes()).walk("VTODO"))
    assert [str(t["summary"]) for t in todos] == ["send the revised budget", "book the venue", "check the contract"]
    assert todos[0].decoded("due") == date(2026, 3, 13) and "due" not in todos[2]


def test_tasks_bad_input(env, tmp_path):  # noqa: F811
    notes = tmp_path / "notes.md"
    notes.write_text("## Summary\nWe talked.\n", encoding="utf-8")
    r = cli(["tasks", str(notes), "--ics", str(tmp_path / "x.ics")], env, tmp_path)
    assert r.returncode == 4 and "no Action items section" in r.stderr
    assert not (tmp_path / "x.ics").exists()
    r = cli(["tasks", str(tmp_path / "missing.md")], env, tmp_path)
    assert r.returncode == 4 and "no such file" in r.stderr
    binary = tmp_path / "minutes.md"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 50)
    r = cli(["tasks", str(binary)], env, tmp_path)
    assert r.returncode == 4 and "not a text file" in r.stderr
    r = cli(["tasks", str(notes), "--meeting-date", "9/3/2026"], env, tmp_path)
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr
    assert "Traceback" not in r.stderr


def test_tasks_meeting_date_defaults_to_the_files_date(env, tmp_path):  # noqa: F811
    minutes = tmp_path / "minutes.md"
    minutes.write_text("## Action items\n- **Ana**: send it (due: tomorrow)\n", encoding="utf-8")
    when = datetime(2026, 5, 4, 12, 0).timestamp()
    os.utime(minutes, (when, when))
    r = cli(["tasks", str(minutes), "--json"], env, tmp_path)
    assert json.loads(r.stdout)[0]["due"] == "2026-05-05"
    assert "2026-05-04 (the file's date)" in r.stderr and "--meeting-date" in r.stderr


VTT = ("WEBVTT\n\nNOTE Weekly sync 2026-03-09\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>We ship on Friday.</v>\n\n"
       "00:00:04.000 --> 00:00:07.000\n<v Luis>I will update the release notes by Thursday.</v>\n")
SUMMARY = "## Decisions\n|- Ship on Friday |[1]\n|## Action items\n|- **Luis**: |update the release notes |(due: Thursday) |[2]\n"


def test_summarize_writes_the_tasks_too(env, tmp_path):  # noqa: F811
    vtt = tmp_path / "standup.vtt"
    vtt.write_text(VTT)
    out = tmp_path / "standup.ics"
    model = _scripted(tmp_path, "minutes.gguf", SUMMARY)
    r = cli(["summarize", str(vtt), "--ics", str(out), "--meeting-date", "2026-03-09", "--reasoning", "low",
             "--model", str(model)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == SUMMARY.replace("|", "")
    todo = next(iter(Calendar.from_ical(out.read_bytes()).walk("VTODO")))
    assert str(todo["summary"]) == "update the release notes"
    assert todo.decoded("due") == date(2026, 3, 12)  # the Thursday after Monday 9 March
    assert "[00:04] Luis: I will update the release notes by Thursday." in str(todo["description"])


EML = ("From: Ana Gómez <ana@example.com>\nTo: Marta <marta@example.es>\nSubject: Revisión del presupuesto\n"
       "Date: Mon, 9 Mar 2026 10:00:00 +0100\nContent-Type: text/plain; charset=utf-8\n"
       "Content-Transfer-Encoding: 8bit\n\nHola Marta, ¿podemos vernos el jueves a las 11:00?\n"
       "Enlace: https://meet.google.com/abc-defg-hij\nGracias, Ana\n")
REPLY = "Hola Ana,| el jueves a las 11:00| me va bien.|\n|Marta\n"


def test_reply_writes_the_invitation(env, tmp_path):  # noqa: F811
    eml = tmp_path / "thread.eml"
    eml.write_text(EML, encoding="utf-8")
    out = tmp_path / "invite.ics"
    env = {**env, "TZ": "Europe/Madrid"}
    model = _scripted(tmp_path, "reply.gguf", REPLY)
    r = cli(["reply", "--email", str(eml), "--invite", str(out), "--reasoning", "low", "--model", str(model)],
            env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "invitation for 2026-03-12 11:00" in r.stderr
    cal = Calendar.from_ical(out.read_bytes())
    assert str(cal["method"]) == "REQUEST"
    ev = next(iter(cal.walk("VEVENT")))
    assert str(ev["summary"]) == "Revisión del presupuesto"
    assert ev.decoded("dtstart") == datetime(2026, 3, 12, 11, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert str(ev["organizer"]) == "mailto:marta@example.es"
    assert str(ev["attendee"]) == "mailto:ana@example.com"
    assert str(ev["url"]) == "https://meet.google.com/abc-defg-hij"


def test_reply_without_a_meeting_time(env, tmp_path):  # noqa: F811
    eml = tmp_path / "thread.eml"
    eml.write_text(EML.replace("¿podemos vernos el jueves a las 11:00?", "gracias por el informe."), encoding="utf-8")
    model = _scripted(tmp_path, "reply.gguf", "Gracias,| Ana.|\n")
    out = tmp_path / "invite.ics"
    r = cli(["reply", "--email", str(eml), "--invite", str(out), "--reasoning", "low", "--model", str(model)],
            env, tmp_path)
    assert r.returncode == 4 and "no invitation was written" in r.stderr
    assert r.stdout.strip() and not out.exists()
