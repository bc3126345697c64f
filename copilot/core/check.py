"""The commitment check: every fact a draft adds beyond its sources, with its span.

Deterministic, no model. ``check_draft`` extracts from the draft the things a reader acts
on -- dates and weekdays, times, amounts, percentages, other numbers and codes, email
addresses, URLs, phone numbers, people's names and commitment phrases -- in English and
Spanish, normalises each (``12.000 €`` = ``12,000 EUR`` = ``doce mil euros``; ``jueves 27``
= ``Thursday the 27th``; ``a las 11`` = ``11:00`` = ``11 am``) and flags each one that the
sources (the thread, the selection, the transcript) and the user's points do not support.
The sources' facts are extracted once per text and cached.

How things are compared
- Dates are readings with *explicit* fields (year, month, day, weekday, ISO week) and,
  where they resolve against the reference date (the email's Date header), a calendar
  date whose fields count as *derived*. A draft date is supported when some source date
  has every field the draft states explicitly, explicitly or derived, with the same value:
  a bare "Friday" is supported by "27 de marzo" when that is a Friday; "Thursday the 28th"
  is not supported by "jueves 27"; "next week" is supported by any date in that week, but
  a specific day is not supported by "next week".
- Times are (hour, minute); without am/pm or a 24-hour hour, 3 and 15 are the same hour.
- Amounts need the same value and currency (a source number without a currency supports
  any currency); percentages the same value; other numbers any numeric value found in the
  sources (a day, an hour, a count, a number word). Number words under 10 outside an
  amount/percent/time ("three options", "un par") are only checked when a unit follows
  ("three days"), so plain counting creates no noise. Codes mixing letters and digits
  ("Q3", "INV-2024-001") must appear verbatim.
- Names: capitalised words that are not at a sentence start and not a greeting, a month,
  a weekday or a language; supported when the word appears anywhere in the sources or
  points (headers and email addresses included) or in lower case elsewhere in the draft.
  A line of nothing but capitalised words (a signature, a job title, a heading) is skipped:
  the writer's own name is not in the thread, and a greeting line ("Hi John,") still counts.
- Commitments ("I will", "we guarantee", "te confirmo", "enviaré"...) are judged by this
  rule: a commitment is flagged (1) when its sentence carries another unsupported finding
  (a promise tied to an invented date or amount), or (2) when it is a strong promise
  (guarantee, promise, commit, assure) and neither sources nor points use such words, or
  (3) when neither sources nor points contain any commitment or agreement language at all
  ("yes", "ok", "de acuerdo", "sí", "confirm", "will", a first-person future...) and the
  points do not speak of the same thing (no content word shared with the sentence: points
  "send slides tomorrow" cover "I'll send you the slides tomorrow").
  Negated phrases ("I can't promise", "no garantizamos") are not commitments.
- mode="rewrite" (a proofread or tone change of the source): the same, and where a flagged
  fact sits in a passage that replaced exactly one fact of the same kind in the original,
  the reason pairs them ("the rewrite says 14 where the text says 15"); a changed value is
  flagged even when the new value happens to appear elsewhere in the original.

Dates use this module's own patterns first: dateparser misreads several everyday forms
("jueves 27 a las 11" as 27 November, "we" as a weekday) and is slow on long texts. It is
the fallback for sentences holding a month or weekday word that no pattern explained.

The user's text is never logged.
"""

from __future__ import annotations

import calendar
import functools
import html
import quopri
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from email.utils import parsedate_to_datetime
from typing import Iterable, Sequence

KINDS = ("date", "time", "amount", "percent", "number", "email", "url", "phone", "name", "commitment")


@dataclass(frozen=True)
class Finding:
    kind: str    # one of KINDS
    text: str    # the span as written in the draft
    start: int   # char offsets into the draft
    end: int
    reason: str  # for the user, in English
    # (template, arguments) behind ``reason``, so summary_line can say it in another language
    detail: tuple = field(default=(), compare=False, repr=False)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


# ---------------------------------------------------------------------------------------------
# Reasons, in English and Spanish

_REASONS = {
    "missing": ("{text} is not in the email or your points", "{text} no está en el correo ni en tus notas"),
    "missing_np": ("{text} is not in the email", "{text} no está en el correo"),
    "missing_rw": ("{text} is not in the original text", "{text} no está en el texto original"),
    "changed": ("the rewrite says {text} where the text says {old}",
                "la nueva versión dice {text} donde el texto dice {old}"),
    "promise_fact": ("a promise ({text}) tied to {fact}, which the sources do not support",
                     "una promesa ({text}) ligada a {fact}, que las fuentes no respaldan"),
    "promise_strong": ("a stronger promise ({text}) than the email or your points make",
                       "una promesa más fuerte ({text}) que la del correo o tus notas"),
    "promise_none": ("a promise ({text}) that neither the email nor your points make",
                     "una promesa ({text}) que no hacen ni el correo ni tus notas"),
    "promise_strong_rw": ("a stronger promise ({text}) than the original text makes",
                          "una promesa más fuerte ({text}) que la del texto original"),
    "promise_none_rw": ("a promise ({text}) that the original text does not make",
                        "una promesa ({text}) que el texto original no hace"),
}


def _reason(template: str, lang: str = "en", **args) -> str:
    en, es = _REASONS[template]
    return (es if lang == "es" else en).format(**args)


def reason_in(finding: Finding, lang: str = "en") -> str:
    """The finding's reason in English or Spanish."""
    if finding.detail and lang in ("en", "es"):
        return _reason(finding.detail[0], lang, **dict(finding.detail[1]))
    return finding.reason


def summary_line(findings: Sequence[Finding], lang: str = "en") -> str:
    """One line for a status bar: "3 things to check: 15.000 € is not in the email; …"."""
    if not findings:
        return ""
    n = len(findings)
    if lang == "es":
        head = f"{n} cosa que revisar" if n == 1 else f"{n} cosas que revisar"
    else:
        head = f"{n} thing to check" if n == 1 else f"{n} things to check"
    body = "; ".join(reason_in(f, lang) for f in findings)
    if len(body) > 160:
        body = body[:159].rstrip(" ;,") + "…"
    return f"{head}: {body}"


def parse_email_date(value: str) -> datetime | None:
    """An RFC 2822 Date header as a datetime, or None when it cannot be read."""
    if not value or not value.strip():
        return None
    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# ---------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "january": 1, "jan": 1, "enero": 1, "ene": 1, "february": 2, "feb": 2, "febrero": 2,
    "march": 3, "mar": 3, "marzo": 3, "april": 4, "apr": 4, "abril": 4, "abr": 4,
    "may": 5, "mayo": 5, "june": 6, "jun": 6, "junio": 6, "july": 7, "jul": 7, "julio": 7,
    "august": 8, "aug": 8, "agosto": 8, "ago": 8, "september": 9, "sept": 9, "sep": 9,
    "septiembre": 9, "setiembre": 9, "october": 10, "oct": 10, "octubre": 10,
    "november": 11, "nov": 11, "noviembre": 11, "december": 12, "dec": 12, "diciembre": 12, "dic": 12,
}
_MONTHS_FULL = {k for k in _MONTHS if len(k) > 4 or k in ("june", "july", "mayo", "julio", "junio")} - {"sept"}
_WEEKDAYS = {
    "monday": 0, "mon": 0, "lunes": 0, "tuesday": 1, "tue": 1, "tues": 1, "martes": 1,
    "wednesday": 2, "wed": 2, "miércoles": 2, "miercoles": 2, "thursday": 3, "thu": 3, "thur": 3,
    "thurs": 3, "jueves": 3, "friday": 4, "fri": 4, "viernes": 4, "saturday": 5, "sat": 5,
    "sábado": 5, "sabado": 5, "sunday": 6, "sun": 6, "domingo": 6,
}
_WEEKDAYS_FULL = {k for k in _WEEKDAYS if len(k) > 5 or k in ("lunes", "martes", "jueves", "sábado", "sabado")}
_EN_NUM = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
           "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
           "hundred thousand million millions billion").split()
