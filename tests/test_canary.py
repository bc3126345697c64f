"""Canary: a unique string typed into every input never reaches the logs, the settings file,
crash output or the diagnostics bundle. It may be in the drafts/history database, and not even
there in private mode (history retention "none").

The scanner is shown to work: test_planted_leaks_are_caught logs the canary through the app's
own logger (and writes it into settings.json) and expects the scan to report every place."""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from copilot.core.paths import app_paths
from copilot.core.settings import Settings, save_settings
from copilot.core.store import Store
from copilot.ui.main_window import MainWindow
from copilot.ui.runner import TaskRunner

DB_NAMES = ("copilot.sqlite3", "copilot.sqlite3-wal", "copilot.sqlite3-shm")


def make_canary() -> str:
    return f"kanarie{uuid.uuid4().hex[:16]}vogel"


def _needles(canary: str) -> list[bytes]:
    # as stored by UTF-8 writers (logs, JSON, SQLite) and UTF-16 ones (Windows tools, Qt settings)
    return [canary.encode("utf-8"), canary.encode("utf-16-le"), canary.lower().encode("utf-8")]


def _has(data: bytes, canary: str) -> bool:
    return any(n in data for n in _needles(canary))


def scan(root: Path, canary: str, *, allow_database: bool) -> list[str]:
    """Every place under ``root`` that holds the canary: files, and each member of every zip."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if allow_database and path.name in DB_NAMES:
            continue
        data = path.read_bytes()
        if _has(data, canary):
            found.append(str(path.relative_to(root)))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as z:
                found += [f"{path.relative_to(root)}!{name}" for name in z.namelist() if _has(z.read(name), canary)]
    return found


def in_database(root: Path, canary: str) -> bool:
    return any(_has(p.read_bytes(), canary) for p in root.rglob("*") if p.is_file() and p.name in DB_NAMES)


@pytest.fixture
def app_log():
    """The app's log file as `private-copilot` sets it up (cli.setup_logging), at DEBUG: stricter."""
    handlers = []
    logger = logging.getLogger("copilot")
    level = logger.level

    def attach(paths) -> Path:
        handler = logging.FileHandler(paths.logs / "copilot.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        handlers.append(handler)
        return paths.logs / "copilot.log"

    yield attach
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


@pytest.fixture
def short_answers(monkeypatch):
    """Answers of a few dozen tokens: the canary is about where text goes, not how much of it."""
    from copilot.core import limits

    monkeypatch.setattr(limits, "MAX_ANSWER_TOKENS", 48)
    monkeypatch.setattr(limits, "MINUTES_MIN_TOKENS", 48)
    monkeypatch.setattr(limits, "MINUTES_MAX_TOKENS", 48)


def start_app(qtbot, base: Path, model: Path | None, settings: Settings) -> MainWindow:
    """The real main window, in this process, offscreen, as application.run_gui builds it."""
    paths = app_paths(base).ensure()
    ephemeral = settings.history_retention == "none"
    store = Store(paths.database, ephemeral=ephemeral)
    window = MainWindow(paths, settings, store, TaskRunner(), default_model=model, seed=5)
    qtbot.addWidget(window)
    window.show()
    if model is not None:
        with qtbot.waitSignal(window.runner.sig_loaded, timeout=60_000):
            window.load_model()
    return window


def run(qtbot, pane, start) -> None:
    start()
    assert pane.busy, pane.message.text()  # submitted, not refused
    qtbot.waitUntil(lambda: not pane.busy, timeout=300_000)


def type_everywhere_and_run(qtbot, window: MainWindow, canary: str, tmp_path: Path, monkeypatch) -> None:
    email = window.show_pane("email")
    email.thread_edit.setPlainText(f"From: Ana <ana@example.com>\nSubject: {canary}\n\nHello, {canary} here. "
                                   f"Can we meet on Friday?\nAna")
    email.points.setPlainText(f"yes, Friday works, {canary}")
    email.sign_off.setText(canary)
    run(qtbot, email, email.generate)

    meeting = window.show_pane("meeting")
    meeting.notes.setPlainText(f"Ana: {canary} ships on Friday.\nLuis: I will update {canary} by Thursday.")
    meeting.effort.setCurrentIndex(meeting.effort.findData("low"))
    run(qtbot, meeting, meeting.generate)

    writing = window.show_pane("writing")
    writing.editor.setPlainText(f"Ths is {canary} frist draft.")
    run(qtbot, writing, lambda: writing.run_action("proofread"))
    writing.instruction.setText(f"mention {canary} twice")
    run(qtbot, writing, lambda: writing.run_action("custom"))
    writing.editor.setPlainText("")  # an error path: no text
    writing.run_action("proofread")

    # failed file opens: a damaged Word file whose bytes hold the canary, and a missing file
    bad = tmp_path / "notes.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip " + canary.encode())
    meeting.load_file(bad)
    assert meeting.message.text() and canary not in meeting.message.text()
    email.load_file(tmp_path / "missing.eml")
    assert email.message.text()

    # Settings: the API key field is text that must go to the keyring, never to settings.json
    from copilot.ui.settings_dialog import SettingsDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.Ok)  # "no keyring" notice
    dialog = SettingsDialog(window.settings, window)
    dialog.api_key.setText(canary)
    dialog.done(1)
    window.apply_settings(dialog.settings())
    window.save_drafts()


