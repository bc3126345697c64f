"""A fake org.freedesktop.portal.Desktop (the GlobalShortcuts subset) on a private bus.

`python -m tests.fake_portal ADDRESS [--version N] [--mode ok|deny|cancel|conflict]`
serves, in its own process, what the app's client talks to over the real D-Bus wire
protocol: CreateSession / BindShortcuts / ListShortcuts (answered through Request.Response
signals), ConfigureShortcuts (version 2), Session.Close, and the `version` property.
A control interface (org.privatecopilot.FakePortal on /control) lets a test read the
calls it received (as JSON), emit Activated for a shortcut id, or change the mode.

It is written with jeepney, as the client is: PySide6's QDBusArgument cannot build the
a(sa{sv}) that BindShortcuts takes (there is no qDBusRegisterMetaType from Python).

`private_bus()` starts a `dbus-daemon` with a temporary config: no service directories,
so nothing on the machine (a real xdg-desktop-portal) can be activated behind a test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DESKTOP = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
GLOBAL_SHORTCUTS = "org.freedesktop.portal.GlobalShortcuts"
CONTROL = "org.privatecopilot.FakePortal"
CONTROL_PATH = "/control"

_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def dbus_daemon() -> str | None:
    return shutil.which("dbus-daemon")


@contextlib.contextmanager
def private_bus():
    """A fresh session-type bus; yields its address. The daemon is killed afterwards."""
    with tempfile.TemporaryDirectory(prefix="copilot-bus-") as tmp:
        config = Path(tmp) / "bus.conf"
        config.write_text(_CONFIG.format(dir=tmp))
        proc = subprocess.Popen([dbus_daemon() or "dbus-daemon", f"--config-file={config}", "--print-address",
                                 "--nofork"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            address = proc.stdout.readline().strip()
            if not address:
                raise RuntimeError("dbus-daemon printed no address")
            yield address
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()


@contextlib.contextmanager
def fake_portal(address: str, *, version: int = 1, mode: str = "ok"):
    """Runs the fake in a subprocess on ``address`` until the block ends; yields a Control."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "tests.fake_portal", address, "--version", str(version),
                             "--mode", mode], cwd=root, stdout=subprocess.PIPE, text=True)
    control = None
    try:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the fake portal did not start")
        control = Control(address)
        yield control
    finally:
        if control is not None:
            control.close()
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()


class Control:
    """The test's side of the fake's control interface (a blocking jeepney connection)."""

    def __init__(self, address: str) -> None:
        from jeepney import DBusAddress
        from jeepney.io.blocking import open_dbus_connection

        self._conn = open_dbus_connection(bus=address)
        self._addr = DBusAddress(CONTROL_PATH, bus_name=DESKTOP, interface=CONTROL)

    def _call(self, method: str, signature: str | None = None, body: tuple = ()):
        from jeepney import new_method_call
        from jeepney.wrappers import unwrap_msg

        return unwrap_msg(self._conn.send_and_get_reply(new_method_call(self._addr, method, signature, body),
                                                        timeout=5))

    def calls(self) -> list[dict]:
        return json.loads(self._call("Calls")[0])

    def wait_for_call(self, method: str, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.calls() if c["method"] == method]
            if found:
                return found[-1]
            time.sleep(0.02)  # the test process, not a GUI thread
        raise AssertionError(f"the fake portal received no {method} call: {self.calls()}")

    def activate(self, shortcut_id: str) -> None:
        self._call("Activate", "s", (shortcut_id,))

    def set_mode(self, mode: str) -> None:
        self._call("SetMode", "s", (mode,))

    def close(self) -> None:
        self._conn.close()


