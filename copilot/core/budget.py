"""Token budgets: will this input and its answer fit the context, and if not, how to split it.

Nothing here truncates. An input that does not fit is either refused with the numbers, or
split into chunks for map-reduce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

# Tokens kept free for the answer, by reasoning effort. gpt-oss writes its reasoning into
# the same context before the answer, so a higher effort needs more room.
ANSWER_RESERVE = {"low": 1536, "medium": 3072, "high": 6144}
NOTES_MAX_TOKENS = 1024  # one map step's output (notes), reasoning included

Counter = Callable[[str], int]


@dataclass(frozen=True)
class Budget:
    n_ctx: int
    prompt_tokens: int
    reserve: int

    @property
    def needed(self) -> int:
        return self.prompt_tokens + self.reserve

    @property
    def fits(self) -> bool:
        return self.needed <= self.n_ctx

    @property
    def fraction(self) -> float:
        """Share of the context this request would use (may exceed 1)."""
        return self.needed / self.n_ctx if self.n_ctx else float("inf")

    def describe(self) -> str:
        return (f"{self.prompt_tokens:,} tokens of input + {self.reserve:,} for the answer "
                f"of a {self.n_ctx:,}-token context")

    def too_long_message(self) -> str:
        return (f"The text is too long: {self.describe()}. Shorten it by about "
                f"{self.needed - self.n_ctx:,} tokens, or raise the context size in Settings (--ctx).")


def reserve_for(effort: str, n_ctx: int) -> int:
    """The answer reserve, never more than half the context (small contexts still work)."""
    return min(ANSWER_RESERVE[effort], n_ctx // 2)


_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _split_unit(unit: str, count: Counter, limit: int) -> list[str]:
    """Split one over-long unit (a monologue) by sentences, then by words, to pieces <= limit."""
    pieces: list[str] = []
    for sentence in _SENTENCE.split(unit):
        if count(sentence) <= limit:
            pieces.append(sentence)
            continue
        words, cur = sentence.split(" "), []
        for word in words:
            if cur and count(" ".join(cur + [word])) > limit:
                pieces.append(" ".join(cur))
                cur = []
            cur.append(word)
        if cur:
            pieces.append(" ".join(cur))
    return pack(pieces, count, limit, sep=" ")


def pack(units: Sequence[str], count: Counter, limit: int, sep: str = "\n") -> list[str]:
    """Greedily pack consecutive units into chunks of at most ``limit`` tokens, in order.

    Every character of every unit ends up in exactly one chunk.
    """
    if limit <= 0:
        raise ValueError("limit must be positive")
    chunks: list[str] = []
    cur: list[str] = []
    cur_tokens = 0
    sep_tokens = count(sep) if sep.strip() else 1
    for unit in units:
        n = count(unit)
        if n > limit:
            if cur:
                chunks.append(sep.join(cur))
                cur, cur_tokens = [], 0
            chunks.extend(_split_unit(unit, count, limit))
            continue
        if cur and cur_tokens + sep_tokens + n > limit:
            chunks.append(sep.join(cur))
            cur, cur_tokens = [], 0
        cur.append(unit)
        cur_tokens += n + (sep_tokens if len(cur) > 1 else 0)
    if cur:
        chunks.append(sep.join(cur))
    return chunks


@dataclass(frozen=True)
class SummaryPlan:
    """How a transcript will be summarized: at once, or in chunks then combined."""

    budget: Budget  # the whole text in one request
    chunks: tuple[str, ...]  # empty when the whole text fits
    chunk_limit: int

    @property
    def direct(self) -> bool:
        return not self.chunks

    def describe(self) -> str:
        if self.direct:
            return f"Fits in one pass: {self.budget.describe()}."
        return (f"Too long for one pass ({self.budget.describe()}): summarized in {len(self.chunks)} parts "
                f"of at most {self.chunk_limit:,} tokens, then combined.")


def plan_summary(lines: Sequence[str], count: Counter, *, n_ctx: int, overhead: int, effort: str) -> SummaryPlan:
    """Plan minutes of ``lines`` (one utterance each). ``overhead``: tokens of the instructions."""
    text = "\n".join(lines)
    budget = Budget(n_ctx, overhead + count(text), reserve_for(effort, n_ctx))
    if budget.fits:
        return SummaryPlan(budget, (), 0)
    # A map step carries the same instructions and needs room for its notes.
    limit = n_ctx - overhead - NOTES_MAX_TOKENS
    if limit < 256:
        raise ValueError(f"The context ({n_ctx:,} tokens) is too small to summarize this text in parts; "
                         "raise the context size in Settings (--ctx).")
    return SummaryPlan(budget, tuple(pack(lines, count, limit)), limit)
