"""Tasks and invitations as iCalendar files (RFC 5545), and the plain forms of the same tasks.

- **Tasks** come from the minutes' Action items (``tasks_from_minutes``): one VTODO each, with
  the item as SUMMARY; the owner, the due date as the minutes wrote it and the transcript
  lines it comes from in DESCRIPTION; the owner as ATTENDEE when an address for that name is
  known (the notes or the thread name "Ana Gómez <ana@example.com>"); DUE as a date, resolved
  against the meeting's date (dates.py: "el viernes", "next Tuesday", "end of month"). An
  item whose date cannot be resolved gets no DUE and says so (``Task.due_note``); one whose
  date has two readings ("el 5/6") gets the first and names the other. The same tasks as a
  Markdown checklist (Obsidian, Notion, GitHub) and as plain text.
- **Invitations** (``invitation_from_thread``): when the reply or the thread proposes a day
  and a time, a VEVENT with METHOD:REQUEST: the subject as title, the time in the zone the
  thread names, else the sender's zone from its Date header (the user is told when that
  differs from theirs), attendees from the thread's addresses, the online-meeting link or
  room when the thread gives one. ``attach_invitation`` adds it to the exported .eml as a
  ``text/calendar; method=REQUEST`` part (and as invite.ics), the form Thunderbird and
  Outlook answer with Accept/Decline.

UIDs are derived from the content (uuid5), so saving the same tasks again updates them in
the calendar app instead of adding copies. Nothing is written that icalendar cannot read
back (``read_calendar``); the ORGANIZER of an invitation is the user's own address.

The user's text is never logged.
"""

from __future__ import annotations

import email.message
import email.policy
import email.utils
import re
import unicodedata
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PRODID = "-//Private Copilot//Private Copilot 1.0//EN"
_NAMESPACE = uuid.UUID("6f1b8a52-3c1e-4d67-9a0e-52c0f0a7c3d1")
DEFAULT_MINUTES = 30


class CalendarError(ValueError):
    """Nothing to put in a calendar file; the message says why and what to do."""


# ---------------------------------------------------------------------------------------------
# People: names and the addresses the text gives for them

_RE_NAMED_ADDRESS = re.compile(r"\"?(?P<name>[^\s\"<>,;:()\[\]][^\"<>,;:()\[\]\n]{0,60}?)\"?\s*<(?P<addr>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>")
_RE_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def people_in(texts: Iterable[str]) -> list[tuple[str, str]]:
    """(name, address) pairs named in ``texts``, first mention first; bare addresses get the
    name their local part spells ("ana.gomez@…" -> "Ana Gomez")."""
    out: dict[str, str] = {}
    for text in texts:
        if not text:
            continue
        for m in _RE_NAMED_ADDRESS.finditer(text):
            addr = m.group("addr").lower()
            name = m.group("name").strip().strip("'\"")
            if addr not in out or not out[addr]:
                out[addr] = name
        for m in _RE_ADDRESS.finditer(text):
            addr = m.group(0).lower()
            out.setdefault(addr, "")
    return [(name or _name_from_local(addr), addr) for addr, name in out.items()]


def _name_from_local(addr: str) -> str:
    local = addr.split("@", 1)[0]
    parts = [p for p in re.split(r"[._-]+", local) if p.isalpha()]
    return " ".join(p.capitalize() for p in parts)


def address_for(owner: str, people: Sequence[tuple[str, str]]) -> str:
    """The address of ``owner`` among ``people``: the same full name, else the one person whose
    first name (or local part) is the owner's first name; "" when none or several match."""
    want = _fold(owner).split()
    if not want:
        return ""
    exact = [a for n, a in people if _fold(n).split() == want]
    if len(exact) == 1:
        return exact[0]
    first = [a for n, a in people if _fold(n).split()[:1] == want[:1]
             or _fold(a.split("@")[0]).split(".")[0] == want[0]]
    first = list(dict.fromkeys(first))
    return first[0] if len(first) == 1 else ""


# ---------------------------------------------------------------------------------------------
# Tasks

_RE_TIME_LABEL = re.compile(r"\s*\[\d{1,2}:\d{2}(?::\d{2})?(?:\s*[–-]\s*\d{1,2}:\d{2}(?::\d{2})?)?\]")


