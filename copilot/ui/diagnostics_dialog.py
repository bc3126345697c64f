"""Help ▸ Save diagnostics…: what the bundle holds, each file viewable, then where to save it.

The bundle (core.diagnostics) is built before the dialog opens, so what the user reads here is
exactly what is written: no text of theirs, secrets and home paths redacted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPlainTextEdit,
                               QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from copilot.core.diagnostics import Bundle, DiagnosticsError, default_filename, human_size

PREVIEW_CHARS = 200_000  # of a member shown at once (a log is up to 2 MB)


class DiagnosticsDialog(QDialog):
    def __init__(self, bundle: Bundle, parent: QWidget | None = None, *, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.bundle = bundle
        self.folder = folder or Path.home()
        self.saved: Path | None = None
        self.setWindowTitle(self.tr("Save diagnostics"))
        self.resize(820, 560)
        intro = QLabel(self.tr(
            "These files go into the diagnostics bundle ({0} files, {1}). Select one to read it. Nothing you typed "
            "or the model wrote is included; secrets, your user name and paths in your home folder are redacted."
        ).format(len(bundle.members), human_size(bundle.size)), self)
        intro.setWordWrap(True)
        self.files = QTreeWidget(self)
        self.files.setHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("What")])
        self.files.setRootIsDecorated(False)
        self.files.setAccessibleName(self.tr("Files in the bundle"))
        for m in bundle.members:
            item = QTreeWidgetItem([m.name, human_size(m.size), m.about])
            item.setData(0, Qt.UserRole, m.name)
            item.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            self.files.addTopLevelItem(item)
        for column in range(3):
            self.files.resizeColumnToContents(column)
        self.files.currentItemChanged.connect(self._on_current)
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.preview.setAccessibleName(self.tr("Contents of the selected file"))
        splitter = QSplitter(Qt.Vertical, self)
        splitter.addWidget(self.files)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("&Save…"))
        self.buttons.accepted.connect(self.choose_and_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        if self.files.topLevelItemCount():
            self.files.setCurrentItem(self.files.topLevelItem(0))

    def summary(self) -> str:
        return self.bundle.summary()

    @Slot()
    def _on_current(self) -> None:
        item = self.files.currentItem()
        if item is None:
            self.preview.clear()
            return
        text = self.bundle.member(item.data(0, Qt.UserRole)).data.decode("utf-8", "replace")
        if len(text) > PREVIEW_CHARS:
            text = self.tr("[the last {0} characters of {1}]").format(PREVIEW_CHARS, len(text)) + "\n" \
                + text[-PREVIEW_CHARS:]
        self.preview.setPlainText(text)

    def choose_destination(self) -> str:
        """The file the user picks ("" when they cancel); a method so tests can stand in."""
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save diagnostics"),
                                              str(self.folder / default_filename()), self.tr("Zip files (*.zip)"))
        return path

    @Slot()
    def choose_and_save(self) -> None:
        path = self.choose_destination()
        if path:
            if not path.lower().endswith(".zip"):
                path += ".zip"
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the bundle; a clear message, and the dialog stays open, when that fails."""
        try:
            self.saved = self.bundle.write(path)
        except DiagnosticsError as exc:
            self.show_error(str(exc))
            return False
        self.accept()
        return True

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, self.tr("Save diagnostics"), message)
