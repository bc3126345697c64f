"""Written dates and meeting times (English and Spanish) as calendar values.

Two uses: the due dates of action items in meeting minutes, resolved against the meeting's
date (``resolve_date``), and the meeting times proposed or accepted in an email thread,
resolved against the email's Date header (``find_meeting_times``). ``meeting_date_in_text``
finds the date a set of notes states at its top.

Deterministic, no model. Dates and times are read by the commitment check's patterns
(``copilot.core.check``: ``_DATE_PATTERNS`` / ``_TIME_PATTERNS`` through its extractor, which
also keeps a date inside an email address or URL from counting, and falls back to dateparser
for sentences with a month or weekday word no pattern explained). This module adds only what
the check has no use for: "in two weeks" / "dentro de 10 días", "end of day", durations,
time ranges ("from 3 to 4pm", "de 10 a 11") and time zones.

The rules
- A weekday ("Friday", "el viernes", "this Friday", "next Tuesday", "el próximo martes",
  "el martes que viene") is the first such day AFTER the reference: "Friday" said on a
  Friday is the Friday a week later, and "next Tuesday" said on a Monday is the next day.
  (Whether "next Tuesday" means the Tuesday of next week is debated; the simple rule wins.)
- Numeric day and month ("5/6", "5/6/2026"): D/M first (the Spanish and European order)
  unless ``language="en"``, which reads M/D first. language=None does not guess the order
  from the text (a due text says too little). The other reading is always in
  ``alternatives`` and the note says "ambiguous: 5 June or 6 May". "27/3" and "3/27" are
  unambiguous (27 is no month).
- A date without a year is the nearest such date: from 90 days back to 275 days ahead of
  the reference ("el 5 de enero" in a meeting on 30 December is next January). A day
  number alone ("para el 15") is the next such day, counted from 3 days back.
- A date before the reference is still returned, with the note "before the meeting date"
  (resolve_date) or "before the reference date" (find_meeting_times); a day number alone
  that falls before it lists the same day of the next month as an alternative.
- A weekday that does not match its day number ("jueves 27" when the 27th is a Friday,
  "Thursday 27 March"): the day number wins; the nearest such weekday and the nearest date
  matching both are the alternatives; the note says so. A weekday written with a numeric
  date ("viernes 5/6") picks the reading that falls on it.
- Approximate (``approximate=True``, note "a week, not a day: ..."): "next week" / "this
  week" / "la semana que viene" -> that week's Friday; "next month" / "en marzo" / "by
  March" -> the month's last day. Exact: "end of the week" / "finales de semana" (Friday of
  the reference's week), "end of month" / "fin de mes" / "end of March" (its last day; a
  named month up to two months back is the past one, the check's rule: "end of February"
  in March is already over), "end of next week" (that Friday), "tomorrow", "in two weeks" (reference + 14 days), "in 3
  months" (same day number, clamped to the month's end), "EOD" (the reference).
- Several dates in a due text: the first is chosen, the others are alternatives, noted; a
  range ("15-16 de junio", "from Monday to Wednesday") chooses its end.
- "antes del viernes" / "by Friday" is due on that Friday.
- Times: without am/pm or a 24-hour hour, 1 to 6 read as afternoon ("a las 3" -> 15:00,
  noted); "tonight"/"this afternoon"/"por la tarde" make it afternoon too. A time pairs with
  the date in its sentence that it is written against ("Thursday at 3pm", "at 3pm on
  Thursday", "el jueves 27 a las 11"); "Thursday or Friday at 3" gives both days at 3.
- Time zones are IANA names: CET/CEST, "hora peninsular", "Madrid time" -> Europe/Madrid;
  EST/EDT/ET -> America/New_York, CST/CT -> America/Chicago, MST/MT -> America/Denver,
  PST/PT -> America/Los_Angeles; GMT and UTC -> UTC; "UTC+1" -> Etc/GMT-1 (POSIX signs are
  inverted); BST/"UK time" -> Europe/London. A zone counts only written right after the
  time (or after the day written after it); an offset with minutes ("UTC+05:30") has no
  name: tz None and a note.
- Durations: "30 minutes", "1 hour", "an hour and a half", "media hora", "una hora", or a
  time range. One in the proposal's sentence applies to it; otherwise, a text that states
  exactly one duration applies it to every proposal with a time.
- Not proposals: lines quoted with ">", "On ... wrote:" / "El ... escribió:" lines, header
  blocks (two or more "From:/De:/To:/Subject:/Asunto:..." lines) and any "Date:", "Sent:",
  "Enviado:" line (and "Fecha:" lines that are RFC 2822 dates or part of a header block).
  Offsets stay those of the text passed in.

Notes are for the user, in English. The user's text is never logged.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from copilot.core.check import (
    _EN_AFTER_AT_OK,
    _EN_NUM,
    _ES_NUM,
    _M,
    _MONTHS,
    _NOUN_AFTER_LAS_OK,
    _alt,
    _date_readings,
    _day_only,
    _extract,
    _infer_year,
    _parse_words,
    _valid,
    parse_email_date,
)

__all__ = ["ResolvedDate", "ProposedTime", "resolve_date", "find_meeting_times", "meeting_date_in_text"]

_F = re.IGNORECASE
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


@dataclass(frozen=True)
class ResolvedDate:
    text: str                                   # the date as written ("el viernes", "next Tuesday", "5/6")
    date: dt.date | None                        # the day chosen; None when nothing could be resolved
    alternatives: tuple[dt.date, ...] = ()      # other readings ("5/6": 6 May when 5 June is chosen)
    note: str = ""                              # for the user, in English; "" when certain
    approximate: bool = False                   # "next week" -> that Friday, "en marzo" -> 31 March


@dataclass(frozen=True)
class ProposedTime:
    text: str                  # the span as written: "el jueves 27 a las 11", "Thursday at 3pm CET"
    start: int                 # char offsets of that span in the text searched
    end: int
    day: dt.date | None
    at: dt.time | None         # None when only a day was said
    tz: str | None             # IANA name when the text names a zone; None when not stated
    minutes: int | None        # duration when stated
    note: str = ""             # English, "" when certain
    alternatives: tuple[dt.date, ...] = ()  # other readings of the day
    approximate: bool = False  # the day stands for a week or a month ("next week at 3")

    def starts_at(self, default_tz: str) -> dt.datetime | None:
        """An aware datetime in ``tz`` (or ``default_tz`` when none was stated); None without day and time."""
        if self.day is None or self.at is None:
            return None
        return dt.datetime.combine(self.day, self.at, tzinfo=_zone(self.tz, default_tz))

    def ends_at(self, default_tz: str) -> dt.datetime | None:
        """``starts_at`` plus the stated duration; None without a duration."""
        start = self.starts_at(default_tz)
        if start is None or self.minutes is None:
            return None
        return start + dt.timedelta(minutes=self.minutes)


def _zone(name: str | None, default: str) -> ZoneInfo:
    for candidate in (name, default):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


# ---------------------------------------------------------------------------------------------
# Wording

def _fmt(d: dt.date, ref: dt.date, weekday: bool = False) -> str:
    s = f"{d.day} {_MONTH_NAMES[d.month]}"
    if d.year != ref.year:
        s += f" {d.year}"
    return f"{_DAY_NAMES[d.weekday()]} {s}" if weekday else s


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


# ---------------------------------------------------------------------------------------------
# What check.py does not read: relative spans, end of day

_NUMW = _alt(set(_EN_NUM + _ES_NUM) | {"a", "an", "couple", "par"})
_NUM_RUN = rf"(?:{_NUMW})(?:(?:\s+(?:y|and)\s+|[\s-])(?:{_NUMW}))*"
_RE_RELATIVE = re.compile(
    rf"\b(?:(?:in|within|en|dentro\s+de|de\s+aqu[ií]\s+a)\s+(?P<n>\d{{1,3}}|{_NUM_RUN})\s+"
    rf"(?P<u>days?|weeks?|months?|d[ií]as?|semanas?|mes(?:es)?)\b(?:['’]s?\s+time)?"
    rf"|(?P<n2>\d{{1,3}}|{_NUM_RUN})\s+(?P<u2>days?|weeks?|months?)\s+from\s+(?:now|today)\b)", _F)
_RE_END_NEXT_WEEK = re.compile(r"\b(?:(?:the\s+)?end\s+of|(?:a\s+)?fin(?:al)?(?:es)?\s+de)\s+(?:la\s+)?"
                               r"(?:next\s+week|semana\s+que\s+viene|pr[oó]xima\s+semana|semana\s+pr[oó]xima)\b",
                               _F)
_RE_EOD = re.compile(r"\b(?:EOD|COB|end\s+of\s+(?:the\s+)?(?:day|business(?:\s+day)?)"
                     r"|(?:a\s+|al\s+)?(?:final|fin)\s+del\s+d[ií]a)\b", _F)
_RE_END_BEFORE = re.compile(r"(?:\bend\s+of\s+(?:the\s+)?|\b(?:a\s+)?fin(?:al)?(?:es)?\s+de\s+)$", _F)
# "March the 20th": the check reads "March 20th"; blanked to spaces so offsets stay
_RE_MONTH_THE = re.compile(rf"\b(?:{_M})\.?\s+(?P<the>the\s+)(?=\d)", _F)
_RE_RANGE_GAP = re.compile(r"\s*(?:-|–|—|al?|to|until|till|through|thru|hasta(?:\s+el)?)\s*", _F)


def _count(raw: str) -> int | None:
    raw = raw.strip().lower()
    if raw.isdigit():
        return int(raw)
    if raw in ("a couple", "couple", "un par", "par"):
        return 2
    v = _parse_words(raw)
    return int(v) if v is not None and v == int(v) and 0 < v < 1000 else None


@dataclass
class _Day:
    start: int
    end: int
    date: dt.date | None
    alternatives: tuple = ()
    note: str = ""
    approximate: bool = False
    evening: bool = False        # "tonight", "this afternoon", "esta tarde"


def _relative_days(text: str, ref: dt.date) -> list[_Day]:
    out = []
    for m in _RE_RELATIVE.finditer(text):
        n = _count(m.group("n") or m.group("n2"))
        unit = (m.group("u") or m.group("u2")).lower()
        if n is None:
            continue
        if unit.startswith(("day", "dia", "día")):
            d = ref + dt.timedelta(days=n)
        elif unit.startswith(("week", "semana")):
            d = ref + dt.timedelta(weeks=n)
        else:
            d = _add_months(ref, n)
        out.append(_Day(m.start(), m.end(), d))
    for m in _RE_EOD.finditer(text):
        out.append(_Day(m.start(), m.end(), ref))
    for m in _RE_END_NEXT_WEEK.finditer(text):  # the check reads "a finales de la semana| que viene"
        y, w, _ = (ref + dt.timedelta(days=7)).isocalendar()
        out.append(_Day(m.start(), m.end(), dt.date.fromisocalendar(y, w, 5)))
    return out


def _prepare(text: str) -> str:
    return _RE_MONTH_THE.sub(lambda m: m.group(0).replace(m.group("the"), " " * len(m.group("the"))), text)


# ---------------------------------------------------------------------------------------------
# Dates from the check's readings

def _ordered(readings, language: str | None) -> list:
    readings = list(readings)
    if len(readings) > 1 and language == "en":
        readings.reverse()  # the check lists the D/M reading first
    return readings


def _day_from_readings(readings, start: int, end: int, text: str, ref: dt.date,
                       language: str | None) -> _Day | None:
    readings = _ordered(readings, language)
    resolved = [r.resolved for r in readings if r.resolved is not None]
    if len(readings) > 1 and len(resolved) > 1:
        return _Day(start, end, resolved[0], tuple(resolved[1:]),
                    "ambiguous: " + " or ".join(_fmt(d, ref) for d in resolved))
    r = readings[0]
    ex = r.explicit
    before = text[max(0, start - 20):start]
    if r.resolved is not None:
        if "wd" in ex and "d" in ex and "y" not in ex:
            plain = _infer_year(ex["m"], ex["d"], ref) if "m" in ex else _day_only(ex["d"], ref)
            if plain is not None and plain != r.resolved:
                near = min((plain + dt.timedelta(days=k) for k in range(-3, 4)
                            if (plain + dt.timedelta(days=k)).weekday() == ex["wd"]), key=lambda c: abs(c - plain))
                return _Day(start, end, plain, tuple(dict.fromkeys((near, r.resolved))),
                            f"{_DAY_NAMES[ex['wd']]} does not match {_day_words(ex, plain, ref)} "
                            f"(a {_DAY_NAMES[plain.weekday()]}): {_fmt(plain, ref, True)} chosen")
        alternatives = ()
        if set(ex) == {"d"} and r.resolved < ref:
            alternatives = tuple(a for a in (_next_month_day(r.resolved),) if a)
        return _Day(start, end, r.resolved, alternatives)
    if "wk" in ex:  # "next week", "esta semana"
        y, w = ex["wk"]
        friday = dt.date.fromisocalendar(y, w, 5)
        if _RE_END_BEFORE.search(before):
            return _Day(start, end, friday)
        return _Day(start, end, friday, (), f"a week, not a day: {_fmt(friday, ref, True)} chosen", True)
    if "m" in ex and "d" not in ex:  # "next month", "en marzo", "March 2027"
        m = ex["m"]
        if "y" in ex:
            last = _month_end(ex["y"], m)
        else:
            last = _month_end(ref.year, m)
            if last < ref:
                last = _month_end(ref.year + 1, m)
        if _RE_END_BEFORE.search(before):
            return _Day(start, end, last)
        return _Day(start, end, last, (), f"a month, not a day: {_fmt(last, ref)} chosen", True)
    if "d" in ex and "wd" in ex:  # a weekday that no date with that day number matches
        d = ex["d"]
        if "m" in ex:
            plain = _valid(ex["y"], ex["m"], d) if "y" in ex else _infer_year(ex["m"], d, ref)
        else:
            plain = _day_only(d, ref)
        if plain is None:
            return None
        return _Day(start, end, plain, (),
                    f"{_DAY_NAMES[ex['wd']]} does not match {_fmt(plain, ref)} "
                    f"(a {_DAY_NAMES[plain.weekday()]}): {_fmt(plain, ref, True)} chosen")
    return None


_RE_SLASH_AFTER = re.compile(r"/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?(?![\d/])")


def _weekday_numeric(f, work: str, ref: dt.date, language: str | None) -> _Day | None:
    """"Thursday 5/6": the check reads "Thursday 5"; read the whole, the weekday picking the reading."""
    ex = f.value[0].explicit
    m = _RE_SLASH_AFTER.match(work, f.end)
    if len(f.value) != 1 or "wd" not in ex or "d" not in ex or "m" in ex or not m:
        return None
    name = "dmy" if m.group("y") else "dm_num"
    readings = _date_readings(name, {"a": str(ex["d"]), "b": m.group("b"), "y": m.group("y")}, "", ref)
    if not readings:
        return None
    return _pick_by_weekday(readings, ex["wd"], f.start, m.end(), work, ref, language)


def _weekday_then_numeric(previous, f, work: str) -> bool:
    p = previous[0]
    return (len(p.value) == 1 and set(p.value[0].explicit) == {"wd"}
            and all({"d", "m"} <= set(r.explicit) and "wd" not in r.explicit for r in f.value)
            and re.fullmatch(r"\s*,?\s*", work[p.end:f.start]) is not None
            and re.fullmatch(r"\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?", work[f.start:f.end]) is not None)


def _pick_by_weekday(readings, wd: int, start: int, end: int, work: str, ref: dt.date,
                     language: str | None) -> _Day | None:
    """The numeric reading that falls on the weekday written with it ("Friday 5/6" is 5 June 2026)."""
    matching = [r for r in readings if r.resolved and r.resolved.weekday() == wd]
    if len(matching) == 1:
        others = tuple(r.resolved for r in readings if r is not matching[0] and r.resolved)
        return _Day(start, end, matching[0].resolved, others)
    day = _day_from_readings(readings, start, end, work, ref, language)
    if day is not None and day.date is not None and not matching:
        day.note = _join(day.note, f"{_DAY_NAMES[wd]} matches no reading")
    return day


def _day_words(ex: dict, d: dt.date, ref: dt.date) -> str:
    return _fmt(d, ref) if "m" in ex else f"the {d.day}{_suffix(d.day)}"


def _suffix(d: int) -> str:
    return "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")


def _next_month_day(d: dt.date) -> dt.date | None:
    y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    for _ in range(12):
        if c := _valid(y, m, d.day):
            return c
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


_RE_EVENING = re.compile(r"\b(?:tonight|this\s+(?:afternoon|evening)|esta\s+(?:tarde|noche))\b", _F)


def _days_and_times(work: str, ref: dt.date, language: str | None):
    """(days, time facts) found in ``work`` (an already masked and prepared text)."""
    facts = _extract(work, ref)
    days = _relative_days(work, ref)
    taken = [(d.start, d.end) for d in days]
    times = []
    previous = None
    for f in facts:
        if any(f.start < e and s < f.end for s, e in taken):
            continue
        if f.kind == "date":
            if previous is not None and _weekday_then_numeric(previous, f, work):
                # "el viernes 5/6/2026": the check reads the weekday and the date apart
                days.remove(previous[1])
                day = _pick_by_weekday(f.value, previous[0].value[0].explicit["wd"], previous[0].start, f.end,
                                       work, ref, language)
            else:
                day = _weekday_numeric(f, work, ref, language) or \
                    _day_from_readings(f.value, f.start, f.end, work, ref, language)
            previous = None
            if day is not None:
                day.evening = bool(_RE_EVENING.search(work, f.start, f.end))
                days.append(day)
                previous = (f, day)
        elif f.kind == "time":
            times.append(f)
    days.sort(key=lambda d: d.start)
    return days, times


# ---------------------------------------------------------------------------------------------
# resolve_date

def resolve_date(text: str, reference: dt.date, *, language: str | None = None) -> ResolvedDate:
    """The due date written in ``text`` ("el viernes", "by 20 March", "(due: 5/6)"), resolved
    against ``reference`` (the meeting's date). See the module docstring for the rules."""
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    text = text or ""
    if not text.strip():
        return ResolvedDate(text, None, note="no date given")
    work = _prepare(text)
    days, _ = _days_and_times(work, reference, language)
    days = [d for d in days if d.date is not None]
    if not days:
        shown = " ".join(text.split())
        if len(shown) > 40:
            shown = shown[:39] + "…"
        return ResolvedDate(text, None, note=f"no date found in '{shown}'")
    if len(days) == 2 and _RE_RANGE_GAP.fullmatch(work, days[0].end, days[1].start):
        chosen, others, note = days[1], (days[0].date,), f"a range: its end, {_fmt(days[1].date, reference)}, chosen"
    else:
        chosen = days[0]
        others = tuple(d.date for d in days[1:])
        note = ""
        if any(o != chosen.date for o in others):
            note = f"several dates: {_fmt(chosen.date, reference)} chosen"
    alternatives = []
    for a in chosen.alternatives + others:
        if a != chosen.date and a not in alternatives:
            alternatives.append(a)
    past = "before the meeting date" if chosen.date < reference else ""
    return ResolvedDate(text, chosen.date, tuple(alternatives), _join(chosen.note, note, past), chosen.approximate)


# ---------------------------------------------------------------------------------------------
# Quoted text, headers

_HEADER_NAMES = (r"from|to|cc|bcc|date|sent|subject|reply-to|de|para|fecha|enviado(?:\s+el)?|asunto|"
                 r"enviada|remitente|destinatario|cco")
_RE_HEADER_LINE = re.compile(rf"^[ \t]*[*_]*(?P<name>{_HEADER_NAMES})[*_]*[ \t]*:[*_]*(?P<value>.*)$", _F | re.M)
_RE_ALWAYS_HEADER = re.compile(r"date|sent|enviado(?:\s+el)?|enviada", _F)
_RE_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.M)
_RE_WROTE = re.compile(r"^[ \t]*(?:On|El|Le|Am|Il|Em)\b[^\n]{0,200}(?:\n[^\n]{0,120})?"
                       r"(?:wrote|escribi[oó]|ha\s+escrito|a\s+écrit|schrieb|ha\s+scritto|escreveu)\s*:[ \t]*$",
                       re.M)