_ES_NUM = ("cero uno una un dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
           "dieciséis dieciseis diecisiete dieciocho diecinueve veinte veintiuno veintiuna veintiún veintidós "
           "veintidos veintitrés veintitres veinticuatro veinticinco veintiséis veintiseis veintisiete "
           "veintiocho veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa cien ciento "
           "doscientos doscientas trescientos trescientas cuatrocientos cuatrocientas quinientos quinientas "
           "seiscientos seiscientas setecientos setecientas ochocientos ochocientas novecientos novecientas "
           "mil millón millon millones").split()
_EN_SET = set(_EN_NUM)
_HOUR_WORDS = {"una": 1, "one": 1, "dos": 2, "two": 2, "tres": 3, "three": 3, "cuatro": 4, "four": 4,
               "cinco": 5, "five": 5, "seis": 6, "six": 6, "siete": 7, "seven": 7, "ocho": 8, "eight": 8,
               "nueve": 9, "nine": 9, "diez": 10, "ten": 10, "once": 11, "eleven": 11, "doce": 12, "twelve": 12}
_MINUTE_WORDS = {"cinco": 5, "diez": 10, "quince": 15, "veinte": 20, "veinticinco": 25, "media": 30, "cuarto": 15,
                 "fifteen": 15, "thirty": 30, "forty-five": 45, "forty five": 45, "five": 5, "ten": 10,
                 "twenty": 20}
_UNITS = ("days? weeks? months? years? hours? minutes? people persons? units? licen[cs]es? seats? copies "
          "items? pieces? pages? sessions? meetings? users? employees? workers? rooms? nights? tickets? "
          "boxes pallets? orders? invoices? installments? payments? times dozens? "
          "d[ií]as? semanas? mes(?:es)? años? horas? minutos? personas? unidades? licencias? plazas? "
          "copias? piezas? p[aá]ginas? sesiones? sesi[oó]n reuniones? reuni[oó]n usuarios? empleados? "
          "trabajadores? habitaciones? habitaci[oó]n noches? entradas? cajas? palets? pedidos? facturas? "
          "cuotas? pagos? plazos? veces").split()
_CURRENCIES = {"€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "us$": "USD", "usd": "USD",
               "dólares": "USD", "dolares": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
               "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "libra": "GBP", "libras": "GBP",
               "libras esterlinas": "GBP", "mxn": "MXN", "peso": "MXN", "pesos": "MXN",
               "pesos mexicanos": "MXN", "chf": "CHF", "franco": "CHF", "francos": "CHF",
               "francos suizos": "CHF"}
_MULTIPLIERS = {"k": 1000, "K": 1000, "M": 10**6, "MM": 10**6, "mn": 10**6, "bn": 10**9, "mil": 1000,
                "thousand": 1000, "million": 10**6, "millions": 10**6, "millón": 10**6, "millon": 10**6,
                "millones": 10**6, "billion": 10**9, "millardo": 10**9, "millardos": 10**9}
# Capitalised words that are not people's names, compared case- and accent-folded.
_NOT_NAMES = set("""
hi hello hey dear thanks thank regards best cheers sincerely kind warm warmly yours all team everyone
hola estimado estimada estimados estimadas querido querida queridos saludos gracias atentamente un
abrazo cordialmente buenos buenas dias tardes noches equipo todos todas muchas muchas mr mrs ms dr
sr sra srta srs dona don prof mister miss madam sir senor senora ok yes no please por favor re fwd fw
ps pd cc bcc subject asunto from de para to date fecha enviado sent name nombre your tu su surname
english spanish french german italian portuguese european american british ingles espanol frances
aleman italiano europeo europea americano americana britanico britanica castellano
internet email mail web online christmas easter navidad navidades pascua semana santa ano nuevo new year
i i'm i'll i've i'd
""".split())
_TITLE_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "sr", "sra", "srta", "prof", "d", "dña", "dna", "st"}


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_M = _alt(_MONTHS)
_MF = _alt(_MONTHS_FULL)
_W = _alt(_WEEKDAYS)
_WF = _alt(_WEEKDAYS_FULL)
# a number in digits: 12.000 / 12,000.50 / 1.5 / 12000
_NUMD = r"\d{1,3}(?:(?:[.,]|[\u00a0\u202f])\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d+)?"
_ORD = r"(?:st|nd|rd|th|º|ª)"
_AP = r"(?P<ap>a\.?\s?m\.?|p\.?\s?m\.?)(?![a-z])"
_F = re.IGNORECASE

_RE_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", _F)
_RE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", _F)
_RE_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s-]\d{2,4}){1,4}(?![\w])"
                       r"|(?<![\w+])\+\d{8,14}\b|(?<![\w.])\d{3}\.\d{3}\.\d{4}\b")

_DATE_PATTERNS = [(name, re.compile(p, _F)) for name, p in [
    # ranges first: "15-16 de junio", "June 15-16", "del 3 al 5 de mayo", "22 to 23 June"
    ("range_dm", rf"\b(?P<d1>\d{{1,2}}){_ORD}?\s*(?:-|–|al?|to|y|and|&)\s*(?P<d>\d{{1,2}}){_ORD}?\s+(?:of\s+|de\s+)?"
                 rf"(?P<mo>{_M})\b\.?(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}}))?"),
    ("range_md", rf"\b(?P<mo>{_M})\.?\s+(?P<d1>\d{{1,2}}){_ORD}?\s*(?:-|–|to|and|&)\s*(?P<d>\d{{1,2}}){_ORD}?\b"
                 rf"(?![:.,]\d)(?:,?\s+(?P<y>\d{{4}}))?"),
    ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    ("dmy", r"(?<![\d/.-])(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?![\d/.-]|\.\d)"),
    ("wmd", rf"\b(?P<w>{_W})\.?,?\s+(?P<mo>{_M})\.?\s+(?P<d>\d{{1,2}}){_ORD}?\b(?![:.]\d)(?:,?\s+(?P<y>\d{{4}}))?"),
    ("wd", rf"\b(?P<w>{_W})\.?,?\s+(?:the\s+|el\s+|d[ií]a\s+)?(?P<d>\d{{1,2}}){_ORD}?\b(?![:.,]\d|\s*(?:am|pm|a\.m|p\.m|h\b|%|€))"
           rf"(?:\s+(?:of\s+|de\s+)?(?P<mo>{_M})\b\.?(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}}))?)?"),
    ("md", rf"\b(?P<mo>{_M})\.?\s+(?P<d>\d{{1,2}}){_ORD}?\b(?![:.,]\d|\s*(?:%|€|am|pm|h\b))(?:,?\s+(?P<y>\d{{4}}))?"),
    ("dm", rf"\b(?P<d>\d{{1,2}}){_ORD}?\s+(?:of\s+|de\s+)?(?P<mo>{_M})\b\.?(?:,?\s+(?:de\s+|del\s+)?(?P<y>\d{{4}}))?"),
    ("dm_num", r"(?<![\d/.,-])(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|\.\d)"),
    ("end_month_named", rf"\b(?:(?:the\s+)?end\s+of|(?:a\s+)?fin(?:al)?(?:es)?\s+de)\s+(?P<mo>{_MF})\b"),
    ("end_month", r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|(?:a\s+)?fin(?:al)?(?:es)?\s+del?\s+mes|EOM)\b"),
    ("end_week", r"\b(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|(?:a\s+)?finales\s+de\s+(?:la\s+|esta\s+)?semana)\b"),
    ("day_only", rf"\b(?:on|by|until|till|before|after|from|for)\s+the\s+(?P<d>\d{{1,2}}){_ORD}\b"),
    ("day_only2", rf"\bthe\s+(?P<d>\d{{1,2}}){_ORD}(?=\s*(?:[,.;:!?)]|$|at\b|or\b|and\b|works|would|is\b|suits|then\b|instead))"),
    ("dia", r"\b(?:el|del|al)\s+d[ií]a\s+(?P<d>\d{1,2})\b(?![:.,]\d|\s*%)"),
    ("el_d", r"\b(?:el|del|al)\s+(?P<d>\d{1,2})\b(?=\s*(?:[,;:!?)]|\.(?!\d)|$|a\s+las?\b|por\s+la\b|o\s+el\b|y\s+el\b|en\s+vez\b|me\b|nos\b|te\b|le\b))"),
    ("after_tomorrow", r"\b(?:the\s+day\s+after\s+tomorrow|pasado\s+mañana)\b"),
    ("tomorrow", r"\b(?:tomorrow|tmrw)\b"),
    ("manana", r"\bmañana\b"),
    ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|hoy|esta\s+(?:mañana|tarde|noche))\b"),
    ("yesterday", r"\b(?:yesterday|ayer)\b"),
    ("week", r"\b(?:(?P<next>next\s+week|la\s+semana\s+que\s+viene|la\s+pr[oó]xima\s+semana|la\s+semana\s+pr[oó]xima)"
             r"|(?:this|esta)\s+(?:week|semana))\b"),
    ("month", r"\b(?:(?P<next>next\s+month|el\s+mes\s+que\s+viene|el\s+pr[oó]ximo\s+mes)|(?:this|este)\s+(?:month|mes))\b"),
    ("weekday", rf"\b(?:(?:next|this|coming|el\s+pr[oó]ximo|pr[oó]ximo|este|el)\s+)?(?P<w>{_WF})\b(?:\s+que\s+viene)?"),
    ("month_only", rf"\b(?P<mo>{_MF})\b(?:\s+(?:de\s+|del\s+)?(?P<y>\d{{4}}))?"),
]]

