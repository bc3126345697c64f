"""Help ▸ Save diagnostics…, and each run's figures in History (no model needed: Stats are emitted by hand)."""

import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from copilot.core.diagnostics import Bundle
from copilot.core.engine import ModelInfo
from copilot.core.events import Finished, Notice, Stats
from copilot.core.paths import app_paths
from copilot.core.settings import Settings
from copilot.core.store import Store
from copilot.ui.diagnostics_dialog import DiagnosticsDialog
from copilot.ui.main_window import MainWindow
from copilot.ui.runner import TaskRunner


def stats(**kw) -> Stats:
    values = dict(prompt_tokens=120, cached_tokens=0, generated_tokens=34, time_to_first_token=0.75,
                  tokens_per_second=21.5, stop_reason="stop")
    return Stats(**{**values, **kw})


@pytest.fixture
def window(qtbot, tmp_path):
    paths = app_paths(tmp_path / "base").ensure()
    store = Store(paths.database)
    w = MainWindow(paths, Settings(n_ctx=4096), store, TaskRunner(), default_model=None)
    qtbot.addWidget(w)
    yield w
    w.runner.shutdown()
    w.store.close()


def fake_info(architecture="llama", backend="CPU", name="SmolLM2 135M") -> ModelInfo:
    return ModelInfo(name=name, path=Path("/m.gguf"), architecture=architecture, n_ctx=4096, n_ctx_train=8192,
                     harmony=False, backend=backend, file_size=1)


def finish_run(window, key, s: Stats, answer="An answer") -> None:
    """What a pane does when its run finishes: Finished (its stats), then the history row."""
    pane = window.pane(key)
    pane.sig_stats.emit(s)
    pane.sig_result.emit("A title", "the input", answer)


def test_each_run_records_its_figures_and_history_shows_them(qtbot, window):
    window.runner.info = fake_info()
    window.pane("email").effort.setCurrentIndex(window.pane("email").effort.findData("high"))
    finish_run(window, "email", stats())
    finish_run(window, "writing", stats(stop_reason="length", generated_tokens=200))
    window.pane("meeting").sig_stats.emit(stats(stop_reason="cancelled", generated_tokens=0, tokens_per_second=0.0))
    runs = window.store.runs()
    assert len(runs) == 3
    by_pane = {r.pane: r for r in runs}
    email = by_pane["email"]
    assert (email.model, email.backend, email.effort, email.prompt_tokens, email.generated_tokens) == \
        ("SmolLM2 135M", "local", "high", 120, 34)
    assert email.time_to_first_token == 0.75 and email.tokens_per_second == 21.5 and not email.cut
    assert by_pane["writing"].cut and by_pane["meeting"].stopped and by_pane["meeting"].history_id is None
    entries = {e.pane: e for e in window.store.history()}
    assert window.store.run_of(entries["email"].id).id == email.id

    window.nav.setCurrentRow(3)  # History
    history = window.history
    for row in range(history.list.count()):
        history.list.setCurrentRow(row)
        if history.current_entry().pane == "writing":
            break
    text = history.figures.text()
    assert "SmolLM2 135M" in text and "120 prompt + 200 answer tokens" in text and "cut at the length limit" in text
    assert "21.5 tokens/s" in text and "0.75 s" in text
    top = {history.totals.topLevelItem(i).text(0): history.totals.topLevelItem(i)
           for i in range(history.totals.topLevelItemCount())}
    assert set(top) == {"Per day", "Per backend"}
    day = top["Per day"].child(0)
    assert (day.text(1), day.text(2), day.text(3), day.text(6), day.text(7)) == ("3", "360", "234", "1", "1")
    assert top["Per backend"].child(0).text(0) == "This computer"


