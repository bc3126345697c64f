"""Saving a calendar file the dialogs made, and opening it in the desktop's calendar app (the
desktop's handler for .ics, through QDesktopServices, as the reply's "Open in mail app")."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def save(data: bytes, path: Path) -> tuple[bool, str]:
    """Write ``data`` to ``path``: whether it worked, and the message for the user."""
    from copilot.core.exports import write_atomically

    try:
        write_atomically(path, data)
    except OSError as exc:
        message = QCoreApplication.translate("CalendarFile", "Could not save {0}: {1}")
        return False, message.format(path.name, exc.strerror or exc)
    return True, QCoreApplication.translate("CalendarFile", "Saved {0}.").format(path.name)


def ask_path(parent: QWidget, title: str, name: str) -> Path | None:
    kind = QCoreApplication.translate("CalendarFile", "Calendar (*.ics)")
    path, _ = QFileDialog.getSaveFileName(parent, title, name, kind)
    if not path:
        return None
    return Path(path) if Path(path).suffix else Path(path + ".ics")


def open_in_calendar_app(data: bytes, name: str) -> str:
    """Hand ``data`` as ``name`` to the calendar app; "" when one took it, else what to do."""
    path = Path(tempfile.mkdtemp(prefix="private-copilot-")) / name
    path.write_bytes(data)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return ""
    return QCoreApplication.translate("CalendarFile", "No calendar app opened the file: use Save .ics… and import it.")


class CalendarFileActions:
    """Save .ics… and Open in calendar app for a dialog with ``_ics()`` (the file's bytes, or
    None after saying why in ``status``), ``file_name`` and ``save_title``."""

    file_name = "calendar.ics"
    saved: Path | None = None

    def save_title(self) -> str:
        return QCoreApplication.translate("CalendarFile", "Save the calendar file")

    def save(self, path: Path) -> bool:
        data = self._ics()
        if data is None:
            return False
        ok, message = save(data, path)
        self.status.setText(message)
        if ok:
            self.saved = path
        return ok

    @Slot()
    def save_dialog(self) -> None:
        path = ask_path(self, self.save_title(), self.file_name)
        if path is not None:
            self.save(path)

    @Slot()
    def open_in_calendar(self) -> None:
        data = self._ics()
        if data is not None:
            message = open_in_calendar_app(data, self.file_name)
            if message:
                self.status.setText(message)