# -- the service ---------------------------------------------------------------------------------
class FakePortal:
    def __init__(self, conn, version: int, mode: str) -> None:
        self.conn, self.version, self.mode = conn, version, mode
        self.calls: list[dict] = []
        self.sessions: list[str] = []
        self.bound: dict[str, list] = {}  # session -> the shortcuts (with trigger descriptions)

    # helpers
    def _request_path(self, msg, options: dict) -> str:
        from jeepney.low_level import HeaderFields

        sender = msg.header.fields[HeaderFields.sender].lstrip(":").replace(".", "_")
        token = options.get("handle_token", ("s", f"t{len(self.calls)}"))[1]
        return f"{PATH}/request/{sender}/{token}"

    def _respond(self, request: str, response: int, results: dict) -> None:
        from jeepney import DBusAddress, new_signal

        self.conn.send(new_signal(DBusAddress(request, interface="org.freedesktop.portal.Request"), "Response",
                                  "ua{sv}", (response, results)))

    def _trigger_description(self, preferred: str) -> str:
        return "+".join(p.capitalize() for p in preferred.split("+"))  # what GNOME shows: "Ctrl+Alt+Space"

    def handle(self, msg) -> None:
        from jeepney import new_error, new_method_return
        from jeepney.low_level import HeaderFields, MessageType

        if msg.header.message_type != MessageType.method_call:
            return
        fields = msg.header.fields
        iface, member, path = fields.get(HeaderFields.interface), fields[HeaderFields.member], fields[HeaderFields.path]
        body = msg.body
        reply = lambda sig=None, b=(): self.conn.send(new_method_return(msg, sig, b))  # noqa: E731
        if iface == "org.freedesktop.DBus.Properties" and member in ("Get", "GetAll") and path == PATH:
            if body[0] != GLOBAL_SHORTCUTS:
                return self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownInterface", "s",
                                                (f"no interface {body[0]}",)))
            if member == "Get":
                return reply("v", (("u", self.version),))
            return reply("a{sv}", ({"version": ("u", self.version)},))
        if iface == "org.freedesktop.DBus.Introspectable" and member == "Introspect":
            return reply("s", (f'<node><interface name="{GLOBAL_SHORTCUTS}"/></node>',))
        if path == CONTROL_PATH and iface in (CONTROL, None):
            if member == "Calls":
                return reply("s", (json.dumps(self.calls),))
            if member == "SetMode":
                self.mode = body[0]
                return reply()
            if member == "Activate":
                from jeepney import DBusAddress, new_signal

                emitter = DBusAddress(PATH, interface=GLOBAL_SHORTCUTS)
                for session in self.sessions:
                    self.conn.send(new_signal(emitter, "Activated", "osta{sv}", (session, body[0], 1234, {})))
                    self.conn.send(new_signal(emitter, "Deactivated", "osta{sv}", (session, body[0], 1240, {})))
                return reply()
        if iface == "org.freedesktop.portal.Session" and member == "Close":
            self.calls.append({"method": "Close", "session": path})
            if path in self.sessions:
                self.sessions.remove(path)
            return reply()
        if iface == GLOBAL_SHORTCUTS and path == PATH:
            return self._global_shortcuts(msg, member, body, reply)
        self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no method {member}",)))

    def _global_shortcuts(self, msg, member: str, body: tuple, reply) -> None:
        from jeepney import new_error

        if member == "CreateSession":
            options = body[0]
            request = self._request_path(msg, options)
            sender = request.split("/")[-2]
            session = f"{PATH}/session/{sender}/{options['session_handle_token'][1]}"
            self.sessions.append(session)
            self.calls.append({"method": "CreateSession", "options": {k: v[1] for k, v in options.items()}})
            reply("o", (request,))
            return self._respond(request, 0, {"session_handle": ("s", session)})  # the spec says o; portals send s
        if member == "BindShortcuts":
            session, shortcuts, parent, options = body
            request = self._request_path(msg, options)
            self.calls.append({"method": "BindShortcuts", "session": session, "parent_window": parent,
                               "shortcuts": [[sid, {k: v[1] for k, v in props.items()}] for sid, props in shortcuts]})
            reply("o", (request,))
            if self.mode in ("deny", "cancel"):
                return self._respond(request, 2 if self.mode == "deny" else 1, {})
            bound = []
            for index, (sid, props) in enumerate(shortcuts):
                preferred = props.get("preferred_trigger", ("s", ""))[1]
                taken = self.mode == "conflict" and index == 0  # another app holds the first one's keys
                bound.append((sid, {"description": props.get("description", ("s", "")),
                                    "trigger_description": ("s", "" if taken else
                                                            self._trigger_description(preferred))}))
            self.bound[session] = bound
            return self._respond(request, 0, {"shortcuts": ("a(sa{sv})", bound)})
        if member == "ListShortcuts":
            session, options = body
            request = self._request_path(msg, options)
            self.calls.append({"method": "ListShortcuts", "session": session})
            reply("o", (request,))
            return self._respond(request, 0, {"shortcuts": ("a(sa{sv})", self.bound.get(session, []))})
        if member == "ConfigureShortcuts" and self.version >= 2:
            session, parent, options = body
            self.calls.append({"method": "ConfigureShortcuts", "session": session, "parent_window": parent})
            return reply()
        self.conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no method {member}",)))


def main(argv: list[str] | None = None) -> int:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("address")
    parser.add_argument("--version", type=int, default=int(os.environ.get("FAKE_PORTAL_VERSION", "1")))
    parser.add_argument("--mode", default=os.environ.get("FAKE_PORTAL_MODE", "ok"),
                        choices=("ok", "deny", "cancel", "conflict"))
    args = parser.parse_args(argv)
    conn = open_dbus_connection(bus=args.address)
    reply = conn.send_and_get_reply(message_bus.RequestName(DESKTOP, 4))  # 4: do not queue
    if reply.body[0] != 1:
        print("name taken", flush=True)
        return 1
    portal = FakePortal(conn, args.version, args.mode)
    print("ready", flush=True)
    try:
        while True:
            portal.handle(conn.receive())
    except (KeyboardInterrupt, ConnectionError, OSError):
        return 0


if __name__ == "__main__":
    sys.exit(main())