def _mask_quoted(text: str) -> str:
    """``text`` with quoted lines, "On ... wrote:" lines and header lines blanked (newlines kept)."""
    spans = [m.span() for m in _RE_QUOTE_LINE.finditer(text)]
    spans += [m.span() for m in _RE_WROTE.finditer(text)]
    headers = list(_RE_HEADER_LINE.finditer(text))
    line_no = {}
    for m in headers:
        line_no[m.start()] = text.count("\n", 0, m.start())
    numbers = set(line_no.values())
    for m in headers:
        n = line_no[m.start()]
        in_block = (n - 1) in numbers or (n + 1) in numbers
        name = m.group("name").lower()
        if in_block or _RE_ALWAYS_HEADER.fullmatch(name) or (
                name == "fecha" and parse_email_date(m.group("value")) is not None):
            spans.append(m.span())
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Durations, ranges, zones

_RE_DURATION = re.compile(
    rf"(?<![\w:.,])(?:(?P<q>(?:a\s+|one\s+)?quarter\s+of\s+an\s+hour|(?:un\s+)?cuarto\s+de\s+hora)"
    rf"|(?P<half>half\s+an\s+hour|(?:a\s+)?half[\s-]hour|media\s+hora)"
    rf"|(?P<hh>(?:an?|one)\s+hour\s+and\s+a\s+half|(?:una\s+)?hora\s+y\s+media)"
    rf"|(?P<n>\d{{1,3}}(?:[.,]\d{{1,2}})?|{_NUM_RUN})\s*-?\s*(?P<u>minutes?|mins?|minutos?|hours?|horas?|hrs?)\b"
    rf"(?:\s+and\s+a\s+half|\s+y\s+media)?(?P<plus>)"
    rf"|(?P<hour>\bhour\b))", _F)
