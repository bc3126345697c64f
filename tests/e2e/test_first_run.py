"""First run on a real X server: the wizard downloads from the fake Hub, is killed mid-download,
resumes on the next start, verifies and tries the model, and lands in the main window."""

from __future__ import annotations

import json
import time

import pytest

from copilot.core.models.catalog import GPT_OSS_20B
from fake_hub import FakeHub, HubFile

from .conftest import Desktop, wait_for

PADDING = 6 * 1024 * 1024  # bytes after the tensors: llama.cpp ignores them; they make the download last


@pytest.fixture
def model_bytes(tiny_gpt_oss) -> bytes:
    return tiny_gpt_oss.read_bytes() + b"\0" * PADDING


@pytest.fixture
def hub(model_bytes):
    server = FakeHub(GPT_OSS_20B.repo_id, {GPT_OSS_20B.filename: HubFile(model_bytes)},
                     bytes_per_second=len(model_bytes) / 8).start()
    yield server
    server.stop()


@pytest.fixture
def desktop(xserver, tmp_path, hub):
    (tmp_path / "home").mkdir()
    d = Desktop(xserver, tmp_path / "base", tmp_path / "home")
    d.env["HF_ENDPOINT"] = hub.url
    d.env.pop("HF_TOKEN", None)
    yield d
    d.stop()


def main_window_visible(desktop: Desktop) -> bool:
    try:
        return bool(desktop.xdotool("search", "--onlyvisible", "--name", "^Private Copilot$", timeout=5).split())
    except Exception:  # xdotool exits 1 when nothing matches
        return False


def test_first_run_download_survives_kill_9_and_lands_in_the_main_window(desktop, hub, tmp_path, model_bytes):
    models = tmp_path / "base" / "data" / "models"
    part = models / ".partial" / f"{GPT_OSS_20B.filename}.part"

    desktop.start()  # a fresh data dir: the wizard, not the main window
    assert not main_window_visible(desktop)
    desktop.keys("Return")  # Welcome -> This computer
    time.sleep(1.5)  # the hardware survey (a fraction of a second here)
    desktop.keys("Return")  # -> Model: "Download gpt-oss-20b" is preselected
    time.sleep(0.5)
    desktop.keys("Return")  # -> the download starts
    wait_for(lambda: part.exists() and part.stat().st_size >= 2 * 1024 * 1024, 60, "part of the download")
    desktop.kill9()
    have = part.stat().st_size
    assert have < len(model_bytes)

    hub.bytes_per_second = None
    desktop.start()  # the wizard opens on the download page and carries on by itself
    wait_for(lambda: (models / GPT_OSS_20B.filename).exists(), 60, "the finished download")
    assert hub.ranges()[-1] == f"bytes={have}-"  # resumed, not restarted
    assert (models / GPT_OSS_20B.filename).read_bytes() == model_bytes

    # Trying the model takes a moment; Enter does nothing until it is done, then Next, then Finish.
    deadline = time.monotonic() + 90
    while not main_window_visible(desktop) and time.monotonic() < deadline:
        desktop.keys("Return")
        time.sleep(1)
    assert main_window_visible(desktop)
    settings = json.loads((tmp_path / "base" / "config" / "settings.json").read_text())
    assert settings["model_path"] == str(models / GPT_OSS_20B.filename)
    assert settings["n_ctx"] == 4096  # the fit chosen for this model here (it was trained on 4096 tokens)
    assert list((tmp_path / "home").iterdir()) == []