@dataclass(frozen=True)
class Task:
    summary: str
    owner: str = ""          # "" when unassigned
    email: str = ""          # the owner's address, when the text gives one
    due: date | None = None
    due_text: str = ""       # as the minutes wrote it
    due_note: str = ""       # why the date is uncertain or missing, in English; "" when certain
    evidence: tuple[str, ...] = ()  # the transcript lines it comes from: "[12:03] Ana: …"
    problems: tuple[str, ...] = ()  # why the transcript does not back it, when it does not

    @property
    def date_unresolved(self) -> bool:
        return bool(self.due_text) and self.due is None

    def as_dict(self) -> dict:
        return {"summary": self.summary, "owner": self.owner or None, "email": self.email or None,
                "due": self.due.isoformat() if self.due else None, "due_text": self.due_text or None,
                "due_note": self.due_note or None, "evidence": list(self.evidence),
                "problems": list(self.problems)}


def has_action_items(minutes: str) -> bool:
    from copilot.core.evidence import _HEADING, _heading_sections

    sections = _heading_sections()
    for raw in minutes.split("\n"):
        h = _HEADING.match(raw)
        if h and sections.get((h.group("h") or h.group("b") or "").strip().rstrip(":").strip("*").strip()
                              .lower()) == "action_items":
            return True
    return False


def tasks_from_minutes(minutes: str, meeting_date: date | None, *, lines=None,
                       people: Sequence[tuple[str, str]] = (), language: str | None = None) -> list[Task]:
    """The Action items of ``minutes`` as tasks, due dates resolved against ``meeting_date``
    (None: none is resolved, each says so). ``lines`` (evidence.SourceLine) verifies each item
    against the transcript and quotes the lines; ``people`` gives owners' addresses (with
    the addresses the minutes themselves name)."""
    from copilot.core.dates import resolve_date
    from copilot.core.evidence import _UNASSIGNED, format_time, parse_items, verify_minutes

    if not minutes.strip():
        raise CalendarError("There are no minutes to take tasks from: write the minutes first.")
    if not has_action_items(minutes):
        raise CalendarError("These minutes have no Action items section (a heading \"## Action items\" or "
                            "\"## Tareas\"), so there are no tasks to export.")
    if lines is not None:
        items = verify_minutes(minutes, lines).section("action_items")
    else:
        items = [i for i in parse_items(minutes)[1] if i.section == "action_items"]
    known = list(people) + people_in([minutes])
    tasks = []
    for item in items:
        summary = re.sub(r"\s+", " ", _RE_TIME_LABEL.sub("", item.text)).strip(" .;-–—")
        if not summary:
            continue
        owner = item.owner.strip()
        if _fold(owner) in _UNASSIGNED or not re.search(r"[^\W\d_]", owner):
            owner = ""
        due, note = None, ""
        due_text = _RE_TIME_LABEL.sub("", item.due).strip()
        if due_text:
            if meeting_date is None:
                note = "no meeting date to count from: confirm the meeting's date"
            else:
                resolved = resolve_date(due_text, meeting_date, language=language)
                due, note = resolved.date, resolved.note
                if due is None and not note:
                    note = f"no date found in \u201c{due_text}\u201d"
        evidence = tuple(f"[{format_time(e.start_time) or e.line}] {e.quote}" for e in item.evidence)
        problems = tuple(item.problems) if lines is not None and not item.verified else ()
        tasks.append(Task(summary, owner, address_for(owner, known) if owner else "", due, due_text, note,
                          evidence, problems))
    return tasks


def _uid(*parts: object) -> str:
    return f"{uuid.uuid5(_NAMESPACE, '|'.join(str(p) for p in parts))}@private-copilot"


def _calendar(method: str | None = None):
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def _attendee(name: str, addr: str, **params: str):
    from icalendar import vCalAddress

    a = vCalAddress(f"mailto:{addr}")
    if name:
        a.params["cn"] = name
    for k, v in params.items():
        a.params[k.replace("_", "-")] = v
    return a


def task_description(task: Task, *, meeting: str = "") -> str:
    out = []
    if task.owner:
        out.append(f"Owner: {task.owner}")
    if task.due_text:
        line = f"Due as said: {task.due_text}"
        out.append(f"{line} ({task.due_note})" if task.due_note else line)
    if meeting:
        out.append(f"From: {meeting}")
    if task.evidence:
        out.append("In the transcript:")
        out.extend(task.evidence)
    if task.problems:
        out.append("Not verified: " + "; ".join(task.problems))
    return "\n".join(out)


