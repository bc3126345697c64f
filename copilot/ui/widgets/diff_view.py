"""Read-only word diff between the user's text and the model's rewrite."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QWidget

from copilot.core.textdiff import Op, diff_stats, word_diff

# Translucent tints over the palette's own base and text colours keep both light and
# dark themes readable; strike-through and underline carry the meaning without colour.
_STYLES = {
    "delete": "background-color: rgba(220, 38, 38, 0.28); text-decoration: line-through;",
    "insert": "background-color: rgba(22, 163, 74, 0.28); text-decoration: underline;",
}
# A removed or added line break is invisible on its own; mark it like a pilcrow would.
_NEWLINE_MARK = "\u21b5"


def _ops_to_html(ops: list[Op]) -> str:
    parts = []
    for kind, text in ops:
        if kind == "equal":
            parts.append(html.escape(text))
        else:
            marked = html.escape(text).replace("\n", _NEWLINE_MARK + "\n")
            parts.append(f'<span style="{_STYLES[kind]}">{marked}</span>')
    return '<div style="white-space: pre-wrap;">' + "".join(parts) + "</div>"


class DiffView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName(self.tr("Changes"))
        self.setAccessibleDescription(
            self.tr("Removed words are struck through, added words are underlined.")
        )
        self._stats = (0, 0)

    def set_texts(self, original: str, revised: str) -> None:
        ops = word_diff(original, revised)
        self._stats = diff_stats(ops)
        self.setHtml(_ops_to_html(ops))

    def clear(self) -> None:
        super().clear()
        self._stats = (0, 0)

    def stats_text(self) -> str:
        inserted, deleted = self._stats
        return self.tr("{ins} words added, {dele} removed").format(ins=inserted, dele=deleted)
