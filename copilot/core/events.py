"""What an engine yields while it works: small frozen dataclasses, easy to print or re-emit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class PromptProgress:
    """Prompt evaluation progress: ``done`` of ``total`` prompt tokens are in the context."""

    done: int
    total: int


@dataclass(frozen=True)
class Reasoning:
    """Text of the analysis (or commentary) channel: shown apart, never part of the answer."""

    text: str


@dataclass(frozen=True)
class Answer:
    """Text of the final answer."""

    text: str


@dataclass(frozen=True)
class Stats:
    prompt_tokens: int
    cached_tokens: int  # leading prompt tokens reused from the previous request
    generated_tokens: int
    time_to_first_token: float  # seconds from the request to the first generated token
    tokens_per_second: float  # generation speed, first token excluded
    # "stop" | "length" (the answer's cap or the context) | "cancelled" | "repetition" (jobs: a loop)
    stop_reason: str
    reasoning_tokens: int = 0  # of generated_tokens, those of the reasoning (gpt-oss)
    dropped_tokens: int = 0  # control tokens the model wrote that never reached the text


@dataclass(frozen=True)
class Finished:
    stats: Stats


@dataclass(frozen=True)
class Failed:
    """A request that could not run; ``message`` is written for the user."""

    message: str
    unavailable: bool = False  # a server that is down or overloaded: another engine may take it


@dataclass(frozen=True)
class Notice:
    """Something the user should know once, e.g. that the local model took over from a server."""

    message: str


@dataclass(frozen=True)
class Prepared:
    """A prompt start evaluated ahead of time (LocalEngine.prepare): ``tokens`` are ready, -1 if cancelled."""

    tokens: int


@dataclass(frozen=True)
class Findings:
    """The commitment check of a finished answer (core.check): what it adds beyond its sources.

    ``findings`` are core.check.Finding objects, offsets into ``text`` (the answer as checked);
    ``summary`` is the one line to show ("2 things to check: …"), "" when nothing was found."""

    findings: tuple
    summary: str
    text: str
    language: str = "en"  # of ``summary``; core.check.reason_in gives each finding's reason in it


@dataclass(frozen=True)
class Cited:
    """The citations of finished minutes, verified against the transcript (core.evidence).

    ``minutes`` is an evidence.CitedMinutes: each item with its evidence lines, ``verified``
    and, when not, why ("no source found")."""

    minutes: object


Event = Union[PromptProgress, Reasoning, Answer, Finished, Failed, Notice]


@dataclass(frozen=True)
class Progress:
    """A multi-step job's progress, e.g. part 2 of 5 of a long transcript."""

    label: str
    step: int
    total: int


@dataclass(frozen=True)
class Heard:
    """Lines of a recording just transcribed (core.speech.Segment), and how far it has got."""

    segments: tuple
    done: float  # seconds of the recording covered
    total: float
    eta: float | None  # seconds of work left
    waiting: bool = False  # paused: a request the user waits for has the cores


@dataclass(frozen=True)
class Transcribed:
    """The finished transcript: a core.speech.SpeechTranscript (truncated when the file was damaged)."""

    transcript: object
    path: str  # the recording


JobEvent = Union[Event, Progress, Findings, Cited, Heard, Transcribed]
