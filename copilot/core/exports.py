"""Minutes out of the app: Markdown as written, a Word document with real styles, plain text.

The minutes are the Markdown the meeting task writes (tasks/meeting.py): ``##`` headings
for Summary, Decisions, Action items and Open questions (or Resumen, Decisiones, Tareas,
Preguntas abiertas), bullets that end with their citations (``[12]``, ``[12-14]``, or
``[12:03]`` after evidence.export_markdown), ``**bold**`` owners and ``_(no source found)_``
marks. The Word document gets the styles Word's own navigation, outline and table of
contents use (Title, Heading 1/2, List Bullet, List Number), and bold and italic as run
formatting, not asterisks; citations stay as text.

Privacy: the document's author and "last modified by" are left empty (python-docx's template
says "python-docx", and nothing here reads the OS user name). Files are written atomically:
a temp file in the same folder, then os.replace, so a full disk or a crash never leaves half
a file where the old one was. OSError reaches the caller, which shows it to the user.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["SUFFIXES", "minutes_docx", "minutes_text", "save_minutes"]

SUFFIXES = (".md", ".docx", ".txt")

_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_BOLD_HEADING = re.compile(r"^\s{0,3}\*\*(?P<text>[^*]+?)\*\*:?\s*$")  # "**Resumen**", as models also write
_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*+•]\s+(?P<text>.*)$")
_NUMBER = re.compile(r"^(?P<indent>[ \t]*)(?P<number>\d{1,3})[.)]\s+(?P<text>.*)$")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
# ***both***, **bold**, __bold__, *italic*, _italic_ (not inside words: snake_case, 2*3*4)
_INLINE = re.compile(
    r"\*\*\*(?P<bi>[^*\n]+?)\*\*\*"
    r"|\*\*(?P<b>[^\n]+?)\*\*|(?<!\w)__(?P<b2>[^\n]+?)__(?!\w)"
    r"|(?<![*\w])\*(?P<i>[^*\s](?:[^*\n]*[^*\s])?)\*(?![*\w])"
    r"|(?<![_\w])_(?P<i2>[^_\s](?:[^_\n]*[^_\s])?)_(?![_\w])"
)


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading", "bullet", "number", "text", "blank"
    text: str  # Markdown inline text (bold/italic markers still in it)
    level: int = 1  # heading level from 1; list nesting from 1
    number: str = ""  # as written, for numbered items


def _blocks(markdown: str) -> list[_Block]:
    """The minutes' lines as blocks; a bullet's indented continuation lines join the bullet."""
    from copilot.core.tasks.meeting import HEADING_ALIASES, HEADINGS

    section_names = {h.lower() for hs in HEADINGS.values() for h in hs} | set(HEADING_ALIASES)
    raw: list[tuple[str, str, int, str]] = []  # kind, text, indent or heading level, number
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n"):
        heading = _HEADING.match(line)
        bold = _BOLD_HEADING.match(line)
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        if not line.strip():
            raw.append(("blank", "", 0, ""))
        elif _RULE.match(line):
            raw.append(("blank", "", 0, ""))  # a horizontal rule: a break, no text
        elif heading:
            raw.append(("heading", heading["text"], len(heading["hashes"]), ""))
        elif bold and bold["text"].strip().rstrip(":").lower() in section_names:
            raw.append(("heading", bold["text"].strip().rstrip(":"), 0, ""))  # as the top level, below
        elif bullet:
            raw.append(("bullet", bullet["text"].strip(), _indent(bullet["indent"]), ""))
        elif number:
            raw.append(("number", number["text"].strip(), _indent(number["indent"]), number["number"]))
        elif line[:1].isspace() and raw and raw[-1][0] in ("bullet", "number"):
            kind, text, indent, num = raw[-1]
            raw[-1] = (kind, f"{text} {line.strip()}", indent, num)
        else:
            raw.append(("text", line.strip(), 0, ""))
    # Heading levels relative to the highest one used: "## Summary" alone becomes Heading 1.
    levels = [level for kind, _t, level, _n in raw if kind == "heading" and level]
    top = min(levels, default=1)
    blocks: list[_Block] = []
    indents: list[int] = []  # indents of the open list levels
    for kind, text, value, num in raw:
        if kind == "heading":
            blocks.append(_Block(kind, text, max(value - top + 1, 1) if value else 1))
        elif kind in ("bullet", "number"):
            while indents and value < indents[-1]:
                indents.pop()
            if not indents or value > indents[-1]:
                indents.append(value)
            blocks.append(_Block(kind, text, len(indents), num))
            continue
        else:
            blocks.append(_Block(kind, text))
        if kind != "blank":
            indents = []
    return blocks


def _indent(whitespace: str) -> int:
    return len(whitespace.expandtabs(4))


def _runs(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of a line of Markdown: the markers become formatting."""
    runs: list[tuple[str, bool, bool]] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            runs.append((text[pos:m.start()], False, False))
        if m["bi"] is not None:
            runs.append((m["bi"], True, True))
        elif m["b"] is not None or m["b2"] is not None:
            inner = m["b"] if m["b"] is not None else m["b2"]
            runs.extend((t, True, italic) for t, _bold, italic in _runs(inner))  # *italic* inside bold
        else:
            runs.append((m["i"] if m["i"] is not None else m["i2"], False, True))
        pos = m.end()
    if pos < len(text):
        runs.append((text[pos:], False, False))
    return [r for r in runs if r[0]]