def tasks_ics(tasks: Sequence[Task], *, meeting_date: date | None = None, meeting: str = "",
              now: datetime | None = None) -> bytes:
    """One VCALENDAR with a VTODO per task."""
    from icalendar import Todo

    if not tasks:
        raise CalendarError("There are no action items to export as tasks.")
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    cal = _calendar("PUBLISH")
    for task in tasks:
        todo = Todo()
        todo.add("uid", _uid("todo", meeting_date, meeting, task.owner, task.summary))
        todo.add("dtstamp", stamp)
        todo.add("created", stamp)
        todo.add("summary", task.summary)
        todo.add("status", "NEEDS-ACTION")
        description = task_description(task, meeting=meeting)
        if description:
            todo.add("description", description)
        if task.due is not None:
            todo.add("due", task.due)
        if task.email:
            todo.add("attendee", _attendee(task.owner, task.email, role="REQ-PARTICIPANT"))
        cal.add_component(todo)
    return cal.to_ical()


def tasks_checklist(tasks: Sequence[Task]) -> str:
    """``- [ ] **Owner**: task (due 2026-03-13)`` lines, for Markdown task lists."""
    out = []
    for t in tasks:
        owner = f"**{t.owner}**: " if t.owner else ""
        if t.due is not None:
            due = f" (due {t.due.isoformat()})"
        elif t.due_text:
            due = f" (due: {t.due_text}?)"
        else:
            due = ""
        out.append(f"- [ ] {owner}{t.summary}{due}")
    return "\n".join(out) + ("\n" if out else "")


def tasks_text(tasks: Sequence[Task]) -> str:
    """The tasks as plain text, one paragraph each, for a chat message or a mail."""
    out = []
    for t in tasks:
        head = f"{t.owner}: {t.summary}" if t.owner else t.summary
        if t.due is not None:
            head += f" (due {t.due.strftime('%a %d %b %Y')})"
        elif t.due_text:
            head += f" (due: {t.due_text})"
        out.append(head)
    return "\n".join(out) + ("\n" if out else "")


def read_calendar(data: bytes):
    """Parse an .ics file (icalendar.Calendar); CalendarError when it is not one."""
    from icalendar import Calendar

    try:
        return Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError) as exc:
        raise CalendarError("This is not a calendar file (.ics) that can be read.") from exc


# ---------------------------------------------------------------------------------------------
# Invitations

_RE_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|rv|r|tr|sv|vs|enc)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_RE_MEETING_URL = re.compile(
    r"https?://(?:[\w-]+\.)*(?:zoom\.us|meet\.google\.com|teams\.microsoft\.com|teams\.live\.com|webex\.com|"
    r"whereby\.com|meet\.jit\.si|jitsi\.[\w.]+|gotomeeting\.com|chime\.aws|bluejeans\.com)/[^\s<>\"')\]]*",
    re.IGNORECASE)
_RE_LOCATION = re.compile(
    r"(?:^|\n)\s*(?:location|where|place|lugar|ubicaci[oó]n|d[oó]nde|sala)\s*:\s*(?P<loc>[^\n]{2,80})"
    r"|\b(?P<room>(?:room|meeting room|conference room|sala(?: de reuniones)?|despacho|office|oficina)\s+"
    r"(?:[A-Z0-9][\w-]*|de\s+[A-ZÁÉÍÓÚ][\wáéíóúñ]+)(?:\s+[A-Z0-9][\w-]*)?)",
    re.IGNORECASE)


@dataclass(frozen=True)
class Invitation:
    title: str
    start: datetime                       # aware
    minutes: int = DEFAULT_MINUTES
    zone: str = ""                        # IANA name written as TZID; "" writes the time in UTC
    organizer: tuple[str, str] | None = None   # (name, address): the user
    attendees: tuple[tuple[str, str], ...] = ()
    location: str = ""
    url: str = ""
    description: str = ""
    said: str = ""                        # the proposal as the thread or the reply wrote it
    notes: tuple[str, ...] = ()           # for the preview, in English: what to confirm
    uid: str = ""

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def as_dict(self) -> dict:
        """For the saved draft (JSON)."""
        return {"title": self.title, "start": self.start.isoformat(), "minutes": self.minutes, "zone": self.zone,
                "organizer": list(self.organizer) if self.organizer else None,
                "attendees": [list(a) for a in self.attendees], "location": self.location, "url": self.url,
                "description": self.description, "said": self.said, "notes": list(self.notes), "uid": self.uid}

    @classmethod
    def from_dict(cls, d: dict) -> "Invitation | None":
        try:
            start = datetime.fromisoformat(d["start"])
            zone = _zone(d.get("zone"))
            if zone is not None:
                start = start.astimezone(zone)
            return cls(title=str(d.get("title") or "Meeting"), start=start, minutes=int(d.get("minutes") or 30),
                       zone=str(d.get("zone") or ""),
                       organizer=tuple(d["organizer"]) if d.get("organizer") else None,
                       attendees=tuple(tuple(a) for a in d.get("attendees") or ()),
                       location=str(d.get("location") or ""), url=str(d.get("url") or ""),
                       description=str(d.get("description") or ""), said=str(d.get("said") or ""),
                       notes=tuple(d.get("notes") or ()), uid=str(d.get("uid") or ""))
        except (KeyError, TypeError, ValueError):
            return None