_RE_DURATION_NOT = re.compile(r"(?:\b(?:in|en|dentro\s+de|hace|within|every|cada)\s+(?:the\s+|los\s+|las\s+)?$)", _F)
_RE_DURATION_NOT_AFTER = re.compile(r"\s+(?:ago|late|later|early|earlier|before|after|tarde|antes|despu[eé]s|"
                                    r"de\s+retraso|behind|away|from\s+now)\b", _F)


@dataclass
class _Duration:
    start: int
    end: int
    minutes: int


def _durations(text: str) -> list[_Duration]:
    out = []
    for m in _RE_DURATION.finditer(text):
        if m.group("hour"):
            continue  # a bare "hour" (as in "the hour") says nothing
        if _RE_DURATION_NOT.search(text[max(0, m.start() - 20):m.start()]) \
                or _RE_DURATION_NOT_AFTER.match(text, m.end()):
            continue
        if m.group("q"):
            minutes = 15
        elif m.group("half"):
            minutes = 30
        elif m.group("hh"):
            minutes = 90
        else:
            raw = m.group("n")
            if raw[0].isdigit():
                value = Decimal(raw.replace(",", "."))
            else:
                count = _count(raw)
                if count is None:
                    continue
                value = Decimal(count)
            unit = m.group("u").lower()
            if re.search(r"(?:and\s+a\s+half|y\s+media)$", m.group(0), _F):
                value += Decimal("0.5")
            minutes = int(value * 60) if unit.startswith(("h",)) else int(value)
            if not 0 < minutes <= 24 * 60:
                continue
        out.append(_Duration(m.start(), m.end(), minutes))
    return out


