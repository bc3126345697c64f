"""Tasks and invitations as calendar files: every .ics parsed back with icalendar, field by field."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from copilot.core import ics
from copilot.core.documents import parse_email_text
from copilot.core.evidence import source_lines

MEETING = date(2026, 3, 9)  # a Monday
NOW = datetime(2026, 3, 9, 18, 0, tzinfo=timezone.utc)

MINUTES_EN = """## Summary
The team reviewed the budget and the launch.

## Decisions
- The launch moves to April [3]

## Action items
- **Ana Gómez**: send the revised budget to the client (due: Friday) [2]
- **Luis**: book the venue (due: end of month) [4]
- **Unassigned**: check the contract (due: asap) [5]
- **Marta**: update the slides [6]

## Open questions
- None.
"""

TRANSCRIPT_EN = """Luis: Good morning, let's start with the budget.
Ana: I will send the revised budget to the client on Friday.
Luis: We move the launch to April.
Luis: I'll book the venue before the end of the month.
Marta: Someone has to check the contract as soon as possible.
Marta: I will update the slides for the launch.
Attendees: Ana Gómez <ana.gomez@example.com>, Luis Pérez <luis@example.com>"""

MINUTES_ES = """## Resumen
Se revisó el presupuesto.

## Tareas
- **Ana**: enviar el presupuesto al cliente (fecha: el viernes)
- **Luis**: reservar la sala (fecha: el próximo martes)
- **Marta**: revisar el contrato (fecha: fin de mes)
- **Pedro**: llamar al proveedor (fecha: el 5/6)
"""


def _parse(data: bytes) -> Calendar:
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0" and "Private Copilot" in str(cal["prodid"])
    return cal


# -- people ---------------------------------------------------------------------------------------

def test_people_and_addresses():
    people = ics.people_in(['Ana Gómez <ana.gomez@example.com>, "Luis Pérez" <luis@example.com>',
                            "write to marta.ruiz@example.org"])
    assert people == [("Ana Gómez", "ana.gomez@example.com"), ("Luis Pérez", "luis@example.com"),
                      ("Marta Ruiz", "marta.ruiz@example.org")]
    assert ics.address_for("Ana Gómez", people) == "ana.gomez@example.com"
    assert ics.address_for("ana", people) == "ana.gomez@example.com"  # first name, accents folded
    assert ics.address_for("Luis", people) == "luis@example.com"
    assert ics.address_for("Pedro", people) == ""
    two = people + [("Ana Ruiz", "ana.ruiz@example.com")]
    assert ics.address_for("Ana", two) == ""  # two Anas: no guess
    assert ics.address_for("Ana Ruiz", two) == "ana.ruiz@example.com"


# -- tasks ----------------------------------------------------------------------------------------

def test_tasks_from_minutes_resolve_against_the_meeting_date():
    lines = source_lines(TRANSCRIPT_EN)
    people = ics.people_in([TRANSCRIPT_EN])
    tasks = ics.tasks_from_minutes(MINUTES_EN, MEETING, lines=lines, people=people)
    assert [t.summary for t in tasks] == ["send the revised budget to the client", "book the venue",
                                          "check the contract", "update the slides"]
    ana, luis, contract, marta = tasks
    assert (ana.owner, ana.email, ana.due, ana.due_text, ana.due_note) == \
        ("Ana Gómez", "ana.gomez@example.com", date(2026, 3, 13), "Friday", "")
    assert ana.evidence == ("[2] Ana: I will send the revised budget to the client on Friday.",)
    assert (luis.email, luis.due) == ("luis@example.com", date(2026, 3, 31))
    assert contract.owner == "" and contract.due is None and contract.date_unresolved and contract.due_note
    assert marta.due is None and marta.due_text == "" and not marta.date_unresolved
    assert marta.email == ""  # no address for Marta in the notes


def test_tasks_in_spanish_and_the_ambiguous_date():
    tasks = ics.tasks_from_minutes(MINUTES_ES, MEETING)
    by_owner = {t.owner: t for t in tasks}
    assert by_owner["Ana"].due == date(2026, 3, 13)
    assert by_owner["Luis"].due == date(2026, 3, 10)  # el próximo martes: the first Tuesday after
    assert by_owner["Marta"].due == date(2026, 3, 31)
    pedro = by_owner["Pedro"]
    assert pedro.due == date(2026, 6, 5)  # Spanish: day/month first
    assert "ambiguous" in pedro.due_note and "6 May" in pedro.due_note


def test_minutes_without_action_items_or_without_a_date():
    with pytest.raises(ics.CalendarError, match="no Action items section"):
        ics.tasks_from_minutes("## Summary\nWe talked.\n\n## Decisions\n- None.\n", MEETING)
    with pytest.raises(ics.CalendarError, match="no minutes"):
        ics.tasks_from_minutes("  \n", MEETING)
    assert ics.tasks_from_minutes("## Action items\n- None.\n", MEETING) == []
    tasks = ics.tasks_from_minutes(MINUTES_EN, None)
    assert all(t.due is None for t in tasks)
    assert "confirm the meeting's date" in tasks[0].due_note


def test_exported_minutes_with_timestamps_keep_clean_summaries():
    minutes = "## Action items\n- **Ana**: send the budget (due: Friday) [00:12:03]\n- **Luis**: call [01:02–01:40]\n"
    tasks = ics.tasks_from_minutes(minutes, MEETING)
    assert [t.summary for t in tasks] == ["send the budget", "call"]
    assert tasks[0].due == date(2026, 3, 13)


def test_tasks_ics_field_by_field():
    tasks = ics.tasks_from_minutes(MINUTES_EN, MEETING, lines=source_lines(TRANSCRIPT_EN),
                                   people=ics.people_in([TRANSCRIPT_EN]))
    data = ics.tasks_ics(tasks, meeting_date=MEETING, meeting="Weekly sync", now=NOW)
    cal = _parse(data)
    todos = list(cal.walk("VTODO"))
    assert len(todos) == 4 and not list(cal.walk("VEVENT"))
    first = todos[0]
    assert str(first["summary"]) == "send the revised budget to the client"
    assert first.decoded("due") == date(2026, 3, 13) and first["due"].params.get("VALUE") == "DATE"
    assert str(first["status"]) == "NEEDS-ACTION"
    assert first.decoded("dtstamp") == NOW
    desc = str(first["description"])
    assert "Owner: Ana Gómez" in desc and "Due as said: Friday" in desc and "Weekly sync" in desc
    assert "[2] Ana: I will send the revised budget" in desc
    attendee = first["attendee"]
    assert str(attendee) == "mailto:ana.gomez@example.com" and attendee.params["CN"] == "Ana Gómez"
    contract = todos[2]
    assert "due" not in contract and "no date" in str(contract["description"]).lower() or \
        "asap" in str(contract["description"])
    assert "attendee" not in todos[3]
    uids = [str(t["uid"]) for t in todos]
    assert len(set(uids)) == 4 and all(u.endswith("@private-copilot") for u in uids)
    # the same tasks saved again keep their UIDs: the calendar app updates instead of duplicating
    again = _parse(ics.tasks_ics(tasks, meeting_date=MEETING, meeting="Weekly sync"))
    assert [str(t["uid"]) for t in again.walk("VTODO")] == uids


def test_no_tasks_no_file():
    with pytest.raises(ics.CalendarError):
        ics.tasks_ics([])


def test_checklist_and_text():
    tasks = [ics.Task("send the budget", "Ana", due=date(2026, 3, 13), due_text="Friday"),
             ics.Task("check the contract", due_text="asap", due_note="no date found"),
             ics.Task("update the slides", "Marta")]
    assert ics.tasks_checklist(tasks) == ("- [ ] **Ana**: send the budget (due 2026-03-13)\n"
                                          "- [ ] check the contract (due: asap?)\n"
                                          "- [ ] **Marta**: update the slides\n")
    assert ics.tasks_text(tasks) == ("Ana: send the budget (due Fri 13 Mar 2026)\n"
                                     "check the contract (due: asap)\n"
                                     "Marta: update the slides\n")
    assert ics.tasks_checklist([]) == ""


# -- invitations ----------------------------------------------------------------------------------

THREAD = """From: Ana Gómez <ana@example.com>
To: Me Myself <me@example.com>
Subject: Re: Budget review
Date: Mon, 9 Mar 2026 10:15:00 +0100

