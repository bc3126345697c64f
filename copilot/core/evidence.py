"""Minutes with evidence: numbered transcript lines in, verified citations out.

The transcript's lines are numbered in the prompt (``[12] Ana: ...``; the number is the
line's place in the text the user sees, blank lines counted, so the pane can scroll to it).
Map-reduce keeps those numbers: the notes on each part cite them, and the minutes cite
the notes' citations. Every Decision, Action item and Open question must end with the
lines it comes from: ``[12]``, ``[12-14]``, ``[3, 17-18]``.

Each citation is verified without a model (``verify_minutes``):
- the cited lines exist, and a range is no wider than MAX_RANGE lines (a citation of the
  whole meeting is no evidence);
- the item and the cited lines share enough content words (names, numbers, nouns:
  words of three letters or more that are not function words, compared by their first
  five letters, accents folded): at least two, or half of the item's when it has fewer
  than four (conversation refers back: "lo revisamos el martes" for reviewing the budget);
- an action item's owner is named in the cited lines (a speaker or a word), and its due
  date is supported by them, as the commitment check (check.py) judges dates and times.
An item with no valid citation is kept and marked "no source found"; one whose owner or
due date the lines do not support is kept and says so.

The user's text is never logged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Sequence

MAX_RANGE = 25  # lines one citation may span and still be evidence
SECTIONS = ("summary", "decisions", "action_items", "open_questions")
CHECKED = ("decisions", "action_items", "open_questions")

NO_SOURCE = "no source found"


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based place in the text, blank lines counted
    text: str
    start: float | None = None  # seconds from the start of the recording, for .vtt/.srt


@dataclass(frozen=True)
class Evidence:
    line: int
    start_time: float | None
    quote: str

    def as_dict(self) -> dict:
        return {"line": self.line, "start_time": self.start_time, "quote": self.quote}


@dataclass(frozen=True)
class Citation:
    text: str  # as written in the minutes, brackets included
    start: int  # offsets into the minutes
    end: int
    lines: tuple[int, ...]  # every line it names, in order


@dataclass(frozen=True)
class Item:
    section: str  # one of SECTIONS
    text: str  # the item without its citations, owner or due date
    owner: str
    due: str
    start: int  # offsets of the whole bullet in the minutes
    end: int
    citations: tuple[Citation, ...]
    evidence: tuple[Evidence, ...] = ()
    verified: bool = False
    problems: tuple[str, ...] = ()  # for the user, in English: why it is not verified

    def as_dict(self) -> dict:
        return {"text": self.text, "owner": self.owner or None, "due": self.due or None,
                "evidence": [e.as_dict() for e in self.evidence], "verified": self.verified,
                "problems": list(self.problems)}


@dataclass(frozen=True)
class CitedMinutes:
    text: str  # the minutes as written (Markdown, with their citations)
    summary: str
    items: tuple[Item, ...] = ()
    lines: dict[int, SourceLine] = field(default_factory=dict, compare=False, repr=False)

    def section(self, key: str) -> list[Item]:
        return [i for i in self.items if i.section == key]

    @property
    def unverified(self) -> list[Item]:
        return [i for i in self.items if i.section in CHECKED and not i.verified]

    @property
    def timed(self) -> bool:
        return any(line.start is not None for line in self.lines.values())

    def as_dict(self) -> dict:
        out: dict = {"summary": self.summary}
        for key in CHECKED:
            out[key] = [i.as_dict() for i in self.section(key)]
        return out

    def report(self) -> str:
        """One line for the user: how many items the transcript backs."""
        checked = [i for i in self.items if i.section in CHECKED]
        if not checked:
            return ""
        bad = self.unverified
        if not bad:
            return f"All {len(checked)} items cite the transcript lines they come from."
        return f"{len(bad)} of {len(checked)} items have no verified source in the transcript."


# ---------------------------------------------------------------------------------------------
# Numbering

def source_lines(text: str, starts: Sequence[float | None] | None = None) -> list[SourceLine]:
    """The non-blank lines of ``text`` with their 1-based numbers; ``starts`` gives the start
    time of each line of ``text`` (blank ones included), as Transcript.line_starts() does."""
    out = []
    for i, line in enumerate(text.split("\n")):
        if line.strip():
            start = starts[i] if starts is not None and i < len(starts) else None
            out.append(SourceLine(i + 1, line.strip(), start))
    return out


def numbered(lines: Sequence[SourceLine]) -> list[str]:
    """The prompt's lines: ``[12] Ana: text``."""
    return [f"[{line.number}] {line.text}" for line in lines]


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


# ---------------------------------------------------------------------------------------------
# Parsing the minutes