_H = r"(?:[01]?\d|2[0-3])"
_AP_RX = r"a\.?\s?m\.?|p\.?\s?m\.?"
_RE_TIME_RANGE = re.compile(
    rf"(?<![\w:.,/-])(?:(?P<kw>from|between|de|desde|entre)\s+)?(?:las?\s+)?(?P<h1>{_H})(?:[:.](?P<m1>[0-5]\d))?"
    rf"(?:\s*(?P<ap1>{_AP_RX})(?![a-z]))?(?:\s*(?:h|hrs?)\b)?"
    rf"\s*(?P<sep>-|–|—|to|till|until|and|a|hasta|y)\s*(?:las?\s+)?"
    rf"(?P<h2>{_H})(?:[:.](?P<m2>[0-5]\d))?(?![\d/.-]\d|\d)"
    rf"(?:\s*(?P<ap2>{_AP_RX}|h\b|hrs?\b|horas\b)(?![a-z]))?", _F)
_RANGE_AFTER_OK = _NOUN_AFTER_LAS_OK | _EN_AFTER_AT_OK | {"cet", "cest", "utc", "gmt", "est", "pst", "hora",
                                                          "time", "h", "pm", "am", "o'clock"}


def _ap(raw: str | None) -> str:
    return (raw or "").lower().replace(".", "").replace(" ", "")


