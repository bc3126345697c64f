"""Streamed model output: a collapsible reasoning section above the editable answer.

Reasoning and answer live in separate widgets and separate strings, so nothing the user
copies, saves or pastes back can pick up reasoning text.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolButton, QVBoxLayout, QWidget

# Re-rendering markdown re-parses the whole answer, so doing it per token is quadratic;
# 50 ms still looks live.
RENDER_INTERVAL_MS = 50


class OutputView(QWidget):
    sig_edited = Signal()  # the user changed the answer text

    def __init__(self, parent: QWidget | None = None, *, markdown: bool = True) -> None:
        super().__init__(parent)
        self._markdown = markdown
        self._source = ""  # the streamed answer: the truth until the user edits
        self._rendered = 0  # how much of _source the view shows (plain text grows in place)
        self._reasoning = ""
        self._edited = False
        self._answer_started = False
        self._quiet = False  # our own changes to the view are not the user's
        self._follow = True  # the user is at the bottom, so the stream keeps them there
        self._anchor = 0  # where the user left the scroll bar when not following

        self.reasoning_button = QToolButton(self)
        self.reasoning_button.setText(self.tr("Reasoning"))
        self.reasoning_button.setCheckable(True)
        self.reasoning_button.setAutoRaise(True)
        self.reasoning_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reasoning_button.setArrowType(Qt.ArrowType.RightArrow)
        self.reasoning_button.setAccessibleName(self.tr("Show reasoning"))
        self.reasoning_button.toggled.connect(self.on_reasoning_toggled)

        self.reasoning_edit = QPlainTextEdit(self)
        self.reasoning_edit.setReadOnly(True)
        self.reasoning_edit.hide()
        self.reasoning_edit.setAccessibleName(self.tr("Reasoning"))

        self.answer_edit = QTextEdit(self) if markdown else QPlainTextEdit(self)
        self.answer_edit.setAccessibleName(self.tr("Answer"))
        self.answer_edit.textChanged.connect(self.on_answer_changed)
        bar = self.answer_edit.verticalScrollBar()
        bar.valueChanged.connect(self.on_answer_scrolled)
        bar.rangeChanged.connect(self.on_answer_range_changed)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self.on_render)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reasoning_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.reasoning_edit, 1)
        layout.addWidget(self.answer_edit, 2)
        self.clear()

    # streaming

    def clear(self) -> None:
        self._reasoning = ""
        self._answer_started = False
        self._follow, self._anchor = True, 0
        self.reasoning_edit.clear()
        self.reasoning_button.setChecked(False)
        self.reasoning_button.hide()
        self._reset_answer("")

    def append_reasoning(self, text: str) -> None:
        if not text:
            return
        bar = self.reasoning_edit.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum()
        cursor = QTextCursor(self.reasoning_edit.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        if at_bottom:
            bar.setValue(bar.maximum())
        if not self._reasoning:
            self.reasoning_button.show()
            self.reasoning_button.setChecked(not self._answer_started)
        self._reasoning += text

    def append_answer(self, text: str) -> None:
        if not text:
            return
        if self._edited:
            # More text extends what the user now sees, not the stream they replaced.
            self._source = self._document_text()
            self._rendered = len(self._source)
            self._edited = False
        if not self._answer_started:
            self._answer_started = True
            self.reasoning_button.setChecked(False)
        self._source += text
        if not self._render_timer.isActive():
            self._render_timer.start()

    def set_busy(self, busy: bool) -> None:
        if not busy and self._render_timer.isActive():
            self.on_render()
        self.answer_edit.setReadOnly(busy)

    # reading and restoring

    def answer_text(self) -> str:
        return self._document_text() if self._edited else self._source

    def set_answer_text(self, text: str) -> None:
        self._reset_answer(text)

    def reasoning_text(self) -> str:
        return self._reasoning

    def copy_answer(self) -> None:
        # Plain text only: a QMimeData made in Python and handed to the clipboard (to add
        # text/markdown) made the process segfault at exit under PySide6 6.11.
        QGuiApplication.clipboard().setText(self.answer_text())

    # handlers

    def on_render(self) -> None:
        self._render_timer.stop()
        with self._quietly():
            if self._markdown:
                self.answer_edit.setMarkdown(self._source)
            else:
                cursor = QTextCursor(self.answer_edit.document())
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText(self._source[self._rendered :])
        self._rendered = len(self._source)
        self._restore_scroll()

    def on_reasoning_toggled(self, checked: bool) -> None:
        self.reasoning_edit.setVisible(checked)
        self.reasoning_button.setArrowType(Qt.ArrowType.DownArrow if checked else Qt.ArrowType.RightArrow)

    def on_answer_changed(self) -> None:
        if self._quiet:
            return
        self._edited = True
        self.sig_edited.emit()

    def on_answer_scrolled(self, value: int) -> None:
        if self._quiet:
            return
        self._follow = value >= self.answer_edit.verticalScrollBar().maximum()
        self._anchor = value

    def on_answer_range_changed(self, _minimum: int, _maximum: int) -> None:
        # Layout of a long re-rendered document finishes in later steps, each of which
        # moves the range; once the user types, the scroll position is theirs alone.
        if not self._edited:
            self._restore_scroll()

    # internals

    def _reset_answer(self, text: str) -> None:
        self._render_timer.stop()
        self._source, self._rendered, self._edited = text, 0, False
        with self._quietly():
            self.answer_edit.clear()
        self.on_render()

    def _document_text(self) -> str:
        if self._markdown:
            return self.answer_edit.toMarkdown()
        return self.answer_edit.toPlainText()

    def _restore_scroll(self) -> None:
        bar = self.answer_edit.verticalScrollBar()
        with self._quietly():
            bar.setValue(bar.maximum() if self._follow else self._anchor)

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        previous, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = previous
