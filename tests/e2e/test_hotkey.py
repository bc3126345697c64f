"""The global hotkey on a real X server: select text in another application, press the hotkey,
choose Proofread, and the rewrite by SmolLM2 replaces the selection; the clipboard (an
image/png sentinel put there with xclip) is as it was."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import Desktop, wait_for

TARGET = Path(__file__).with_name("target_editor.py")
TYPED = "Ths is a tset of the hotkey."
# a 1×1 red PNG: the user's clipboard, which must survive the round trip byte for byte
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")


@pytest.fixture
def desktop(xserver, tmp_path):
    (tmp_path / "home").mkdir()
    d = Desktop(xserver, tmp_path / "base", tmp_path / "home")
    yield d
    d.stop()


def clipboard_png(desktop: Desktop) -> bytes:
    return subprocess.run(["xclip", "-o", "-selection", "clipboard", "-t", "image/png"], env=desktop.env,
                          capture_output=True, timeout=10).stdout


def window_named(desktop: Desktop, name: str) -> str | None:
    try:
        found = desktop.xdotool("search", "--onlyvisible", "--name", name, timeout=5).split()
    except subprocess.CalledProcessError:
        return None
    return found[0] if found else None


def pastes(out: Path) -> list[str]:
    """The editor's pastes so far (edits adding more than one character at once)."""
    record = out.with_suffix(".pastes")
    return record.read_text().split() if record.exists() else []


def press_enter_until_replaced(desktop: Desktop, out: Path) -> None:
    """Enter means Replace once the answer is complete; until then it does nothing. Replaced
    means pasted: a proofread may well give back the very text it was given."""
    deadline = time.monotonic() + 120
    while not pastes(out) and time.monotonic() < deadline:
        if window_named(desktop, "Rewrite"):
            desktop.keys("Return")
        time.sleep(1)


def open_target(desktop: Desktop, smol_path, out: Path) -> str:
    """The app with SmolLM2, and the other application with TYPED in it; returns its window."""
    desktop.start("--model", str(smol_path))
    editor = subprocess.Popen([sys.executable, str(TARGET), str(out)], env=desktop.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop.procs.append(editor)
    target = wait_for(lambda: window_named(desktop, "^Target Editor$"), 30, "the target editor")
    desktop.xdotool("windowactivate", "--sync", target)
    desktop.type(TYPED)
    wait_for(lambda: out.exists() and out.read_text() == TYPED, 10, "the typed text")
    return target


def test_hotkey_rewrites_the_selection_in_another_app_and_keeps_the_clipboard(desktop, tmp_path, smol_path):
    out = tmp_path / "target.txt"
    target = open_target(desktop, smol_path, out)

    png = tmp_path / "sentinel.png"
    png.write_bytes(PNG)
    subprocess.run(["xclip", "-selection", "clipboard", "-t", "image/png", "-i", str(png)], env=desktop.env,
                   timeout=10, check=True)  # forks and keeps serving until someone else owns the clipboard
    wait_for(lambda: clipboard_png(desktop) == PNG, 10, "the sentinel on the clipboard")

    desktop.xdotool("windowactivate", "--sync", target)
    desktop.keys("ctrl+a", "ctrl+alt+space")
    popup = wait_for(lambda: window_named(desktop, "Rewrite"), 20, "the rewrite popup")
    assert popup != target
    desktop.keys("1")  # Proofread
    press_enter_until_replaced(desktop, out)
    result = out.read_text()
    assert pastes(out) and result.strip()  # SmolLM2's answer replaced the selection
    assert "<|" not in result and "analysis" not in result.lower()
    wait_for(lambda: clipboard_png(desktop) == PNG, 10, "the user's clipboard restored")


def test_trigger_reaches_the_running_app_and_an_empty_selection_asks_for_text(desktop, tmp_path, smol_path):
    """The Wayland path: `private-copilot --trigger` bound in the desktop's shortcut settings."""
    desktop.start("--model", str(smol_path))
    editor = subprocess.Popen([sys.executable, str(TARGET), str(tmp_path / "empty.txt")], env=desktop.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop.procs.append(editor)
    target = wait_for(lambda: window_named(desktop, "^Target Editor$"), 30, "the target editor")
    desktop.xdotool("windowactivate", "--sync", target)
    subprocess.run(["xclip", "-selection", "primary", "-i", "/dev/null"], env=desktop.env, timeout=10, check=True)
    trigger = subprocess.run([sys.executable, "-m", "copilot", "--basedir", str(desktop.basedir), "--trigger"],
                             env=desktop.env, capture_output=True, text=True, timeout=30)
    assert trigger.returncode == 0, trigger.stderr
    popup = wait_for(lambda: window_named(desktop, "Rewrite"), 20, "the popup")
    assert popup != target
    desktop.type("Hola")  # nothing was selected: the popup's input box has the focus
    desktop.keys("Escape")


def test_trigger_without_a_running_app_says_so(desktop):
    r = subprocess.run([sys.executable, "-m", "copilot", "--basedir", str(desktop.basedir), "--trigger"],
                       env=desktop.env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "not running" in r.stderr


def test_two_quick_presses_only_the_last_run_pastes(desktop, tmp_path, smol_path):
    out = tmp_path / "target.txt"
    target = open_target(desktop, smol_path, out)
    desktop.keys("ctrl+a", "ctrl+alt+space")
    wait_for(lambda: window_named(desktop, "Rewrite"), 20, "the rewrite popup")
    desktop.keys("2")  # Rewrite: starts streaming…
    desktop.keys("ctrl+alt+space")  # …and a second press starts over: the first run is cancelled
    time.sleep(0.5)
    desktop.keys("1")  # Proofread
    press_enter_until_replaced(desktop, out)
    time.sleep(2)  # had the first run survived, its paste would land now
    result = out.read_text()
    assert result.strip() and "<|" not in result
    assert len(pastes(out)) == 1, pastes(out)  # the cancelled first run never pasted
