"""Hotkey spelling between Qt's key sequence editor and pynput, and the listener's fallbacks."""

from __future__ import annotations

import pytest

from copilot.hotkey.listener import HotkeyListener, from_pynput, session_kind, to_pynput


@pytest.mark.parametrize("pynput, qt", [
    ("<ctrl>+<alt>+<space>", "Ctrl+Alt+Space"),
    ("<ctrl>+<shift>+r", "Ctrl+Shift+R"),
    ("<alt>+<f5>", "Alt+F5"),
    ("<cmd>+<alt>+w", "Meta+Alt+W"),
    ("<ctrl>+<alt>+<page_down>", "Ctrl+Alt+PgDown"),
])
def test_round_trip(pynput, qt):
    assert from_pynput(pynput) == qt
    assert to_pynput(qt) == pynput


@pytest.mark.parametrize("bad", ["R", "Space", "Ctrl+", "Ctrl+Alt+VolumeUp"])
def test_not_a_global_hotkey(bad):
    with pytest.raises(ValueError):
        to_pynput(bad)


def test_session_kind(monkeypatch):
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert session_kind() in ("wayland", "windows", "macos")
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    assert session_kind() in ("none", "windows", "macos")


def test_without_a_display_the_listener_says_to_use_trigger(qtbot, monkeypatch):
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    listener = HotkeyListener()
    assert not listener.start("<ctrl>+<alt>+<space>")
    assert listener.backend == "trigger" and "--trigger" in listener.problem
    listener.stop()