_NOUN_AFTER_LAS_OK = {"y", "o", "a", "de", "del", "hasta", "en", "por", "h", "horas", "am", "pm", "menos", "para",
                      "el", "la", "me", "te", "nos", "le", "les", "se", "si", "que", "pero", "como", "mejor"}
_EN_AFTER_AT_OK = {"on", "or", "and", "to", "tomorrow", "today", "tonight", "in", "next", "this", "sharp", "then",
                   "instead", "works", "is", "would", "if", "please", "o'clock", "o’clock", "latest", "at", "the",
                   "for", "with", "as", "so", "but", "that", "we", "i", "you", "it", "pm", "am"}
_HW = _alt(_HOUR_WORDS)
_MW = _alt(_MINUTE_WORDS)
_TIME_PATTERNS = [(name, re.compile(p, _F)) for name, p in [
    ("es", rf"\b(?P<prep>a|desde|hasta|sobre|hacia|entre|de|y|son|para|antes\s+de|despu[eé]s\s+de)\s+las?\s+"
           rf"(?P<h>[01]?\d|2[0-3]|{_HW})(?![\d.,]\d|\s*%)(?:[:.](?P<m>[0-5]\d))?"
           rf"(?:\s+y\s+(?P<plus>{_MW}|[0-5]?\d)|\s+menos\s+(?P<minus>{_MW}|[0-5]?\d))?"
           r"(?:\s+(?P<part>de\s+la\s+(?:mañana|tarde|noche|madrugada)|del\s+mediod[ií]a|en\s+punto|h\b|hrs?\b|horas\b))?"),
    ("es_bare", rf"\blas?\s+(?P<h>[01]?\d|2[0-3]|{_HW})(?:[:.](?P<m>[0-5]\d)|\s+y\s+(?P<plus>{_MW})|\s+menos\s+(?P<minus>{_MW})"
                r"|\s+(?P<part>de\s+la\s+(?:mañana|tarde|noche|madrugada)|en\s+punto))"),
    ("colon", rf"(?<![\d:.,])(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?!\d)(?:\s*{_AP})?(?:\s*(?:h|hrs?)\b)?"),
    ("ampm", rf"(?<![\d:.,])(?P<h>1[0-2]|0?[1-9])(?:[.:](?P<m>[0-5]\d))?\s*{_AP}"),
    ("hours", r"(?<![\d:.,])(?P<h>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d))?\s?(?:h|hrs)\b"),
    ("oclock", rf"\b(?P<h>1[0-2]|0?[1-9]|{_HW})\s*o['’]?clock\b"),
    ("at", rf"\bat\s+(?P<h>1[0-2]|0?[1-9])\b(?![:.,]\d|\s*%|\s*[€$£])"),
    ("past", rf"\b(?P<q>half|quarter)\s+(?P<rel>past|to)\s+(?P<h>1[0-2]|0?[1-9]|{_HW})\b"),
    ("noon", r"\b(?:noon|midday|mediod[ií]a)\b"),
    ("midnight", r"\b(?:midnight|medianoche)\b"),
]]

_CP = r"(?P<cp>US\$|€|\$|£|USD|EUR|GBP|MXN|CHF)"
_CS = (r"(?P<cs>€|\$|£|(?i:usd|eur|gbp|mxn|chf)\b|(?i:euros?|d[oó]lares|dollars?|bucks|pounds?|"
       r"libras?(?:\s+esterlinas)?|pesos?(?:\s+mexicanos)?|francos?(?:\s+suizos)?)\b)")
_MULT = r"(?:\s?(?P<mu>k|K|MM|M|mn|bn)\b|\s+(?P<mw>(?i:mil|thousand|millions?|mill[oó]n|millones|billion|millardos?))\b)"
_NUM_AMOUNT = rf"(?P<n>{_NUMD}|\d{{1,3}}(?:\s\d{{3}})+(?!\d))"
_RE_AMOUNT_PRE = re.compile(rf"{_CP}\s?(?P<n>{_NUMD}){_MULT}?")
_RE_AMOUNT_POST = re.compile(rf"(?<![\w.,]){_NUM_AMOUNT}{_MULT}?\s?(?:(?i:de)\s+)?{_CS}")
_PERCENT_SIGN = r"\s?(?:%|por\s*ciento\b|percent\b|per\s+cent\b|pct\b)"
_RE_PERCENT = re.compile(rf"(?<![\w.,])(?P<n>{_NUMD}){_PERCENT_SIGN}", _F)
# after a run of number words: "doce mil| euros", "quince| por ciento"
_RE_AFTER_WORDS_AMOUNT = re.compile(rf"{_MULT}?\s?(?:(?i:de)\s+)?{_CS}")
_RE_AFTER_WORDS_PERCENT = re.compile(_PERCENT_SIGN, _F)
_RE_ID = re.compile(r"(?<![\w@.-])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_/][A-Za-z0-9]+)*(?![\w@-])")
_RE_ORDINAL = re.compile(rf"^\d+{_ORD}$|^\d+(?:er|o|a)$", _F)
_RE_MULT_NUM = re.compile(r"^(?P<n>\d+(?:[.,]\d+)?)(?P<mu>k|K|M|mn|bn)$")
_RE_NUMBER = re.compile(rf"(?<![\w.,])(?:{_NUMD})(?![\w]|[.,]\d)")
_NUM_SET = set(_EN_NUM + _ES_NUM)
_RE_WORD_SPAN = re.compile(r"[^\W\d_]+")
_RE_RUN_GAP = re.compile(r"\s+(?:and|y)\s+|\s+|-", _F)  # between two number words of one run
_RE_UNIT_AFTER = re.compile(rf"\s+(?:(?:more|extra|additional|further|business|working|más|extra|adicionales|h[aá]biles|laborables)\s+)?(?:{'|'.join(_UNITS)})\b", _F)
_RE_LIST_MARKER = re.compile(r"(?m)^\s*\d{1,2}[.)](?=\s)")
_RE_CAP = re.compile(r"(?<![\w@.'’-])[A-ZÁÉÍÓÚÑÜ][a-záéíóúñüàèìòùçäëïöß]+(?:['’-][A-ZÁÉÍÓÚÑa-záéíóúñ][a-záéíóúñü]+)?"
                     r"(?:\s[A-ZÁÉÍÓÚÑÜ][a-záéíóúñüàèìòùçäëïöß]+(?:['’-][A-ZÁÉÍÓÚÑa-záéíóúñ][a-záéíóúñü]+)?)*(?![\w@])")
_RE_WORD = re.compile(r"[^\W\d_]+")
_RE_ALNUM_TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[^\W\d_])[\w-]+")  # "Q3", "LH1234", "INV-2024-001"
# a sentence ends at . ! ? before a space, or at a line break ("2,350.00" and "acme.com" do not end one)
_RE_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))+(?:[.!?]+|\n|$)")

