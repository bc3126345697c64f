"""The GlobalShortcuts portal client against a fake portal on a private dbus-daemon."""

from __future__ import annotations

import os

import pytest

from copilot.hotkey.portal import PortalShortcuts, describe_hotkey_support, suggest_alternative, to_xdg_trigger
from tests.fake_portal import dbus_daemon, fake_portal, private_bus

needs_bus = pytest.mark.skipif(not dbus_daemon() and not os.environ.get("CI"),
                               reason="dbus-daemon is not installed (Debian package `dbus`)")

SHORTCUTS = {"main": ("Open Private Copilot", "<ctrl>+<alt>+<space>"),
             "proofread": ("Proofread the selection", "<ctrl>+<alt>+p")}


@pytest.fixture
def bus():
    if not dbus_daemon():
        pytest.fail("dbus-daemon is missing on CI: install the Debian package `dbus`")
    with private_bus() as address:
        yield address


@pytest.fixture
def client(bus, qapp):
    portal = PortalShortcuts(address=bus)
    yield portal
    portal.stop()
    portal._drop_connection()


def test_to_xdg_trigger():
    assert to_xdg_trigger("<ctrl>+<alt>+<space>") == "CTRL+ALT+space"
    assert to_xdg_trigger("<ctrl>+<shift>+a") == "CTRL+SHIFT+a"
    assert to_xdg_trigger("<cmd>+<f5>") == "LOGO+F5"
    assert to_xdg_trigger("<alt_l>+<enter>") == "ALT+Return"
    assert to_xdg_trigger("<ctrl>+<page_down>") == "CTRL+Page_Down"
    with pytest.raises(ValueError):
        to_xdg_trigger("<ctrl>+<alt>")
    with pytest.raises(ValueError):
        to_xdg_trigger("<ctrl>+<nonsense>")
    assert suggest_alternative("CTRL+ALT+space") == "CTRL+ALT+SHIFT+space"


def test_describe_hotkey_support():
    assert "works" in describe_hotkey_support("x11", False)
    assert "portal" in describe_hotkey_support("wayland", True)
    assert "private-copilot --trigger" in describe_hotkey_support("wayland", False)
    assert "private-copilot --trigger" not in describe_hotkey_support("wayland", True)


@needs_bus
def test_bind_then_activate(bus, client, qtbot):
    with fake_portal(bus) as fake:
        assert client.available()
        assert client.version == 1
        with qtbot.waitSignal(client.sig_bound, timeout=5000) as bound:
            assert client.start(SHORTCUTS)
        assert bound.args[0] == {"main": "Ctrl+Alt+Space", "proofread": "Ctrl+Alt+P"}
        call = fake.wait_for_call("BindShortcuts")
        assert call["shortcuts"] == [
            ["main", {"description": "Open Private Copilot", "preferred_trigger": "CTRL+ALT+space"}],
            ["proofread", {"description": "Proofread the selection", "preferred_trigger": "CTRL+ALT+p"}]]
        assert call["session"] == client.session
        create = fake.wait_for_call("CreateSession")
        assert create["options"]["handle_token"].startswith("copilot_")
        with qtbot.waitSignal(client.sig_activated, timeout=5000) as activated:
            fake.activate("main")
        assert activated.args == ["main"]
        assert client.configure().startswith("Your desktop binds")  # version 1: no dialog to open
        session = client.session
        client.stop()
        assert fake.wait_for_call("Close")["session"] == session


@needs_bus
@pytest.mark.parametrize("mode, why", [("deny", "refused"), ("cancel", "cancelled")])
def test_denied_bind_names_the_shortcut_and_suggests(bus, client, qtbot, mode, why):
    with fake_portal(bus, mode=mode):
        with qtbot.waitSignal(client.sig_problem, timeout=5000) as problem:
            assert client.start(SHORTCUTS)
        message = problem.args[0]
        assert "Open Private Copilot" in message and "Ctrl+Alt+Space" in message
        assert why in message
        assert "Ctrl+Alt+Shift+Space" in message  # a suggestion
        assert "private-copilot --trigger" in message


@needs_bus
def test_conflict_one_shortcut_not_bound(bus, client, qtbot):
    with fake_portal(bus, mode="conflict"):
        with qtbot.waitSignals([client.sig_bound, client.sig_problem], timeout=5000):
            client.start(SHORTCUTS)
        assert client.bound == {"main": "", "proofread": "Ctrl+Alt+P"}
        assert "Open Private Copilot" in client.problem and "Ctrl+Alt+Shift+Space" in client.problem


@needs_bus
def test_version_2_opens_the_desktop_dialog(bus, client, qtbot):
    with fake_portal(bus, version=2) as fake:
        with qtbot.waitSignal(client.sig_bound, timeout=5000):
            client.start(SHORTCUTS)
        assert client.version == 2
        assert client.configure() == ""
        call = fake.wait_for_call("ConfigureShortcuts")
        assert call["session"] == client.session


@needs_bus
def test_portal_missing(client):
    assert not client.available()
    assert not client.start(SHORTCUTS)
    assert "private-copilot --trigger" in client.problem
    assert "private-copilot --trigger" in describe_hotkey_support("wayland", client.available())
