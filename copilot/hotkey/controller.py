"""The hotkey's whole round trip: capture the selection, the popup, paste back, restore.

1. Hotkey (or `--trigger`): remember the focused window, wait for the modifiers to be
   released, take the selection: X11's PRIMARY selection if it holds text, else snapshot
   the clipboard (every format), send the copy shortcut and wait for the clipboard to
   change (a signal with a timeout). No change: nothing was selected, the popup asks.
2. The popup streams the rewrite (answer only, never reasoning).
3. Replace: the result goes on the clipboard (marked transient for clipboard managers),
   the original window gets the focus back and the paste shortcut, then the user's own
   clipboard comes back, all formats, if it still holds what we wrote.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QClipboard, QCursor, QGuiApplication

from copilot.hotkey import keys
from copilot.hotkey.clipboard import (ClipboardSnapshot, ClipboardWatcher, holds_ours, primary_selection_text,
                                      write_transient)

log = logging.getLogger(__name__)

COPY_TIMEOUT_MS = 1000  # the copy shortcut's answer: a few ms usually; a busy app (or machine) far more
RESTORE_AFTER_MS = 600  # the target reads the pasted data from us asynchronously; then restore


class HotkeyController(QObject):
    sig_status = Signal(str)  # a message for the user (e.g. "the result is on the clipboard")

    def __init__(self, popup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.popup = popup
        self.target: int | None = None
        self.snapshot: ClipboardSnapshot | None = None
        self._busy = False
        popup.sig_replace.connect(self.paste_back)
        popup.sig_copy.connect(self.copy_result)

    @Slot()
    def activate(self, action: str | None = None) -> None:
        """The hotkey was pressed (or `--trigger ACTION`): capture the selection, open the popup."""
        if self._busy:  # a capture is under way (a second press during the copy): ignore
            return
        self._busy = True
        try:
            pos = QCursor.pos()
            self.target = keys.active_window()
            keys.wait_for_modifiers_released()
            text = self.capture()
        finally:
            self._busy = False
        self.popup.open_for(text, pos)
        if action and text.strip():
            self.popup.start_action(action)

    def capture(self) -> str:
        primary = primary_selection_text()
        if primary and primary.strip():
            return primary
        clipboard = QGuiApplication.clipboard()
        self.snapshot = ClipboardSnapshot.take(QClipboard.Clipboard)
        watcher = ClipboardWatcher(QClipboard.Clipboard)
        try:
            keys.send_copy()
        except Exception as exc:  # no way to send keys (Wayland, permissions): ask for the text
            log.info("could not send the copy shortcut: %s", exc)
            return ""
        if not watcher.wait_for_change(COPY_TIMEOUT_MS):
            return ""  # the clipboard did not change: nothing was selected
        text = clipboard.text(QClipboard.Clipboard)
        self.snapshot.restore(QClipboard.Clipboard)  # the user's clipboard, as it was
        return text

    @Slot(str)
    def paste_back(self, result: str) -> None:
        before = ClipboardSnapshot.take(QClipboard.Clipboard)
        marker = write_transient(result, QClipboard.Clipboard)
        keys.activate(self.target)
        keys.wait_for_modifiers_released()
        try:
            keys.send_paste()
        except Exception as exc:
            log.info("could not send the paste shortcut: %s", exc)
            self.sig_status.emit(self.tr("The result is on the clipboard: paste it with Ctrl+V."))
            return

        def restore() -> None:
            if holds_ours(marker, QClipboard.Clipboard):
                before.restore(QClipboard.Clipboard)

        QTimer.singleShot(RESTORE_AFTER_MS, restore)

    @Slot(str)
    def copy_result(self, result: str) -> None:
        QGuiApplication.clipboard().setText(result, QClipboard.Clipboard)
        self.sig_status.emit(self.tr("Copied."))
