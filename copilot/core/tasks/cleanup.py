"""Strip what chat models wrap around a transformed text: "Here is your text:" and friends.

The user asked for their text, proofread; a preamble pasted into their document is a bug.
"""

from __future__ import annotations

import re

_PREAMBLE = re.compile(
    r"^\s*(?:sure|certainly|of course|okay|ok|absolutely|here(?:'s| is| are)|below is|the (?:corrected|rewritten|revised|"
    r"proofread|improved|edited)|aquí (?:tienes|está|va)|claro|por supuesto|a continuación|este es|esta es|"
    r"el texto (?:corregido|revisado|reescrito)|voici|hier ist)\b[^\n]{0,160}(?::|\.|!)\s*$",
    re.IGNORECASE,
)
_TRAILER = re.compile(
    r"^\s*(?:let me know|i hope this helps|feel free to|espero que (?:esto|te|le) |si necesitas|avísame)[^\n]*$",
    re.IGNORECASE,
)
_DELIMITERS = ("<<<", ">>>")  # our own fences around the user's text (see tasks.fenced), echoed back
_FENCE = re.compile(r"^\s*```[\w-]*\n(.*?)\n```\s*$", re.DOTALL)
_HOLD_CHARS = 200  # a preamble line is short; past this much text without a newline, it is content


def _added(line: str, source: str) -> bool:
    """True when ``line`` is not the user's own words (their text may well begin "Here is…")."""
    probe = " ".join(line.split())[:40].lower()
    return probe not in " ".join(source.split()).lower()


def is_preamble(line: str, source: str = "") -> bool:
    if line.strip() in _DELIMITERS:
        return True
    return bool(_PREAMBLE.match(line)) and _added(line, source)


def clean_output(text: str, source: str = "") -> str:
    """The answer without preamble, trailer, or a code fence around the whole of it.

    ``source`` is the user's input: lines that come from it are never stripped.
    """
    lines = text.strip("\n").split("\n")
    while len(lines) > 1 and (not lines[0].strip() or is_preamble(lines[0], source)):
        lines.pop(0)
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].strip() in _DELIMITERS
                              or (_TRAILER.match(lines[-1]) and _added(lines[-1], source))):
        lines.pop()
    out = "\n".join(lines).strip("\n")
    fence = _FENCE.match(out)
    return fence.group(1) if fence and "```" not in source else out


class PreambleFilter:
    """Streaming version of the preamble strip: holds the first line until it is decided,
    and a last line that may still turn out to be an echoed ">>>"."""

    def __init__(self, source: str = "") -> None:
        self._source = source
        self._head = ""
        self._decided = False
        self._tail = ""

    def feed(self, text: str) -> str:
        if self._decided:
            return self._hold_tail(text)
        self._head += text
        while "\n" in self._head:
            line, rest = self._head.split("\n", 1)
            if not line.strip() or is_preamble(line, self._source):
                self._head = rest  # drop blank lines and preambles at the very start
                continue
            return self._release()
        if len(self._head) > _HOLD_CHARS:
            return self._release()
        return ""

    def close(self) -> str:
        out = "" if self._decided else self._release()
        tail, self._tail = self._tail, ""
        if tail.strip() in _DELIMITERS:
            return out.rstrip("\n") if out else ""
        return out + tail

    def _release(self) -> str:
        self._decided = True
        out, self._head = self._head, ""
        return self._hold_tail(out)

    def _hold_tail(self, text: str) -> str:
        text = self._tail + text
        line_start = text.rfind("\n") + 1
        last = text[line_start:]
        if last.strip() and any(d.startswith(last.strip()) for d in _DELIMITERS):
            self._tail = last
            return text[:line_start]
        self._tail = ""
        return text
