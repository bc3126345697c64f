"""The Meeting pane's Tasks… (action items previewed, fixed and saved as .ics, checklist, text)
and the Email pane's Add invitation… (previewed, checked, attached to the exported .eml)."""

from __future__ import annotations

import email
import email.policy
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtGui import QGuiApplication

from test_cli import MINUTES, VTT
from ui.test_main_window import run_pane
from ui.test_meeting_evidence import window  # noqa: F401 - the fixture: a window with a minutes-writing model


def _tasks_dialog(pane):
    pane.tasks_dialog()
    dialog = pane._tasks_dialog
    assert dialog.isVisible()
    return dialog


def test_minutes_action_items_become_tasks(qtbot, window, tmp_path):
    vtt = tmp_path / "standup.vtt"
    vtt.write_text(VTT)
    when = datetime(2026, 3, 9, 17, 30).timestamp()
    os.utime(vtt, (when, when))  # the meeting's file, saved that day
    pane = window.show_pane("meeting")
    pane.open_document(vtt)
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    assert run_pane(qtbot, pane) == MINUTES.replace("|", "")
    dialog = _tasks_dialog(pane)
    assert dialog.meeting_date() == date(2026, 3, 9)  # the transcript file's date
    table = dialog.table
    assert table.rowCount() == 2
    assert [table.item(0, c).text() for c in range(5)] == ["update the release notes", "Luis", "", "Thursday",
                                                           "2026-03-12"]
    assert "Luis: I will update the release notes" in table.item(0, 0).toolTip()  # the evidence
    assert "line 7 does not exist" in table.item(1, 0).toolTip()  # "buy a boat" is not verified
    # another meeting date: the relative due date follows
    dialog.date.setDate(QDate(2026, 3, 13))
    assert table.item(0, 4).text() == "2026-03-19"
    # the user fixes a row by hand and saves
    table.item(1, 4).setText("2026-04-01")
    out = tmp_path / "tasks.ics"
    assert dialog.save(out)
    todos = list(Calendar.from_ical(out.read_bytes()).walk("VTODO"))
    assert [t.decoded("due") for t in todos] == [date(2026, 3, 19), date(2026, 4, 1)]
    assert "line 7 does not exist" in str(todos[1]["description"])
    dialog.copy_checklist()
    assert QGuiApplication.clipboard().text().startswith("- [ ] **Luis**: update the release notes (due 2026-03-19)")
    dialog.copy_text()
    assert QGuiApplication.clipboard().text().startswith("Luis: update the release notes (due Thu 19 Mar 2026)")
    table.item(0, 4).setText("next week")
    assert not dialog.save(tmp_path / "bad.ics")
    assert "YYYY-MM-DD" in dialog.status.text() and not (tmp_path / "bad.ics").exists()
    dialog.reject()
    assert pane.meeting_date == date(2026, 3, 13)  # the confirmed date is kept with the draft
    assert pane.draft_state()["meeting_date"] == "2026-03-13"


def test_tasks_need_minutes_with_action_items(qtbot, window):
    pane = window.show_pane("meeting")
    pane.tasks_dialog()
    assert "no minutes yet" in pane.message.text()
    pane.output.set_answer_text("## Summary\nWe talked.\n\n## Decisions\n- None.\n")
    pane.tasks_dialog()
    assert "no Action items section" in pane.message.text()


def test_minutes_export_as_word_and_text(qtbot, window, tmp_path):
    import docx

    pane = window.show_pane("meeting")
    pane.output.set_answer_text("## Summary\nShort **call**.\n\n## Action items\n- **Ana**: send it [1]\n")
    pane.export(tmp_path / "minutes.docx")
    doc = docx.Document(str(tmp_path / "minutes.docx"))
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["Summary"].startswith("Heading") and styles["Ana: send it [1]"].startswith("List")
    pane.export(tmp_path / "minutes.txt")
    assert "**" not in (tmp_path / "minutes.txt").read_text(encoding="utf-8")
    pane.export(tmp_path / "minutes.md")
    assert (tmp_path / "minutes.md").read_text(encoding="utf-8").startswith("## Summary")
    pane.export(tmp_path / "no-such-folder" / "minutes.md")
    assert "Could not save minutes.md" in pane.message.text()