def _ranges(text: str) -> list[tuple[int, int, int, int, int, int, bool]]:
    """(start, end, h1, m1, h2, m2, known) of time ranges: "10:00-10:30", "from 3 to 4pm", "de 10 a 11"."""
    out = []
    for m in _RE_TIME_RANGE.finditer(text):
        kw, sep = (m.group("kw") or "").lower(), m.group("sep").lower()
        ap1, ap2 = _ap(m.group("ap1")), _ap(m.group("ap2"))
        marked = bool(m.group("m1") or m.group("m2") or ap1 or ap2)
        if sep in ("and", "y") and kw not in ("between", "entre"):
            continue
        if sep in ("a", "hasta") and kw not in ("de", "desde") and not (m.group("m1") and m.group("m2")):
            continue
        if sep in ("to", "till", "until") and not (kw or (m.group("m1") or ap1) and (m.group("m2") or ap2)):
            continue
        if sep in ("-", "–", "—") and not (kw or marked):
            continue
        if not kw and not marked:
            continue
        after = re.match(r"\s*([^\W\d_]+)", text[m.end():m.end() + 30])
        if after and not ap2:
            word = after.group(1).lower()
            if word not in _RANGE_AFTER_OK and word.upper() not in _TZ_ABBR:
                continue
        if after and after.group(1).lower() in _MONTHS:
            continue  # "10-11 March" is a date
        h1, h2 = int(m.group("h1")), int(m.group("h2"))
        m1, m2 = int(m.group("m1") or 0), int(m.group("m2") or 0)
        known = bool(ap1 or ap2) or h1 >= 13 or h2 >= 13 or h1 == 0 or ap2 in ("h", "hr", "hrs", "horas")
        if ap2 in ("pm", "am") and not ap1:
            ap1 = ap2 if (h1 % 12, m1) <= (h2 % 12, m2) else ("am" if ap2 == "pm" else "pm")
        h1, h2 = _apply_ap(h1, ap1), _apply_ap(h2, ap2)
        if h1 is None or h2 is None:
            continue
        if not known and 1 <= h1 <= 6:
            h1 += 12
        if (h2, m2) <= (h1, m1) and h2 < 12 and not ap2:
            h2 += 12
        if (h2, m2) <= (h1, m1):
            continue
        end = m.end()
        if text[end - 2:end].lower() == "m." and text[end - 4:end - 3] != ".":
            end -= 1  # "4pm." ends the sentence; "4 p.m." keeps its dot
        out.append((m.start(), end, h1, m1, h2, m2, known))
    return out