def user_zone() -> str:
    """This computer's time zone as an IANA name ("UTC" when it cannot be told)."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
        if name:
            ZoneInfo(name)
            return name
    except Exception:  # noqa: BLE001 - tzlocal raises its own errors for odd set-ups
        pass
    return "UTC"


def _zone(name: str | None):
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def clean_subject(subject: str) -> str:
    return _RE_PREFIX.sub("", subject or "").strip()


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"


def invitation_from_thread(thread, reply: str = "", *, zone: str | None = None,
                           organizer: tuple[str, str] | None = None,
                           now: datetime | None = None) -> Invitation | None:
    """The meeting the reply accepts or the thread proposes, as an invitation to preview;
    None when neither gives a day and a time. ``zone``: the user's (default: this computer's)."""
    from copilot.core.check import parse_email_date
    from copilot.core.dates import find_meeting_times

    zone = zone or user_zone()
    latest = thread.latest
    sent = parse_email_date(latest.date)
    reference = sent or (now or datetime.now(timezone.utc))
    texts = [reply] + [m.body for m in reversed(thread.messages)]
    proposals = [(i, p) for i, text in enumerate(texts) if text and text.strip()
                 for p in find_meeting_times(text, reference)]
    chosen = next((p for _i, p in proposals if p.day is not None and p.at is not None), None)
    if chosen is None:
        # "3pm works" in the reply, the day from the thread's proposal
        at = next((p for _i, p in proposals if p.at is not None), None)
        day = next((p for _i, p in proposals if p.day is not None), None)
        if at is None or day is None:
            return None
        chosen = replace(at, day=day.day, text=f"{day.text} … {at.text}", tz=at.tz or day.tz,
                         minutes=at.minutes or day.minutes, note=at.note or day.note)
    notes = [chosen.note] if chosen.note else []
    naive = datetime.combine(chosen.day, chosen.at)
    mine = _zone(zone) or timezone.utc
    stated = _zone(chosen.tz)
    if stated is not None:
        start = naive.replace(tzinfo=stated)
        ics_zone = chosen.tz
        if start.utcoffset() != start.astimezone(mine).utcoffset():
            notes.append(f"{chosen.tz} time as the thread says; that is "
                         f"{start.astimezone(mine):%H:%M} for you ({zone}).")
    elif sent is not None and sent.utcoffset() is not None and \
            naive.replace(tzinfo=mine).utcoffset() != sent.utcoffset():
        start = naive.replace(tzinfo=timezone(sent.utcoffset()))
        ics_zone = ""
        notes.append(f"The thread names no time zone: {chosen.at:%H:%M} is read in the sender's time "
                     f"({_offset_text(sent.utcoffset())}, from the email's date), which is "
                     f"{start.astimezone(mine):%H:%M} for you ({zone}). Check it before sending.")
    else:
        start = naive.replace(tzinfo=mine)
        ics_zone = zone if isinstance(mine, ZoneInfo) else ""
        if sent is None:
            notes.append(f"The thread names no time zone: read in yours ({zone}).")
    if start < reference.astimezone(start.tzinfo) - timedelta(hours=1):
        notes.append("This time is before the email was sent: check the date.")

    everyone = people_in([m.sender for m in thread.messages] + [m.to for m in thread.messages]
                         + [m.body for m in thread.messages] + [reply])
    me = organizer[1].lower() if organizer else ""
    if not organizer:
        own = people_in([latest.to])
        if len(own) == 1:
            organizer = own[0]
            me = own[0][1]
        else:
            notes.append("Your own address is not known: enter it as the organizer.")
    attendees = tuple((n, a) for n, a in everyone if a != me)
    if not attendees:
        notes.append("The thread gives no addresses to invite: add the attendees.")
    joined = "\n".join(t for t in texts if t)
    url_m = _RE_MEETING_URL.search(joined)
    loc_m = _RE_LOCATION.search(joined)
    location = ""
    if loc_m:
        location = (loc_m.group("loc") or loc_m.group("room") or "").strip().rstrip(".")
    url = url_m.group(0).rstrip(".,;") if url_m else ""
    title = clean_subject(thread.subject) or "Meeting"
    # "yes, Thursday at 11" accepts the thread's "Thursday at 11, for an hour": the length comes along
    said = chosen.minutes or next((p.minutes for _i, p in proposals
                                   if p.minutes and p.day == chosen.day and p.at == chosen.at), None)
    minutes = said or DEFAULT_MINUTES
    if not said:
        notes.append(f"No length was said: {DEFAULT_MINUTES} minutes.")
    return Invitation(title=title, start=start, minutes=minutes, zone=ics_zone, organizer=organizer,
                      attendees=attendees, location=location or url, url=url,
                      description=url and f"Join: {url}", said=chosen.text, notes=tuple(notes))


def blank_invitation(thread, *, zone: str | None = None, now: datetime | None = None) -> Invitation:
    """An invitation for the user to fill in when the emails propose no time: the next working
    day at 10:00 in the user's zone, the thread's people invited."""
    zone = zone or user_zone()
    tz = _zone(zone) or timezone.utc
    day = (now or datetime.now(tz)).astimezone(tz).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    start = datetime.combine(day, time(10, 0), tzinfo=tz)
    own = people_in([thread.latest.to])
    organizer = own[0] if len(own) == 1 else None
    everyone = people_in([m.sender for m in thread.messages] + [m.to for m in thread.messages])
    attendees = tuple(p for p in everyone if not organizer or p[1] != organizer[1])
    return Invitation(title=clean_subject(thread.subject) or "Meeting", start=start, zone=zone if _zone(zone) else "",
                      organizer=organizer, attendees=attendees,
                      notes=("The emails propose no meeting time: set the day and time here.",))


def when_text(inv: Invitation) -> str:
    """The invitation's time as the commitment check reads it, in the zone it was said in:
    "Thursday 26 March 2026 at 11:00"."""
    return f"{inv.start:%A} {inv.start.day} {inv.start:%B %Y} at {inv.start:%H:%M}"


def check_invitation(inv: Invitation, thread, points: str = "") -> list:
    """The commitment check on the invitation's date and time against the thread and the
    user's points (not the reply: a time the reply invented is what it must catch)."""
    from copilot.core.check import check_draft, parse_email_date

    sources = [m.with_headers() for m in thread.messages]
    ref = parse_email_date(thread.latest.date)
    return [f for f in check_draft(when_text(inv), sources, points=points, reference=ref)
            if f.kind in ("date", "time")]


