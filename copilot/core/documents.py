"""User documents -> plain structures: emails (.eml, pasted text) and transcripts (.vtt, .srt, .txt, .md, .docx).

Standard library, plus python-docx (already a dependency, for the Word export) to read
.docx; it is imported only when a .docx is opened (~55-80 ms with lxml), so importing this
module stays cheap for the CLI. The CLI, the panes and the tests share one parser.
Everything a user can get wrong raises ``DocumentError`` with a message written for them.

Captions keep their own parsers (``_cues``), not webvtt-py 0.6.0 or srt 3.5.3: measured with
bench/bench_subtitle_parsers.py on 25 files of the kinds Teams, Zoom, Meet and other tools
write (results in docs/SUBTITLE_PARSERS.md), ours reads 25/25 correctly;
- webvtt-py reads 11/13 .vtt: it refuses a file without the "WEBVTT" line and an .srt renamed
  .vtt (MalformedFileError), both of which ours reads; it is not better on any case, costs
  ~14 ms more start-up after this module (34 ms alone), 315 KiB installed, and reads a
  2,400-cue file ~2x slower than our whole parse.
- srt reads 9/12 .srt: it misreads "01:02,500" (no hours) and "00:00:01,50" (the fraction
  taken as 50 ms), and a .vtt renamed .srt either fails (strict) or, with ignore_errors=True,
  is logged as a warning with the skipped text, which breaks our rule never to log user text.
  Its one win (a blank line inside a cue) is now handled here too (``_cues(srt=True)``).
Speaker extraction (voices, "Name:" and "[Name]" prefixes, dialogue dashes, rolling
duplicates) would be ours with either package anyway.

Email bodies keep only what their sender wrote: quoted history is split out into the
earlier messages of the thread when its headers can be recognised (Gmail's "On … wrote:",
Outlook's "From:/Sent:" block, in English and Spanish), and dropped otherwise.
"""

from __future__ import annotations

import codecs
import email
import email.errors
import email.policy
import html
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from email.header import decode_header, make_header
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

__all__ = [
    "DocumentError", "EmailMessage", "EmailThread", "Utterance", "Transcript",
    "parse_eml", "parse_email_text", "parse_vtt", "parse_srt", "parse_plain",
    "read_docx_text", "html_to_text", "load_transcript", "load_email",
]

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".md", ".docx")
EMAIL_SUFFIXES = (".eml", ".txt")


class DocumentError(ValueError):
    """A document that cannot be used; the message says what is wrong and what to do."""


# --------------------------------------------------------------------------- emails


@dataclass(frozen=True)
class EmailMessage:
    sender: str  # display form, e.g. "Ana Gómez <ana@example.com>"
    to: str
    subject: str
    date: str  # as written in the message; may be ""
    body: str  # plain text, without the quoted history

    def with_headers(self) -> str:
        """The message as the commitment check reads it: the headers a reply may repeat (names,
        the date), then the body."""
        head = "\n".join(f"{k}: {v}" for k, v in (("From", self.sender), ("To", self.to),
                                                  ("Subject", self.subject), ("Date", self.date)) if v)
        return f"{head}\n\n{self.body}" if head else self.body


@dataclass(frozen=True)
class EmailThread:
    messages: tuple[EmailMessage, ...]  # oldest first

    def __post_init__(self) -> None:
        if not self.messages:
            raise ValueError("an email thread needs at least one message")

    @property
    def latest(self) -> EmailMessage:
        """The newest message: the one to reply to."""
        return self.messages[-1]

    @property
    def subject(self) -> str:
        """The newest subject; a pasted reply without headers borrows the one its quote shows."""
        return next((m.subject for m in reversed(self.messages) if m.subject), "")

    def context_text(self) -> str:
        """The earlier messages as "From/Date + body" blocks, oldest first; "" when there are none."""
        blocks = []
        for m in self.messages[:-1]:
            head = "\n".join(f"{label}: {value}" for label, value in (("From", m.sender), ("Date", m.date)) if value)
            blocks.append(f"{head}\n\n{m.body}" if head else m.body)
        return "\n\n---\n\n".join(blocks)