def _apply_ap(h: int, ap: str) -> int | None:
    if ap == "pm":
        return h + 12 if h < 12 else h
    if ap == "am":
        if h > 12:
            return None
        return 0 if h == 12 else h
    return h


_TZ_ABBR = {
    "CET": "Europe/Madrid", "CEST": "Europe/Madrid", "MET": "Europe/Madrid", "MEST": "Europe/Madrid",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon", "EET": "Europe/Athens", "EEST": "Europe/Athens",
    "BST": "Europe/London", "GMT": "UTC", "UTC": "UTC", "Z": "UTC",
    "EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
    "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
    "JST": "Asia/Tokyo", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "SGT": "Asia/Singapore",
    "HKT": "Asia/Hong_Kong", "ART": "America/Argentina/Buenos_Aires", "COT": "America/Bogota",
    "CLT": "America/Santiago", "PET": "America/Lima",
}
_TZ_PLACES = {
    "madrid": "Europe/Madrid", "spain": "Europe/Madrid", "españa": "Europe/Madrid", "espana": "Europe/Madrid",
    "spanish": "Europe/Madrid", "española": "Europe/Madrid", "peninsular": "Europe/Madrid",
    "barcelona": "Europe/Madrid", "canarias": "Atlantic/Canary", "canaria": "Atlantic/Canary",
    "canary": "Atlantic/Canary", "london": "Europe/London", "uk": "Europe/London", "londres": "Europe/London",
    "paris": "Europe/Paris", "parís": "Europe/Paris", "berlin": "Europe/Berlin", "berlín": "Europe/Berlin",
    "lisbon": "Europe/Lisbon", "lisboa": "Europe/Lisbon", "portugal": "Europe/Lisbon",
    "central european": "Europe/Madrid", "new york": "America/New_York", "nueva york": "America/New_York",
    "eastern": "America/New_York", "east coast": "America/New_York", "central": "America/Chicago",
    "chicago": "America/Chicago", "pacific": "America/Los_Angeles", "west coast": "America/Los_Angeles",
    "los angeles": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "mountain": "America/Denver",
    "mexico": "America/Mexico_City", "méxico": "America/Mexico_City", "cdmx": "America/Mexico_City",
    "mexico city": "America/Mexico_City", "ciudad de méxico": "America/Mexico_City",
    "bogota": "America/Bogota", "bogotá": "America/Bogota", "colombia": "America/Bogota",
    "lima": "America/Lima", "perú": "America/Lima", "peru": "America/Lima",
    "buenos aires": "America/Argentina/Buenos_Aires", "argentina": "America/Argentina/Buenos_Aires",
    "santiago": "America/Santiago", "chile": "America/Santiago", "tokyo": "Asia/Tokyo",
}
_PLACE = _alt(_TZ_PLACES)
_ABBR = "|".join(sorted(_TZ_ABBR, key=len, reverse=True))
_RE_TZ = re.compile(
    rf"\s*(?P<open>\(\s*)?(?:"
    rf"(?P<off>(?:UTC|GMT)\s*(?P<sign>[+\-−])\s*(?P<oh>\d{{1,2}})(?::?(?P<om>\d{{2}}))?)"
    rf"|(?P<abbr>(?-i:{_ABBR}))(?![\w/])"
    rf"|(?P<iana>(?-i:[A-Z][a-z]+(?:_[A-Z][a-z]+)*/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?))"
    rf"|(?:(?:in\s+)?(?P<place1>{_PLACE})\s+(?:time|hours?)(?:\s+zone)?)"
    rf"|(?:(?:en\s+)?hora\s+(?:de\s+(?:la\s+)?|del?\s+)?(?P<place2>{_PLACE}))"
    rf"|(?P<place3>(?-i:[A-Z][\w ]{{2,15}}))(?=\s*\))"
    rf")(?(open)\s*\))", _F)


def _tz_at(text: str, pos: int) -> tuple[str | None, int, str]:
    """(IANA name, end of the zone's text, note) for a zone written at ``pos``; (None, pos, "") when none."""
    m = _RE_TZ.match(text, pos)
    if not m:
        return None, pos, ""
    if m.group("off"):
        sign = -1 if m.group("sign") in "-−" else 1
        hours, minutes = int(m.group("oh")), int(m.group("om") or 0)
        if minutes or hours > 14:
            return None, m.end(), f"no zone name for {m.group('off').strip()}: zone not set"
        if hours == 0:
            return "UTC", m.end(), ""
        # POSIX-style names: Etc/GMT-1 is one hour AHEAD of UTC
        return f"Etc/GMT{'-' if sign > 0 else '+'}{hours}", m.end(), ""
    if m.group("abbr"):
        return _TZ_ABBR[m.group("abbr")], m.end(), ""
    if m.group("iana"):
        try:
            ZoneInfo(m.group("iana"))
        except (ZoneInfoNotFoundError, ValueError):
            return None, pos, ""
        return m.group("iana"), m.end(), ""
    place = (m.group("place1") or m.group("place2") or m.group("place3") or "").strip().lower()
    if place in _TZ_PLACES:
        return _TZ_PLACES[place], m.end(), ""
    return None, pos, ""


