"""Global hotkey listeners: pynput on X11, Windows and macOS; `--trigger` everywhere else.

pynput's listener runs on its own thread; its callback only emits a Qt signal (queued to
the GUI thread) and nothing else happens there. pynput's GlobalHotKeys already ignores
events that were injected (by us, sending Ctrl+C / Ctrl+V). On Wayland, ordinary apps
cannot grab global keys: the user binds `private-copilot --trigger` in the desktop's own
shortcut settings, and it reaches the running app over the single-instance channel.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

DEFAULT_HOTKEY = "<ctrl>+<alt>+<space>"


def session_kind() -> str:
    """"x11", "wayland", "windows", "macos" or "none" (no display at all)."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    return "x11" if os.environ.get("DISPLAY") else "none"


def check_hotkey(text: str) -> str:
    """pynput's spelling of a hotkey, validated; ValueError with a message if it is not one."""
    try:
        from pynput.keyboard import HotKey

        HotKey.parse(text)
    except ImportError:  # no display to validate against: check the shape only
        if not text or "++" in text:
            raise ValueError(f"{text!r} is not a key combination") from None
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a key combination ({exc})") from None
    return text


class HotkeyListener(QObject):
    """Emits sig_activated (on the GUI thread) when the hotkey is pressed anywhere."""

    sig_activated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._listener = None
        self.backend = "none"
        self.problem = ""  # why the hotkey is not listened to, for Settings to show

    def start(self, hotkey: str) -> bool:
        """Listen for ``hotkey`` (pynput spelling, e.g. "<ctrl>+<alt>+<space>")."""
        self.stop()
        kind = session_kind()
        if kind in ("wayland", "none"):
            self.backend = "trigger"
            self.problem = (
                "Global hotkeys are not available to apps on Wayland. Bind the command "
                "`private-copilot --trigger` to a shortcut in your desktop's keyboard settings."
                if kind == "wayland" else "No display: the hotkey cannot be listened to.")
            return False
        try:
            from pynput import keyboard

            self._listener = keyboard.GlobalHotKeys({check_hotkey(hotkey): self.sig_activated.emit})
            self._listener.daemon = True
            self._listener.start()
        except Exception as exc:  # no X connection, no RECORD extension, no macOS permission…
            log.warning("hotkey listener could not start: %s", exc)
            self._listener = None
            self.backend = "trigger"
            self.problem = (f"The hotkey could not be set up ({exc}). "
                            + ("On macOS, allow Private Copilot in System Settings ▸ Privacy & Security ▸ "
                               "Accessibility and Input Monitoring, then restart it." if kind == "macos" else
                               "Bind `private-copilot --trigger` to a shortcut in your desktop's settings instead."))
            return False
        self.backend, self.problem = kind, ""
        return True

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None


# -- Qt's key sequences <-> pynput's hotkey spelling (Settings edits the former) ---------------
_QT_TO_PYNPUT = {"ctrl": "<ctrl>", "alt": "<alt>", "shift": "<shift>", "meta": "<cmd>", "space": "<space>",
                 "return": "<enter>", "enter": "<enter>", "tab": "<tab>", "esc": "<esc>", "ins": "<insert>",
                 "del": "<delete>", "home": "<home>", "end": "<end>", "pgup": "<page_up>", "pgdown": "<page_down>",
                 "up": "<up>", "down": "<down>", "left": "<left>", "right": "<right>", "backspace": "<backspace>"}
_PYNPUT_TO_QT = {v: k.capitalize() for k, v in _QT_TO_PYNPUT.items() if k not in ("enter",)}
_PYNPUT_TO_QT.update({"<ctrl>": "Ctrl", "<cmd>": "Meta", "<enter>": "Return", "<page_up>": "PgUp",
                      "<page_down>": "PgDown", "<esc>": "Esc", "<insert>": "Ins", "<delete>": "Del"})


def to_pynput(portable: str) -> str:
    """"Ctrl+Alt+Space" (QKeySequence.PortableText) -> "<ctrl>+<alt>+<space>"."""
    parts = []
    for part in portable.split("+"):
        key = part.strip().lower()
        if not key:
            raise ValueError(f"{portable!r} is not a key combination")
        if key in _QT_TO_PYNPUT:
            parts.append(_QT_TO_PYNPUT[key])
        elif len(key) > 1 and key[0] == "f" and key[1:].isdigit():
            parts.append(f"<{key}>")
        elif len(key) == 1:
            parts.append(key)
        else:
            raise ValueError(f"the key {part!r} cannot be a global hotkey")
    if len(parts) < 2:
        raise ValueError("a global hotkey needs at least one modifier (Ctrl, Alt, Shift or Meta)")
    return "+".join(parts)


def from_pynput(hotkey: str) -> str:
    """"<ctrl>+<alt>+<space>" -> "Ctrl+Alt+Space" (for QKeySequence.fromString)."""
    out = []
    for part in hotkey.split("+"):
        if part in _PYNPUT_TO_QT:
            out.append(_PYNPUT_TO_QT[part])
        elif part.startswith("<f") and part[2:-1].isdigit():
            out.append(part[1:-1].upper())
        else:
            out.append(part.upper() if len(part) == 1 else part.strip("<>").capitalize())
    return "+".join(out)
