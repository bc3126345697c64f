"""The app against llama-cpp-python's own OpenAI-compatible server: Settings, badge, panes, fallback."""

from __future__ import annotations

import pytest

from copilot.core.engine import ModelConfig
from copilot.core.paths import app_paths
from copilot.core.remote import ServerConfig
from copilot.core.settings import Settings
from copilot.core.store import Store
from copilot.ui.main_window import MainWindow
from copilot.ui.runner import TaskRunner
from copilot.ui.settings_dialog import SettingsDialog

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_keyring")]


@pytest.fixture
def make_window(qtbot, tmp_path):
    made = []

    def make(settings: Settings, model=None) -> MainWindow:
        paths = app_paths(tmp_path / "base").ensure()
        store = Store(paths.database)
        window = MainWindow(paths, settings, store, TaskRunner(), default_model=model, seed=3)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for w in made:
        w.runner.shutdown()
        w.store.close()


def test_settings_test_connection_lists_the_models(qtbot, smol_server):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert not dialog.server_url.isEnabled()  # local backend: the server fields wait
    dialog.backend.setCurrentIndex(dialog.backend.findData("server"))
    assert dialog.server_url.isEnabled()
    dialog.server_url.setText(smol_server)
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_result.text().startswith("Connected"), timeout=30_000)
    assert "SmolLM2" in dialog.test_result.text() or "gguf" in dialog.test_result.text()
    assert dialog.server_model.count() == 1
    s = dialog.settings()
    assert s.backend == "server" and s.server_url == smol_server and s.server_model
    dialog.local_only.setChecked(True)  # privacy mode switches every server field off
    assert not dialog.server_url.isEnabled() and not dialog.backend.isEnabled()


def test_test_connection_reports_a_refused_server(qtbot):
    dialog = SettingsDialog(Settings(backend="server", server_url="http://127.0.0.1:9/v1"))
    qtbot.addWidget(dialog)
    dialog.test_connection()
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.test_result.text(), timeout=30_000)


def test_panes_run_against_the_server_with_a_badge(qtbot, make_window, smol_server):
    window = make_window(Settings(backend="server", server_url=smol_server, n_ctx=2048))
    assert isinstance(window.model_config(), ServerConfig)
    with qtbot.waitSignal(window.runner.sig_loaded, timeout=30_000):
        window.load_model()
    assert window.remote_badge.isVisibleTo(window) and "127.0.0.1" in window.remote_badge.text()
    assert window.backend_label.text().startswith("Server: 127.0.0.1")
    pane = window.show_pane("writing")
    pane.editor.setPlainText("Ths is my frist draft.")
    with qtbot.waitSignal(pane.runner.sig_finished, timeout=120_000):
        pane.run_action("proofread")
    assert pane.output.answer_text().strip()

    email = window.show_pane("email")
    email.thread_edit.setPlainText("From: Ana <ana@example.com>\nSubject: Lunch\n\nLunch on Friday at noon?")
    email.points.setPlainText("yes")
    with qtbot.waitSignal(email.runner.sig_finished, timeout=120_000):
        email.generate()
    assert email.output.answer_text().strip()

    meeting = window.show_pane("meeting")
    meeting.notes.setPlainText("Ana: We ship on Friday.\nLuis: I will update the notes by Thursday.")
    meeting.effort.setCurrentIndex(meeting.effort.findData("low"))
    with qtbot.waitSignal(meeting.runner.sig_finished, timeout=120_000):
        meeting.generate()
    assert meeting.output.answer_text().strip()
    assert window.remote_badge.isVisibleTo(window)


def test_privacy_mode_never_uses_the_server(make_window, smol_server, smol_path):
    window = make_window(Settings(backend="server", server_url=smol_server, local_only=True), model=smol_path)
    config = window.model_config()
    assert isinstance(config, ModelConfig) and config.path == smol_path


def test_a_down_server_falls_back_to_the_local_model_and_says_so(qtbot, make_window, smol_path):
    window = make_window(Settings(backend="server", server_url="http://127.0.0.1:9/v1", n_ctx=2048), model=smol_path)
    with qtbot.waitSignal(window.runner.sig_loaded, timeout=60_000) as loaded:
        window.load_model()
    assert loaded.args[0].architecture == "llama"  # the local SmolLM2
    assert not window.remote_badge.isVisibleTo(window)
    pane = window.show_pane("writing")
    pane.editor.setPlainText("Hello there, friend.")
    with qtbot.waitSignal(pane.runner.sig_finished, timeout=120_000):
        pane.run_action("proofread")
    assert "cannot be reached" in window.statusBar().currentMessage()
    assert "local model" in window.statusBar().currentMessage()
    assert pane.output.answer_text().strip()