# ---------------------------------------------------------------------------------------------
# find_meeting_times

_RE_PM_AFTER = re.compile(r"\s*(?:in\s+the\s+(?:afternoon|evening)|(?:de|por)\s+la\s+(?:tarde|noche)|at\s+night)\b", _F)
_RE_AM_AFTER = re.compile(r"\s*(?:in\s+the\s+morning|(?:de|por)\s+la\s+mañana)\b", _F)
_RE_TIGHT_DT = re.compile(r"\s*,?\s*(?:(?:at|@|around|about|sobre|hacia|a|from|de|desde|between|entre|starting|"
                          r"starting\s+at|a\s+partir\s+de)\s*)?,?\s*", _F)
_RE_TIGHT_TD = re.compile(r"\s*,?\s*(?:(?:on|el|del|this|next|,)\s*)?", _F)
_RE_BREAK = re.compile(r"\b(?:but|pero|although|aunque|however|because|porque|except|excepto|salvo|sino)\b", _F)
_RE_OR = re.compile(r"\s*(?:,|or|o|u|and|y|/)\s*(?:(?:on|el)\s+)?", _F)


_RE_H_AFTER = re.compile(r"h\b|\s*(?:hrs?|horas)\b", _F)
_RE_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*[+\-−]\s*\d{1,2}(?::?\d{2})?")
_RE_ARTICLE_BEFORE = re.compile(r"\bel\s+$", _F)
_RE_AT_BEFORE = re.compile(r"\b(?:at|a)\s+$", _F)


@dataclass
class _Time:
    start: int
    end: int        # the time's end (the range's end)
    tz_end: int     # end including a zone written after it
    at: dt.time
    tz: str | None
    minutes: int | None
    note: str


def _make_times(work: str, time_facts, days: list[_Day], zones: str) -> list[_Time]:
    day_spans = [(d.start, d.end) for d in days]
    ranges = [r for r in _ranges(work) if not any(r[0] < e and s < r[1] for s, e in day_spans)]
    items = []
    for s, e, h1, m1, h2, m2, known in ranges:
        note = "" if known else f"no am/pm: {h1:02d}:{m1:02d} chosen" if h1 > 12 and h1 - 12 <= 6 else ""
        items.append([s, e, h1, m1, (h2 * 60 + m2) - (h1 * 60 + m1), note, known])
    for f in time_facts:
        if any(f.start < r[1] and r[0] < f.end for r in ranges):
            continue
        h, m, known = f.value
        items.append([f.start, f.end, h, m, None, "", known])
    out = []
    for s, e, h, m, minutes, note, known in sorted(items):
        if not known and h < 12:
            evening = any(d.evening and d.end <= s and s - d.end < 30 for d in days) or _RE_PM_AFTER.match(work, e)
            morning = _RE_AM_AFTER.match(work, e)
            if evening and not morning:
                h += 12
            elif 1 <= h <= 6 and not morning and not note:
                h += 12
                note = f"no am/pm: {h:02d}:{m:02d} chosen"
        if hm := _RE_H_AFTER.match(work, e):  # "a las 17h"
            e = hm.end()
        tz, tz_end, tz_note = _tz_at(zones, e)
        out.append(_Time(s, e, tz_end, dt.time(h % 24, m), tz, minutes, _join(note, tz_note)))
    return out


def _segments(work: str, spans) -> list[int]:
    """Sorted positions that end a sentence (newline, or .!?; before a space), outside any date or time."""
    inside = bytearray(len(work) + 1)
    for s, e in spans:
        inside[s:e] = b"\x01" * (e - s)
    out = []
    for i, c in enumerate(work):
        if c == "\n" or (c in ".!?;" and (i + 1 == len(work) or work[i + 1].isspace()) and not inside[i]):
            out.append(i)
    return out