def parse_eml(data: bytes) -> EmailThread:
    """One .eml file. The body comes from the text/plain part, else from the text/html one."""
    if not data.strip():
        raise DocumentError("The email file is empty. Save the message again from your mail program.")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain", "html"))
    body = ""
    if part is not None:
        body = _part_text(part)
        if part.get_content_subtype() == "html":
            body = html_to_text(body)
    fields = {field: _header(msg, name) for field, name in (("sender", "From"), ("to", "To"), ("subject", "Subject"))}
    fields["date"] = _raw_header(msg, "Date")  # as written: the parsed form would reformat it
    if not any(fields.values()) and not body.strip():
        raise DocumentError("This file does not contain an email message. Save the message as .eml and try again.")
    fields["sender"] = _clean_sender(fields["sender"])
    return _thread(fields, body)


def parse_email_text(text: str) -> EmailThread:
    """Pasted email text: leading "From:/Subject:" (or "De:/Asunto:") headers are read when present."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise DocumentError("The email is empty. Paste the message you want to answer.")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip())
    if _is_raw_mime(lines[start:]):
        # A whole message source (as "Show original" gives it): encoded parts need the MIME parser.
        return parse_eml("\n".join(lines[start:]).encode("utf-8"))
    _keys, fields, end = _read_headers(lines, start)
    if not {"sender", "subject"} & fields.keys():
        fields, end = {}, 0
    fields = {field: _decode_words(value) for field, value in fields.items()}
    if "sender" in fields:
        fields["sender"] = _clean_sender(fields["sender"])
    return _thread(fields, "\n".join(lines[end:]))


def _thread(fields: dict[str, str], body: str) -> EmailThread:
    own, earlier = _split_history(body)
    latest = _message(fields, own)
    return EmailThread((*reversed(earlier), latest))


def _message(fields: dict[str, str], body: str) -> EmailMessage:
    return EmailMessage(sender=fields.get("sender", ""), to=fields.get("to", ""),
                        subject=fields.get("subject", ""), date=fields.get("date", ""), body=body)


def _header(msg: email.message.EmailMessage, name: str) -> str:
    try:
        return str(msg.get(name, "")).strip()
    except (IndexError, AttributeError, ValueError):
        # Known crashes of the stdlib address parser on malformed addresses: show the header as written.
        return _raw_header(msg, name)


def _raw_header(msg: email.message.EmailMessage, name: str) -> str:
    raw = next((value for key, value in msg.raw_items() if key.lower() == name.lower()), "")
    raw = raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # 8-bit bytes the parser left as is
    return _decode_words(" ".join(raw.split()))


def _part_text(part: email.message.EmailMessage) -> str:
    try:
        return part.get_content()
    except LookupError:  # a charset Python does not know: UTF-8 is the likeliest truth
        return (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")


def _decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words (=?utf-8?q?…?=) that a pasted header may still carry."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (email.errors.MessageError, ValueError, LookupError):  # malformed word or unknown charset: keep it
        return value


def _clean_sender(sender: str) -> str:
    """Give the address forms mail programs quote in the "Name <address>" form."""
    sender = re.sub(r"\(\s*(<[^<>]*>)\s*\)", r"\1", sender)  # Gmail (es): Ana (<ana@example.com>)
    sender = re.sub(r"\[mailto:([^\]]+)\]", r"<\1>", sender)  # Outlook: Ana [mailto:ana@example.com]
    sender = re.sub(r"<\s*(?:mailto:)?([^<>]*?)\s*>", r"<\1>", sender)  # also "< ana@x >" of a wrapped line
    return " ".join(sender.split())


# Headers of raw message source, never of a pasted Outlook/Gmail header block.
_RAW_MIME_HEADER = re.compile(r"(?:MIME-Version|Content-Type|Content-Transfer-Encoding|Received|Message-ID)\s*:", re.I)
_FIELD_NAME = re.compile(r"[!-9;-~]+:")  # RFC 5322 field name: printable ASCII but the colon


def _is_raw_mime(lines: list[str]) -> bool:
    head = []
    for line in lines:
        if not line.strip():
            break
        head.append(line)
    return (bool(head) and bool(_FIELD_NAME.match(head[0]))
            and any(_RAW_MIME_HEADER.match(line) for line in head))


# Header lines as Outlook and Gmail quote them, in English and Spanish ("*From:*" when bold was kept).
_HEADER_LINE = re.compile(
    r"^\s*[*_]{0,2}(?P<key>from|de|to|para|cc|cco|bcc|subject|asunto|date|fecha|sent|enviado(?: el)?"
    r"|reply-to|responder a|importance|importancia)[*_]{0,2}\s*:[*_]{0,2}\s*(?P<value>.*)$",
    re.I,
)
_FIELD_OF_KEY = {
    "from": "sender", "de": "sender",
    "to": "to", "para": "to",
    "subject": "subject", "asunto": "subject",
    "date": "date", "fecha": "date", "sent": "date", "enviado": "date", "enviado el": "date",
}


def _read_headers(lines: list[str], start: int) -> tuple[list[str], dict[str, str], int]:
    """Read a block of header lines at ``start``: (keys in order, fields, index after the block)."""
    keys: list[str] = []
    fields: dict[str, str] = {}
    last = None
    i = start
    while i < len(lines):
        line = lines[i]
        match = _HEADER_LINE.match(line)
        if match:
            key = " ".join(match["key"].lower().split())
            keys.append(key)
            last = _FIELD_OF_KEY.get(key)
            if last:
                fields.setdefault(last, match["value"].strip())
        elif keys and line[:1] in (" ", "\t") and line.strip():
            if last:  # folded header: a long To: list wraps onto indented lines
                fields[last] = f"{fields[last]} {line.strip()}".strip()
        else:
            break
        i += 1
    if keys and i < len(lines) and not lines[i].strip():
        i += 1  # the blank line between headers and body
    return keys, fields, i


# "On Mon, 3 Jun 2024 at 10:00, Ana <ana@example.com> wrote:" / "El lun, 3 jun 2024 a las 10:00, Ana escribió:"
_ATTRIBUTION = re.compile(r"^\s*(?:On|El)\s+(?P<inner>.+?)\s*(?:wrote|escribió|ha escrito)\s*:\s*$", re.S)
# The date of an attribution ends with its time; the sender follows ("10:00 AM Ana", "10:00, Ana").
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?(?!\w))?", re.I)
_SEPARATOR = re.compile(
    r"^\s*(?:-{2,}\s*(?:Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{2,}"
    r"|Begin forwarded message:|Inicio del mensaje reenviado:)\s*$",
    re.I,
)
_RULE = re.compile(r"^\s*(?:[_\-=]{5,})?\s*$")  # blank, or the "______" Outlook draws above a quote
_ATTRIBUTION_MAX_LINES = 3  # Gmail wraps a long attribution over two or three lines


def _split_history(text: str) -> tuple[str, list[EmailMessage]]:
    """This message's own text, and the messages it quotes, newest first."""
    lines = text.splitlines()
    own: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith(">"):
            continue  # quoted without a recognisable header: not this sender's words
        attribution = _match_attribution(lines, i)
        if attribution:
            fields, used = attribution
            quoted = [re.sub(r"^> ?", "", q) for q in lines[i + used:]]
            return _own_text(own), _quoted_messages(fields, quoted)
        if _SEPARATOR.match(line):
            start = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), len(lines))
            _keys, fields, end = _read_headers(lines, start)
            earlier = _quoted_messages(fields, lines[end:]) if "sender" in fields else []
            return _own_text(own), earlier
        keys, fields, end = _read_headers(lines, i)
        if keys and _FIELD_OF_KEY.get(keys[0]) == "sender" and {"date", "subject"} & fields.keys():
            return _own_text(own), _quoted_messages(fields, lines[end:])
        own.append(line)
    return _own_text(own), []