# Commitment phrases: (class, pattern). "strong" promises, "confirm", and "future" (I will...).
_APOS = "['’]"
_ES_VERBS = ("enviar mandar llamar preparar entregar pagar revisar confirmar escribir reservar organizar transferir "
             "incluir encargar ocupar gestionar cerrar firmar compartir asegurar estar devolver reembolsar cubrir "
             "añadir actualizar resolver arreglar solucionar terminar completar dar avisar contactar responder "
             "contestar aplicar ofrecer hablar pasar llevar traer comprobar agendar programar coordinar facturar "
             "abonar ingresar remitir adjuntar presentar ir acabar empezar comenzar").split()
_ES_FUTURE = frozenset({v + e for v in _ES_VERBS for e in ("é", "emos")}
                    | {"haré", "haremos", "diré", "diremos", "tendré", "tendremos", "podré", "podremos", "pondré",
                       "pondremos", "saldré", "vendré", "vendremos", "sabré", "traeré", "traeremos"})
_COMMITMENTS = [(cls, re.compile(p, _F)) for cls, p in [
    ("strong", r"\b(?:I|we)\s+(?:can\s+|do\s+)?(?:promise|guarantee|commit|assure\s+you)\b"),
    ("strong", r"\b(?:I|we)\s*(?:am|are|" + _APOS + r"m|" + _APOS + r"re)\s+committed\b"),
    ("strong", r"\b(?:rest\s+assured|you\s+have\s+my\s+word|I\s+give\s+you\s+my\s+word|without\s+fail)\b"),
    ("strong", r"\b(?:me\s+comprometo|nos\s+comprometemos|(?:(?:te|le|les|os)\s+)?(?:prometo|prometemos|garantizo|garantizamos)"
               r"|(?:te|le|les|os)\s+aseguro|aseguramos|tienes?\s+mi\s+palabra|sin\s+falta)\b"),
    ("confirm", r"\b(?:I|we)\s+(?:can\s+)?confirm\b|\b(?:I|we)\s*(?:am|are|" + _APOS + r"m|" + _APOS + r"re)\s+confirming\b"
                r"|\bthis\s+confirms\b"),
    ("confirm", r"\b(?:(?:te|le|les|os)\s+confirmo|confirmo|confirmamos|(?:puedo|podemos)\s+confirmar(?:te|le|les|os)?"
                r"|queda\s+confirmad[oa])\b"),
    ("future", r"\b(?:I|we)\s*(?:will|shall|" + _APOS + r"ll)\b|\b(?:I|we)\s*(?:am|are|" + _APOS + r"m|" + _APOS
               + r"re)\s+going\s+to\b"),
    ("future", r"\b(?:voy|vamos)\s+a\s+(?!ver\b)[a-záéíóúñ]+(?:ar|er|ir)\b"),
    ("future", r"\b(?:(?:te|le|les|os)\s+(?:envío|envio|mando|paso|llamo|escribo))\b"),
    ("future", r"\b[a-záéíóúñ]{2,}(?:é|emos)\b"),  # checked against _ES_FUTURE
]]
_RE_NEGATION = re.compile(r"\b(?:no|not|never|nunca|cannot|can" + _APOS + r"t|won" + _APOS + r"t|n" + _APOS
                          + r"t|tampoco|jam[aá]s)\W+(?:\w+\W+){0,1}$", _F)
_RE_AGREEMENT = re.compile(
    r"\b(?:yes|yeah|yep|sure|ok|okay|agree\w*|confirm\w*|accept\w*|approv\w*|fine|works|sounds\s+good|happy\s+to|"
    r"glad\s+to|of\s+course|can\s+do|will|shall|go\s+ahead|deal|sí|vale|de\s+acuerdo|acuerdo|conform\w*|acept\w*|"
    r"aprob\w*|aprueb\w*|perfecto|claro|por\s+supuesto|me\s+parece|adelante|promet\w*|garantiz\w*|compromet\w*|"
    r"commit\w*|guarantee\w*|promis\w*|assur\w*|asegur\w*)\b|\w" + _APOS + r"ll\b", _F)
_RE_POINTS_YES = re.compile(r"\bsi\b", _F)
_RE_STRONG_LANG = re.compile(
    r"\b(?:promet\w*|promesa\w*|garantiz\w*|garant[ií]a\w*|compromet\w*|compromiso\w*|commit\w*|guarantee\w*|"
    r"promis\w*|assur\w*|asegur\w*|warrant\w*|my\s+word|mi\s+palabra|sin\s+falta|without\s+fail)\b", _F)
_RE_CUE = re.compile(rf"\b(?:{_M}|{_W})\b", _F)
# cue words that are more often something else: English "may", "sun"; Spanish "mar" (sea), "ago" (I do)
_AMBIGUOUS_CUES = {"may", "mar", "sun", "sat", "wed", "mon", "ago", "ene", "dic"}
_CUES = set(_MONTHS) | set(_WEEKDAYS)


# ---------------------------------------------------------------------------------------------
# Facts

@dataclass
class _Reading:
    """One interpretation of a date: the fields it states, and the calendar date it resolves to."""
    explicit: dict
    resolved: date | None = None

    @functools.cached_property
    def fields(self) -> dict:
        out = {}
        if self.resolved is not None:
            r = self.resolved
            out = {"y": r.year, "m": r.month, "d": r.day, "wd": r.weekday(), "wk": r.isocalendar()[:2]}
        out.update(self.explicit)
        return out


@dataclass
class _Fact:
    kind: str          # KINDS, plus "id" (reported as "number")
    start: int
    end: int
    value: object
    word: bool = False  # a number written in words


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _parse_digits(s: str) -> Decimal | None:
    s = re.sub(r"[\s\u00a0\u202f]", "", s)
    if not s:
        return None
    if "." in s and "," in s:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        s = s.replace("," if dec == "." else ".", "").replace(dec, ".")
    else:
        for sep in ".,":
            if sep in s:
                parts = s.split(sep)
                if len(parts) > 2 or (len(parts[1]) == 3 and parts[0] not in ("0", "")):
                    s = s.replace(sep, "")
                else:
                    s = s.replace(sep, ".")
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _parse_words(s: str) -> Decimal | None:
    from text_to_num import text2num

    words = s.lower().replace("-", " ").split()
    if words and words[0] in ("a", "an"):
        words[0] = "one"
    words = ["veintiuno" if w == "veintiún" else w for w in words]
    if not words:
        return None
    lang = "en" if all(w in _EN_SET or w == "and" for w in words) else "es"
    try:
        return Decimal(text2num(" ".join(words), lang))
    except (ValueError, TypeError):
        return None


def _words_tail(s: str) -> tuple[Decimal | None, int]:
    """The value of a run of number words, dropping leading words that do not read as part of
    it ("un veinte por ciento": an article, then 20), and where the number starts in ``s``."""
    for w in re.finditer(r"\S+", s):
        if (v := _parse_words(s[w.start():])) is not None:
            return v, w.start()
    return None, 0


def _clean_source(text: str) -> str:
    """Sources may hold HTML or quoted-printable leftovers; read them as plain text."""
    if "=\n" in text or "=\r\n" in text or len(re.findall(r"=[0-9A-F]{2}", text)) >= 2:
        try:
            decoded = quopri.decodestring(text.encode("utf-8", "replace")).decode("utf-8", "replace")
            if decoded.count("\ufffd") <= text.count("\ufffd"):
                text = decoded
        except (ValueError, UnicodeError):
            pass
    if re.search(r"</?(?:html|body|div|p|br|span|table|td|tr|a|b|i|strong|em|font|blockquote)\b[^>]*>", text, _F):
        text = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
        text = re.sub(r"(?i)<br\s*/?>|</(?:p|div|tr|li|h\d|blockquote)>", "\n", text)
        text = re.sub(r"<[^>]+>", " ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


# --- date resolution ---

def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _infer_year(m: int, d: int, ref: date) -> date | None:
    found = _valid(ref.year, m, d)
    if found is None:  # 29 February
        found = _valid(ref.year + 1, m, d)
        return found
    if found < ref - timedelta(days=90):
        found = _valid(ref.year + 1, m, d) or found
    elif found > ref + timedelta(days=275):
        found = _valid(ref.year - 1, m, d) or found
    return found


def _md_with_weekday(m: int, d: int, wd: int, ref: date) -> date | None:
    options = [c for y in (ref.year, ref.year + 1, ref.year - 1) if (c := _valid(y, m, d)) and c.weekday() == wd]
    return min(options, key=lambda c: abs((c - ref).days)) if options else None


def _day_only(d: int, ref: date, wd: int | None = None) -> date | None:
    y, m = ref.year, ref.month - 1
    if m == 0:
        y, m = y - 1, 12
    for _ in range(14):
        c = _valid(y, m, d)
        if c and c >= ref - timedelta(days=7 if wd is not None else 3) and (wd is None or c.weekday() == wd):
            return c
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return None


def _next_weekday(wd: int, ref: date) -> date:
    return ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)