def test_backend_of_a_run_server_and_fallback(qtbot, window):
    from dataclasses import replace

    window.settings = replace(window.settings, backend="server", server_url="http://box:8000/v1")
    window.runner.info = fake_info("remote", "Server: box", "gpt-oss-20b")
    assert window.run_backend() == "server"
    window.on_event(1, Notice("The server is busy. Using the local model on this computer instead."))
    assert window.run_backend() == "fallback"
    window.on_loaded(fake_info("remote", "Server: box", "gpt-oss-20b"))  # a new load: the server again
    assert window.run_backend() == "server"
    window.runner.info = fake_info()  # the server was down at load: the local model answers for it
    assert window.run_backend() == "fallback"
    window.settings = replace(window.settings, local_only=True)
    assert window.run_backend() == "local"
    finish_run(window, "email", stats())
    assert window.store.runs()[0].backend == "local"


def test_private_mode_figures_stay_in_memory(qtbot, tmp_path):
    paths = app_paths(tmp_path / "base").ensure()
    w = MainWindow(paths, Settings(history_retention="none"), Store(paths.database, ephemeral=True), TaskRunner())
    qtbot.addWidget(w)
    finish_run(w, "writing", stats())
    assert len(w.store.runs()) == 1 and not paths.database.exists()
    w.runner.shutdown()
    w.store.close()


def small_bundle() -> Bundle:
    b = Bundle()
    b.add_text("README.txt", "what is inside", "what is inside, and what was left out")
    b.add_json("runs.json", {"per_day": []}, "figures of past runs")
    return b


def test_dialog_shows_the_contents_before_saving(qtbot, tmp_path):
    dialog = DiagnosticsDialog(small_bundle(), folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.files.topLevelItemCount() == 2
    assert dialog.files.topLevelItem(1).text(0) == "runs.json" and dialog.files.topLevelItem(1).text(1).endswith("B")
    assert dialog.preview.toPlainText() == "what is inside"
    dialog.files.setCurrentItem(dialog.files.topLevelItem(1))
    assert "per_day" in dialog.preview.toPlainText()
    assert "runs.json" in dialog.summary()
    dialog.choose_destination = lambda: str(tmp_path / "bundle")  # ".zip" is added
    with qtbot.waitSignal(dialog.accepted):
        dialog.choose_and_save()
    assert dialog.saved == tmp_path / "bundle.zip"
    with zipfile.ZipFile(dialog.saved) as z:
        assert z.namelist() == ["README.txt", "runs.json"]


def test_dialog_unwritable_destination_says_why_and_stays_open(qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a: shown.append(text))
    dialog = DiagnosticsDialog(small_bundle(), folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choose_destination = lambda: str(tmp_path / "no" / "such" / "diag.zip")
    dialog.choose_and_save()
    assert shown and "Cannot write" in shown[0] and "does not exist" in shown[0]
    assert dialog.isVisible() and dialog.saved is None
    dialog.choose_destination = lambda: ""  # cancelled file dialog: nothing happens
    dialog.choose_and_save()
    assert len(shown) == 1 and dialog.isVisible()
    dialog.close()


def test_help_save_diagnostics_from_the_window(qtbot, window, tmp_path):
    window.on_event(1, Finished(stats()))  # the window ignores Finished itself: panes report it
    finish_run(window, "email", stats())
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.diagnostics_action in help_menu.actions()
    assert window.diagnostics_action.text() == "Save &diagnostics…"
    window.diagnostics_action.trigger()
    dialog = window.diagnostics_dialog
    qtbot.waitUntil(dialog.isVisible)
    names = [dialog.files.topLevelItem(i).text(0) for i in range(dialog.files.topLevelItemCount())]
    assert {"README.txt", "settings.json", "runs.json", "system.json", "network_audit.json"} <= set(names)
    assert "the input" not in dialog.summary() and "An answer" not in dialog.summary()
    assert dialog.save_to(tmp_path / "d.zip")
    with zipfile.ZipFile(tmp_path / "d.zip") as z:
        content = b"".join(z.read(n) for n in z.namelist())
    assert b"the input" not in content and b"An answer" not in content and b'"prompt_tokens": 120' in content
    assert "Diagnostics saved" in window.statusBar().currentMessage()