def find_meeting_times(text: str, reference: dt.datetime | dt.date, *,
                       language: str | None = None) -> list[ProposedTime]:
    """Meeting days and times proposed in ``text`` (an email or thread), in text order, resolved
    against ``reference`` (the email's Date header). Quoted lines and headers are skipped."""
    if not text or not text.strip():
        return []
    ref = reference.date() if isinstance(reference, dt.datetime) else reference
    masked = _mask_quoted(text)
    durations = _durations(masked)
    work = list(_prepare(masked))
    for s, e in [(d.start, d.end) for d in durations] + [m.span() for m in _RE_OFFSET.finditer(masked)]:
        work[s:e] = " " * (e - s)  # "2 hrs" is no 2 o'clock, "UTC+05:30" no 5:30
    work = "".join(work)
    days, time_facts = _days_and_times(work, ref, language)
    days = [d for d in days if d.date is not None]
    for d in days:  # "el jueves 27": the article belongs to the date
        if m := _RE_ARTICLE_BEFORE.search(work, max(0, d.start - 4), d.start):
            d.start = m.start()
    times = _make_times(work, time_facts, days, masked)
    for t in times:  # "at 3pm", "a las 11"
        if m := _RE_AT_BEFORE.search(work, max(0, t.start - 4), t.start):
            t.start = m.start()
    bounds = _segments(work, [(d.start, d.end) for d in days] + [(t.start, t.tz_end) for t in times])

    def seg(pos: int) -> int:
        return bisect.bisect_right(bounds, pos)

    # each time to the date it is written against
    owner: dict[int, int] = {}
    for ti, t in enumerate(times):
        best = None
        for di, d in enumerate(days):
            if seg(d.start) != seg(t.start):
                continue
            if d.end <= t.start:
                gap, tight, prev = work[d.end:t.start], bool(_RE_TIGHT_DT.fullmatch(work[d.end:t.start])), 1
            elif d.start >= t.tz_end:
                gap, tight, prev = work[t.tz_end:d.start], bool(_RE_TIGHT_TD.fullmatch(work[t.tz_end:d.start])), 0
            else:
                continue
            if not tight and (len(gap) > 60 or _RE_BREAK.search(gap)):
                continue
            score = (tight, -len(gap), prev)
            if best is None or score > best[0]:
                best = (score, di)
        if best is not None:
            owner[ti] = best[1]
    times_of: dict[int, list[int]] = {}
    for ti, di in owner.items():
        times_of.setdefault(di, []).append(ti)
    # "Thursday or Friday at 3", "at 3 on Thursday or Friday": the listed days share the times
    borrowed: dict[int, list[int]] = {}
    for di in range(len(days) - 2, -1, -1):
        nxt = di + 1
        if di in times_of or not _RE_OR.fullmatch(work, days[di].end, days[nxt].start):
            continue
        got = times_of.get(nxt) or borrowed.get(nxt)
        if got and all(times[t].start > days[nxt].end for t in got):
            borrowed[di] = got
    for di in range(1, len(days)):
        prv = di - 1
        if di in times_of or di in borrowed or not _RE_OR.fullmatch(work, days[prv].end, days[di].start):
            continue
        got = times_of.get(prv) or borrowed.get(prv)
        if got and all(times[t].tz_end <= days[prv].start for t in got):
            borrowed[di] = got

    def day_note(d: _Day) -> str:
        return _join(d.note, "before the reference date" if d.date < ref else "")

    found: list[ProposedTime] = []
    for di, d in enumerate(days):
        own = times_of.get(di, [])
        for ti in own + borrowed.get(di, []):
            t = times[ti]
            if ti in own:
                start, end = min(d.start, t.start), max(d.end, t.tz_end)
            elif t.start > d.end:
                start, end = d.start, t.tz_end
            else:
                start, end = t.start, d.end
            found.append(_proposal(text, start, end, d, t, day_note(d)))
        if not own and di not in borrowed:
            found.append(ProposedTime(text[d.start:d.end], d.start, d.end, d.date, None, None, None,
                                      day_note(d), d.alternatives, d.approximate))
    for ti, t in enumerate(times):
        if ti not in owner:
            found.append(ProposedTime(text[t.start:t.tz_end], t.start, t.tz_end, None, t.at, t.tz, t.minutes,
                                      t.note))
    found.sort(key=lambda p: (p.start, p.end))
    return _with_durations(found, durations, seg)


def _proposal(text: str, start: int, end: int, d: _Day, t: _Time, note: str) -> ProposedTime:
    tz, tz_note = t.tz, ""
    if tz is None and end > t.tz_end:  # "at 3pm on Thursday (CET)"
        tz, zone_end, tz_note = _tz_at(text, end)
        if tz is not None or tz_note:
            end = zone_end
    return ProposedTime(text[start:end], start, end, d.date, t.at, tz, t.minutes, _join(note, t.note, tz_note),
                        d.alternatives, d.approximate)


def _with_durations(found: list[ProposedTime], durations: list[_Duration], seg) -> list[ProposedTime]:
    if not durations:
        return found
    by_seg: dict[int, int] = {}
    for du in durations:
        by_seg.setdefault(seg(du.start), du.minutes)
    only = {du.minutes for du in durations}
    single = only.pop() if len(only) == 1 else None
    out = []
    for p in found:
        if p.minutes is None:
            minutes = by_seg.get(seg(p.start))
            if minutes is None and p.at is not None:
                minutes = single
            if minutes is not None:
                p = ProposedTime(p.text, p.start, p.end, p.day, p.at, p.tz, minutes, p.note, p.alternatives,
                                 p.approximate)
        out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# meeting_date_in_text

_FIXED_REF = dt.date(2000, 1, 1)
_RE_YEAR_WRITTEN = re.compile(r"\d{4}|[/.-]\d{2}(?!\d)")


def meeting_date_in_text(text: str, *, language: str | None = None) -> dt.date | None:
    """The explicit full date (with a year) stated in the first 15 non-blank lines of meeting
    notes or a transcript ("Date: 2026-03-09", "Reunión del 9 de marzo de 2026"); None otherwise."""
    if not text:
        return None
    lines = [ln for ln in text.splitlines() if ln.strip()][:15]
    head = _prepare("\n".join(lines))
    for f in _extract(head, _FIXED_REF):
        if f.kind != "date":
            continue
        readings = _ordered(f.value, language)
        r = readings[0]
        # the year must be written: "tomorrow" has one only once resolved
        if "y" in r.explicit and r.resolved is not None and _RE_YEAR_WRITTEN.search(head, f.start, f.end):
            return r.resolved
    return None
