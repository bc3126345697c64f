"""The first-run wizard, driven by keyboard, against the fake Hub and the real tiny gpt-oss."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from PySide6.QtCore import Qt

from copilot.core.models.catalog import GPT_OSS_20B
from copilot.core.models.download import pending_downloads, verified_sha256
from copilot.core.paths import app_paths
from copilot.core.settings import Settings, load_settings
from copilot.ui.application import _first_run_wizard, needs_setup
from copilot.ui.wizard import ModelWizard
from copilot.ui.wizard.pages import BENCH, DONE, FETCH, HARDWARE, MODEL, WELCOME
from fake_hub import FakeHub, HubFile

TIMEOUT = 60_000
pytestmark = pytest.mark.usefixtures("no_keyring")


@pytest.fixture
def hub(tiny_gpt_oss, monkeypatch):
    server = FakeHub(GPT_OSS_20B.repo_id, {GPT_OSS_20B.filename: HubFile(tiny_gpt_oss.read_bytes())}).start()
    monkeypatch.setenv("HF_ENDPOINT", server.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    yield server
    server.stop()


@pytest.fixture
def small_chunks(monkeypatch):
    """The tiny model is 0.5 MB: read it in 16 KiB pieces so a download can stop part-way."""
    monkeypatch.setattr("copilot.core.models.download.NETWORK_CHUNK", 16 * 1024)


@pytest.fixture
def paths(tmp_path):
    return app_paths(tmp_path / "base").ensure()


def make_wizard(qtbot, paths, locations=(), **kwargs) -> ModelWizard:
    wizard = ModelWizard(paths, Settings(), locations=list(locations), **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    return wizard


def enter(qtbot, wizard) -> None:
    qtbot.keyClick(wizard, Qt.Key_Return)


def wait_page(qtbot, wizard, page_id, complete=True) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == page_id, timeout=TIMEOUT)
    if complete:
        qtbot.waitUntil(lambda: wizard.currentPage().isComplete(), timeout=TIMEOUT)


def to_model_page(qtbot, wizard) -> None:
    """Enter through Welcome and This computer."""
    for page_id in (HARDWARE, MODEL):
        enter(qtbot, wizard)
        wait_page(qtbot, wizard, page_id)


def start_download(qtbot, wizard):
    """Enter through to the download page, with the preselected download; returns the page."""
    to_model_page(qtbot, wizard)
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, FETCH, complete=False)
    return wizard.currentPage()


def test_needs_setup_on_a_fresh_data_dir(paths, tmp_path):
    assert needs_setup(paths, Settings(), None)
    assert not needs_setup(paths, Settings(), tmp_path / "given.gguf")
    (paths.models / GPT_OSS_20B.filename).parent.mkdir(parents=True, exist_ok=True)
    (paths.models / GPT_OSS_20B.filename).write_bytes(b"x")
    assert not needs_setup(paths, Settings(), None)
    assert needs_setup(paths, Settings(model_path=str(tmp_path / "moved.gguf")), None)


def test_first_run_downloads_verifies_and_benchmarks_by_keyboard(qtbot, hub, paths, tiny_gpt_oss, whisper_tiny,
                                                                 monkeypatch):
    wizard = make_wizard(qtbot, paths)
    assert wizard.currentId() == WELCOME
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, HARDWARE)
    hardware = wizard.currentPage()
    assert "GB" in hardware.memory.text() and hardware.verdict.text()
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, MODEL)
    model_page = wizard.currentPage()
    checked = model_page.group.checkedButton()
    assert checked is not None and "Download gpt-oss-20b" in checked.text()
    enter(qtbot, wizard)
    # the download runs, is verified, and the wizard goes straight on to trying the model
    wait_page(qtbot, wizard, BENCH)
    bench = wizard.currentPage()
    assert "tokens/s" in bench.result.text()
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, DONE)
    # the optional second download: here, a speech model folder the user has
    from PySide6.QtWidgets import QFileDialog

    done = wizard.currentPage()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(whisper_tiny))
    done.speech_button.click()
    done.speech_dialog.choose_folder()
    done.speech_dialog.close()
    assert str(whisper_tiny) in done.speech_note.text()
    with qtbot.waitSignal(wizard.sig_model_ready) as ready:
        enter(qtbot, wizard)
    assert ready.args[0].asr_model_path == str(whisper_tiny)
    target = paths.models / GPT_OSS_20B.filename
    assert target.read_bytes() == tiny_gpt_oss.read_bytes()
    assert verified_sha256(paths.models, target) == hashlib.sha256(tiny_gpt_oss.read_bytes()).hexdigest()
    saved, _ = load_settings(paths.settings_file)
    assert saved.model_path == str(target) == ready.args[0].model_path
    assert saved.n_ctx == wizard.plan.n_ctx
    assert hub.ranges() == [None]


def test_a_token_is_asked_for_when_the_hub_wants_one(qtbot, hub, paths):
    hub.token = "hf_wizard_token"
    wizard = make_wizard(qtbot, paths)
    fetch = start_download(qtbot, wizard)
    qtbot.waitUntil(lambda: fetch.token_box.isVisible(), timeout=TIMEOUT)
    assert "token" in fetch.error.text()
    assert "no keyring" in fetch.keyring_note.text()  # said plainly: kept for this session only
    assert fetch.token.hasFocus()
    qtbot.keyClicks(fetch.token, "hf_wizard_token")
    qtbot.keyClick(fetch.token, Qt.Key_Return)
    wait_page(qtbot, wizard, BENCH, complete=False)
    assert wizard.token() == "hf_wizard_token"
    wait_page(qtbot, wizard, BENCH)
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, DONE)
    enter(qtbot, wizard)
    assert "hf_wizard_token" not in paths.settings_file.read_text()  # secrets never in settings


def test_pause_and_resume_from_the_keyboard(qtbot, hub, paths, tiny_gpt_oss, small_chunks):
    size = len(tiny_gpt_oss.read_bytes())
    hub.bytes_per_second = size / 3  # a three-second download
    wizard = make_wizard(qtbot, paths)
    fetch = start_download(qtbot, wizard)
    part = paths.models / ".partial" / f"{GPT_OSS_20B.filename}.part"
    qtbot.waitUntil(lambda: part.exists() and part.stat().st_size > 0, timeout=TIMEOUT)
    qtbot.keyClick(fetch, Qt.Key_P, Qt.AltModifier)  # &Pause
    qtbot.waitUntil(lambda: "Paused" in fetch.status.text(), timeout=TIMEOUT)
    (pending,) = pending_downloads(paths.models)
    assert 0 < pending.done < size
    hub.bytes_per_second = None
    qtbot.keyClick(fetch, Qt.Key_R, Qt.AltModifier)  # &Resume
    wait_page(qtbot, wizard, BENCH)  # (joined before the test ends: pytest-qt holds widgets weakly)
    assert hub.ranges()[-1] == f"bytes={pending.done}-"


def test_closing_mid_download_and_restarting_resumes(qtbot, hub, paths, tiny_gpt_oss, small_chunks):
    size = len(tiny_gpt_oss.read_bytes())
    hub.bytes_per_second = size / 3
    wizard = make_wizard(qtbot, paths)
    start_download(qtbot, wizard)
    part = paths.models / ".partial" / f"{GPT_OSS_20B.filename}.part"
    qtbot.waitUntil(lambda: part.exists() and part.stat().st_size > 0, timeout=TIMEOUT)
    wizard.reject()  # the user closes the window: the part stays
    (pending,) = pending_downloads(paths.models)
    assert 0 < pending.done < size

    hub.bytes_per_second = None
    again = _first_run_wizard(paths, Settings(), None)
    qtbot.addWidget(again)
    again.show()
    assert again.currentId() == FETCH
    wait_page(qtbot, again, BENCH)
    assert hub.ranges()[-1] == f"bytes={pending.done}-"
    assert (paths.models / GPT_OSS_20B.filename).read_bytes() == tiny_gpt_oss.read_bytes()


def test_a_copy_found_in_ollama_is_used_in_place(qtbot, paths, tmp_path, tiny_gpt_oss, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens: no download may happen
    data = tiny_gpt_oss.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    root = tmp_path / "ollama" / "models"
    (root / "blobs").mkdir(parents=True)
    blob = root / "blobs" / f"sha256-{digest}"
    shutil.copy(tiny_gpt_oss, blob)
    manifest = root / "manifests" / "registry.ollama.ai" / "library" / "gpt-oss" / "20b"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"schemaVersion": 2, "layers": [
        {"mediaType": "application/vnd.ollama.image.model", "digest": f"sha256:{digest}", "size": len(data)}]}))
    wizard = make_wizard(qtbot, paths, locations=[("ollama", root)])
    to_model_page(qtbot, wizard)
    checked = wizard.currentPage().group.checkedButton()
    assert "Ollama" in checked.text() and "no download" in checked.text()
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, BENCH)
    assert wizard.model_path == blob
    assert verified_sha256(paths.models, blob) == digest
    enter(qtbot, wizard)
    wait_page(qtbot, wizard, DONE)
    enter(qtbot, wizard)
    assert load_settings(paths.settings_file)[0].model_path == str(blob)
    assert not (paths.models / GPT_OSS_20B.filename).exists()


def test_choosing_a_broken_file_says_why(qtbot, hub, paths, tmp_path, tiny_gpt_oss):
    wizard = make_wizard(qtbot, paths)
    to_model_page(qtbot, wizard)
    page = wizard.currentPage()
    before = len(page.choices)
    bad = tmp_path / "half.gguf"
    bad.write_bytes(tiny_gpt_oss.read_bytes()[: 4096])
    assert not page.use_file(bad)
    assert "truncated" in page.error.text() or "download" in page.error.text().lower()
    assert len(page.choices) == before
    assert page.use_file(tiny_gpt_oss)
    assert page.group.checkedButton().text().endswith(str(tiny_gpt_oss))
    assert page.error.text() == ""


def test_manage_models_opens_from_the_main_window(qtbot, paths, smol_path):
    from copilot.core.store import Store
    from copilot.ui.main_window import MainWindow
    from copilot.ui.runner import TaskRunner

    store = Store(paths.database)
    runner = TaskRunner()
    window = MainWindow(paths, Settings(model_path=str(smol_path), n_ctx=2048), store, runner)
    qtbot.addWidget(window)
    window.show()
    try:
        window.models_action.trigger()
        wizard = window.wizard
        assert wizard is not None and wizard.isVisible()
        assert wizard.windowTitle() == "Manage models" and wizard.currentId() == HARDWARE
        assert window.models_action.shortcut().toString() == "Ctrl+Shift+M"
        wizard.reject()
    finally:
        runner.shutdown()
        store.close()