Hi, can we meet on Thursday at 11:00 to go through the budget? Here is the link:
https://meet.google.com/abc-defg-hij
Luis (luis@example.com) will join too.
"""


def _thread(text=THREAD):
    return parse_email_text(text)


def test_invitation_from_the_thread():
    inv = ics.invitation_from_thread(_thread(), "Yes, Thursday at 11:00 works for me.", zone="Europe/Madrid")
    assert inv is not None
    assert inv.title == "Budget review"
    assert inv.start == datetime(2026, 3, 12, 11, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert inv.zone == "Europe/Madrid" and inv.minutes == 30
    assert inv.organizer == ("Me Myself", "me@example.com")
    assert ("Ana Gómez", "ana@example.com") in inv.attendees
    assert all(a != "me@example.com" for _n, a in inv.attendees)
    assert inv.url == "https://meet.google.com/abc-defg-hij" and inv.location == inv.url
    assert any("30 minutes" in n for n in inv.notes)
    assert ics.check_invitation(inv, _thread()) == []


def test_invitation_time_in_the_senders_zone_when_the_thread_names_none():
    thread = _thread(THREAD.replace("+0100", "-0500"))
    inv = ics.invitation_from_thread(thread, "", zone="Europe/Madrid")
    assert inv.start.utcoffset() == timedelta(hours=-5) and inv.start.hour == 11
    assert inv.zone == ""  # written in UTC: 16:00Z
    assert any("sender's time" in n and "17:00 for you" in n for n in inv.notes)
    cal = _parse(ics.invitation_ics(inv, now=NOW))
    ev = next(iter(cal.walk("VEVENT")))
    assert ev.decoded("dtstart") == datetime(2026, 3, 12, 16, 0, tzinfo=timezone.utc)


def test_no_meeting_time_no_invitation():
    thread = _thread(THREAD.replace("on Thursday at 11:00", "soon"))
    assert ics.invitation_from_thread(thread, "Sure, let's find a time.", zone="Europe/Madrid") is None
    blank = ics.blank_invitation(thread, zone="Europe/Madrid", now=datetime(2026, 3, 13, 9, 0, tzinfo=timezone.utc))
    assert blank.start == datetime(2026, 3, 16, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))  # Friday -> Monday
    assert blank.organizer == ("Me Myself", "me@example.com") and blank.notes


def test_invitation_check_flags_a_time_the_thread_does_not_say():
    inv = ics.invitation_from_thread(_thread(), "", zone="Europe/Madrid")
    moved = ics.Invitation(**{**inv.__dict__, "start": inv.start.replace(hour=15)})
    findings = ics.check_invitation(moved, _thread())
    assert [f.kind for f in findings] == ["time"]
    assert ics.check_invitation(moved, _thread(), points="make it 15:00 instead") == []


def test_invitation_ics_field_by_field():
    inv = ics.invitation_from_thread(_thread(), "Yes, Thursday at 11:00.", zone="Europe/Madrid")
    cal = _parse(ics.invitation_ics(inv, now=NOW))
    assert str(cal["method"]) == "REQUEST"
    ev = next(iter(cal.walk("VEVENT")))
    assert str(ev["summary"]) == "Budget review"
    assert ev.decoded("dtstart") == datetime(2026, 3, 12, 11, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert ev["dtstart"].params["TZID"] == "Europe/Madrid"
    assert ev.decoded("dtend") - ev.decoded("dtstart") == timedelta(minutes=30)
    assert str(ev["organizer"]) == "mailto:me@example.com"
    attendees = ev["attendee"] if isinstance(ev["attendee"], list) else [ev["attendee"]]
    assert {str(a) for a in attendees} == {"mailto:ana@example.com", "mailto:luis@example.com"}
    assert all(a.params["RSVP"] == "TRUE" and a.params["PARTSTAT"] == "NEEDS-ACTION" for a in attendees)
    assert str(ev["location"]) == "https://meet.google.com/abc-defg-hij"
    tz = next(iter(cal.walk("VTIMEZONE")))
    assert str(tz["tzid"]) == "Europe/Madrid"


def test_invitation_round_trips_through_the_draft():
    inv = ics.invitation_from_thread(_thread(), "", zone="Europe/Madrid")
    assert ics.Invitation.from_dict(inv.as_dict()) == inv
    assert ics.Invitation.from_dict({"start": "not a date"}) is None


def test_reply_eml_carries_the_invitation():
    inv = ics.invitation_from_thread(_thread(), "", zone="Europe/Madrid")
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    msg["To"] = "Ana Gómez <ana@example.com>"
    msg["Subject"] = "Re: Budget review"
    msg.set_content("Sí, el jueves a las 11 me va bien.\n")
    out = ics.attach_invitation(msg, ics.invitation_ics(inv))
    parsed = email.message_from_bytes(bytes(out), policy=email.policy.default)
    assert parsed["Subject"] == "Re: Budget review" and parsed["To"] == "Ana Gómez <ana@example.com>"
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Sí, el jueves a las 11 me va bien.\n"
    calendars = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1 and calendars[0].get_param("method") == "REQUEST"
    assert calendars[0].get_content_maintype() == "text"
    cal = Calendar.from_ical(calendars[0].get_payload(decode=True))
    assert str(next(iter(cal.walk("VEVENT")))["summary"]) == "Budget review"
    attached = [p for p in parsed.iter_attachments() if p.get_filename() == "invite.ics"]
    assert len(attached) == 1 and attached[0].get_content_type() == "application/ics"


def test_read_calendar_rejects_junk():
    with pytest.raises(ics.CalendarError):
        ics.read_calendar(b"this is not a calendar")


def test_subject_prefixes():
    assert ics.clean_subject("RE: Fwd: RV: Presupuesto 2026") == "Presupuesto 2026"
    assert ics.clean_subject("") == ""
