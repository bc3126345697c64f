"""A PulseAudio daemon of the tests' own, with a null sink: the recording tests' sound card."""

import os
import shutil
import subprocess
import time

import pytest


def start_pulse(home):
    """A PulseAudio daemon of its own with a null sink "meeting" (default sink; its monitor is the
    default source). Returns (process, server address, environment)."""
    if shutil.which("pulseaudio") is None or shutil.which("paplay") is None:
        message = "recording tests need pulseaudio and pulseaudio-utils (paplay)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    runtime = home / "run"
    runtime.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime), "PULSE_RUNTIME_PATH": str(runtime)}
    server = f"unix:{runtime}/native"
    env["PULSE_SERVER"] = server
    daemon = subprocess.Popen(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
                               "-F", "/dev/null", "--load=module-native-protocol-unix",
                               "--load=module-null-sink sink_name=meeting"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            return daemon, server, env
        time.sleep(0.1)
    daemon.kill()
    pytest.fail("the PulseAudio daemon did not start")
