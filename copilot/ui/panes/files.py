"""Opening a document in a pane: a file dialog, or a file dropped anywhere on the pane."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Slot
from PySide6.QtWidgets import QFileDialog, QPlainTextEdit, QTextEdit


class FileDropMixin:
    """For a pane with ``file_suffixes``, ``open_document(path)`` and ``show_message(text)``."""

    file_suffixes: tuple[str, ...] = ()

    def open_document(self, path: Path) -> None:
        """Read ``path`` into the pane; raise DocumentError with a message for the user."""
        raise NotImplementedError

    def load_file(self, path: Path) -> None:
        from copilot.core.documents import DocumentError  # loaded on first use: start-up time

        self.show_message("")  # before: opening may say something of its own (a recording's transcription)
        try:
            self.open_document(path)
        except DocumentError as exc:
            self.show_message(str(exc))

    def enable_drops(self) -> None:
        self.setAcceptDrops(True)
        # Text editors would take a dropped file and paste its path: intercept file drops on
        # them, and leave ordinary text drops alone.
        for child in [*self.findChildren(QPlainTextEdit), *self.findChildren(QTextEdit)]:
            child.viewport().installEventFilter(self)

    def _dropped_path(self, event) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        for url in urls:
            if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in self.file_suffixes:
                return Path(url.toLocalFile())
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.DragEnter, QEvent.DragMove, QEvent.Drop) and self._dropped_path(event):
            event.acceptProposedAction()
            if event.type() == QEvent.Drop:
                self.load_file(self._dropped_path(event))
            return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.load_file(path)

    @Slot()
    def open_file_dialog(self) -> None:
        patterns = " ".join(f"*{s}" for s in self.file_suffixes)
        path, _ = QFileDialog.getOpenFileName(self, QCoreApplication.translate("FileDropMixin", "Open a file"), "",
                                              QCoreApplication.translate("FileDropMixin", "Supported files ({0})").format(patterns))
        if path:
            self.load_file(Path(path))