def _quoted_messages(fields: dict[str, str], lines: list[str]) -> list[EmailMessage]:
    fields = {**fields, "sender": _clean_sender(fields.get("sender", ""))}
    body, older = _split_history("\n".join(lines))
    return [_message(fields, body), *older]


def _match_attribution(lines: list[str], i: int) -> tuple[dict[str, str], int] | None:
    if not lines[i].lstrip().startswith(("On ", "El ")):
        return None
    for used in range(1, _ATTRIBUTION_MAX_LINES + 1):
        chunk = lines[i:i + used]
        if len(chunk) < used or not chunk[-1].strip():
            return None
        match = _ATTRIBUTION.match(" ".join(part.strip() for part in chunk))
        if match:
            date, sender = _split_attribution(match["inner"])
            return {"sender": sender, "date": date}, used
    return None


def _split_attribution(inner: str) -> tuple[str, str]:
    """Split an attribution into date and sender: "Mon, 3 Jun 2024 at 10:00, Ana <ana@x>" ->
    ("Mon, 3 Jun 2024 at 10:00", "Ana <ana@x>"); without a time, the sender follows the last comma."""
    time = _TIME.search(inner)
    if time and inner[time.end():].strip(" ,"):
        return inner[:time.end()].strip(), inner[time.end():].strip(" ,")
    date, _comma, sender = inner.rpartition(",")
    return date.strip(), sender.strip()


