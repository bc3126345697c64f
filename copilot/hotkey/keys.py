"""Sending the copy and paste shortcuts to the window that has the focus, and focus itself.

The keys go through pynput's Controller (XTest on X11, SendInput on Windows, Quartz events
on macOS). They are sent only once the user has let go of the hotkey's own modifiers,
or Ctrl+C would arrive as Ctrl+Alt+C. On X11 the active window is read and restored
through EWMH (_NET_ACTIVE_WINDOW) with python-xlib, pynput's own dependency.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)


def wait_for_modifiers_released(timeout_ms: int = 2000) -> bool:
    """Let the event loop run until no modifier key is held (polled every 15 ms)."""
    loop = QEventLoop()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    poll = QTimer()
    poll.setInterval(15)

    def check() -> None:
        if not int(QGuiApplication.queryKeyboardModifiers().value):
            loop.quit()

    poll.timeout.connect(check)
    check()
    if not int(QGuiApplication.queryKeyboardModifiers().value):
        return True
    poll.start()
    deadline.start(timeout_ms)
    loop.exec()
    poll.stop()
    return not int(QGuiApplication.queryKeyboardModifiers().value)


def _shortcut(letter: str) -> None:
    from pynput.keyboard import Controller, Key

    modifier = Key.cmd if sys.platform == "darwin" else Key.ctrl
    keyboard = Controller()
    with keyboard.pressed(modifier):
        keyboard.press(letter)
        keyboard.release(letter)


def send_copy() -> None:
    _shortcut("c")


def send_paste() -> None:
    _shortcut("v")


# -- X11 focus --------------------------------------------------------------------------------
def active_window() -> int | None:
    """The X11 window that has the focus (EWMH), or None elsewhere / when unknown."""
    try:
        from Xlib import X, display

        d = display.Display()
        try:
            root = d.screen().root
            prop = root.get_full_property(d.intern_atom("_NET_ACTIVE_WINDOW"), X.AnyPropertyType)
            return int(prop.value[0]) if prop and prop.value and prop.value[0] else None
        finally:
            d.close()
    except Exception:  # not X11, or no EWMH window manager
        return None


def activate(window: int | None) -> None:
    """Give the focus back to ``window`` (X11, through the window manager)."""
    if not window:
        return
    try:
        from Xlib import X, display, protocol

        d = display.Display()
        try:
            root = d.screen().root
            event = protocol.event.ClientMessage(
                window=d.create_resource_object("window", window), client_type=d.intern_atom("_NET_ACTIVE_WINDOW"),
                data=(32, [2, X.CurrentTime, 0, 0, 0]))  # 2: a pager-like request, honoured at once
            root.send_event(event, event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
            d.sync()
        finally:
            d.close()
    except Exception as exc:
        log.info("could not restore the focus: %s", exc)
