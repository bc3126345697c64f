"""The notes or transcript editor of the Meeting pane: plain text, with each line's time in a
gutter when the text came from a recording or subtitles.

A line's time lives in its text block (``QTextBlock.userState``, milliseconds; -1: none), so it
survives the user's edits: fixing a name, a word, a whole line. A line the user adds has no
time; the minutes cite it without one.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QTextBlock, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from copilot.core.documents import split_speaker
from copilot.core.evidence import format_time

NO_TIME = -1


class _Gutter(QWidget):
    def __init__(self, editor: "TranscriptEditor") -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event) -> None:
        self.editor.paint_gutter(self, event)


class TranscriptEditor(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gutter = _Gutter(self)
        self._timed = False
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._update_gutter)
        self._update_margins()

    # -- times -------------------------------------------------------------------------------
    def set_lines(self, lines: list[str], starts: list[float | None] | None = None) -> None:
        """Replace the text with ``lines``, each with its start time (seconds) when known."""
        self.setPlainText("\n".join(lines))
        self.set_starts(starts or [])

    def set_starts(self, starts: list[float | None]) -> None:
        block = self.document().firstBlock()
        i = 0
        while block.isValid():
            start = starts[i] if i < len(starts) else None
            block.setUserState(NO_TIME if start is None else int(round(start * 1000)))
            block = block.next()
            i += 1
        self._set_timed(any(s is not None for s in starts))

    def append_line(self, text: str, start: float | None) -> None:
        """A line at the end (a transcript arriving as it is made), the view following it when
        the user was at the end already."""
        bar = self.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        empty = doc.blockCount() == 1 and not doc.firstBlock().text()
        if not empty:
            cursor.insertBlock()
        cursor.insertText(text)
        cursor.block().setUserState(NO_TIME if start is None else int(round(start * 1000)))
        if start is not None:
            self._set_timed(True)
        if at_end:
            bar.setValue(bar.maximum())

    def starts(self) -> list[float | None]:
        out = []
        block = self.document().firstBlock()
        while block.isValid():
            out.append(None if block.userState() < 0 else block.userState() / 1000)
            block = block.next()
        return out

    def timed(self) -> bool:
        return any(s is not None for s in self.starts())

    def _set_timed(self, timed: bool) -> None:
        if timed != self._timed:
            self._timed = timed
            self._update_margins()
        self._gutter.update()

    # -- speakers ----------------------------------------------------------------------------
    def speakers(self) -> list[str]:
        """The names that start lines ("Marta: …", "Speaker 1: …"), in order of first appearance."""
        names: dict[str, None] = {}
        block = self.document().firstBlock()
        while block.isValid():
            said = split_speaker(block.text())
            if said:
                names[said[0]] = None
            block = block.next()
        return list(names)

    def rename_speaker(self, old: str, new: str) -> int:
        """Every line of ``old`` becomes ``new``'s, the times kept; one undo step. Returns how many."""
        new = new.strip()
        if not new or new == old:
            return 0
        count = 0
        edit = QTextCursor(self.document())
        edit.beginEditBlock()
        block = self.document().firstBlock()
        while block.isValid():
            said = split_speaker(block.text())
            if said and said[0] == old:
                at = block.position() + block.text().find(old)
                cursor = QTextCursor(block)
                cursor.setPosition(at)
                cursor.setPosition(at + len(old), QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(new)
                count += 1
            block = block.next()
        edit.endEditBlock()
        return count

    # -- the gutter --------------------------------------------------------------------------
    def gutter_width(self) -> int:
        if not self._timed:
            return 0
        return self.fontMetrics().horizontalAdvance("00:00:00") + 12

    def _update_margins(self, *_args) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)
        self._gutter.setVisible(self._timed)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def paint_gutter(self, widget: QWidget, event) -> None:
        painter = QPainter(widget)
        pal = self.palette()
        painter.fillRect(event.rect(), pal.color(QPalette.ColorRole.AlternateBase))
        color = QColor(pal.color(QPalette.ColorRole.Text))
        color.setAlpha(150)
        painter.setPen(color)
        block: QTextBlock = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        while block.isValid() and top <= event.rect().bottom():
            height = round(self.blockBoundingRect(block).height())
            if block.isVisible() and block.userState() >= 0:
                painter.drawText(0, top, widget.width() - 6, self.fontMetrics().height(),
                                 Qt.AlignmentFlag.AlignRight, _stamp(block.userState() / 1000))
            top += height
            block = block.next()
        painter.end()


def _stamp(seconds: float) -> str:
    text = format_time(seconds)
    return text or ""
