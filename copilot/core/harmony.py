"""gpt-oss's harmony format: reasoning-effort option and a streaming channel parser.

A gpt-oss reply is a sequence of messages such as::

    <|channel|>analysis<|message|>thinking…<|end|><|start|>assistant<|channel|>final<|message|>answer<|return|>

Only the body of a ``final`` message is the answer. Bodies of every other channel
(``analysis``, ``commentary``, anything unknown) are reasoning: shown apart, never pasted.
Text arrives in arbitrary chunks, so a marker may be split across two or more chunks;
the parser holds back any tail that could still become a marker.
"""

from __future__ import annotations

import re
from typing import Iterator, Union

from copilot.core.events import Answer, Reasoning

REASONING_EFFORTS = ("low", "medium", "high")

START = "<|start|>"
END = "<|end|>"
MESSAGE = "<|message|>"
CHANNEL = "<|channel|>"
CONSTRAIN = "<|constrain|>"
RETURN = "<|return|>"
CALL = "<|call|>"
ENDOFTEXT = "<|endoftext|>"
STARTOFTEXT = "<|startoftext|>"

MARKERS = (START, END, MESSAGE, CHANNEL, CONSTRAIN, RETURN, CALL, ENDOFTEXT, STARTOFTEXT)
# Markers that close a message body.
_BODY_END = (END, RETURN, CALL, ENDOFTEXT)
# Markers that open a new header; seen inside a body, the model skipped its <|end|>.
_HEADER_START = (START, CHANNEL)

_MARKER_PREFIXES = frozenset(m[:i] for m in MARKERS for i in range(1, len(m)))


def check_effort(effort: str) -> str:
    if effort not in REASONING_EFFORTS:
        raise ValueError(f"reasoning effort must be one of {', '.join(REASONING_EFFORTS)}, not {effort!r}")
    return effort


# Any other special token's text (gpt-oss has hundreds of <|reserved_N|>): never text, never the
# answer. The local engine drops such tokens by id; this catches them in a server's raw text.
_OTHER_SPECIAL = re.compile(r"<\|[A-Za-z0-9_]{1,40}\|>")
_OTHER_SPECIAL_PREFIX = re.compile(r"<\|[A-Za-z0-9_]{0,40}\|?$")


def _held_tail(text: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of a marker (or of another
    special token)."""
    for n in range(min(len(text), max(map(len, MARKERS)) - 1), 0, -1):
        if text[-n:] in _MARKER_PREFIXES:
            return n
    other = _OTHER_SPECIAL_PREFIX.search(text[-44:])
    return len(other.group(0)) if other else 0


ChannelEvent = Union[Reasoning, Answer]


class HarmonyParser:
    """Incremental parser: ``feed`` chunks, then ``close``; both yield Reasoning/Answer events."""

    def __init__(self) -> None:
        self._pending = ""  # text not yet classified (may end in a partial marker)
        self._in_body = False
        self._channel: str | None = None
        self._header = ""
        self._saw_marker = False
        self._plain = ""  # text seen before any marker, for a model that ignores harmony

    @property
    def channel(self) -> str | None:
        """The channel of the message being read, or None between messages."""
        return self._channel if self._in_body else None

    def feed(self, chunk: str) -> Iterator[ChannelEvent]:
        self._pending += chunk
        while self._pending:
            idx, marker = self._next_marker(self._pending)
            if marker is None:
                keep = _held_tail(self._pending)
                text, self._pending = self._pending[: len(self._pending) - keep], self._pending[len(self._pending) - keep :]
                yield from self._text(text)
                return
            text, self._pending = self._pending[:idx], self._pending[idx + len(marker) :]
            yield from self._text(text)
            self._marker(marker)

    def close(self) -> Iterator[ChannelEvent]:
        """End of stream: flush held text. A stream with no marker at all is plain text: the answer."""
        text, self._pending = self._pending, ""
        yield from self._text(text)
        if not self._saw_marker and self._plain:
            plain, self._plain = self._plain, ""
            yield Answer(plain)

    @staticmethod
    def _next_marker(text: str) -> tuple[int, str | None]:
        best, found = len(text), None
        start = text.find("<|")
        while start != -1 and start < best:
            for m in MARKERS:
                if text.startswith(m, start):
                    return start, m
            start = text.find("<|", start + 1)
        return best, found

    def _text(self, text: str) -> Iterator[ChannelEvent]:
        if not text:
            return
        if self._in_body:
            if self._channel != "final":
                yield Reasoning(text)
            elif text := _OTHER_SPECIAL.sub("", text):
                yield Answer(text)
        elif not self._saw_marker:
            self._plain += _OTHER_SPECIAL.sub("", text)
        else:
            self._header += text

    def _marker(self, marker: str) -> None:
        self._saw_marker = True
        self._plain = ""
        if self._in_body:
            if marker in _BODY_END or marker in _HEADER_START:
                self._in_body = False
                self._channel = None
                self._header = marker if marker == CHANNEL else ""
            # any other marker inside a body (e.g. a stray <|message|>) is dropped
            return
        if marker == MESSAGE:
            self._channel = _channel_of(self._header)
            self._in_body = True
            self._header = ""
        elif marker in (START,) + _BODY_END:
            self._header = ""
        else:
            self._header += marker


def _channel_of(header: str) -> str | None:
    """``assistant<|channel|>analysis to=functions.x <|constrain|>json`` -> ``analysis``."""
    if CHANNEL not in header:
        return None
    rest = header.rsplit(CHANNEL, 1)[1]
    rest = rest.split("<|", 1)[0].strip()
    return rest.split()[0] if rest else None


def split_channels(text: str) -> tuple[str, str]:
    """Parse a whole harmony text at once: (reasoning, answer)."""
    parser = HarmonyParser()
    reasoning: list[str] = []
    answer: list[str] = []
    for event in (*parser.feed(text), *parser.close()):
        (answer if isinstance(event, Answer) else reasoning).append(event.text)
    return "".join(reasoning), "".join(answer)