def _year(s: str | None) -> int | None:
    if not s:
        return None
    y = int(s)
    return y + 2000 if y < 100 else y


def _date_readings(name: str, g: dict, text: str, ref: date) -> list[_Reading]:
    lower = text.lower()
    if name == "iso":
        y, m, d = int(g["y"]), int(g["m"]), int(g["d"])
        return [_Reading({"y": y, "m": m, "d": d}, _valid(y, m, d))] if _valid(y, m, d) else []
    if name in ("dmy", "dm_num"):
        a, b, y = int(g["a"]), int(g["b"]), _year(g.get("y"))
        out = []
        for d, m in ((a, b), (b, a)):
            if 1 <= m <= 12 and 1 <= d <= 31 and (d, m) not in [(r.explicit["d"], r.explicit["m"]) for r in out]:
                if y is not None and (r := _valid(y, m, d)):
                    out.append(_Reading({"y": y, "m": m, "d": d}, r))
                elif y is None and (r := _infer_year(m, d, ref)):
                    out.append(_Reading({"m": m, "d": d}, r))
        return out
    if name in ("wmd", "wd", "md", "dm"):
        d = int(g["d"])
        mo = g.get("mo")
        if mo and mo.lower() == "mar" and not mo[0].isupper() and name == "md":
            return []  # Spanish "mar" (the sea); "may 29" typed in lower case is still a date
        m = _MONTHS.get(mo.lower()) if mo else None
        wd = _WEEKDAYS.get(g["w"].lower()) if g.get("w") else None
        y = _year(g.get("y"))
        if not 1 <= d <= 31:
            return []
        explicit = {"d": d}
        if m:
            explicit["m"] = m
        if y:
            explicit["y"] = y
        if wd is not None:
            explicit["wd"] = wd
        if m and y:
            r = _valid(y, m, d)
            if r is not None and wd is not None and r.weekday() != wd:
                r = None
        elif m:
            r = _md_with_weekday(m, d, wd, ref) if wd is not None else _infer_year(m, d, ref)
        else:
            r = _day_only(d, ref, wd)
        return [_Reading(explicit, r)]
    if name in ("day_only", "day_only2", "dia", "el_d"):
        d = int(g["d"])
        return [_Reading({"d": d}, _day_only(d, ref))] if 1 <= d <= 31 else []
    if name in ("after_tomorrow", "tomorrow", "today", "yesterday", "manana"):
        offset = {"after_tomorrow": 2, "tomorrow": 1, "manana": 1, "today": 0, "yesterday": -1}[name]
        r = ref + timedelta(days=offset)
        return [_Reading({"y": r.year, "m": r.month, "d": r.day}, r)]
    if name == "week":
        r = ref + timedelta(days=7) if g.get("next") else ref
        return [_Reading({"wk": r.isocalendar()[:2]})]
    if name == "month":
        y, m = ref.year, ref.month
        if g.get("next"):
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return [_Reading({"y": y, "m": m})]
    if name in ("end_month", "end_month_named"):
        m = _MONTHS[g["mo"].lower()] if g.get("mo") else ref.month
        y = ref.year if m >= ref.month - 2 else ref.year + 1
        last = calendar.monthrange(y, m)[1]
        return [_Reading({"m": m, "d": last}, date(y, m, last))]
    if name == "end_week":
        r = ref + timedelta(days=(4 - ref.weekday()) % 7)
        return [_Reading({"y": r.year, "m": r.month, "d": r.day}, r)]
    if name == "weekday":
        wd = _WEEKDAYS[g["w"].lower()]
        return [_Reading({"wd": wd}, _next_weekday(wd, ref))]
    if name == "month_only":
        mo = g["mo"]
        low = mo.lower()
        english = low in ("january", "february", "march", "april", "may", "june", "july", "august",
                          "september", "october", "november", "december")
        if low == "may" or (english and not mo[0].isupper()):
            return []  # "may" is a verb; lower-case "march" too
        explicit = {"m": _MONTHS[low]}
        if g.get("y"):
            explicit["y"] = int(g["y"])
        return [_Reading(explicit)]
    return []


