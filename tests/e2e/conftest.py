"""A real X server for end-to-end tests: Xvfb, a window manager, and xdotool / xclip to drive it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

TOOLS = ("Xvfb", "openbox", "xdotool", "xclip")
X_IS_UNMAPPED, X_IS_VIEWABLE = 0, 2  # XWindowAttributes.map_state
ICONIC_STATE = 3  # ICCCM WM_STATE


def missing_tools() -> list[str]:
    return [t for t in TOOLS if shutil.which(t) is None]


@contextmanager
def x_server(wm_home: Path):
    """Xvfb and openbox for as long as the block runs; yields the DISPLAY (bench/soak.py uses it too)."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = ":" + f.readline().strip()
    env = {**os.environ, "DISPLAY": display}
    wm = subprocess.Popen(["openbox", "--sm-disable"], env={**env, "HOME": str(wm_home)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield display
    finally:
        wm.terminate()
        xvfb.terminate()
        for p in (wm, xvfb):
            p.wait(10)


@pytest.fixture(scope="session")
def xserver(tmp_path_factory):
    missing = missing_tools()
    if missing:
        message = f"end-to-end tests need {', '.join(missing)} (Debian: xvfb openbox xdotool xclip)"
        if os.environ.get("CI"):
            pytest.fail(message)  # .ci/run installs them: missing there is a bug
        pytest.skip(message)
    with x_server(tmp_path_factory.mktemp("wm-home")) as display:
        yield display


class Desktop:
    """The app in a subprocess on the test's X server, and the keyboard to drive it."""

    def __init__(self, display: str, basedir, home) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PRIVATE_COPILOT", "QT_"))}
        self.env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(home), LANG="en_US.UTF-8",
                        PYTHONUNBUFFERED="1")
        self.basedir = basedir
        self.procs: list[subprocess.Popen] = []

    @property
    def proc(self) -> subprocess.Popen:
        return self.procs[-1]

    def launch(self, *args: str) -> subprocess.Popen:
        """Start the app and return at once (the process; its window comes later)."""
        self.procs.append(subprocess.Popen([sys.executable, "-m", "copilot", "--basedir", str(self.basedir), *args],
                                           env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return self.proc

    def start(self, *args: str, timeout: float = 60) -> str:
        """Launch the app; returns the id of its (or the running instance's) visible window."""
        self.launch(*args)
        window = self.xdotool("search", "--sync", "--onlyvisible", "--name", "Private Copilot", timeout=timeout)
        window_id = window.split()[0]
        self.xdotool("windowactivate", "--sync", window_id)
        return window_id

    def _window_state(self, window: str) -> tuple[int, int | None]:
        """(map state, WM_STATE) as the X server has them now, not what a window manager intends."""
        from Xlib import display, error

        x = display.Display(self.env["DISPLAY"])
        try:
            win = x.create_resource_object("window", int(window, 0))
            wm_state = x.intern_atom("WM_STATE")
            prop = win.get_full_property(wm_state, wm_state)
            return win.get_attributes().map_state, (prop.value[0] if prop else None)
        except error.BadWindow:
            return X_IS_UNMAPPED, None
        finally:
            x.close()

    def viewable(self, window: str) -> bool:
        return self._window_state(window)[0] == X_IS_VIEWABLE

    def iconic(self, window: str) -> bool:
        """Minimized: the window manager has set WM_STATE Iconic and taken the window off screen."""
        return self._window_state(window) == (X_IS_UNMAPPED, ICONIC_STATE)

    def minimize(self, window: str) -> None:
        # `xdotool windowminimize --sync` does not wait (xdotool 3.2016's xdo_wait_for_window_map_state
        # starts from IsUnmapped, so waiting for IsUnmapped returns at once), and openbox animates the
        # iconify: the window stays on screen for a while after the request
        self.xdotool("windowminimize", window)
        wait_for(lambda: self.iconic(window), 10, f"window {window} to be minimized")

    def active_window(self) -> str:
        try:
            return self.xdotool("getactivewindow", timeout=5).strip()
        except subprocess.CalledProcessError:  # no window has the focus
            return ""

    def xdotool(self, *args: str, timeout: float = 30) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, check=True,
                              timeout=timeout).stdout

    def keys(self, *keys: str) -> None:
        self.xdotool("key", "--clearmodifiers", "--delay", "60", *keys)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "20", text)

    def clipboard(self) -> str:
        return subprocess.run(["xclip", "-o", "-selection", "clipboard"], env=self.env, capture_output=True,
                              text=True, timeout=10).stdout

    def kill9(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)  # polling another process: there is no signal to wait on
    raise AssertionError(f"timed out waiting for {what}")