def invitation_ics(inv: Invitation, *, now: datetime | None = None, method: str = "REQUEST") -> bytes:
    from icalendar import Event

    if inv.minutes <= 0:
        raise CalendarError("The meeting's length must be at least one minute.")
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    cal = _calendar(method)
    ev = Event()
    ev.add("uid", inv.uid or _uid("event", inv.title, inv.start.isoformat(),
                                  ",".join(a for _n, a in inv.attendees)))
    ev.add("dtstamp", stamp)
    ev.add("sequence", 0)
    ev.add("summary", inv.title or "Meeting")
    zone = _zone(inv.zone)
    start = inv.start.astimezone(zone) if zone else inv.start.astimezone(timezone.utc)
    ev.add("dtstart", start)
    ev.add("dtend", start + timedelta(minutes=inv.minutes))
    ev.add("status", "CONFIRMED")
    ev.add("transp", "OPAQUE")
    if inv.location:
        ev.add("location", inv.location)
    if inv.url:
        ev.add("url", inv.url)
    if inv.description:
        ev.add("description", inv.description)
    if inv.organizer:
        ev.add("organizer", _attendee(inv.organizer[0], inv.organizer[1]))
    for name, addr in inv.attendees:
        ev.add("attendee", _attendee(name, addr, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="TRUE"))
    cal.add_component(ev)
    if zone:  # the zone's rules around the meeting, so the file stays small
        cal.add_missing_timezones(first_date=date(start.year - 1, 1, 1), last_date=date(start.year + 2, 1, 1))
    return cal.to_ical()


def attach_invitation(msg: email.message.EmailMessage, ics: bytes) -> email.message.EmailMessage:
    """``msg`` (a plain-text reply) with the invitation as a ``text/calendar; method=REQUEST``
    alternative of its body and as an invite.ics attachment."""
    out = email.message.EmailMessage(policy=email.policy.SMTP)
    for key, value in msg.items():
        if key.lower() not in ("content-type", "content-transfer-encoding", "mime-version"):
            out[key] = value
    body = msg.get_content() if not msg.is_multipart() else msg.get_body(("plain",)).get_content()
    out.set_content(body)
    out.add_alternative(ics, maintype="text", subtype="calendar", cte="base64",
                        params={"method": "REQUEST", "charset": "utf-8"})
    out.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return out