def _time_value(name: str, g: dict, text: str) -> tuple[int, int, bool] | None:
    if name == "noon":
        return (12, 0, True)
    if name == "midnight":
        return (0, 0, True)
    raw = g.get("h") or ""
    h = int(raw) if raw.isdigit() else _HOUR_WORDS.get(raw.lower())
    if h is None:
        return None
    m = int(g["m"]) if g.get("m") else 0
    known = False
    if name == "past":
        q = 30 if g["q"].lower() == "half" else 15
        if g["rel"].lower() == "to":
            h, m = (h - 1) % 12 or 12, 60 - q
        else:
            m = q
    if name in ("es", "es_bare"):
        if g.get("plus"):
            p = g["plus"].lower()
            m = _MINUTE_WORDS.get(p, int(p) if p.isdigit() else 0)
        if g.get("minus"):
            p = g["minus"].lower()
            m = 60 - _MINUTE_WORDS.get(p, int(p) if p.isdigit() else 0)
            h = (h - 1) % 24
        part = (g.get("part") or "").lower()
        if "tarde" in part or "noche" in part:
            if h < 12:
                h += 12
            known = True
        elif "mañana" in part or "madrugada" in part:
            known = True
    ap = (g.get("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap:
        known = True
        if ap == "pm" and h < 12:
            h += 12
        elif ap == "am" and h == 12:
            h = 0
    if h >= 13 or h == 0:
        known = True
    if h > 23:
        return None
    return (h, m, known)


def _claimed(mask: bytearray, start: int, end: int) -> bool:
    return any(mask[start:end])


def _claim(mask: bytearray, start: int, end: int) -> None:
    mask[start:end] = b"\x01" * (end - start)


def _word_before(text: str, start: int) -> str:
    m = re.search(r"(\w+)\W*$", text[max(0, start - 30):start])
    return m.group(1).lower() if m else ""


def _word_after(text: str, end: int) -> str:
    m = re.match(r"\s*([\w'’]+)", text[end:end + 30])
    return m.group(1).lower() if m else ""


def _extract(text: str, ref: date) -> list[_Fact]:
    """Every fact in ``text``, each span claimed once (a number inside a date is the date's)."""
    facts: list[_Fact] = []
    mask = bytearray(len(text))

    def add(kind, start, end, value, word=False):
        facts.append(_Fact(kind, start, end, value, word))
        _claim(mask, start, end)

    for m in _RE_EMAIL.finditer(text):
        add("email", m.start(), m.end(), m.group(0).lower().rstrip("."))
    for m in _RE_URL.finditer(text):
        if not _claimed(mask, m.start(), m.end()):
            url = m.group(0).rstrip(".,;:!?")
            add("url", m.start(), m.start() + len(url), _norm_url(url))
    for m in _RE_PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        span = m.group(0)
        if len(digits) < 8 or _claimed(mask, m.start(), m.end()):
            continue
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", span) or re.fullmatch(r"\d{1,2}-\d{1,2}-\d{2,4}", span):
            continue
        # "2026 2027" or "10 000 000" are not phones: a phone starts with + or ( or has 9+ digits
        if not (span.startswith(("+", "(")) or len(digits) >= 9):
            continue
        add("phone", m.start(), m.end(), digits[-9:])

    windows = _cue_windows(text)
    for name, rx in _DATE_PATTERNS:
        spans = windows if name in _CUE_ANCHORED else ((0, len(text)),)
        for m in (m for lo, hi in spans for m in rx.finditer(text, lo, hi)):
            if _claimed(mask, m.start(), m.end()):
                continue
            if name == "manana" and _word_before(text, m.start()) in ("la", "esta", "una", "cada", "por", "toda",
                                                                       "las", "de", "the"):
                continue
            if name == "dm_num" and m.group(0) in ("1/2", "1/3", "2/3", "1/4", "3/4", "24/7"):
                continue
            if name == "el_d" and text[m.end():m.end() + 3].strip().startswith("%"):
                continue
            if name.startswith("range_"):
                # two dates: the first day alone, then the second day with the month
                g = m.groupdict()
                first = _date_readings("dm", {**g, "d": g["d1"]}, m.group(0), ref)
                second = _date_readings("dm", g, m.group(0), ref)
                if first and second and int(g["d1"]) < int(g["d"]):
                    # "June 15-16": the month is written with the first day; "15-16 de junio": with the second
                    add("date", m.start("d1") if name == "range_dm" else m.start(), m.end("d1"), tuple(first))
                    add("date", m.start("d"), m.end(), tuple(second))
                    _claim(mask, m.start(), m.end())
                continue
            readings = _date_readings(name, m.groupdict(), m.group(0), ref)
            if readings:
                end = m.end()
                if text[end - 1] == "." and _word_before(text, end).lower() not in _MONTHS.keys() - _MONTHS_FULL:
                    end -= 1  # the full stop after "2 April.", kept after "Apr."
                add("date", m.start(), end, tuple(readings))
    _dateparser_fallback(text, ref, mask, add)

    runs = _number_word_runs(text)
    for rx in (_RE_AMOUNT_PRE, _RE_AMOUNT_POST):
        for m in rx.finditer(text):
            if _claimed(mask, m.start(), m.end()):
                continue
            raw = _parse_digits(m.group("n"))
            if raw is None:
                continue
            cur = (m.groupdict().get("cp") or m.groupdict().get("cs") or "").lower()
            add("amount", m.start(), m.end(), _amount_value(raw, m, cur))
    for m in _RE_PERCENT.finditer(text):
        if not _claimed(mask, m.start(), m.end()) and (v := _parse_digits(m.group("n"))) is not None:
            add("percent", m.start(), m.end(), v)
    for start, end in runs:  # "doce mil euros", "quince por ciento"
        if _claimed(mask, start, end):
            continue
        if am := _RE_AFTER_WORDS_AMOUNT.match(text, end):
            kind = "amount"
        elif am := _RE_AFTER_WORDS_PERCENT.match(text, end):
            kind = "percent"
        else:
            continue
        v, offset = _words_tail(text[start:end])
        if v is None or _claimed(mask, start, am.end()):
            continue
        value = v if kind == "percent" else _amount_value(v, am, (am.group("cs") or "").lower())
        add(kind, start + offset, am.end(), value, word=True)

    for name, rx in _TIME_PATTERNS:
        for m in rx.finditer(text):
            g = m.groupdict()
            start = m.start("h") if g.get("h") and name not in ("past", "es_bare") else m.start()
            if name == "es":
                start = m.end("prep")
                start += len(text[start:m.end()]) - len(text[start:m.end()].lstrip())
            if _claimed(mask, start, m.end()):
                continue
            if name == "es" and m.group("prep").lower() in ("entre", "de", "y", "para") and not g.get("m") \
                    and not g.get("plus") and not g.get("part"):
                after = _word_after(text, m.end())
                if after and after not in _NOUN_AFTER_LAS_OK and not after.isdigit():
                    continue
            if name in ("es", "es_bare") and g["h"].lower() == "una" and not re.search(r"\bla\s+una", m.group(0), _F):
                continue
            if name == "at":
                after = _word_after(text, m.end())
                if after and after not in _EN_AFTER_AT_OK and not after.isdigit():
                    continue
            value = _time_value(name, g, m.group(0))
            if value is not None:
                end = m.end()
                if text[end - 2:end].lower() == "m." and text[end - 4:end - 3] != ".":
                    end -= 1  # "3 pm." ends the sentence; "3 p.m." keeps its dot
                add("time", start, end, value)

    for m in _RE_ID.finditer(text):
        if _claimed(mask, m.start(), m.end()):
            continue
        token = m.group(0)
        if _RE_ORDINAL.match(token):
            add("number", m.start(), m.end(), Decimal(re.match(r"\d+", token).group(0)))
        elif mm := _RE_MULT_NUM.match(token):
            add("number", m.start(), m.end(), _parse_digits(mm.group("n")) * _MULTIPLIERS[mm.group("mu")])
        else:
            add("id", m.start(), m.end(), token.lower())
    list_markers = {m.start() + len(m.group(0)) - len(m.group(0).lstrip()) for m in _RE_LIST_MARKER.finditer(text)}
    for m in _RE_NUMBER.finditer(text):
        if _claimed(mask, m.start(), m.end()) or m.start() in list_markers:
            continue
        if (v := _parse_digits(m.group(0))) is not None:
            add("number", m.start(), m.end(), v)
    for start, end in runs:
        if _claimed(mask, start, end):
            continue
        v, offset = _words_tail(text[start:end])
        if v is not None:
            add("number", start + offset, end, v, word=True)
            continue
        for w in _RE_WORD_SPAN.finditer(text, start, end):  # "dos y tres": each word on its own
            if (wv := _parse_words(w.group(0))) is not None:
                facts.append(_Fact("number", w.start(), w.end(), wv, True))
    facts.sort(key=lambda f: f.start)
    return facts


# patterns that cannot match without a month or weekday word: searched only near one
_CUE_ANCHORED = {"range_dm", "range_md", "wmd", "wd", "md", "dm", "end_month_named", "weekday", "month_only"}


def _cue_windows(text: str, margin: int = 48) -> list[tuple[int, int]]:
    """Merged spans of ``margin`` characters around each month or weekday word (a date written
    around one is shorter than that on either side)."""
    out: list[list[int]] = []
    for w in _RE_WORD_SPAN.finditer(text):
        if w.group(0).lower() in _CUES:
            lo, hi = max(0, w.start() - margin), min(len(text), w.end() + margin)
            if out and lo <= out[-1][1]:
                out[-1][1] = hi
            else:
                out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _amount_value(raw: Decimal, m: re.Match, cur: str) -> tuple:
    mult = _MULTIPLIERS.get(m.group("mu") or "", 1) * _MULTIPLIERS.get((m.group("mw") or "").lower(), 1)
    cur = re.sub(r"\s+", " ", cur)
    return (raw * mult, _CURRENCIES.get(cur, cur.upper()), raw)


def _number_word_runs(text: str) -> list[tuple[int, int]]:
    """Spans of runs of number words: "doce mil", "treinta y cinco", "a hundred and five"."""
    runs: list[list[int]] = []
    words = list(_RE_WORD_SPAN.finditer(text))
    for i, w in enumerate(words):
        low = w.group(0).lower()
        if low not in _NUM_SET:
            if low in ("a", "an") and i + 1 < len(words) and words[i + 1].group(0).lower() in (
                    "hundred", "thousand", "million") and text[w.end():words[i + 1].start()].isspace():
                runs.append([w.start(), w.end(), 1])
            continue
        if runs and _RE_RUN_GAP.fullmatch(text, runs[-1][1], w.start()):
            runs[-1][1] = w.end()
            runs[-1][2] += 1
        else:
            runs.append([w.start(), w.end(), 1])
    return [(a, b) for a, b, n in runs if not (n == 1 and text[a:b].lower() in ("a", "an"))]


def _dateparser_fallback(text: str, ref: date, mask: bytearray, add) -> None:
    """Sentences with a month or weekday word that no pattern explained go to dateparser."""
    for cue in _RE_WORD_SPAN.finditer(text):
        low = cue.group(0).lower()
        if low not in _CUES or low in _AMBIGUOUS_CUES or _claimed(mask, cue.start(), cue.end()):
            continue
        sentence = next((s for s in _RE_SENTENCE.finditer(text) if s.start() <= cue.start() < s.end()), None)
        if sentence is None:
            continue
        for hit, when in _search_dates(sentence.group(0), ref):
            offset = sentence.group(0).find(hit)
            if offset < 0:
                continue
            start = sentence.start() + offset
            end = start + len(hit)
            # word-only forms are the patterns' business: a hit must hold a digit and a cue
            if _claimed(mask, start, end) or not _RE_CUE.search(hit) or not re.search(r"\d", hit):
                continue
            d = when.date()
            add("date", start, end, (_Reading({"y": d.year, "m": d.month, "d": d.day}, d),))


@functools.lru_cache(maxsize=512)
def _search_dates(sentence: str, ref: date) -> tuple:
    with warnings.catch_warnings():
        # dateparser and its dependencies warn about their own internals (pytz, locale data)
        warnings.simplefilter("ignore")
        try:
            import dateparser.search  # lazily: it takes a while to import

            found = dateparser.search.search_dates(
                sentence, languages=["en", "es"],
                settings={"RELATIVE_BASE": datetime(ref.year, ref.month, ref.day, 12, 0),
                          "PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False})
        except Exception:  # noqa: BLE001 - a parser bug must never break the check
            return ()
    return tuple(found or ())


def _norm_url(url: str) -> str:
    u = re.sub(r"^https?://", "", url.lower())
    u = re.sub(r"^www\.", "", u)
    return u.rstrip("/")


# ---------------------------------------------------------------------------------------------
# Sources: facts extracted once per text

@dataclass
class _Index:
    text: str
    facts: list
    dates: list = field(default_factory=list)
    times: list = field(default_factory=list)
    amounts: list = field(default_factory=list)
    percents: set = field(default_factory=set)
    pool: set = field(default_factory=set)       # every numeric value
    plain: set = field(default_factory=set)      # values of plain numbers (no unit)
    ids: set = field(default_factory=set)
    emails: set = field(default_factory=set)
    domains: set = field(default_factory=set)
    urls: set = field(default_factory=set)
    phones: set = field(default_factory=set)
    words: set = field(default_factory=set)
    digits: str = ""
    is_points: bool = False

    # only asked when the draft makes a promise: computed then, once
    @functools.cached_property
    def agreement(self) -> bool:
        return bool(_RE_AGREEMENT.search(self.text)) or any(True for _ in _commitment_matches(self.text)) \
            or (self.is_points and bool(_RE_POINTS_YES.search(self.text)))

    @functools.cached_property
    def strong(self) -> bool:
        return bool(_RE_STRONG_LANG.search(self.text))


@functools.lru_cache(maxsize=64)
def _index(text: str, ref: date, is_points: bool = False) -> _Index:
    clean = _clean_source(text)
    facts = _extract(clean, ref)
    ix = _Index(clean, facts)
    for f in facts:
        v = f.value
        if f.kind == "date":
            ix.dates.extend(v)
            for r in v:
                for k in ("y", "m", "d"):
                    if k in r.explicit:
                        ix.pool.add(Decimal(r.explicit[k]))
        elif f.kind == "time":
            h, mi, _ = v
            ix.times.append(v)
            ix.pool.update(Decimal(x) for x in (h, h % 12, h % 12 + 12, mi))
        elif f.kind == "amount":
            ix.amounts.append(v)
            ix.pool.update((v[0], v[2]))
        elif f.kind == "percent":
            ix.percents.add(v)
            ix.pool.add(v)
        elif f.kind == "number":
            ix.pool.add(v)
            ix.plain.add(v)
        elif f.kind == "id":
            ix.ids.add(v)
            ix.pool.update(Decimal(x) for x in re.findall(r"\d+", v))
        elif f.kind == "email":
            ix.emails.add(v)
            ix.domains.add(v.split("@", 1)[1])
        elif f.kind == "url":
            ix.urls.add(v)
        elif f.kind == "phone":
            ix.phones.add(v)
    ix.pool.add(Decimal(ref.year))
    ix.digits = re.sub(r"\D", "", clean)
    folded = _fold(clean)
    ix.words = set(_RE_WORD.findall(folded))
    ix.ids.update(t.lower() for t in _RE_ALNUM_TOKEN.findall(clean))
    ix.is_points = is_points
    return ix


def _date_supported(readings, ixs) -> bool:
    for d in readings:
        for ix in ixs:
            for s in ix.dates:
                if all(s.fields.get(k) == v for k, v in d.explicit.items()):
                    return True
    return False


def _time_supported(t, ixs) -> bool:
    h, m, known = t
    for ix in ixs:
        for h2, m2, known2 in ix.times:
            if m == m2 and (h == h2 or (not (known and known2) and h % 12 == h2 % 12)):
                return True
    return False


def _supported(f: _Fact, draft: str, ixs: list[_Index]) -> bool:
    v = f.value
    if f.kind == "date":
        return _date_supported(v, ixs)
    if f.kind == "time":
        return _time_supported(v, ixs)
    if f.kind == "amount":
        value, cur, _raw = v
        return any((a[0] == value and (not cur or not a[1] or a[1] == cur)) for ix in ixs for a in ix.amounts) \
            or any(value in ix.plain for ix in ixs)
    if f.kind == "percent":
        return any(v in ix.percents or v in ix.plain for ix in ixs)
    if f.kind == "number":
        return any(v in ix.pool for ix in ixs)
    if f.kind == "id":
        return any(v in ix.ids for ix in ixs)
    if f.kind == "email":
        return any(v in ix.emails for ix in ixs)
    if f.kind == "url":
        host = v.split("/", 1)[0]
        return any(v in ix.urls or any(u.startswith(v + "/") for u in ix.urls)
                   or (v == host and (host in ix.domains or any(u.split("/", 1)[0] == host for u in ix.urls)))
                   for ix in ixs)
    if f.kind == "phone":
        return any(v in ix.phones or v in ix.digits for ix in ixs)
    if f.kind == "name":
        return all(any(w in ix.words for ix in ixs) for w in v)
    return True


_CALENDAR_WORDS = {_fold(w) for w in list(_MONTHS) + list(_WEEKDAYS)}
_GREETINGS = {"hi", "hello", "hey", "dear", "hola", "estimado", "estimada", "estimados", "estimadas", "querido",
              "querida", "buenos", "buenas", "good", "morning", "afternoon"}
# a line of nothing but capitalised words (and "de", "of"...): a signature, a job title, a heading
_RE_TITLE_LINE = re.compile(r"[ \t]*(?P<first>[A-ZÁÉÍÓÚÑÜ][\w'’.-]*)(?:[ \t]+(?:[A-ZÁÉÍÓÚÑÜ][\w'’.-]*|de|del|la|las|"
                            r"los|y|e|of|and|the|for|&|[-–|·,])){0,6}[ \t]*[.,:]?[ \t]*$", re.MULTILINE)


def _names(draft: str, facts: list[_Fact]) -> list[_Fact]:
    """Capitalised words that look like people's names, not at a sentence start."""
    mask = bytearray(len(draft))
    for f in facts:
        _claim(mask, f.start, f.end)
    lower_in_draft = {_fold(w) for w in _RE_WORD.findall(draft) if w.islower()}
    skip = [(m.start(), m.end()) for m in re.finditer(r"\[[^\]\n]*\]|\{[^}\n]*\}|<[^>\n]*>", draft)]
    skip += [(m.start(), m.end()) for m in _RE_TITLE_LINE.finditer(draft)
             if _fold(m.group("first")) not in _GREETINGS and _at_sentence_start(draft, m.start("first"))]
    out = []
    for m in _RE_CAP.finditer(draft):
        if _claimed(mask, m.start(), m.end()) or any(a <= m.start() < b for a, b in skip):
            continue
        words = [(w.start() + m.start(), w.group(0)) for w in re.finditer(r"\S+", m.group(0))]
        if _at_sentence_start(draft, m.start()):
            words = words[1:]
        keep = []
        for start, w in words:
            w = re.sub(r"['’]s$", "", w)
            folded = _fold(w)
            if folded in _NOT_NAMES or folded in lower_in_draft or folded in _CALENDAR_WORDS or len(w) < 2:
                if keep:
                    out.append(_name_fact(keep))
                keep = []
                continue
            keep.append((start, w))
        if keep:
            out.append(_name_fact(keep))
    return out


def _name_fact(words: list) -> _Fact:
    start, end = words[0][0], words[-1][0] + len(words[-1][1])
    folded = tuple(t for _, w in words for t in _RE_WORD.findall(_fold(w)))
    return _Fact("name", start, end, folded)


def _at_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'“”‘’«»([¿¡*-–•>":
        if text[i] in "¿¡" or (text[i] in "-–•*>" and (i == 0 or text[i - 1] in "\n")):
            return True
        i -= 1
    if i < 0 or text[i] in "\n\r":
        return True
    if text[i] in "!?:;":
        return True
    if text[i] == ".":
        before = _word_before(text, i)
        return before not in _TITLE_ABBREVIATIONS
    if text[i].isdigit() and i + 1 < len(text) and text[i + 1] in ".)":
        return True
    return False


def _commitment_matches(text: str):
    """(class, match) for each commitment phrase in ``text``, the Spanish futures checked."""
    for cls, rx in _COMMITMENTS:
        for m in rx.finditer(text):
            if rx is _COMMITMENTS[-1][1] and m.group(0).lower() not in _ES_FUTURE:
                continue
            yield cls, m


def _commitments(draft: str) -> list[_Fact]:
    out, mask = [], bytearray(len(draft))
    for cls, m in _commitment_matches(draft):
        if _claimed(mask, m.start(), m.end()):
            continue
        if _RE_NEGATION.search(draft[max(0, m.start() - 30):m.start()]):
            continue
        if re.match(r"\s+(?:not|never)\b", draft[m.end():], _F) and cls != "strong":
            continue
        out.append(_Fact("commitment", m.start(), m.end(), cls))
        _claim(mask, m.start(), m.end())
    return out


def _sentence_of(draft: str, pos: int) -> tuple[int, int]:
    for s in _RE_SENTENCE.finditer(draft):
        if s.start() <= pos < s.end():
            return s.start(), s.end()
    return 0, len(draft)


# ---------------------------------------------------------------------------------------------
# Rewrites: pair a changed fact with the one it replaced

def _pairs(draft: str, draft_facts: list[_Fact], source_ix: _Index) -> dict[int, _Fact]:
    """For each draft fact (by index) that sits where the original had exactly one fact of the
    same kind with another value, the original's fact."""
    src = source_ix.text
    a = [(m.start(), m.end(), m.group(0).lower()) for m in re.finditer(r"\S+", src)]
    b = [(m.start(), m.end(), m.group(0).lower()) for m in re.finditer(r"\S+", draft)]
    sm = SequenceMatcher(None, [t for *_, t in a], [t for *_, t in b], autojunk=len(a) > 400)
    out = {}
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > 12 or j2 - j1 > 12:
            continue
        s_lo, s_hi = a[i1][0], a[i2 - 1][1]
        d_lo, d_hi = b[j1][0], b[j2 - 1][1]
        for i, f in enumerate(draft_facts):
            if not (d_lo <= f.start < d_hi):
                continue
            kind = f.kind
            same_d = [g for g in draft_facts if g.kind == kind and d_lo <= g.start < d_hi]
            same_s = [g for g in source_ix.facts if g.kind == kind and s_lo <= g.start < s_hi]
            if len(same_d) == 1 and len(same_s) == 1 and not _same_value(f, same_s[0]):
                out[i] = same_s[0]
    return out


def _same_value(a: _Fact, b: _Fact) -> bool:
    if a.kind == "date":
        return any(all(s.fields.get(k) == v for k, v in d.explicit.items()) for d in a.value for s in b.value)
    if a.kind == "time":
        return _time_supported(a.value, [_Index("", [], times=[b.value])])
    if a.kind == "amount":
        return a.value[0] == b.value[0] and (not a.value[1] or not b.value[1] or a.value[1] == b.value[1])
    return a.value == b.value


# ---------------------------------------------------------------------------------------------

def _as_date(reference: datetime | date | None) -> date:
    if reference is None:
        return date.today()
    if isinstance(reference, datetime):
        return reference.date()
    return reference


def check_draft(draft: str, sources: Sequence[str], *, points: str = "",
                reference: datetime | date | None = None, mode: str = "reply") -> list[Finding]:
    """Every fact in ``draft`` that ``sources`` and ``points`` do not support, in draft order."""
    if not draft or not draft.strip():
        return []
    if isinstance(sources, str):
        sources = [sources]
    ref = _as_date(reference)
    source_ixs = [_index(s, ref) for s in sources if s and s.strip()]
    ixs = list(source_ixs)
    if points and points.strip():
        ixs.append(_index(points, ref, True))
    rewrite = mode == "rewrite"
    missing = "missing_rw" if rewrite else ("missing" if points and points.strip() else "missing_np")

    facts = _extract(draft, ref)
    facts = [f for f in facts if not (f.kind == "number" and f.word and not _unit_follows(draft, f))]
    facts += _names(draft, facts)
    facts.sort(key=lambda f: f.start)
    pairs: dict[int, _Fact] = {}
    if rewrite and source_ixs:
        pairs = _pairs(draft, facts, max(source_ixs, key=lambda ix: len(ix.text)))

    findings: list[Finding] = []
    for i, f in enumerate(facts):
        text = draft[f.start:f.end]
        kind = "number" if f.kind == "id" else f.kind
        if i in pairs:
            old = pairs[i]
            src_text = max(source_ixs, key=lambda ix: len(ix.text)).text
            args = {"text": text, "old": src_text[old.start:old.end]}
            findings.append(Finding(kind, text, f.start, f.end, _reason("changed", **args),
                                    ("changed", tuple(args.items()))))
        elif not _supported(f, draft, ixs):
            args = {"text": text}
            findings.append(Finding(kind, text, f.start, f.end, _reason(missing, **args),
                                    (missing, tuple(args.items()))))

    for c in _commitments(draft):
        text = draft[c.start:c.end]
        s_lo, s_hi = _sentence_of(draft, c.start)
        tied = next((f for f in findings if s_lo <= f.start < s_hi and f.kind != "commitment"), None)
        if tied is not None:
            template, args = "promise_fact", {"text": text, "fact": tied.text}
        elif c.value == "strong" and not any(ix.strong for ix in ixs):
            template, args = "promise_strong_rw" if rewrite else "promise_strong", {"text": text}
        elif not any(ix.agreement for ix in ixs) and not _points_cover(draft[s_lo:s_hi], points):
            template, args = "promise_none_rw" if rewrite else "promise_none", {"text": text}
        else:
            continue
        findings.append(Finding("commitment", text, c.start, c.end, _reason(template, **args),
                                (template, tuple(args.items()))))
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


def _unit_follows(draft: str, f: _Fact) -> bool:
    """A number word is a fact only with a unit after it ("three days"), and never one or two."""
    if f.value is None or f.value <= 2:
        return False
    return bool(_RE_UNIT_AFTER.match(draft, f.end))


_STOP = set("""
that this with will have your from they them then than what when where which about would could should shall
there their here just also very more much some such into over only well need like make sure please thanks
para como pero esta este estos estas todo toda todos todas porque cuando donde sobre entre desde hasta
tengo tiene tienes hemos hace muchas muchos gracias saludos vale bien
""".split())


def _content_stems(text: str) -> set[str]:
    return {w[:5] for w in _RE_WORD.findall(_fold(text)) if len(w) >= 4 and w not in _STOP}


def _points_cover(sentence: str, points: str) -> bool:
    """The user's points speak of what the sentence promises ("send slides tomorrow" covers
    "I'll send you the slides tomorrow"): the points are the user's own intent."""
    if not points or not points.strip():
        return False
    return bool(_content_stems(sentence) & _content_stems(points))
