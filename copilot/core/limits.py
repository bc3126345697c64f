"""Generation limits: how long an answer may be, how long the reasoning before it, and when a
model that loops must be stopped. One place, used by every caller (jobs, panes, popup, CLI,
the server backend): a weak or unlucky model must never hold the user hostage.

Budgets are in tokens and follow what was asked, not the context: an email of "at most 150
words" gets room for about 150 words and a margin, a proofread about the length of its text,
a summary a fraction of it. The recipes (core/tasks) cannot count tokens (they know no model),
so they estimate from characters: ``estimate_tokens`` errs on the long side, so that a cap cuts
only an answer that is clearly longer than it should be.

Reasoning (gpt-oss's analysis channel) is counted apart from the answer, with its own budget by
effort: high effort cannot eat the answer's room (the engine moves the model on to its final
answer when the reasoning budget is spent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens of reasoning before the answer, by effort. gpt-oss-20b at high effort on a hard
# question can think for thousands of tokens; on a laptop CPU that is minutes.
REASONING_BUDGET = {"low": 512, "medium": 1536, "high": 3072}

# At most this many tokens of answer for anything (about 3,000 words): a hard ceiling over
# every budget below.
MAX_ANSWER_TOKENS = 4096

# Tokens per word, on the long side: English runs about 1.3 with o200k, Spanish about 1.6,
# SmolLM2's tokenizer a little more on Spanish.
TOKENS_PER_WORD = 2.0
CHARS_PER_TOKEN = 3.0  # English ~4, Spanish ~3.5: 3 over-estimates, which is what a cap wants


def estimate_tokens(text: str) -> int:
    """Tokens that ``text`` takes, estimated on the long side (no tokenizer needed)."""
    return int(len(text) / CHARS_PER_TOKEN) + 1


def words_to_tokens(words: int) -> int:
    return int(words * TOKENS_PER_WORD)


def email_answer_tokens(max_words: int) -> int:
    """The reply's length setting is "at most N words": room for N words, plus a closing, a
    name and a margin of a quarter, then the cut."""
    return min(MAX_ANSWER_TOKENS, words_to_tokens(max_words) * 5 // 4 + 48)


# Writing actions: the answer's size relative to the text it works on.
_SAME_SIZE = {"proofread", "rewrite", "friendly", "professional", "list", "custom"}
_SHORTER = {"concise": 1.0, "summarize": 0.4, "keypoints": 0.5}
CONTINUE_TOKENS = 400  # "one or two paragraphs"


def writing_answer_tokens(action: str, text: str) -> int:
    """Proofread / rewrite / tone: about the text's length plus a margin; summary and key
    points: a fraction of it, never below a paragraph; a table: its text and the markup;
    continue: two paragraphs."""
    n = estimate_tokens(text)
    if action == "continue":
        return CONTINUE_TOKENS
    if action in _SHORTER:
        budget = max(160, int(n * _SHORTER[action]) + 64)
    elif action == "table":
        budget = int(n * 2.0) + 128  # pipes and a header row
    else:
        budget = int(n * 1.5) + 96
    return min(MAX_ANSWER_TOKENS, budget)


MINUTES_MIN_TOKENS, MINUTES_MAX_TOKENS = 600, 2400


def minutes_answer_tokens(transcript: str) -> int:
    """Minutes grow with the transcript (a fifth of it), between a page and a few pages."""
    return max(MINUTES_MIN_TOKENS, min(MINUTES_MAX_TOKENS, estimate_tokens(transcript) // 5 + 400))


def reasoning_tokens(effort: str) -> int:
    return REASONING_BUDGET[effort]


# -- loops -------------------------------------------------------------------------------
REPETITION_MESSAGE = "The model started repeating itself; stopped. Try again or raise the reasoning effort."

_WORD = re.compile(r"\S+")
SHINGLE = 8  # words in one shingle
LOOP_RUN = 24  # consecutive shingles already written earlier: the answer is copying itself
ECHO_RUN = 40  # consecutive shingles copied from the prompt's fenced text
# A loop with no spaces ("HolaHolaHola…", or a language written without them): the last
# max(CHAR_WINDOW, 2 × period) characters are periodic, for a period of up to CHAR_MAX_PERIOD.
CHAR_WINDOW = 240
CHAR_MAX_PERIOD = 400


@dataclass
class LoopVerdict:
    kind: str  # "repeat" | "echo"
    message: str = REPETITION_MESSAGE


class RepetitionGuard:
    """Watches an answer as it streams and says when it degenerated.

    Three signs, each cheap per chunk:
    - the same run of words again: the last ``LOOP_RUN`` 8-word shingles all occur earlier
      in the answer (any period, from "very very very" to a whole paragraph written twice);
    - no spaces at all, the same few characters over and over: the last ``CHAR_WINDOW``
      characters are periodic with a period of at most ``CHAR_MAX_PERIOD``;
    - the prompt's fenced text echoed back (``echo_of``): ``ECHO_RUN`` shingles in a row that
      are the source's own. Only for tasks whose answer must not copy the source (a reply,
      minutes); a proofread is supposed to look like its text.
    """

    def __init__(self, echo_of: str = "") -> None:
        self._words: list[str] = []
        self._partial = ""  # a word still being written
        self._seen: set[tuple[str, ...]] = set()
        self._run = 0
        self._echo_run = 0
        self._source = _shingles(echo_of) if echo_of.strip() else set()
        self._tail = ""
        self._since_char_check = 0

    def feed(self, text: str) -> LoopVerdict | None:
        verdict = None
        self._tail = (self._tail + text)[-2 * CHAR_MAX_PERIOD:]
        self._since_char_check += len(text)
        if self._since_char_check >= 16:
            self._since_char_check = 0
            if _periodic(self._tail):
                return LoopVerdict("repeat")
        chunk = self._partial + text
        parts = chunk.split()
        if chunk and not chunk[-1].isspace() and parts:
            self._partial = parts.pop()
        else:
            self._partial = ""
        for word in parts:
            verdict = verdict or self._word(word.lower())
        return verdict

    def _word(self, word: str) -> LoopVerdict | None:
        self._words.append(word)
        if len(self._words) < SHINGLE:
            return None
        shingle = tuple(self._words[-SHINGLE:])
        self._run = self._run + 1 if shingle in self._seen else 0
        self._seen.add(shingle)
        self._echo_run = self._echo_run + 1 if shingle in self._source else 0
        if self._run >= LOOP_RUN:
            return LoopVerdict("repeat")
        if self._echo_run >= ECHO_RUN:
            return LoopVerdict("echo", "The model started copying the text it was given back; stopped. "
                                       "Try again or raise the reasoning effort.")
        return None


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


_HARMLESS = set("-=_*#.~ \t\n|:")  # rules, padding, empty table cells: periodic and fine


def _periodic(tail: str) -> bool:
    """Whether the end of ``tail`` is the same block of characters at least twice (and over at
    least CHAR_WINDOW characters), for a block of up to CHAR_MAX_PERIOD."""
    for p in range(1, CHAR_MAX_PERIOD + 1):
        w = max(CHAR_WINDOW, 2 * p)
        if w > len(tail):
            break
        window = tail[-w:]
        if window[p:] == window[:-p]:
            return bool(set(window) - _HARMLESS)
    return False


class DelimiterFilter:
    """Drops the prompt's own fences (``<<<`` and ``>>>``, see tasks.fenced) from a streamed
    answer wherever they appear: the model echoes them, and they must never reach the user's
    document. Text that may still become a fence is held until the next chunk."""

    FENCES = ("<<<", ">>>")

    def __init__(self, source: str = "") -> None:
        # the user's own text with fences in it keeps them (a shell heredoc, a quoted chat)
        self._active = not any(f in source for f in self.FENCES)
        self._held = ""
        self._eat_newline = False

    def feed(self, text: str) -> str:
        if not self._active:
            return text
        text = self._held + text
        self._held = ""
        if self._eat_newline and text:
            text = text[1:] if text[0] == "\n" else text
            self._eat_newline = False
        self._eat_newline = bool(re.search(r"<<<[ \t]*\Z", text))  # its line break is still to come
        text = _FENCE_CLOSE.sub("", _FENCE_OPEN.sub("", text))
        # hold what may still become a fence, or the line break before one, or a fence whose own
        # line break is still to come
        held = _MAYBE_FENCE.search(text)
        if held:
            text, self._held = text[:held.start()], held.group(0)
        return text

    def close(self) -> str:
        held, self._held = self._held, ""
        return _FENCE_CLOSE.sub("", _FENCE_OPEN.sub("", held))


# a fence on a line of its own goes with its line break
_FENCE_OPEN = re.compile(r"[ \t]*<<<[ \t]*\n?")
_FENCE_CLOSE = re.compile(r"\n?[ \t]*>>>[ \t]*")
_MAYBE_FENCE = re.compile(r"\n?[ \t]*(?:<{1,3}|>{1,3})?[ \t]*\Z")
