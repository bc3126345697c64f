"""Written dates and meeting times as calendar values (copilot.core.dates), on tables against fixed
reference dates: a Monday (2026-03-09), a Friday (2026-03-13) and a year end (Wednesday 2026-12-30)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copilot.core.dates import ProposedTime, ResolvedDate, find_meeting_times, meeting_date_in_text, resolve_date

MON = date(2026, 3, 9)    # Monday
FRI = date(2026, 3, 13)   # Friday
YEAR_END = date(2026, 12, 30)  # Wednesday
MADRID = ZoneInfo("Europe/Madrid")
EMAIL_DATE = datetime(2026, 3, 9, 10, 0, tzinfo=MADRID)


def test_reference_weekdays():
    assert (MON.weekday(), FRI.weekday(), YEAR_END.weekday()) == (0, 4, 2)


# (text, reference, expected date) -- certain readings: no note, no alternatives, not approximate
CERTAIN = [
    # relative days
    ("tomorrow", MON, date(2026, 3, 10)),
    ("mañana", MON, date(2026, 3, 10)),
    ("pasado mañana", MON, date(2026, 3, 11)),
    ("the day after tomorrow", FRI, date(2026, 3, 15)),
    ("today", MON, MON),
    ("hoy", FRI, FRI),
    ("EOD", MON, MON),
    ("tomorrow", YEAR_END, date(2026, 12, 31)),
    ("pasado mañana", YEAR_END, date(2027, 1, 1)),
    # weekdays: the first such day after the reference
    ("el viernes", MON, date(2026, 3, 13)),
    ("Friday", MON, date(2026, 3, 13)),
    ("this Friday", MON, date(2026, 3, 13)),
    ("Friday", FRI, date(2026, 3, 20)),
    ("el viernes", FRI, date(2026, 3, 20)),
    ("next Tuesday", MON, date(2026, 3, 10)),
    ("next Tuesday", FRI, date(2026, 3, 17)),
    ("el próximo martes", MON, date(2026, 3, 10)),
    ("el martes que viene", FRI, date(2026, 3, 17)),
    ("next Monday", MON, date(2026, 3, 16)),
    ("el lunes", FRI, date(2026, 3, 16)),
    ("el viernes", YEAR_END, date(2027, 1, 1)),
    ("el miércoles", YEAR_END, date(2027, 1, 6)),
    # ends of periods
    ("end of month", MON, date(2026, 3, 31)),
    ("end of the month", FRI, date(2026, 3, 31)),
    ("fin de mes", MON, date(2026, 3, 31)),
    ("a final de mes", MON, date(2026, 3, 31)),
    ("a finales de mes", MON, date(2026, 3, 31)),
    ("end of month", YEAR_END, date(2026, 12, 31)),
    ("fin de mes", YEAR_END, date(2026, 12, 31)),
    ("end of March", MON, date(2026, 3, 31)),
    ("a finales de abril", MON, date(2026, 4, 30)),
    ("end of December", MON, date(2026, 12, 31)),
    ("end of March", YEAR_END, date(2027, 3, 31)),
    ("end of the week", MON, date(2026, 3, 13)),
    ("end of the week", FRI, FRI),
    ("finales de semana", MON, date(2026, 3, 13)),
    ("a finales de semana", YEAR_END, date(2027, 1, 1)),
    ("end of next week", MON, date(2026, 3, 20)),
    ("a finales de la semana que viene", MON, date(2026, 3, 20)),
    # counted spans
    ("in two weeks", MON, date(2026, 3, 23)),
    ("en dos semanas", MON, date(2026, 3, 23)),
    ("in 3 days", MON, date(2026, 3, 12)),
    ("in 3 days", FRI, date(2026, 3, 16)),
    ("dentro de 10 días", MON, date(2026, 3, 19)),
    ("dentro de una semana", FRI, date(2026, 3, 20)),
    ("in a week", MON, date(2026, 3, 16)),
    ("within 2 weeks", MON, date(2026, 3, 23)),
    ("two weeks from now", MON, date(2026, 3, 23)),
    ("en 15 días", MON, date(2026, 3, 24)),
    ("in two weeks", YEAR_END, date(2027, 1, 13)),
    ("dentro de 10 días", YEAR_END, date(2027, 1, 9)),
    ("in 2 months", YEAR_END, date(2027, 2, 28)),   # 30 February clamped
    ("en un mes", MON, date(2026, 4, 9)),
    # written dates
    ("2026-03-20", MON, date(2026, 3, 20)),
    ("20 March", MON, date(2026, 3, 20)),
    ("March 20th", MON, date(2026, 3, 20)),
    ("March the 20th", MON, date(2026, 3, 20)),
    ("20 de marzo", MON, date(2026, 3, 20)),
    ("el 20 de marzo", MON, date(2026, 3, 20)),
    ("20 de marzo de 2026", MON, date(2026, 3, 20)),
    ("Friday 13 March", MON, date(2026, 3, 13)),
    ("jueves 12 de marzo", MON, date(2026, 3, 12)),
    ("viernes 27", MON, date(2026, 3, 27)),
    ("jueves 26", FRI, date(2026, 3, 26)),
    ("27/3", MON, date(2026, 3, 27)),
    ("3/27", MON, date(2026, 3, 27)),
    ("27/03/2026", MON, date(2026, 3, 27)),
    ("el 5 de enero", YEAR_END, date(2027, 1, 5)),
    ("January 5", YEAR_END, date(2027, 1, 5)),
    ("el 2", YEAR_END, date(2027, 1, 2)),
    ("para el 15", MON, date(2026, 3, 15)),
    ("el 9", FRI, date(2026, 4, 9)),
    ("by the 20th", MON, date(2026, 3, 20)),
    # words around the date
    ("by Friday", MON, date(2026, 3, 13)),
    ("antes del viernes", MON, date(2026, 3, 13)),
    ("(due: el viernes)", MON, date(2026, 3, 13)),
    ("due: 20 March", MON, date(2026, 3, 20)),
    ("send it before 2026-03-20 please", MON, date(2026, 3, 20)),
    ("antes del 15 de abril", MON, date(2026, 4, 15)),
    # a weekday written with a numeric date picks its reading
    ("viernes 5/6", MON, date(2026, 6, 5)),
    ("el viernes 5/6/2026", MON, date(2026, 6, 5)),
    ("Friday 13/3", MON, date(2026, 3, 13)),
]


@pytest.mark.parametrize("text,ref,expected", CERTAIN, ids=[f"{t}@{r}" for t, r, _ in CERTAIN])
def test_certain_dates(text, ref, expected):
    got = resolve_date(text, ref)
    assert got.date == expected
    assert got.text == text
    assert got.note == ""
    assert got.approximate is False
    # a weekday written with a numeric date keeps the other reading, but it is no ambiguity
    if "/" not in text or text[0].isdigit():
        assert got.alternatives == ()


# (text, reference, expected date, note) -- a week or a month, not a day
APPROXIMATE = [
    ("next week", MON, date(2026, 3, 20), "a week, not a day: Friday 20 March chosen"),
    ("la semana que viene", MON, date(2026, 3, 20), "a week, not a day: Friday 20 March chosen"),
    ("la próxima semana", FRI, date(2026, 3, 20), "a week, not a day: Friday 20 March chosen"),
    ("this week", MON, date(2026, 3, 13), "a week, not a day: Friday 13 March chosen"),
    ("esta semana", FRI, date(2026, 3, 13), "a week, not a day: Friday 13 March chosen"),
    ("next week", YEAR_END, date(2027, 1, 8), "a week, not a day: Friday 8 January 2027 chosen"),
    ("next month", MON, date(2026, 4, 30), "a month, not a day: 30 April chosen"),
    ("el mes que viene", MON, date(2026, 4, 30), "a month, not a day: 30 April chosen"),
    ("next month", YEAR_END, date(2027, 1, 31), "a month, not a day: 31 January 2027 chosen"),
    ("el próximo mes", YEAR_END, date(2027, 1, 31), "a month, not a day: 31 January 2027 chosen"),
    ("this month", MON, date(2026, 3, 31), "a month, not a day: 31 March chosen"),
    ("en marzo", MON, date(2026, 3, 31), "a month, not a day: 31 March chosen"),
    ("by March", MON, date(2026, 3, 31), "a month, not a day: 31 March chosen"),
    ("en mayo", MON, date(2026, 5, 31), "a month, not a day: 31 May chosen"),
    ("en marzo", YEAR_END, date(2027, 3, 31), "a month, not a day: 31 March 2027 chosen"),
    ("en febrero", MON, date(2027, 2, 28), "a month, not a day: 28 February 2027 chosen"),
]


@pytest.mark.parametrize("text,ref,expected,note", APPROXIMATE, ids=[f"{t}@{r}" for t, r, *_ in APPROXIMATE])
def test_approximate_dates(text, ref, expected, note):
    got = resolve_date(text, ref)
    assert (got.date, got.note, got.approximate, got.alternatives) == (expected, note, True, ())


# (text, reference, language, chosen, alternatives, note)
AMBIGUOUS = [
    ("el 5/6", MON, None, date(2026, 6, 5), (date(2026, 5, 6),), "ambiguous: 5 June or 6 May"),
    ("el 5/6", MON, "es", date(2026, 6, 5), (date(2026, 5, 6),), "ambiguous: 5 June or 6 May"),
    ("5/6", MON, "en", date(2026, 5, 6), (date(2026, 6, 5),), "ambiguous: 6 May or 5 June"),
    ("5/6/2026", MON, None, date(2026, 6, 5), (date(2026, 5, 6),), "ambiguous: 5 June or 6 May"),
    ("by 5/6/2026", MON, "en", date(2026, 5, 6), (date(2026, 6, 5),), "ambiguous: 6 May or 5 June"),
    ("5/1", YEAR_END, None, date(2027, 1, 5), (date(2027, 5, 1),),
     "ambiguous: 5 January 2027 or 1 May 2027"),
    ("4/3", MON, None, date(2026, 3, 4), (date(2026, 4, 3),),
     "ambiguous: 4 March or 3 April; before the meeting date"),
]


@pytest.mark.parametrize("text,ref,language,chosen,alternatives,note", AMBIGUOUS,
                         ids=[f"{t}@{r}-{lang}" for t, r, lang, *_ in AMBIGUOUS])
def test_ambiguous_numeric_dates(text, ref, language, chosen, alternatives, note):
    got = resolve_date(text, ref, language=language)
    assert (got.date, got.alternatives, got.note, got.approximate) == (chosen, alternatives, note, False)


def test_same_number_twice_is_not_ambiguous():
    got = resolve_date("5/5", MON)
    assert (got.date, got.alternatives, got.note) == (date(2026, 5, 5), (), "")


# (text, reference, chosen, alternatives, note): past dates are still returned
PAST = [
    ("20 March 2025", MON, date(2025, 3, 20), (), "before the meeting date"),
    ("2025-12-01", MON, date(2025, 12, 1), (), "before the meeting date"),
    ("1 March", MON, date(2026, 3, 1), (), "before the meeting date"),
    ("el 2 de marzo", FRI, date(2026, 3, 2), (), "before the meeting date"),
    ("15 December", YEAR_END, date(2026, 12, 15), (), "before the meeting date"),
    ("yesterday", MON, date(2026, 3, 8), (), "before the meeting date"),
    ("end of February", MON, date(2026, 2, 28), (), "before the meeting date"),  # up to 2 months back
    ("ayer", YEAR_END, date(2026, 12, 29), (), "before the meeting date"),
    # a day number alone just before the reference: the next month's is the alternative
    ("el 8", MON, date(2026, 3, 8), (date(2026, 4, 8),), "before the meeting date"),
    ("el 10", FRI, date(2026, 3, 10), (date(2026, 4, 10),), "before the meeting date"),
]


@pytest.mark.parametrize("text,ref,chosen,alternatives,note", PAST, ids=[f"{t}@{r}" for t, r, *_ in PAST])
def test_dates_before_the_meeting(text, ref, chosen, alternatives, note):
    got = resolve_date(text, ref)
    assert (got.date, got.alternatives, got.note) == (chosen, alternatives, note)


@pytest.mark.parametrize("text", ["asap", "ASAP", "soon", "pronto", "TBD", "lo antes posible", "ongoing", "n/a",
                                  "next sprint", "3pm", "when possible"])
def test_no_date(text):
    got = resolve_date(text, MON)
    assert got == ResolvedDate(text, None, (), f"no date found in '{text}'", False)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text(text):
    assert resolve_date(text, MON) == ResolvedDate(text, None, (), "no date given", False)


def test_long_unresolvable_text_is_shortened_in_the_note():
    got = resolve_date("whenever the other team has finished their part of the work", MON)
    assert got.date is None
    assert got.note.startswith("no date found in 'whenever") and got.note.endswith("…'")
    assert len(got.note) < 70


def test_weekday_that_does_not_match_the_day_number():
    # the 27th of March 2026 is a Friday: the day number wins, the Thursdays are alternatives
    got = resolve_date("jueves 27", MON)
    assert got.date == date(2026, 3, 27)
    assert got.alternatives == (date(2026, 3, 26), date(2026, 8, 27))
    assert got.note == "Thursday does not match the 27th (a Friday): Friday 27 March chosen"
    got = resolve_date("Thursday 27 March", MON)
    assert got.date == date(2026, 3, 27)
    assert "Thursday does not match 27 March" in got.note


def test_weekday_with_a_numeric_date_that_matches_neither_reading():
    got = resolve_date("el jueves, 5/6/2026", MON)
    assert (got.date, got.alternatives) == (date(2026, 6, 5), (date(2026, 5, 6),))
    assert got.note == "ambiguous: 5 June or 6 May; Thursday matches no reading"


def test_several_dates_and_ranges():
    got = resolve_date("next Friday or Monday", MON)
    assert (got.date, got.alternatives, got.note) == (date(2026, 3, 13), (date(2026, 3, 16),),
                                                      "several dates: 13 March chosen")
    got = resolve_date("by Friday (13/3)", MON)  # the same day twice
    assert (got.date, got.alternatives, got.note) == (date(2026, 3, 13), (), "")
    got = resolve_date("15-16 de junio", MON)
    assert (got.date, got.alternatives, got.note) == (date(2026, 6, 16), (date(2026, 6, 15),),
                                                      "a range: its end, 16 June, chosen")
    got = resolve_date("from Monday to Wednesday", FRI)
    assert (got.date, got.alternatives) == (date(2026, 3, 18), (date(2026, 3, 16),))


def test_a_datetime_reference_is_taken_as_its_date():
    assert resolve_date("tomorrow", datetime(2026, 3, 9, 23, 30)).date == date(2026, 3, 10)


def test_resolved_date_defaults_and_immutability():
    r = ResolvedDate("x", None)
    assert (r.alternatives, r.note, r.approximate) == ((), "", False)
    with pytest.raises(AttributeError):
        r.date = MON  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# find_meeting_times

def _one(text, ref=EMAIL_DATE, **kw) -> ProposedTime:
    found = find_meeting_times(text, ref, **kw)
    assert len(found) == 1, found
    return found[0]


# (text, span, day, at, tz, minutes, note)
PROPOSALS = [
    ("Can we meet Thursday at 3pm?", "Thursday at 3pm", date(2026, 3, 12), time(15), None, None, ""),
    ("¿nos vemos el jueves 12 a las 11?", "el jueves 12 a las 11", date(2026, 3, 12), time(11), None, None, ""),
    ("¿nos vemos el viernes 27 a las 11?", "el viernes 27 a las 11", date(2026, 3, 27), time(11), None, None, ""),
    ("Tuesday 10:00-10:30 works for me", "Tuesday 10:00-10:30", date(2026, 3, 10), time(10), None, 30, ""),
    ("mañana a las 9 y media", "mañana a las 9 y media", date(2026, 3, 10), time(9, 30), None, None, ""),
    ("March 5 at 14:00 (CET)", "March 5 at 14:00 (CET)", date(2026, 3, 5), time(14), "Europe/Madrid", None,
     "before the reference date"),
    ("March 20 at 14:00 (CET)", "March 20 at 14:00 (CET)", date(2026, 3, 20), time(14), "Europe/Madrid", None, ""),
    ("Thursday at 3pm CET", "Thursday at 3pm CET", date(2026, 3, 12), time(15), "Europe/Madrid", None, ""),
    ("How about 10am on Wednesday?", "10am on Wednesday", date(2026, 3, 11), time(10), None, None, ""),
    ("Let's talk at 15:00 on 12 March, for 45 minutes.", "at 15:00 on 12 March", date(2026, 3, 12), time(15),
     None, 45, ""),
    ("Let's do Wednesday from 3 to 4pm.", "Wednesday from 3 to 4pm", date(2026, 3, 11), time(15), None, 60, ""),
    ("¿Te va bien el miércoles de 10 a 11?", "el miércoles de 10 a 11", date(2026, 3, 11), time(10), None, 60, ""),
    ("El martes de las 10 a las 11:30, ¿vale?", "El martes de las 10 a las 11:30", date(2026, 3, 10), time(10),
     None, 90, ""),
    ("between 2 and 3pm on Friday", "between 2 and 3pm on Friday", date(2026, 3, 13), time(14), None, 60, ""),
    ("I can do 2-3pm Thursday", "2-3pm Thursday", date(2026, 3, 12), time(14), None, 60, ""),
    ("Wednesday 10am to 11am", "Wednesday 10am to 11am", date(2026, 3, 11), time(10), None, 60, ""),
    ("una reunión de media hora el martes a las 12", "el martes a las 12", date(2026, 3, 10), time(12), None, 30,
     ""),
    ("Call on Thursday at 9 (Madrid time), 1 hour", "Thursday at 9 (Madrid time)", date(2026, 3, 12), time(9),
     "Europe/Madrid", 60, ""),
    ("¿Una hora el jueves a las 17h hora peninsular?", "el jueves a las 17h hora peninsular", date(2026, 3, 12),
     time(17), "Europe/Madrid", 60, ""),
    ("Thursday 2pm EST", "Thursday 2pm EST", date(2026, 3, 12), time(14), "America/New_York", None, ""),
    ("Thursday 4pm UTC+1", "Thursday 4pm UTC+1", date(2026, 3, 12), time(16), "Etc/GMT-1", None, ""),
    ("Thursday 4pm GMT-5", "Thursday 4pm GMT-5", date(2026, 3, 12), time(16), "Etc/GMT+5", None, ""),
    ("Thursday 4pm UTC", "Thursday 4pm UTC", date(2026, 3, 12), time(16), "UTC", None, ""),
    ("Thursday 10:00 America/Los_Angeles", "Thursday 10:00 America/Los_Angeles", date(2026, 3, 12), time(10),
     "America/Los_Angeles", None, ""),
    ("Let's meet at 11:00 (Europe/Madrid) tomorrow", "at 11:00 (Europe/Madrid) tomorrow", date(2026, 3, 10),
     time(11), "Europe/Madrid", None, ""),
    ("Meeting 27/3 10:00-11:00 CET", "27/3 10:00-11:00 CET", date(2026, 3, 27), time(10), "Europe/Madrid", 60, ""),
    ("Thursday at noon", "Thursday at noon", date(2026, 3, 12), time(12), None, None, ""),
    ("el jueves a mediodía", "el jueves a mediodía", date(2026, 3, 12), time(12), None, None, ""),
    ("tonight at 8", "tonight at 8", date(2026, 3, 9), time(20), None, None, ""),
    ("esta tarde a las 5", "esta tarde a las 5", date(2026, 3, 9), time(17), None, None, ""),
    ("Monday at 8", "Monday at 8", date(2026, 3, 16), time(8), None, None, ""),
    ("a las tres el viernes", "a las tres el viernes", date(2026, 3, 13), time(15), None, None,
     "no am/pm: 15:00 chosen"),
    ("el viernes a las 4 de la tarde", "el viernes a las 4 de la tarde", date(2026, 3, 13), time(16), None, None,
     ""),
    ("the 12th at 14:30", "the 12th at 14:30", date(2026, 3, 12), time(14, 30), None, None, ""),
    ("Can we meet next week at 3pm?", "next week at 3pm", date(2026, 3, 20), time(15), None, None,
     "a week, not a day: Friday 20 March chosen"),
    ("Thursday 4pm UTC+05:30", "Thursday 4pm UTC+05:30", date(2026, 3, 12), time(16), None, None,
     "no zone name for UTC+05:30: zone not set"),
    ("Friday 5/6 at 10", "Friday 5/6 at 10", date(2026, 6, 5), time(10), None, None, ""),
]


@pytest.mark.parametrize("text,span,day,at,tz,minutes,note", PROPOSALS, ids=[p[0] for p in PROPOSALS])
def test_proposals(text, span, day, at, tz, minutes, note):
    p = _one(text)
    assert (p.text, p.day, p.at, p.tz, p.minutes, p.note) == (span, day, at, tz, minutes, note)
    assert text[p.start:p.end] == p.text


def test_ambiguous_day_in_a_proposal():
    p = _one("¿Quedamos el 5/6 a las 10?")
    assert (p.day, p.alternatives, p.at, p.note) == (date(2026, 6, 5), (date(2026, 5, 6),), time(10),
                                                     "ambiguous: 5 June or 6 May")
    p = _one("Can we meet on 5/6 at 10am?", language="en")
    assert (p.day, p.alternatives, p.note) == (date(2026, 5, 6), (date(2026, 6, 5),), "ambiguous: 6 May or 5 June")


def test_several_proposals_in_text_order():
    found = find_meeting_times("Thursday at 3 or Friday at 4", EMAIL_DATE)
    assert [(p.text, p.day, p.at) for p in found] == [
        ("Thursday at 3", date(2026, 3, 12), time(15)), ("Friday at 4", date(2026, 3, 13), time(16))]
    assert found[0].note == "no am/pm: 15:00 chosen"
    found = find_meeting_times("at 3pm on Thursday or at 4 on Friday", EMAIL_DATE)
    assert [(p.text, p.day, p.at) for p in found] == [
        ("at 3pm on Thursday", date(2026, 3, 12), time(15)), ("at 4 on Friday", date(2026, 3, 13), time(16))]


def test_listed_days_share_the_time():
    found = find_meeting_times("Thursday or Friday at 3pm?", EMAIL_DATE)
    assert [(p.day, p.at) for p in found] == [(date(2026, 3, 12), time(15)), (date(2026, 3, 13), time(15))]
    found = find_meeting_times("at 10:00 on Monday, Tuesday or Wednesday", EMAIL_DATE)
    assert [(p.day, p.at) for p in found] == [(date(2026, 3, 16), time(10)), (date(2026, 3, 10), time(10)),
                                              (date(2026, 3, 11), time(10))]


def test_one_day_two_times():
    found = find_meeting_times("el jueves a las 10 o a las 11", EMAIL_DATE)
    assert [(p.day, p.at) for p in found] == [(date(2026, 3, 12), time(10)), (date(2026, 3, 12), time(11))]


def test_time_alone_and_day_alone():
    p = _one("at 3pm works")
    assert (p.text, p.day, p.at) == ("at 3pm", None, time(15))
    assert p.starts_at("Europe/Madrid") is None
    p = _one("Friday would be good.")
    assert (p.text, p.day, p.at, p.minutes) == ("Friday", date(2026, 3, 13), None, None)
    assert p.starts_at("Europe/Madrid") is None
    found = find_meeting_times("I'm off Monday, but at 3pm Tuesday works", EMAIL_DATE)
    assert [(p.text, p.day, p.at) for p in found] == [
        ("Monday", date(2026, 3, 16), None), ("at 3pm Tuesday", date(2026, 3, 10), time(15))]


def test_durations():
    found = find_meeting_times("Do you have 30 minutes this week? Thursday at 3 or Friday at 10 would work.",
                               EMAIL_DATE)
    assert [(p.day, p.at, p.minutes) for p in found] == [
        (date(2026, 3, 13), None, 30), (date(2026, 3, 12), time(15), 30), (date(2026, 3, 13), time(10), 30)]
    assert found[0].approximate is True
    assert _one("Let's meet Friday at 10. It will take about an hour.").minutes == 60
    assert _one("Friday at 10, an hour and a half").minutes == 90
    assert _one("el viernes a las 10, una hora y media").minutes == 90
    assert _one("el viernes a las 10, un cuarto de hora").minutes == 15
    assert _one("a 45-minute call on Friday at 10").minutes == 45
    assert _one("Friday at 10 for 1.5 hours").minutes == 90
    assert _one("we need 2 hours on Friday").minutes == 120
    # not a duration of the meeting
    assert _one("I'll be 10 minutes late on Friday").minutes is None
    assert find_meeting_times("dentro de dos horas hablamos", EMAIL_DATE) == []
    assert find_meeting_times("de 3 a 5 días", EMAIL_DATE) == []


def test_quoted_replies_and_headers_are_not_proposals():
    text = ("Sure, Thursday at 4pm works.\n\nOn Mon, 2 Mar 2026 at 10:15, Ana <ana@example.com> wrote:\n"
            "> Can we meet Friday at 3pm?\n> Or Wednesday 10:00?\n")
    found = find_meeting_times(text, EMAIL_DATE)
    assert [(p.text, p.day, p.at) for p in found] == [("Thursday at 4pm", date(2026, 3, 12), time(16))]

    text = ("Vale, el jueves a las 11.\n\nEl lun, 2 mar 2026 a las 10:15, Ana <ana@example.com> escribió:\n"
            "> ¿El viernes a las 3?\n")
    assert [(p.day, p.at) for p in find_meeting_times(text, EMAIL_DATE)] == [(date(2026, 3, 12), time(11))]

    text = ("OK\n\nFrom: Ana\nSent: Monday, March 2, 2026 10:15 AM\nTo: Bob\nSubject: Friday at 9\n\n"
            "Friday at 3pm?")
    found = find_meeting_times(text, EMAIL_DATE)
    assert [(p.text, p.day, p.at) for p in found] == [("Friday at 3pm", date(2026, 3, 13), time(15))]
    assert text[found[0].start:found[0].end] == "Friday at 3pm"

    text = "De: Ana\nEnviado el: lunes, 2 de marzo de 2026 10:15\nPara: Bob\nAsunto: Reunión\n\nEl viernes a las 12."
    assert [(p.day, p.at) for p in find_meeting_times(text, EMAIL_DATE)] == [(date(2026, 3, 13), time(12))]

    text = "Date: Mon, 2 Mar 2026 10:15:00 +0100\n\nWednesday at 11 then."
    assert [(p.day, p.at) for p in find_meeting_times(text, EMAIL_DATE)] == [(date(2026, 3, 11), time(11))]

    text = "Fecha: Mon, 2 Mar 2026 10:15:00 +0100\n\nNada más."
    assert find_meeting_times(text, EMAIL_DATE) == []


def test_multi_line_on_wrote_header():
    text = "Fine.\n\nOn Mon, 2 Mar 2026 at 10:15, Ana Pérez <ana.perez@example.com>\nwrote:\n\n> Friday?\n"
    assert find_meeting_times(text, EMAIL_DATE) == []


def test_starts_at_and_ends_at():
    p = _one("Thursday 2pm EST, 30 minutes")
    start = p.starts_at("Europe/Madrid")
    assert start == datetime(2026, 3, 12, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    assert start.utcoffset() == timedelta(hours=-4)  # New York is already on summer time
    assert p.ends_at("Europe/Madrid") - start == timedelta(minutes=30)
    p = _one("Thursday at 3pm")
    assert p.starts_at("Europe/Madrid") == datetime(2026, 3, 12, 15, 0, tzinfo=MADRID)
    assert p.starts_at("Europe/Madrid").utcoffset() == timedelta(hours=1)
    assert p.ends_at("Europe/Madrid") is None
    p = _one("Thursday 4pm UTC+1")
    assert p.starts_at("America/New_York").utcoffset() == timedelta(hours=1)
    # after the change to summer time, Madrid is UTC+2
    p = _one("el jueves 2 de abril a las 10")
    assert p.starts_at("Europe/Madrid").utcoffset() == timedelta(hours=2)


def test_two_zones_for_the_same_meeting():
    # on 12 March New York is already on summer time (UTC-4), Madrid not yet (UTC+1)
    found = find_meeting_times("Thursday at 3pm ET / 8pm CET", EMAIL_DATE)
    assert [(p.at, p.tz) for p in found] == [(time(15), "America/New_York"), (time(20), "Europe/Madrid")]
    assert found[0].starts_at("UTC") == found[1].starts_at("UTC")


def test_reference_as_date_and_at_the_year_end():
    found = find_meeting_times("¿El viernes a las 10? Si no, el 5 de enero a las 12.", YEAR_END)
    assert [(p.day, p.at) for p in found] == [(date(2027, 1, 1), time(10)), (date(2027, 1, 5), time(12))]


def test_dates_inside_urls_and_addresses_are_not_proposals():
    found = find_meeting_times("see https://example.com/2026/03/05 and mail 2026-03-05@example.com; Friday",
                               EMAIL_DATE)
    assert [(p.text, p.day) for p in found] == [("Friday", date(2026, 3, 13))]


@pytest.mark.parametrize("text", ["", "   ", "Thanks!", "Hi,\n\nAttached the report.\n\nBest,\nAna"])
def test_nothing_proposed(text):
    assert find_meeting_times(text, EMAIL_DATE) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 :/-.,>\nampAMPhCETUTC+") + [
    " at ", " a las ", "Thursday", "jueves", " el ", "March", "de", " to ", "Date: ", "On ", " wrote:", "30 minutes"]),
    max_size=30).map("".join))
def test_offsets_always_match(text):
    for p in find_meeting_times(text, EMAIL_DATE):
        assert text[p.start:p.end] == p.text
        assert p.day is not None or p.at is not None
    resolve_date(text, MON)


# ---------------------------------------------------------------------------------------------
# meeting_date_in_text

MEETING_DATES = [
    ("Date: 2026-03-09\nAttendees: Ana, Bob\n\n- Ana: report by Friday", date(2026, 3, 9)),
    ("Meeting 9 March 2026\n\nNotes...", date(2026, 3, 9)),
    ("Reunión del 9 de marzo de 2026\n- Ana enviará el informe el viernes", date(2026, 3, 9)),
    ("# Weekly sync — 2026-03-09\n\n## Actions", date(2026, 3, 9)),
    ("Notes\n\nMonday, March 9, 2026\n", date(2026, 3, 9)),
    ("Fecha: 09/03/2026\nAsistentes: Ana", date(2026, 3, 9)),
    ("Acta: reunión del lunes 9 de marzo de 2026", date(2026, 3, 9)),
    ("Weekly sync\nAna: I'll send it on Friday 13 March", None),   # no year
    ("Standup\n- tomorrow: deploy", None),
    ("", None),
    ("\n".join(f"line {i}" for i in range(20)) + "\nDate: 2026-03-09", None),  # past the first 15 lines
    ("\n\n\n" + "\n\n".join(f"line {i}" for i in range(14)) + "\nDate: 2026-03-09", date(2026, 3, 9)),
]


@pytest.mark.parametrize("text,expected", MEETING_DATES, ids=[str(i) for i in range(len(MEETING_DATES))])
def test_meeting_date_in_text(text, expected):
    assert meeting_date_in_text(text) == expected


def test_meeting_date_numeric_order_follows_language():
    assert meeting_date_in_text("Date: 03/09/2026") == date(2026, 9, 3)
    assert meeting_date_in_text("Date: 03/09/2026", language="en") == date(2026, 3, 9)