_RANGE = r"\d{1,6}(?:\s*(?:-|–|—|to|a)\s*\d{1,6})?"
_CITATION = re.compile(
    r"\[\s*(?:(?:L|lines?|l[ií]neas?|ll?\.)\s*)?(?P<body>" + _RANGE + r"(?:\s*[,;]\s*(?:L\s*)?" + _RANGE + r")*)\s*\]"
    r"|\(\s*(?:lines?|l[ií]neas?|L)\s*(?P<pbody>" + _RANGE + r"(?:\s*[,;]\s*" + _RANGE + r")*)\s*\)",
    re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s*(?P<h>.+?)\s*#*|\*\*(?P<b>.+?)\*\*:?)\s*$")
_BULLET = re.compile(r"^(?P<indent>\s*)(?:[-*+•]|\d{1,3}[.)])\s+(?P<body>.*)$")
_OWNER = re.compile(r"^\s*(?:\*\*(?P<b>[^*]{1,60}?)\*\*\s*:?|(?P<p>[^:*]{1,40}?)\s*:)\s*(?::\s*)?(?P<rest>.*)$")
_DUE = re.compile(r"\(\s*(?:due|by|deadline|fecha(?: l[ií]mite)?|plazo|vence|para)\s*:?\s*(?P<due>[^()]+?)\s*\)",
                  re.IGNORECASE)
_NONE_ITEM = re.compile(r"^\W*(?:none|nothing|n/?a|ninguna?o?s?|nada)\W*$", re.IGNORECASE)
_UNASSIGNED = {"unassigned", "sin asignar", "nadie", "nobody", "tbd", "todos", "everyone", "all", "equipo",
               "team", "n/a", "-", "—", "?", "sin responsable"}


def _heading_sections() -> dict[str, str]:
    from copilot.core.tasks.meeting import HEADING_ALIASES, HEADINGS, SECTION_KEYS

    names = {h.lower(): key for hs in HEADINGS.values() for h, key in zip(hs, SECTION_KEYS)}
    names.update(HEADING_ALIASES)
    return names


def parse_citations(text: str, offset: int = 0) -> list[Citation]:
    out = []
    for m in _CITATION.finditer(text):
        body = m.group("body") or m.group("pbody")
        lines: list[int] = []
        for part in re.split(r"\s*[,;]\s*", body):
            nums = [int(n) for n in re.findall(r"\d+", part)]
            if len(nums) == 2 and nums[0] <= nums[1]:
                if nums[1] - nums[0] + 1 > MAX_RANGE:
                    lines.append(-1)  # too wide: marks the citation invalid, below
                    lines.extend(nums)
                else:
                    lines.extend(range(nums[0], nums[1] + 1))
            else:
                lines.extend(nums)
        out.append(Citation(m.group(0), offset + m.start(), offset + m.end(), tuple(lines)))
    return out


def parse_items(minutes: str) -> tuple[str, list[Item]]:
    """The summary text and every bullet under Decisions, Action items, Open questions (and
    the summary's bullets, unchecked), with owners, due dates and citations."""
    sections = _heading_sections()
    current = "summary"
    summary: list[str] = []
    items: list[Item] = []
    pos = 0
    bullet: list[tuple[int, str]] | None = None  # (offset, line) of the bullet being read
    indent = 0

    def close() -> None:
        nonlocal bullet
        if bullet:
            items.append(_item(current, bullet))
        bullet = None

    for raw in minutes.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        h = _HEADING.match(raw)
        if h:
            name = (h.group("h") or h.group("b") or "").strip().rstrip(":").strip("*").strip().lower()
            if name in sections:
                close()
                current = sections[name]
                continue
        b = _BULLET.match(raw)
        if b and (bullet is None or len(b.group("indent")) <= indent):
            close()
            indent = len(b.group("indent"))
            bullet = [(start + b.start("body"), b.group("body"))]
        elif bullet is not None and raw.strip() and (raw[:1].isspace() or b):
            bullet.append((start, raw))  # a continuation line, or a sub-bullet, of the bullet
        else:
            close()
        if current == "summary":
            summary.append(raw)
    close()
    summary_text = "\n".join(summary).strip()
    return summary_text, [i for i in items if i.text and not _NONE_ITEM.match(i.text)]


def _item(section: str, parts: list[tuple[int, str]]) -> Item:
    start = parts[0][0]
    end = parts[-1][0] + len(parts[-1][1])
    citations = [c for off, line in parts for c in parse_citations(line, off)]
    body = " ".join(line.strip() for _off, line in parts)
    body = _CITATION.sub("", body)
    owner = due = ""
    if section == "action_items":
        m = _OWNER.match(body)
        if m and (m.group("b") or _looks_like_owner(m.group("p") or "")):
            owner = (m.group("b") or m.group("p") or "").strip().rstrip(":").strip()
            body = m.group("rest")
        d = _DUE.search(body)
        if d:
            due = d.group("due").strip()
            body = body[:d.start()] + body[d.end():]
    text = re.sub(r"\s+", " ", body.replace("**", "")).strip(" .;-–—")
    return Item(section, text, owner, due, start, end, tuple(citations))


def _looks_like_owner(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() or w.lower() in _UNASSIGNED for w in words)


# ---------------------------------------------------------------------------------------------
# Verification

_FUNCTION_WORDS = set("""
the and for but not are was were you our your their his her its who whom has have had will would shall should
can could may might must with without from into onto over under about after before then than that this these
those there here what when where which while also just very more most much some such only each every any all
both either neither other another same own been being did does doing done get got let make made per via yes
los las del con por que una uno unos unas sus mas muy sin sobre entre desde hasta para como pero esta este
estos estas esto eso esa ese todo toda todos todas porque cuando donde quien cual ser son fue han hay hemos
tiene tienen tengo algo nada cada otro otra mismo misma vez ante bajo tras segun
item items decision decisions action open question questions task tasks none unassigned
decision decisiones tarea tareas pregunta preguntas abierta abiertas ninguna ninguno sin asignar
""".split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def content_words(text: str) -> set[str]:
    """Names, numbers and nouns: words of three letters or more that are not function words
    (accents folded, the first five letters), and every number."""
    out = set()
    for w in _WORD.findall(_fold(text)):
        if w.isdigit():
            out.add(w.lstrip("0") or "0")
        elif len(w) >= 3 and w not in _FUNCTION_WORDS:
            out.add(w[:5])
    return out


def verify_minutes(minutes: str, lines: Sequence[SourceLine]) -> CitedMinutes:
    """Parse ``minutes`` and verify each item's citations against ``lines``."""
    by_number = {line.number: line for line in lines}
    summary, items = parse_items(minutes)
    return CitedMinutes(minutes, summary, tuple(_verify(i, by_number) for i in items), by_number)


def _verify(item: Item, lines: dict[int, SourceLine]) -> Item:
    problems: list[str] = []
    cited: list[int] = []
    missing: list[int] = []
    for c in item.citations:
        if -1 in c.lines:
            problems.append(f"{c.text} spans more than {MAX_RANGE} lines")
            continue
        for n in c.lines:
            (cited if n in lines else missing).append(n)
    cited = list(dict.fromkeys(cited))
    if missing:
        problems.append("line " + ", ".join(str(n) for n in dict.fromkeys(missing)) + " does not exist"
                        if len(set(missing)) == 1 else
                        "lines " + ", ".join(str(n) for n in dict.fromkeys(missing)) + " do not exist")
    evidence = tuple(Evidence(n, lines[n].start, lines[n].text) for n in cited)
    if item.section not in CHECKED:
        return _replace(item, evidence, bool(evidence), ())
    if not item.citations:
        return _replace(item, evidence, False, (NO_SOURCE + ": the item cites no transcript line",))
    if not evidence:
        return _replace(item, evidence, False, tuple(problems) or (NO_SOURCE,))

    quote = " ".join(e.quote for e in evidence)
    said = content_words(quote)
    words = content_words(item.text)
    shared = words & said
    if len(shared) < min(2, (len(words) + 1) // 2) or (words and not shared):
        problems.insert(0, f"{NO_SOURCE}: the cited lines do not say this")
    if item.owner and _fold(item.owner).strip() not in _UNASSIGNED:
        names = [w for w in _WORD.findall(_fold(item.owner)) if len(w) >= 2]
        quote_words = set(_WORD.findall(_fold(quote)))
        if names and not any(n in quote_words for n in names):
            problems.append(f"the owner {item.owner} is not named in the cited lines")
    if item.due:
        from copilot.core.check import check_draft

        unsupported = [f for f in check_draft(item.due, [quote]) if f.kind in ("date", "time", "number")]
        if unsupported:
            problems.append(f"the due date {item.due} is not in the cited lines")
    return _replace(item, evidence, not problems, tuple(problems))


def _replace(item: Item, evidence: tuple[Evidence, ...], verified: bool, problems: tuple[str, ...]) -> Item:
    return replace(item, evidence=evidence, verified=verified, problems=problems)


# ---------------------------------------------------------------------------------------------
# Output

def cite_label(citation: Citation, lines: dict[int, SourceLine]) -> str:
    """A citation as the export writes it: the first line's time for timed transcripts
    (``[12:03]``, ``[12:03–12:40]``), otherwise the line numbers."""
    known = [n for n in citation.lines if n in lines]
    if not known:
        return citation.text
    first, last = lines[known[0]], lines[known[-1]]
    if first.start is None:
        return citation.text
    a, b = format_time(first.start), format_time(last.start)
    return f"[{a}]" if a == b or not b else f"[{a}–{b}]"


def export_markdown(cited: CitedMinutes) -> str:
    """The minutes for a .md file: citations as timestamps where the transcript has them, and
    each unverified item marked."""
    text = cited.text
    edits: list[tuple[int, int, str]] = []
    for item in cited.items:
        for c in item.citations:
            label = cite_label(c, cited.lines)
            if label != c.text:
                edits.append((c.start, c.end, label))
        if item.section in CHECKED and not item.verified:
            edits.append((item.end, item.end, f" _({item.problems[0] if item.problems else NO_SOURCE})_"))
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text
