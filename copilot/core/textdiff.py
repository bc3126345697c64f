"""Word-level diff between an original text and its rewrite, for the "what changed" view.

Whitespace runs are not diffed as tokens of their own: a long text holds thousands of
identical single spaces, and with ``autojunk=False`` SequenceMatcher spends quadratic time
on such popular tokens (seconds for a 5,000-word text). Instead each word or punctuation
mark carries the whitespace that follows it; the marks are diffed, and whitespace that
differs between two matched marks becomes its own delete/insert pair, so changed spacing
and line breaks still show.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

Op = tuple[str, str]  # ("equal" | "insert" | "delete", text)

# Combining accents (U+0300-036F) are not \w; keep them inside their word so that
# decomposed Spanish text ("n" + U+0303) diffs like the composed form.
_TOKEN = re.compile(r"\s+|[\w\u0300-\u036f]+|[^\w\s]")
_WORD = re.compile(r"[\w\u0300-\u036f]+")


def _units(text: str) -> list[tuple[str, str]]:
    """(mark, whitespace after it); leading whitespace becomes a unit with an empty mark."""
    units: list[tuple[str, str]] = []
    for token in _TOKEN.findall(text):
        if token.isspace() and units and not units[-1][1]:
            units[-1] = (units[-1][0], token)
        elif token.isspace():
            units.append(("", token))
        else:
            units.append((token, ""))
    return units


class _Builder:
    """Collects ops: merges neighbours of one kind and puts each change as delete, then insert."""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.deleted: list[str] = []
        self.inserted: list[str] = []

    def equal(self, text: str) -> None:
        self._flush()
        self._add("equal", text)

    def change(self, deleted: str, inserted: str) -> None:
        self.deleted.append(deleted)
        self.inserted.append(inserted)

    def result(self) -> list[Op]:
        self._flush()
        return self.ops

    def _flush(self) -> None:
        deleted, inserted = "".join(self.deleted), "".join(self.inserted)
        self.deleted.clear()
        self.inserted.clear()
        # "foo " -> "bar " reads better as foo|bar followed by an unchanged space.
        keep = 0
        while (
            keep < min(len(deleted), len(inserted))
            and deleted[-1 - keep] == inserted[-1 - keep]
            and deleted[-1 - keep].isspace()
        ):
            keep += 1
        self._add("delete", deleted[: len(deleted) - keep])
        self._add("insert", inserted[: len(inserted) - keep])
        self._add("equal", deleted[len(deleted) - keep :])

    def _add(self, kind: str, text: str) -> None:
        if not text:
            return
        if self.ops and self.ops[-1][0] == kind:
            self.ops[-1] = (kind, self.ops[-1][1] + text)
        else:
            self.ops.append((kind, text))


def word_diff(original: str, revised: str) -> list[Op]:
    """Ops that turn ``original`` into ``revised``: equal+delete texts rebuild the original,
    equal+insert texts rebuild the revision; no empty texts, no two neighbours of one kind."""
    old, new = _units(original), _units(revised)
    matcher = SequenceMatcher(None, [m for m, _ in old], [m for m, _ in new], autojunk=False)
    out = _Builder()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for (mark, old_space), (_, new_space) in zip(old[i1:i2], new[j1:j2]):
                out.equal(mark)
                if old_space == new_space:
                    out.equal(old_space)
                else:
                    out.change(old_space, new_space)
        else:
            out.change("".join(m + s for m, s in old[i1:i2]), "".join(m + s for m, s in new[j1:j2]))
    return out.result()


def diff_stats(ops: list[Op]) -> tuple[int, int]:
    """(words inserted, words deleted); punctuation and whitespace are not words."""
    inserted = sum(len(_WORD.findall(text)) for kind, text in ops if kind == "insert")
    deleted = sum(len(_WORD.findall(text)) for kind, text in ops if kind == "delete")
    return inserted, deleted
