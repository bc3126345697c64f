"""The main window and its panes, with real SmolLM2 generations through the TaskRunner."""

import time

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox

from copilot.core.paths import app_paths
from copilot.core.settings import Settings
from copilot.core.store import Store
from copilot.ui.main_window import MainWindow
from copilot.ui.runner import TaskRunner

THREAD = ("From: Lucía <lucia@example.es>\nSubject: Reunión del jueves\n\n"
          "Hola Marta, ¿podemos mover la reunión del jueves a las 11:00?\nGracias, Lucía")
SECRET = "Nota privada: el lanzamiento secreto es el 3 de marzo"


def make_window(qtbot, tmp_path, model, settings=None, ephemeral=False):
    paths = app_paths(tmp_path / "base").ensure()
    store = Store(paths.database, ephemeral=ephemeral)
    runner = TaskRunner()
    window = MainWindow(paths, settings or Settings(n_ctx=4096), store, runner, default_model=model, seed=11)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def window(qtbot, tmp_path, smol_path):
    w = make_window(qtbot, tmp_path, smol_path)
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000):
        w.load_model()
    yield w
    w.save_drafts()
    w.runner.shutdown()
    w.store.close()


def run_pane(qtbot, pane, start=None, timeout=120_000):
    with qtbot.waitSignal(pane.runner.sig_finished, timeout=timeout):
        (start or pane.generate)()
    return pane.output.answer_text()


def test_window_shows_model_and_backend(window):
    assert "Smollm2" in window.model_label.text() or "SmolLM2" in window.model_label.text()
    assert window.backend_label.text() == "CPU"
    assert window.nav.count() == 5


def test_writing_pane_generates_diff_accept_and_undo(qtbot, window):
    pane = window.show_pane("writing")
    original = "Ths is my frist draft."
    pane.editor.setPlainText(original)
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    answer = run_pane(qtbot, pane, lambda: pane.run_action("proofread"))
    assert answer.strip()
    assert pane.accept_button.isEnabled() and pane.results.currentWidget() is pane.diff
    pane.accept_result()
    assert pane.editor.toPlainText() == pane.result_text() or pane.editor.toPlainText() != original
    pane.editor.undo()
    assert pane.editor.toPlainText() == original  # accepting is one undo step


def test_writing_pane_selection_only(qtbot, window):
    pane = window.show_pane("writing")
    pane.editor.setPlainText("Keep this. Fix thsi part.")
    cursor = pane.editor.textCursor()
    cursor.setPosition(11)
    cursor.setPosition(25, QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)
    assert pane.input_text() == "Fix thsi part."
    run_pane(qtbot, pane, lambda: pane.run_action("rewrite"))
    pane.accept_result()
    assert pane.editor.toPlainText().startswith("Keep this. ")


def test_email_pane_generates(qtbot, window):
    pane = window.show_pane("email")
    pane.thread_edit.setPlainText(THREAD)
    pane.points.setPlainText("sí, a las 11 me va bien")
    pane.sign_off.setText("Marta")
    assert pane.generate_button.text() == "Generate"
    assert run_pane(qtbot, pane).strip()
    assert pane.generate_button.text() == "Regenerate"
    assert pane.reply_message()["Subject"] == "Re: Reunión del jueves"
    assert "subject=Re%3A%20Reuni%C3%B3n" in pane.mailto_url().toString(QUrl.ComponentFormattingOption.FullyEncoded)


def test_meeting_pane_generates(qtbot, window):
    pane = window.show_pane("meeting")
    pane.notes.setPlainText("Ana: We ship on Friday.\nLuis: I will update the notes by Thursday.")
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    assert run_pane(qtbot, pane).strip()


LONG_NOTES = "\n".join(f"Ana: point {i}, the budget line {i} stays as it is." for i in range(80))


def test_stop_cancels_within_100ms(qtbot, window):
    pane = window.show_pane("meeting")
    pane.notes.setPlainText(LONG_NOTES)
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    # still reading the long transcript when Stop comes: no race with the end of the answer
    with qtbot.waitSignal(window.runner.sig_event, timeout=60_000,
                          check_params_cb=lambda rid, ev: type(ev).__name__ == "PromptProgress"):
        pane.generate()
    t0 = time.perf_counter()
    with qtbot.waitSignal(window.runner.sig_finished, timeout=5_000):
        pane.stop()
    assert time.perf_counter() - t0 < 0.1
    assert pane.generate_button.isEnabled() and not pane.stop_button.isEnabled()
    assert "Stopped" in pane.message.text()


