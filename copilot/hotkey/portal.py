"""Wayland global shortcuts through the XDG desktop portal (org.freedesktop.portal.GlobalShortcuts).

GNOME 48+ and KDE Plasma 6 let an app register named shortcuts; the desktop binds the keys
(in its own dialog) and sends Activated when they are pressed. Every portal call answers
with a Request object whose Response signal carries the result: we subscribe to it before
calling, as the spec advises, and everything is asynchronous on the GUI thread.

The D-Bus side is jeepney (already installed on Linux with keyring) read through a
QSocketNotifier, not QtDBus: PySide6's QDBusArgument cannot marshal BindShortcuts'
a(sa{sv}) (that needs qDBusRegisterMetaType, which Python cannot reach; libdbus aborts),
and a portal session belongs to the one connection that created it.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

log = logging.getLogger(__name__)

DESKTOP = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
GLOBAL_SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
TRIGGER_HINT = "private-copilot --trigger"

# pynput's names -> the XDG shortcuts spec (modifiers upper case, keys as xkb keysym names)
_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "cmd": "LOGO", "super": "LOGO"}
_KEYS = {"space": "space", "enter": "Return", "tab": "Tab", "esc": "Escape", "insert": "Insert",
         "delete": "Delete", "home": "Home", "end": "End", "page_up": "Page_Up", "page_down": "Page_Down",
         "up": "Up", "down": "Down", "left": "Left", "right": "Right", "backspace": "BackSpace"}


def to_xdg_trigger(hotkey: str) -> str:
    """"<ctrl>+<alt>+<space>" (pynput, as stored in Settings) -> "CTRL+ALT+space"."""
    mods, keys = [], []
    for part in hotkey.split("+"):
        name = part.strip()
        if not name:
            raise ValueError(f"{hotkey!r} is not a key combination")
        if name.startswith("<") and name.endswith(">"):
            name = name[1:-1].lower()
            base = name.removesuffix("_l").removesuffix("_r")
            if base in _MODIFIERS:
                mods.append(_MODIFIERS[base])
            elif name in _KEYS:
                keys.append(_KEYS[name])
            elif name[0] == "f" and name[1:].isdigit():
                keys.append(name.upper())
            else:
                raise ValueError(f"the key <{name}> has no XDG shortcut name")
        elif len(name) == 1:
            keys.append(name.lower())
        else:
            raise ValueError(f"{part!r} is not a key")
    if len(keys) != 1:
        raise ValueError(f"{hotkey!r} needs exactly one key besides its modifiers")
    return "+".join([*dict.fromkeys(mods), keys[0]])


def suggest_alternative(trigger: str) -> str:
    """Another XDG trigger to try when ``trigger`` is taken: add Shift (or, having it, Logo)."""
    *mods, key = trigger.split("+")
    extra = "SHIFT" if "SHIFT" not in mods else "LOGO" if "LOGO" not in mods else None
    return "+".join([*mods, extra, key]) if extra else "CTRL+ALT+SHIFT+F12"


def readable(trigger: str) -> str:
    """"CTRL+ALT+space" -> "Ctrl+Alt+Space", for messages."""
    words = {"LOGO": "Super", "Return": "Enter", "Escape": "Esc", "Page_Up": "PgUp", "Page_Down": "PgDown"}
    return "+".join(words.get(p, p if len(p) > 1 and p[0] == "F" and p[1:].isdigit() else p.capitalize())
                    for p in trigger.split("+"))


def describe_hotkey_support(session_kind: str, portal_available: bool) -> str:
    """The Settings note: which way the global hotkey reaches the app on this desktop."""
    if session_kind in ("x11", "windows", "macos"):
        return "The global hotkey works everywhere on this desktop; change it above."
    if session_kind == "wayland" and portal_available:
        return ("On Wayland the shortcuts are registered with your desktop through its shortcuts portal: "
                "the desktop asks you to confirm them and binds the keys. Use “Configure shortcuts” "
                "(or your desktop's keyboard settings) to change them.")
    if session_kind == "wayland":
        return ("Your desktop has no global shortcuts portal, so apps cannot register hotkeys on Wayland. "
                f"Bind the command `{TRIGGER_HINT}` to a shortcut in your desktop's keyboard settings "
                f"(`{TRIGGER_HINT} ACTION` runs an action at once).")
    return f"No display: the hotkey cannot be listened to. `{TRIGGER_HINT}` still reaches a running app."


class PortalShortcuts(QObject):
    """Registers shortcuts with the desktop's GlobalShortcuts portal and reports their presses.

    ``start({"main": ("Open Private Copilot", "<ctrl>+<alt>+<space>"), ...})`` (pynput or XDG
    spelling). ``address`` is a D-Bus address (tests use a private bus); None: the session bus.
    """

    sig_bound = Signal(dict)  # shortcut id -> the desktop's description of its keys ("" = not bound)
    sig_problem = Signal(str)  # a message for the user, with a suggestion
    sig_activated = Signal(str)  # shortcut id

    def __init__(self, parent: QObject | None = None, address: str | None = None) -> None:
        super().__init__(parent)
        self.address = address
        self.version = 0
        self.session = ""
        self.bound: dict[str, str] = {}
        self.problem = ""
        self._conn = None
        self._notifier: QSocketNotifier | None = None
        self._replies: dict[int, Callable] = {}  # serial -> what to do with the method's reply
        self._requests: dict[str, Callable] = {}  # request path -> what to do with its Response
        self._backlog: list = []
        self._shortcuts: dict[str, tuple[str, str]] = {}

    # -- connection -----------------------------------------------------------------------------
    def _connect(self) -> bool:
        if self._conn is not None:
            return True
        try:
            from jeepney.io.blocking import open_dbus_connection

            self._conn = open_dbus_connection(bus=self.address or "SESSION", auth_timeout=2.0)
        except Exception as exc:  # no jeepney, no bus, refused
            log.info("no D-Bus session bus: %s", exc)
            return False
        return True

    def _send(self, message, on_reply: Callable | None = None) -> None:
        serial = next(self._conn.outgoing_serial)
        if on_reply is not None:
            self._replies[serial] = on_reply
        self._conn.send(message, serial=serial)

    def _call_sync(self, message, timeout: float = 2.0):
        """A blocking call (only `available()`, before anything else): other messages are kept."""
        from jeepney.low_level import HeaderFields

        serial = next(self._conn.outgoing_serial)
        self._conn.send(message, serial=serial)
        while True:
            reply = self._conn.receive(timeout=timeout)
            if reply.header.fields.get(HeaderFields.reply_serial) == serial:
                return reply
            self._backlog.append(reply)

    def _watch(self) -> None:
        if self._notifier is None:
            self._conn.sock.setblocking(False)
            self._notifier = QSocketNotifier(self._conn.sock.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._on_readable)
        if self._backlog:
            QTimer.singleShot(0, self._drain_backlog)

    def _drain_backlog(self) -> None:
        backlog, self._backlog = self._backlog, []
        for msg in backlog:
            self._dispatch(msg)

    def _on_readable(self) -> None:
        try:
            data = self._conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            data = b""
            log.info("portal connection failed: %s", exc)
        if not data:  # the bus went away
            self._drop_connection()
            return
        self._conn.parser.add_data(data)
        while (msg := self._conn.parser.get_next_message()) is not None:
            self._dispatch(msg)

    def _dispatch(self, msg) -> None:
        from jeepney.low_level import HeaderFields, MessageType

        fields, kind = msg.header.fields, msg.header.message_type
        if kind in (MessageType.method_return, MessageType.error):
            handler = self._replies.pop(fields.get(HeaderFields.reply_serial), None)
            if handler is not None:
                handler(msg)
            return
        if kind != MessageType.signal:
            return
        iface, member, path = fields.get(HeaderFields.interface), fields.get(HeaderFields.member), \
            fields.get(HeaderFields.path)
        if iface == "org.freedesktop.portal.Request" and member == "Response":
            handler = self._requests.pop(path, None)
            if handler is not None:
                handler(*msg.body)
        elif iface == GLOBAL_SHORTCUTS and member == "Activated":
            if msg.body[0] == self.session:
                self.sig_activated.emit(msg.body[1])
        elif iface == GLOBAL_SHORTCUTS and member == "ShortcutsChanged":
            if msg.body[0] == self.session:
                self._on_shortcuts(msg.body[1], changed=True)

    def _drop_connection(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._conn is not None:
            with _quiet():
                self._conn.close()
            self._conn = None
        self._replies.clear()
        self._requests.clear()
        self.session = ""

    def _add_match(self, rule: str) -> None:
        from jeepney.bus_messages import message_bus

        self._send(message_bus.AddMatch(rule))

    def _portal_call(self, method: str, signature: str, body: tuple, on_response: Callable,
                     token: str) -> None:
        """Calls a portal method that answers through a Request (whose Response we await first)."""
        from jeepney import DBusAddress, new_method_call

        sender = self._conn.unique_name.lstrip(":").replace(".", "_")
        request = f"{PATH}/request/{sender}/{token}"
        self._add_match(f"type='signal',interface='org.freedesktop.portal.Request',member='Response',"
                        f"path='{request}'")
        self._requests[request] = on_response

        def on_reply(msg) -> None:
            from jeepney.low_level import MessageType

            if msg.header.message_type == MessageType.error:
                self._requests.pop(request, None)
                self._fail(f"The desktop's shortcuts portal refused {method}: "
                           f"{msg.body[0] if msg.body else msg.header.fields}.")
                return
            handle = msg.body[0]
            if handle != request:  # an old portal chose its own path: follow it
                self._requests[handle] = self._requests.pop(request, on_response)
                self._add_match(f"type='signal',interface='org.freedesktop.portal.Request',"
                                f"member='Response',path='{handle}'")

        self._send(new_method_call(DBusAddress(PATH, bus_name=DESKTOP, interface=GLOBAL_SHORTCUTS), method,
                                   signature, body), on_reply)

    # -- API ------------------------------------------------------------------------------------
    def available(self) -> bool:
        """The portal runs on this bus and offers GlobalShortcuts (read: its version property)."""
        if not self._connect():
            return False
        try:
            from jeepney import DBusAddress, Properties
            from jeepney.low_level import MessageType

            reply = self._call_sync(Properties(DBusAddress(PATH, bus_name=DESKTOP, interface=GLOBAL_SHORTCUTS))
                                    .get("version"))
        except Exception as exc:  # timeout, connection lost
            log.info("shortcuts portal: no answer (%s)", exc)
            return False
        if reply.header.message_type == MessageType.error:
            log.info("shortcuts portal unavailable: %s", reply.body[0] if reply.body else "error")
            self.version = 0
            return False
        self.version = int(reply.body[0][1])
        return True

    def start(self, shortcuts: dict[str, tuple[str, str]]) -> bool:
        """CreateSession, then BindShortcuts; results come as sig_bound / sig_problem."""
        self.stop()
        if not self._connect() or (not self.version and not self.available()):
            self.problem = describe_hotkey_support("wayland", False)
            return False
        try:
            self._shortcuts = {sid: (description, to_xdg_trigger(trigger) if "<" in trigger else trigger)
                               for sid, (description, trigger) in shortcuts.items()}
        except ValueError as exc:
            self._fail(f"The shortcut cannot be registered: {exc}. Choose another combination in Settings.")
            return False
        self._watch()
        self._add_match(f"type='signal',interface='{GLOBAL_SHORTCUTS}',path='{PATH}'")
        token = f"copilot_{uuid.uuid4().hex[:12]}"
        self._portal_call("CreateSession", "a{sv}",
                          ({"handle_token": ("s", token), "session_handle_token": ("s", f"{token}_session")},),
                          self._on_session, token)
        return True

    def _on_session(self, response: int, results: dict) -> None:
        if response != 0:
            self._fail("The desktop did not open a shortcuts session"
                       + (" (cancelled)." if response == 1 else ".")
                       + f" Restart Private Copilot to try again, or bind `{TRIGGER_HINT}` in your "
                         "desktop's keyboard settings.")
            return
        self.session = str(results.get("session_handle", ("o", ""))[1])
        shortcuts = [(sid, {"description": ("s", description), "preferred_trigger": ("s", trigger)})
                     for sid, (description, trigger) in self._shortcuts.items()]
        token = f"copilot_{uuid.uuid4().hex[:12]}"
        self._portal_call("BindShortcuts", "oa(sa{sv})sa{sv}",
                          (self.session, shortcuts, "", {"handle_token": ("s", token)}), self._on_bound, token)

    def _on_bound(self, response: int, results: dict) -> None:
        if response != 0:
            names = ", ".join(f"“{d}” ({readable(t)})" for d, t in self._shortcuts.values())
            first = next(iter(self._shortcuts.values()), ("", "CTRL+ALT+space"))[1]
            why = "you cancelled the desktop's dialog" if response == 1 else \
                "the desktop refused them (the keys may already be used by another app)"
            self._fail(f"The shortcuts {names} were not registered: {why}. Choose another combination, "
                       f"such as {readable(suggest_alternative(first))}, in Settings, or bind "
                       f"`{TRIGGER_HINT}` in your desktop's keyboard settings.")
            return
        self._on_shortcuts(results.get("shortcuts", ("a(sa{sv})", []))[1])

    def _on_shortcuts(self, shortcuts: list, changed: bool = False) -> None:
        self.bound = {sid: str(props.get("trigger_description", ("s", ""))[1]) for sid, props in shortcuts}
        missing = [sid for sid in self._shortcuts if not self.bound.get(sid)]
        self.problem = ""
        self.sig_bound.emit(dict(self.bound))
        if missing and not changed:
            names = ", ".join(f"“{self._shortcuts[s][0]}” ({readable(self._shortcuts[s][1])})" for s in missing)
            first = self._shortcuts[missing[0]][1]
            self._fail(f"The desktop could not bind {names}: the keys may already be taken. Try "
                       f"{readable(suggest_alternative(first))} instead, or pick keys in "
                       + ("“Configure shortcuts”." if self.version >= 2 else "your desktop's keyboard settings."))

    def _fail(self, message: str) -> None:
        self.problem = message
        log.info("shortcuts portal: %s", message)
        self.sig_problem.emit(message)

    def configure(self) -> str:
        """Opens the desktop's own binding dialog (portal version 2); else says where to bind."""
        if self._conn is None or not self.session:
            return "The shortcuts are not registered with the desktop: bind them in your desktop's keyboard settings."
        if self.version < 2:
            return ("Your desktop binds these shortcuts in its own keyboard settings "
                    "(Settings ▸ Keyboard ▸ Shortcuts on GNOME, System Settings ▸ Shortcuts on KDE).")
        from jeepney import DBusAddress, new_method_call

        self._send(new_method_call(DBusAddress(PATH, bus_name=DESKTOP, interface=GLOBAL_SHORTCUTS),
                                   "ConfigureShortcuts", "osa{sv}", (self.session, "", {})), self._on_configured)
        return ""

    def _on_configured(self, msg) -> None:
        from jeepney.low_level import MessageType

        if msg.header.message_type == MessageType.error:
            self._fail("The desktop could not open its shortcuts dialog: change the keys in its keyboard settings.")

    def stop(self) -> None:
        """Closes the session (the desktop forgets the shortcuts' activations) and the connection."""
        if self._conn is not None and self.session:
            from jeepney import DBusAddress, new_method_call

            with _quiet():
                self._conn.sock.setblocking(True)
                self._conn.send(new_method_call(DBusAddress(self.session, bus_name=DESKTOP,
                                                            interface="org.freedesktop.portal.Session"), "Close"))
        self._drop_connection()  # also the one available() opened: no socket is left behind
        self.session = ""


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return exc_type is not None and issubclass(exc_type, (OSError, socket.error, ValueError))

