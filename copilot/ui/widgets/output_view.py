"""Streamed model output: a collapsible reasoning section above the editable answer.

Reasoning and answer live in separate widgets and separate strings, so nothing the user
copies, saves or pastes back can pick up reasoning text.

Marks (``set_marks``) highlight spans of the answer: things to check, with the reason as a
tooltip, or links (citations) that emit ``sig_link_activated``. They are formats on the view's
document only: the answer's text (``answer_text``) never carries them.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable, Iterator

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (QColor, QGuiApplication, QMouseEvent, QTextCharFormat, QTextCursor, QTextDocument,
                           QTextFormat)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolButton, QVBoxLayout, QWidget

# Re-rendering markdown re-parses the whole answer, so doing it per token is quadratic;
# 50 ms still looks live.
RENDER_INTERVAL_MS = 50

# A char-format property that tells our marks from the user's own formatting.
MARK_PROPERTY = QTextFormat.Property.UserProperty + 1
# The properties a mark sets, cleared again when marks go or the text is read back.
_MARK_PROPERTIES = (MARK_PROPERTY, QTextFormat.Property.IsAnchor, QTextFormat.Property.AnchorHref,
                    QTextFormat.Property.TextToolTip, QTextFormat.Property.BackgroundBrush,
                    QTextFormat.Property.ForegroundBrush, QTextFormat.Property.TextUnderlineStyle,
                    QTextFormat.Property.FontUnderline, QTextFormat.Property.TextUnderlineColor)
FINDING_BACKGROUND = QColor(255, 193, 7, 70)  # a soft amber that reads on light and dark themes
FINDING_UNDERLINE = QColor(230, 145, 0)


@dataclass(frozen=True)
class Mark:
    """A span of the answer to highlight: ``start``/``end`` are offsets in the answer's source
    (markdown) string; ``text`` is what is looked for in the rendered view. With ``href`` the
    span is a link (``sig_link_activated``); ``tooltip`` shows on hover."""

    text: str
    start: int
    end: int
    tooltip: str = ""
    href: str | None = None
    kind: str = "finding"


class OutputView(QWidget):
    sig_edited = Signal()  # the user changed the answer text
    sig_link_activated = Signal(str)  # the href of a mark the user clicked
    sig_cleared = Signal()  # the answer was cleared or replaced (a new run, a restored draft)

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
        self._marks: list[Mark] = []

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
        self.answer_edit.viewport().installEventFilter(self)
        self.answer_edit.viewport().setMouseTracking(True)  # the pointer changes over links

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

    # marks

    def set_marks(self, marks: Iterable[Mark]) -> None:
        """Highlight ``marks`` in the answer (replacing earlier ones); an empty list removes them.
        A mark whose text is not found in the view is skipped."""
        self._marks = sorted(marks, key=lambda m: (m.start, m.end))
        with self._quietly():
            self._strip_marks(self.answer_edit.document(), undoable=False)
            if self._marks:
                self._apply_marks()

    def marks(self) -> list[Mark]:
        return list(self._marks)

    def mark_format(self, mark: Mark) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setProperty(MARK_PROPERTY, mark.kind)
        if mark.tooltip:
            fmt.setToolTip(mark.tooltip)
        if mark.href:
            fmt.setAnchor(True)
            fmt.setAnchorHref(mark.href)
            fmt.setForeground(self.palette().link())
            fmt.setFontUnderline(True)
        else:
            fmt.setBackground(FINDING_BACKGROUND)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(FINDING_UNDERLINE)
        return fmt

    def format_at(self, pos: QPoint) -> QTextCharFormat:
        """The char format of the character under ``pos`` (viewport coordinates)."""
        edit = self.answer_edit
        cursor = edit.cursorForPosition(pos)
        index = cursor.position()
        if pos.x() < edit.cursorRect(cursor).x():
            index -= 1  # the point is on the character before the nearest cursor position
        doc = edit.document()
        if index < 0 or index >= doc.characterCount() - 1:
            return QTextCharFormat()
        at = QTextCursor(doc)
        at.setPosition(index + 1)  # a cursor's charFormat is that of the character before it
        if at.block().position() > index:  # the paragraph break itself
            return QTextCharFormat()
        return at.charFormat()

    def href_at(self, pos: QPoint) -> str:
        fmt = self.format_at(pos)
        return fmt.anchorHref() if fmt.isAnchor() and fmt.hasProperty(MARK_PROPERTY) else ""

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
                # a plain format: new text must not take on the look of a mark it follows
                cursor.insertText(self._source[self._rendered :], QTextCharFormat())
            if self._marks:
                self._apply_marks()
        self._rendered = len(self._source)
        self._restore_scroll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.answer_edit.viewport():
            kind = event.type()
            if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent) \
                    and event.button() == Qt.MouseButton.LeftButton:
                href = self.href_at(event.position().toPoint()) if self._marks else ""
                if href:
                    self.sig_link_activated.emit(href)
            elif kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent) and self._marks:
                link = bool(self.href_at(event.position().toPoint()))
                watched.setCursor(Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor)
        # Tooltips of char formats are shown by the text edit itself (QWidgetTextControl).
        return super().eventFilter(watched, event)

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
        self._marks = []
        with self._quietly():
            self.answer_edit.clear()
        self.on_render()
        self.sig_cleared.emit()

    def _document_text(self) -> str:
        if self._markdown:
            if not self._marks:
                return self.answer_edit.toMarkdown()
            # toMarkdown writes an anchor as [text](href "tooltip"): read a copy without the marks
            copy = self.answer_edit.document().clone(self)
            try:
                self._strip_marks(copy)
                return copy.toMarkdown()
            finally:
                copy.deleteLater()
        return self.answer_edit.toPlainText()

    def _apply_marks(self) -> None:
        """Format each mark's text where it is in the view, in order; called quietly."""
        doc = self.answer_edit.document()
        undo = doc.isUndoRedoEnabled()
        doc.setUndoRedoEnabled(False)  # a mark is not an edit: Ctrl+Z must not take it away
        try:
            flags = QTextDocument.FindFlag.FindCaseSensitively
            position = 0
            for mark in self._marks:
                if not mark.text:
                    continue
                found = doc.find(mark.text, position, flags)
                if found.isNull():
                    found = doc.find(mark.text, 0, flags)
                if found.isNull():
                    continue
                found.mergeCharFormat(self.mark_format(mark))
                position = found.selectionEnd()
        finally:
            doc.setUndoRedoEnabled(undo)

    @staticmethod
    def _strip_marks(doc: QTextDocument, undoable: bool = True) -> None:
        """Take every mark's properties off ``doc``'s text, leaving the user's formatting."""
        spans = []
        block = doc.begin()
        while block.isValid():
            for it in block:
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fragment.isValid() and fmt.hasProperty(MARK_PROPERTY):
                    spans.append((fragment.position(), fragment.position() + fragment.length(), fmt))
            block = block.next()
        if not spans:
            return
        undo = doc.isUndoRedoEnabled()
        if not undoable:
            doc.setUndoRedoEnabled(False)
        try:
            for start, end, fmt in spans:
                for prop in _MARK_PROPERTIES:
                    fmt.clearProperty(prop)
                cursor = QTextCursor(doc)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(fmt)
        finally:
            doc.setUndoRedoEnabled(undo)

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