def _plain(text: str) -> str:
    return "".join(t for t, _bold, _italic in _runs(text))


# --------------------------------------------------------------------------- .docx


def minutes_docx(markdown: str, *, title: str = "") -> bytes:
    """The minutes as a Word document (.docx bytes)."""
    import docx  # ~55 ms with lxml: imported when a document is written, not at start-up

    document = docx.Document()
    now = datetime.now(timezone.utc)
    props = document.core_properties
    props.title = title
    props.author = ""  # never the OS user name, nor python-docx's "python-docx"
    props.last_modified_by = ""
    props.comments = ""  # the template's "generated by python-docx"
    props.created = props.modified = now
    props.revision = 1
    if title:
        document.add_paragraph(title, style="Title")
    for block in _blocks(markdown):
        if block.kind == "blank":
            continue
        if block.kind == "heading":
            style = f"Heading {min(block.level, 9)}"
        elif block.kind == "bullet":
            style = "List Bullet" + (f" {min(block.level, 3)}" if block.level > 1 else "")
        elif block.kind == "number":
            style = "List Number" + (f" {min(block.level, 3)}" if block.level > 1 else "")
        else:
            style = None
        paragraph = document.add_paragraph(style=style)
        for text, bold, italic in _runs(block.text):
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- .txt


def minutes_text(markdown: str) -> str:
    """The minutes as plain text: headings underlined, bullets as "• ", no bold/italic markers."""
    lines: list[str] = []

    def blank() -> None:
        if lines and lines[-1]:
            lines.append("")

    for block in _blocks(markdown):
        if block.kind == "blank":
            blank()
        elif block.kind == "heading":
            blank()
            text = _plain(block.text)
            lines += [text, ("=" if block.level == 1 else "-") * len(text)]
        elif block.kind == "bullet":
            lines.append("  " * (block.level - 1) + "• " + _plain(block.text))
        elif block.kind == "number":
            lines.append("  " * (block.level - 1) + f"{block.number}. " + _plain(block.text))
        else:
            lines.append(_plain(block.text))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


# --------------------------------------------------------------------------- files


def save_minutes(markdown: str, path: str | os.PathLike, *, title: str = "") -> None:
    """Write the minutes to ``path`` as its suffix says: .md (the Markdown as is), .docx or .txt.
    Another suffix is a ValueError; a failed write (OSError) leaves any old file as it was."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".md":
        data = markdown.encode("utf-8")
    elif suffix == ".docx":
        data = minutes_docx(markdown, title=title)
    elif suffix == ".txt":
        text = minutes_text(markdown)
        data = (f"{title}\n{'=' * len(title)}\n\n{text}" if title else text).encode("utf-8")
    else:
        raise ValueError(f"{path.name}: minutes can be saved as .md (Markdown), .docx (Word) or .txt "
                         "(plain text). Choose one of these types.")
    write_atomically(path, data)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, so a full disk or a
    crash never leaves half a file; OSError goes to the caller, the old file untouched."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(OSError):  # keep the permissions of the file it replaces, else the usual
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
