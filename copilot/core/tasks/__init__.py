"""Task recipes: pure functions from what the user gave to chat messages and options."""

from __future__ import annotations

from dataclasses import dataclass

from copilot.core.harmony import check_effort


@dataclass(frozen=True)
class TaskPrompt:
    messages: tuple[dict, ...]
    reasoning_effort: str
    max_tokens: int | None = None  # the answer's cap (core.limits); None: what the context leaves
    # reasoning before the answer (gpt-oss), counted apart; None: core.limits' budget for the effort
    max_reasoning: int | None = None

    def __post_init__(self) -> None:
        check_effort(self.reasoning_effort)


def chat(system: str, user: str) -> tuple[dict, ...]:
    return ({"role": "system", "content": system}, {"role": "user", "content": user})


def fenced(text: str) -> str:
    """Delimit user material so instructions and material cannot be confused."""
    return f"<<<\n{text.strip()}\n>>>"