THREAD = """From: Ana Gómez <ana@example.com>
To: Marta <marta@example.es>
Subject: RE: Revisión del presupuesto
Date: Mon, 9 Mar 2026 10:00:00 +0100

Hola Marta, ¿podemos vernos el jueves a las 11:00? Enlace: https://meet.google.com/abc-defg-hij
Gracias, Ana
"""


def test_reply_with_an_invitation(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Madrid")
    pane = window.show_pane("email")
    pane.thread_edit.setPlainText(THREAD)
    pane.output.set_answer_text("Hola Ana,\n\nel jueves a las 11:00 me va bien.\n\nMarta\n")
    pane.on_answer_finished()  # what a finished reply calls
    assert "agrees on a meeting (2026-03-12 11:00)" in pane.message.text()
    pane.invitation_dialog()
    dialog = pane._invitation_dialog
    assert dialog.title.text() == "Revisión del presupuesto"
    assert dialog.when.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-12 11:00"
    assert dialog.organizer.text() == "Marta <marta@example.es>"
    assert "ana@example.com" in dialog.attendees.toPlainText()
    assert dialog.location.text() == "https://meet.google.com/abc-defg-hij"
    assert "does not say" not in dialog.status.text()
    # a time the email does not give is checked like the reply is
    dialog.when.setDateTime(QDateTime(QDate(2026, 3, 12), QTime(15, 0)))
    assert "The email does not say this" in dialog.status.text()
    dialog.when.setDateTime(QDateTime(QDate(2026, 3, 12), QTime(11, 0)))
    dialog.length.setValue(45)
    assert dialog.save(tmp_path / "invite.ics")
    dialog.attach()
    assert pane.invitation is not None and pane.invitation.minutes == 45
    assert "Edit" in pane.invite_button.text().replace("&", "")

    pane.export(tmp_path / "reply.eml")
    msg = email.message_from_bytes((tmp_path / "reply.eml").read_bytes(), policy=email.policy.default)
    assert msg["To"] == "Ana Gómez <ana@example.com>"
    assert "me va bien" in msg.get_body(("plain",)).get_content()
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    ev = next(iter(Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")))
    assert ev.decoded("dtstart") == datetime(2026, 3, 12, 11, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert ev.decoded("dtend") == datetime(2026, 3, 12, 11, 45, tzinfo=ZoneInfo("Europe/Madrid"))

    # the invitation is part of the draft: it survives a restart
    state = pane.draft_state()
    pane.restore_draft({**state, "invitation": None})
    assert pane.invitation is None and "Add" in pane.invite_button.text().replace("&", "")
    pane.restore_draft(state)
    assert pane.invitation is not None and pane.invitation.minutes == 45
    # and it can be taken off again
    pane.invitation_dialog()
    pane._invitation_dialog.detach()
    assert pane.invitation is None
    pane.export(tmp_path / "plain.eml")
    plain = email.message_from_bytes((tmp_path / "plain.eml").read_bytes(), policy=email.policy.default)
    assert not [p for p in plain.walk() if p.get_content_type() == "text/calendar"]


def test_no_meeting_time_opens_a_blank_invitation(qtbot, window, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Madrid")
    pane = window.show_pane("email")
    pane.thread_edit.setPlainText(THREAD.replace("¿podemos vernos el jueves a las 11:00?", "gracias."))
    pane.invitation_dialog()
    dialog = pane._invitation_dialog
    assert dialog.when.time() == QTime(10, 0)
    assert "propose no meeting time" in dialog.status.text()
    dialog.reject()
    assert pane.invitation is None