def test_generate_in_another_pane_cancels_the_first(qtbot, window):
    meeting = window.show_pane("meeting")
    meeting.notes.setPlainText(LONG_NOTES)
    meeting.effort.setCurrentIndex(meeting.effort.findData("low"))
    # a long transcript: still reading it when the second request arrives
    with qtbot.waitSignal(window.runner.sig_event, timeout=60_000,
                          check_params_cb=lambda rid, ev: type(ev).__name__ == "PromptProgress"):
        meeting.generate()
    assert meeting.busy
    email = window.show_pane("email")
    email.thread_edit.setPlainText(THREAD)
    with qtbot.waitSignal(window.runner.sig_event, timeout=60_000,
                          check_params_cb=lambda rid, ev: type(ev).__name__ == "Answer"):
        email.generate()
    assert "another request" in meeting.message.text()
    assert meeting.generate_button.isEnabled() and not meeting.busy
    assert email.busy  # the email reply streams on
    with qtbot.waitSignal(window.runner.sig_finished, timeout=5_000):
        email.stop()
    assert email.output.answer_text().strip()


def test_errors_reach_the_pane(qtbot, window):
    pane = window.show_pane("writing")
    pane.editor.setPlainText("")
    pane.run_action("proofread")
    assert "no text" in pane.message.text()
    pane.editor.setPlainText("palabra " * 5000)
    run_pane(qtbot, pane, lambda: pane.run_action("proofread"))
    assert "too long" in pane.message.text()
    assert pane.generate_button.isEnabled()


def test_missing_model_is_reported(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path, tmp_path / "missing.gguf")
    with qtbot.waitSignal(w.runner.sig_load_failed, timeout=10_000):
        w.load_model()
    assert w.model_label.text() == "Model not loaded"
    pane = w.show_pane("writing")
    pane.editor.setPlainText("text")
    run_pane(qtbot, pane, lambda: pane.run_action("proofread"))
    assert "No model is loaded" in pane.message.text()
    w.runner.shutdown()


def test_drafts_autosave_and_restore(qtbot, tmp_path, smol_path):
    w = make_window(qtbot, tmp_path, smol_path)
    w.show_pane("writing").editor.setPlainText(SECRET)
    w.show_pane("email").points.setPlainText("sí")
    qtbot.waitUntil(lambda: (w.store.load_draft("writing") or {}).get("text") == SECRET, timeout=1500)
    w.runner.shutdown()
    w.store.close()
    again = make_window(qtbot, tmp_path, smol_path)
    assert again.pane("writing").editor.toPlainText() == SECRET
    assert again.pane("email").points.toPlainText() == "sí"
    again.runner.shutdown()


def test_history_records_reopens_and_deletes(qtbot, window, monkeypatch):
    pane = window.show_pane("meeting")
    pane.notes.setPlainText("Ana: We ship on Friday.")
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    answer = run_pane(qtbot, pane)
    entries = window.store.history("meeting")
    assert len(entries) == 1 and entries[0].input == "Ana: We ship on Friday." and entries[0].output == answer
    pane.notes.setPlainText("something else")
    window.nav.setCurrentRow(3)
    assert window.stack.currentWidget() is window.history and window.history.list.count() == 1
    window.history.reopen()
    assert window.stack.currentWidget() is pane and pane.notes.toPlainText() == "Ana: We ship on Friday."
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    window.history.delete()
    assert window.store.history() == []


def test_ephemeral_mode_writes_no_user_text(qtbot, tmp_path, smol_path):
    w = make_window(qtbot, tmp_path, smol_path, settings=Settings(n_ctx=4096, history_retention="none"),
                    ephemeral=True)
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000):
        w.load_model()
    pane = w.show_pane("writing")
    pane.editor.setPlainText(SECRET)
    run_pane(qtbot, pane, lambda: pane.run_action("proofread"))
    w.save_drafts()
    w.runner.shutdown()
    w.store.close()
    for path in (tmp_path / "base").rglob("*"):
        if path.is_file():
            assert b"lanzamiento secreto" not in path.read_bytes(), path