def finish(window: MainWindow, zip_path: Path) -> None:
    window.diagnostics_bundle().write(zip_path)
    window.save_drafts()
    window.runner.shutdown()
    window.store.close()


def crash_output_of_cli(base: Path, canary: str) -> str:
    """The CLI's failure output with the canary as its input (no model: exit 3), and a bad option."""
    out = ""
    for args in (["rewrite", "--model", str(base / "missing.gguf")], ["reply", "--points", canary, "--model",
                                                                       str(base / "missing.gguf")]):
        done = subprocess.run([sys.executable, "-m", "copilot", "--basedir", str(base), *args], input=canary,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0
        out += done.stdout + done.stderr
    return out


@pytest.mark.slow
def test_canary_never_leaves_the_database(qtbot, tmp_path, smol_path, app_log, capfd, monkeypatch, no_keyring,
                                         short_answers):
    canary = make_canary()
    base = tmp_path / "base"
    window = start_app(qtbot, base, smol_path, Settings(n_ctx=4096))
    log_file = app_log(window.paths)
    type_everywhere_and_run(qtbot, window, canary, tmp_path, monkeypatch)
    assert len(window.store.runs()) >= 4  # every run's figures were recorded
    zip_path = base / "diagnostics.zip"
    finish(window, zip_path)
    captured = capfd.readouterr()  # what the app wrote to stdout/stderr: its crash output
    cli_output = crash_output_of_cli(base, canary)

    assert log_file.stat().st_size > 0 and zip_path.exists() and (base / "config" / "settings.json").exists()
    assert scan(base, canary, allow_database=True) == []
    assert not _has((captured.out + captured.err + cli_output).encode(), canary)
    assert in_database(base, canary)  # the control: the typing did reach the (allowed) drafts/history
    with zipfile.ZipFile(zip_path) as z:
        assert "logs/copilot.log" in z.namelist() and "runs.json" in z.namelist()


@pytest.mark.slow
def test_private_mode_keeps_the_canary_off_the_disk(qtbot, tmp_path, smol_path, app_log, monkeypatch, no_keyring,
                                                  short_answers):
    canary = make_canary()
    base = tmp_path / "base"
    window = start_app(qtbot, base, smol_path, Settings(n_ctx=4096, history_retention="none"))
    app_log(window.paths)
    type_everywhere_and_run(qtbot, window, canary, tmp_path, monkeypatch)
    assert window.store.ephemeral and window.store.history()  # history kept, in memory only
    finish(window, base / "diagnostics.zip")
    assert scan(base, canary, allow_database=False) == []  # the database included


def test_planted_leaks_are_caught(qtbot, tmp_path, app_log):
    """The scanner fails when text leaks: log the canary through the app's logger, put it into
    settings.json, and every place shows up (the log, the settings, the bundle's copy of the log)."""
    canary = make_canary()
    base = tmp_path / "base"
    window = start_app(qtbot, base, None, Settings())
    app_log(window.paths)
    window.show_pane("writing").editor.setPlainText(canary)
    window.save_drafts()
    logging.getLogger("copilot.ui").warning("proofreading %s", canary)  # the leak
    save_settings(window.paths.settings_file, Settings(server_model=canary))  # another leak
    finish(window, base / "diagnostics.zip")
    found = scan(base, canary, allow_database=True)
    assert found == ["config/settings.json", "diagnostics.zip!logs/copilot.log", "logs/copilot.log"], found
    assert in_database(base, canary)
    assert "data/copilot.sqlite3" in scan(base, canary, allow_database=False)
