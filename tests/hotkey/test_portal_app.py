"""On Wayland the app registers its hotkey with the desktop's GlobalShortcuts portal (a fake one
on a private dbus-daemon, driving the real protocol), and a press reaches the hotkey controller."""

from __future__ import annotations

import pytest

from copilot.core.settings import Settings
from copilot.ui import application
from tests.fake_portal import Control, dbus_daemon, fake_portal, private_bus
from ui.test_main_window import make_window


@pytest.fixture
def bus(monkeypatch):
    if not dbus_daemon():
        pytest.fail("dbus-daemon is missing: install the Debian package `dbus`")
    with private_bus() as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address


def _wayland(monkeypatch, listener_starts: bool = False):
    import copilot.hotkey.listener as listener

    monkeypatch.setattr(listener, "session_kind", lambda: "wayland")
    monkeypatch.setattr(listener.HotkeyListener, "start", lambda self, hotkey: listener_starts)


def test_wayland_hotkey_goes_through_the_portal(qtbot, tmp_path, smol_path, bus, monkeypatch):
    _wayland(monkeypatch)
    window = make_window(qtbot, tmp_path, smol_path, settings=Settings(hotkey="<ctrl>+<alt>+<space>"))
    with fake_portal(bus):
        hotkey = application._setup_hotkey(window, window.runner, window.settings)
        assert hotkey.portal is not None
        control = Control(bus)
        qtbot.waitUntil(lambda: any(c["method"] == "BindShortcuts" for c in control.calls()), timeout=5000)
        (call,) = [c for c in control.calls() if c["method"] == "BindShortcuts"]
        assert "CTRL+ALT+space" in str(call)
        assert "shortcuts portal" in window.hotkey_listener.problem  # what Settings shows
        pressed = []
        monkeypatch.setattr(hotkey.controller, "activate", lambda action=None: pressed.append(action))
        control.activate("main")
        qtbot.waitUntil(lambda: pressed == [None], timeout=5000)
        hotkey.stop()
        control.close()
    window.runner.shutdown()
    window.store.close()


def test_no_portal_leaves_the_trigger_instructions(qtbot, tmp_path, smol_path, bus, monkeypatch):
    _wayland(monkeypatch)
    window = make_window(qtbot, tmp_path, smol_path)
    hotkey = application._setup_hotkey(window, window.runner, window.settings)  # nothing serves the portal
    assert hotkey.portal is None
    hotkey.stop()
    window.runner.shutdown()
    window.store.close()