def test_keyboard_navigation_and_accessible_names(window):
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    missing = []
    for pane in (window.pane(key) for key in ("email", "meeting", "writing")):
        for cls in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit):
            for widget in pane.findChildren(cls):
                if widget.isVisibleTo(pane) and not widget.accessibleName() and not (
                        isinstance(widget, QAbstractButton) and widget.text()):
                    missing.append(f"{type(pane).__name__}.{type(widget).__name__}")
    assert not missing, missing


def test_start_at_login_entry(tmp_path, monkeypatch):
    from copilot.ui.autostart import set_start_at_login, start_at_login_enabled

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    set_start_at_login(True)
    entry = tmp_path / "autostart" / "private-copilot.desktop"
    assert start_at_login_enabled() and "-m copilot" in entry.read_text()
    set_start_at_login(False)
    assert not entry.exists() and not start_at_login_enabled()


def test_idle_unload_and_reload_on_demand(qtbot, tmp_path, smol_path):
    w = make_window(qtbot, tmp_path, smol_path, settings=Settings(n_ctx=4096, unload_after_minutes=1))
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000):
        w.load_model()
    assert w._idle.isActive() and w._idle.interval() == 60_000
    w.on_idle()  # what the timer does after a quiet minute
    assert w.runner.info is None and "unloaded" in w.model_label.text()
    pane = w.show_pane("writing")
    pane.editor.setPlainText("Helo.")
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000):
        with qtbot.waitSignal(w.runner.sig_finished, timeout=60_000, raising=False):
            pane.run_action("proofread")
    qtbot.waitUntil(lambda: not pane.busy, timeout=60_000)
    assert pane.output.answer_text().strip() and "No model" not in pane.message.text()
    w.runner.shutdown()


def test_panes_accept_the_document_types_the_parsers_read():
    from copilot.core.documents import EMAIL_SUFFIXES, TRANSCRIPT_SUFFIXES
    from copilot.ui.panes.email import EmailPane
    from copilot.ui.panes.meeting import MeetingPane

    from copilot.core.audio import AUDIO_SUFFIXES

    assert MeetingPane.file_suffixes == TRANSCRIPT_SUFFIXES + AUDIO_SUFFIXES
    assert EmailPane.file_suffixes == EMAIL_SUFFIXES


def test_the_app_starts_without_loading_the_document_parsers():
    import subprocess
    import sys

    code = ("import sys; import copilot.app, copilot.ui.main_window, copilot.ui.application; "
            "print('copilot.core.documents' in sys.modules, 'email.policy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.split()
    assert out == ["False", "False"]


def test_panes_are_built_on_first_use_with_their_drafts(qtbot, tmp_path, smol_path):
    w = make_window(qtbot, tmp_path, smol_path)
    assert list(w.panes) == ["email"]  # the first page only: start-up time
    w.store.save_draft("meeting", {"notes": "Ana: hola"})
    w.nav.setCurrentRow(1)
    assert w.stack.currentWidget() is w.panes["meeting"]
    assert w.panes["meeting"].notes.toPlainText() == "Ana: hola"
    assert w.stack.count() == 4  # three panes and History; Settings is a dialog
    w.runner.shutdown()


def test_opening_documents_into_the_panes(qtbot, tmp_path, smol_path):
    w = make_window(qtbot, tmp_path, smol_path)
    eml = tmp_path / "thread.eml"
    eml.write_bytes(("From: =?utf-8?q?Luc=C3=ADa?= <lucia@example.es>\nSubject: =?utf-8?q?Reuni=C3=B3n?=\n"
                     "Content-Type: text/plain; charset=utf-8\n\n¿Nos vemos el jueves?\n").encode())
    email = w.show_pane("email")
    email.load_file(tmp_path / "slides.pdf")
    assert "cannot be read as an email" in email.message.text() and not email.message.isHidden()
    email.load_file(eml)
    assert "¿Nos vemos el jueves?" in email.thread_edit.toPlainText()
    assert email.thread().latest.sender.startswith("Lucía") and email.message.isHidden()
    email.thread_edit.appendPlainText("edited")
    assert "edited" in email.thread().latest.body  # edits replace the file's thread
    vtt = tmp_path / "standup.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ana>We ship Friday.</v>\n")
    meeting = w.show_pane("meeting")
    meeting.load_file(vtt)
    assert meeting.notes.toPlainText() == "Ana: We ship Friday."
    meeting.load_file(tmp_path / "missing.vtt")
    assert "missing.vtt was not found" in meeting.message.text()
    assert meeting.notes.toPlainText() == "Ana: We ship Friday."  # nothing lost
    w.runner.shutdown()