def _own_text(lines: list[str]) -> str:
    while lines and _RULE.match(lines[-1]):
        lines = lines[:-1]
    return "\n".join(line.rstrip() for line in lines).strip("\n")


# Block boundaries are marked while parsing and settled afterwards, so that nested blocks
# (<div><div>…</div></div>) give one line break, not one per tag.
_LINE, _PARAGRAPH = "\x00", "\x01"
_BOUNDARIES = re.compile(f"\n?[ {_LINE}{_PARAGRAPH}]*[{_LINE}{_PARAGRAPH}][ {_LINE}{_PARAGRAPH}]*")


class _HTMLText(HTMLParser):
    """Visible text of an HTML body: blocks become lines, whitespace collapses as a browser would."""

    _BLOCKS = frozenset({"div", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "pre", "hr", "section", "article", "header", "footer", "address"})
    _HIDDEN = frozenset({"script", "style", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            # Outlook writes every line as <p class=MsoNormal> with no margin: a line, not a paragraph.
            self.parts.append(_LINE if ("class", "MsoNormal") in attrs else _PARAGRAPH)
        elif tag == "li":
            self.parts.append(_LINE + "- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in self._BLOCKS:
            self.parts.append(_LINE)
            self._pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BLOCKS or tag in ("p", "li"):
            self.parts.append(_LINE)
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        data = data.replace(_LINE, "").replace(_PARAGRAPH, "")
        # HTML whitespace, which leaves out &nbsp;: Outlook's blank lines are paragraphs of one &nbsp;.
        self.parts.append(data if self._pre else re.sub(r"[ \t\n\r\f]+", " ", data))


def html_to_text(markup: str) -> str:
    """Plain text of an HTML email body; paragraphs are separated by one blank line at most."""
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    text = _BOUNDARIES.sub(lambda m: "\n\n" if _PARAGRAPH in m[0] else "\n", "".join(parser.parts))
    text = "\n".join(line.strip().replace("\xa0", " ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --------------------------------------------------------------------------- transcripts


@dataclass(frozen=True)
class Utterance:
    speaker: str  # "" when unknown
    text: str
    start: float | None  # seconds from the start; None when unknown


@dataclass(frozen=True)
class Transcript:
    utterances: tuple[Utterance, ...]

    def speakers(self) -> list[str]:
        """Distinct named speakers, in order of first appearance."""
        return list(dict.fromkeys(u.speaker for u in self.utterances if u.speaker))

    def to_text(self) -> str:
        """"Speaker: text" lines, one per turn. Speakerless utterances stay one line each:
        they are lines of notes or captions, and nothing says they belong together."""
        return "\n".join(text for text, _start in self._turns())

    def line_starts(self) -> list[float | None]:
        """The start time of each line of to_text() (its turn's first cue; None when unknown)."""
        return [start for _text, start in self._turns()]

    def _turns(self) -> list[tuple[str, float | None]]:
        turns: list[tuple[str, float | None]] = []
        previous = None
        for u in self.utterances:
            if u.speaker and u.speaker == previous:
                text, start = turns[-1]
                turns[-1] = (text + " " + u.text, start if start is not None else u.start)
            else:
                turns.append((f"{u.speaker}: {u.text}" if u.speaker else u.text, u.start))
            previous = u.speaker
        return turns


_CUE_TIMING = re.compile(r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)\s*-->")
# <v Ana Gómez>, <v.loud Ana>, <v>; the name runs to the ">".
_VOICE = re.compile(r"<v(?=[\s.>])(?:\.[^\s>]*)?(?:\s+([^>]*))?>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")  # HTML-like tags, and ASS overrides such as {\an8} in SRT
# "Ana: text" (also "**Ana:** text" in Markdown); what makes a name is checked by _is_name.
_NAME_PREFIX = re.compile(r"^[*_]{0,2}(?P<name>[^:*_]{1,40}?)[*_]{0,2}\s*:[*_]{0,2}\s+(?P<text>\S.*)$")
_BRACKET_PREFIX = re.compile(r"^\[(?P<name>[^\]]{1,40})\]\s*(?P<text>\S.*)$")
_DIALOGUE_DASH = re.compile(r"^(?:>>|[-–—](?!\d))\s*")  # how captions mark a change of (unnamed) speaker


def parse_vtt(text: str) -> Transcript:
    """WebVTT captions: <v> voice tags or "Name:" prefixes give the speakers."""
    return _parse_cues(_cues(text), "WebVTT (.vtt)")


def parse_srt(text: str) -> Transcript:
    """SubRip captions: "Name:", "[Name]" or "- Name:" prefixes give the speakers."""
    return _parse_cues(_cues(text, srt=True), "SubRip (.srt)")


def parse_plain(text: str) -> Transcript:
    """Notes or a transcript in plain text. "Name: text" opens a speaker's turn, which runs on
    over the following lines up to a blank line; other lines are speakerless utterances."""
    utterances: list[Utterance] = []
    turn: tuple[str, list[str]] | None = None  # the open speaker turn: name, lines
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.strip()
        named = _name_prefix(line)
        if turn and (named or not line):
            utterances.append(Utterance(turn[0], " ".join(turn[1]), None))
            turn = None
        if named:
            turn = (named[0], [named[1]])
        elif turn:
            turn[1].append(line)
        elif line:
            utterances.append(Utterance("", line, None))
    if turn:
        utterances.append(Utterance(turn[0], " ".join(turn[1]), None))
    return Transcript(tuple(utterances))


def _name_prefix(line: str) -> tuple[str, str] | None:
    """("Ana", "hola") for "Ana: hola"; None when the part before the colon is not a name."""
    match = _NAME_PREFIX.match(line)
    if match and _is_name(match["name"]):
        return match["name"].strip(), match["text"].strip()
    return None


def split_speaker(line: str) -> tuple[str, str] | None:
    """("Marta", "text") for a transcript line "Marta: text"; None when it names no speaker."""
    return _name_prefix(line)


def _caption_prefix(line: str) -> tuple[str, str] | None:
    match = _BRACKET_PREFIX.match(line)
    if match and _is_name(match["name"]):
        return match["name"].strip(), match["text"].strip()
    return _name_prefix(line)


def _is_name(name: str) -> bool:
    """Short and starting with a letter ("Ana Gómez", "Speaker 2"); the colon rule of
    _NAME_PREFIX already keeps out times ("10:30") and URLs ("https://")."""
    name = name.strip()
    return 0 < len(name) <= 40 and len(name.split()) <= 4 and name[0].isalpha()


def _parse_cues(cues: list[tuple[float, list[str]]], kind: str) -> Transcript:
    if not cues:
        raise DocumentError(f"No timed captions were found. Check that this is a {kind} caption file, "
                            "or save the transcript as plain text (.txt).")
    utterances: list[Utterance] = []
    previous: list[str] = []
    speaker = ""  # a line without a name continues the last speaker, across cues too
    for start, payload in cues:
        lines = [(raw, _caption_key(raw)) for raw in payload]
        lines = [(raw, key) for raw, key in lines if key]
        keys = [key for _raw, key in lines]
        # Rolling captions (YouTube's automatic ones) repeat the previous cue's lines before adding new ones.
        overlap = _overlap(previous, keys)
        previous = keys
        turns, speaker = _cue_turns([raw for raw, _key in lines[overlap:]], speaker)
        utterances.extend(Utterance(name, said, start) for name, said in turns)
    return Transcript(tuple(utterances))


def _cues(text: str, *, srt: bool = False) -> list[tuple[float, list[str]]]:
    """(start, payload lines) of each cue. Header, NOTE, STYLE and cue ids fall between cues.
    ``srt``: a line after a blank one that is neither a timing nor an index right before one
    goes on the last cue (SubRip editors leave blank lines inside a cue's text)."""
    cues: list[tuple[float, list[str]]] = []
    payload: list[str] | None = None  # lines of the cue being read; None between cues
    lines = text.lstrip("\ufeff").splitlines()
    for i, line in enumerate(lines):
        timing = _CUE_TIMING.match(line)
        if timing:
            payload = []
            cues.append((_seconds(timing["start"]), payload))
        elif payload is None:
            if srt and cues and line.strip() and not (
                    line.strip().isdigit() and i + 1 < len(lines) and _CUE_TIMING.match(lines[i + 1])):
                payload = cues[-1][1]
                payload.append(line)
        elif line.strip():
            payload.append(line)
        elif payload or not line:
            # A blank line ends the cue; a line of spaces right after the timing is padding
            # (YouTube writes one), not the end.
            payload = None
    return cues


def _seconds(stamp: str) -> float:
    """Seconds of a cue timestamp: "01:02:03.500" (SRT: "01:02:03,500") or the short "02:03.500"."""
    *larger, seconds = stamp.replace(",", ".").split(":")
    total = 0
    for part in larger:
        total = total * 60 + int(part)
    return total * 60 + float(seconds)


def _clean_caption(text: str) -> str:
    """Text of a caption line: tags dropped, entities unescaped, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _caption_key(raw: str) -> str:
    """A line as compared for rolling duplicates: its text, and its voice when it names one."""
    voices = " ".join(v or "" for v in _VOICE.findall(raw))
    text = _clean_caption(raw)
    return f"{voices}\0{text}" if text else ""


def _overlap(previous: list[str], current: list[str]) -> int:
    """How many leading lines of ``current`` repeat the last lines of ``previous``."""
    for k in range(min(len(previous), len(current)), 0, -1):
        if previous[-k:] == current[:k]:
            return k
    return 0


def _cue_turns(lines: list[str], speaker: str) -> tuple[list[tuple[str, str]], str]:
    """(speaker, text) turns of one cue's lines, and the speaker the cue ends with."""
    parts = _VOICE.split("\n".join(lines))
    # re.split alternates text and the captured voice name: [before, name1, text1, name2, text2, ...]
    segments = [(None, parts[0]), *zip(parts[1::2], parts[2::2])]
    turns: list[tuple[str, str]] = []
    for voice, segment in segments:
        for raw in segment.split("\n"):
            line = _clean_caption(raw)
            if not line:
                continue
            if voice:
                speaker, said = " ".join(html.unescape(voice).split()), line
            else:
                dash = _DIALOGUE_DASH.match(line)
                if dash:
                    line, speaker = line[dash.end():], ""
                speaker, said = _caption_prefix(line) or (speaker, line)
            if turns and turns[-1][0] == speaker:
                turns[-1] = (speaker, f"{turns[-1][1]} {said}")
            else:
                turns.append((speaker, said))
    return turns, speaker


# --------------------------------------------------------------------------- .docx

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # old .doc files, and password-protected .docx
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # repeats mc:Choice


def read_docx_text(data: bytes) -> str:
    """Text of a .docx: one line per paragraph, table rows as "cell | cell" lines; the
    paragraphs of content controls, tracked insertions and text boxes included, deletions not."""
    if data.startswith(_OLE_SIGNATURE):
        raise DocumentError("This file is not a valid .docx document: it is an old .doc file or a "
                            "password-protected one. Open it in Word and save it as .docx without a password.")
    # python-docx and lxml take ~55 ms to import: only when a .docx is opened, not at start-up.
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    # A damaged package fails in many ways: not a zip, bad headers, seeks, missing parts and
    # relationships, broken XML, another Office type (python-docx's ValueError).
    except (OpcError, zipfile.BadZipFile, KeyError, LxmlError, EOFError, zlib.error, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise DocumentError("This file is not a valid .docx document, or it is damaged. "
                            "Open it in Word and save it again as .docx.") from exc
    if body is None:
        raise DocumentError("This file is not a valid .docx document: it has no body. "
                            "Open it in Word and save it again as .docx.")
    return "\n".join(_docx_blocks(body))


def _docx_blocks(element) -> Iterator[str]:
    from docx.oxml.ns import qn

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield "".join(_docx_runs(child))
        elif child.tag == qn("w:tbl"):
            for row in child.tr_lst:
                cells = (" ".join(line for line in _docx_blocks(cell) if line.strip()) for cell in row.tc_lst)
                yield " | ".join(cells)
        elif child.tag not in (_MC_FALLBACK, qn("w:sectPr"), qn("w:tblPr"), qn("w:tcPr"), qn("w:trPr")):
            yield from _docx_blocks(child)  # content controls (w:sdt), w:customXml and the like wrap paragraphs


def _docx_runs(paragraph) -> Iterator[str]:
    """The text of each run of a paragraph, as python-docx reads a run (w:t, w:tab as a tab,
    a line break as "\n"), also the runs python-docx's Paragraph.text leaves out: those of
    tracked insertions, inline content controls, fields and text boxes."""
    from docx.oxml.ns import qn

    skip = {_MC_FALLBACK, qn("w:del"), qn("w:moveFrom")}
    for run in paragraph.iter(qn("w:r")):
        ancestor = run.getparent()
        while ancestor is not None and ancestor is not paragraph and ancestor.tag not in skip:
            ancestor = ancestor.getparent()
        if ancestor is paragraph:
            yield run.text


# --------------------------------------------------------------------------- files


def load_transcript(path: str | os.PathLike) -> Transcript:
    """A transcript or notes file, by its suffix: .vtt, .srt, .txt, .md or .docx."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise DocumentError(f"{path.name}: this type of file cannot be read as a transcript. "
                            f"Choose a {', '.join(TRANSCRIPT_SUFFIXES)} file, or paste the text.")
    data = _read(path)
    try:
        text = read_docx_text(data) if suffix == ".docx" else _decode(data)
        if not text.strip():
            raise DocumentError("the file is empty. Choose the file that holds the transcript or notes.")
        transcript = {".vtt": parse_vtt, ".srt": parse_srt}.get(suffix, parse_plain)(text)
    except DocumentError as exc:
        raise DocumentError(f"{path.name}: {exc}") from exc
    if not transcript.utterances:
        raise DocumentError(f"{path.name}: the captions contain no text. Choose another file.")
    return transcript


def load_email(path: str | os.PathLike) -> EmailThread:
    """An email file: .eml (as saved by mail programs) or .txt (the message's text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".msg":
        raise DocumentError(f"{path.name}: Outlook .msg files cannot be read. In Outlook, save the message "
                            "as Text Only (.txt), or copy its text and paste it.")
    if suffix not in EMAIL_SUFFIXES:
        raise DocumentError(f"{path.name}: this type of file cannot be read as an email. "
                            f"Choose a {' or '.join(EMAIL_SUFFIXES)} file, or paste the message.")
    data = _read(path)
    try:
        return parse_eml(data) if suffix == ".eml" else parse_email_text(_decode(data))
    except DocumentError as exc:
        raise DocumentError(f"{path.name}: {exc}") from exc


# A week-long meeting's transcript is a few MB; past this it is the wrong file (a video, a dump),
# and reading it would only stall the app before the context budget refuses it anyway.
MAX_FILE_BYTES = 64 * 1024 * 1024


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"{path.name} is {size / 2**20:,.0f} MB, too large for a transcript or an email "
                                f"(the limit is {MAX_FILE_BYTES // 2**20} MB). Check that it is the right file.")
        return path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path.name} was not found in {path.parent}. "
                            "Check that it still exists, then choose it again.") from None
    except OSError as exc:
        raise DocumentError(f"{path.name} could not be read ({exc.strerror or exc}). "
                            "Check that you can open it, then try again.") from None


def _decode(data: bytes) -> str:
    """Text of a file: UTF-16 when it says so, UTF-8 (with or without BOM), else Windows' cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Notepad and older Office save Spanish text as cp1252; the 5 bytes it leaves undefined become U+FFFD.
        return data.decode("cp1252", errors="replace")
