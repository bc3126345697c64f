"""A real X server for end-to-end tests: Xvfb, a window manager, and xdotool / xclip to drive it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

TOOLS = ("Xvfb", "openbox", "xdotool", "xclip")


@pytest.fixture(scope="session")
def xserver(tmp_path_factory):
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = f"end-to-end tests need {', '.join(missing)} (Debian: xvfb openbox xdotool xclip)"
        if os.environ.get("CI"):
            pytest.fail(message)  # .ci/run installs them: missing there is a bug
        pytest.skip(message)
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = ":" + f.readline().strip()
    env = {**os.environ, "DISPLAY": display}
    home = tmp_path_factory.mktemp("wm-home")
    wm = subprocess.Popen(["openbox", "--sm-disable"], env={**env, "HOME": str(home)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield display
    wm.terminate()
    xvfb.terminate()
    for p in (wm, xvfb):
        p.wait(10)


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

    def start(self, *args: str, timeout: float = 60) -> str:
        """Launch the app; returns the id of its (or the running instance's) visible window."""
        self.procs.append(subprocess.Popen([sys.executable, "-m", "copilot", "--basedir", str(self.basedir), *args],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        window = self.xdotool("search", "--sync", "--onlyvisible", "--name", "Private Copilot", timeout=timeout)
        window_id = window.split()[0]
        self.xdotool("windowactivate", "--sync", window_id)
        return window_id

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
