"""The Meeting pane with recordings: import, record, transcribe (real Whisper tiny.en), the
minutes citing the moment, cancel, leftovers of a crash, the transcript as a document."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from copilot.core import audio
from copilot.core.settings import Settings
from test_cli_audio import MINUTES, whisper_hub  # noqa: F401 - the fixture
from tests import speech_data
from tiny_gpt_oss import write_tiny_gpt_oss
from ui.test_main_window import make_window, run_pane


@pytest.fixture
def window(qtbot, tmp_path, whisper_tiny):
    words = [w.replace(" ", "Ġ").replace("\n", "Ċ") for w in MINUTES.split("|")]
    model = write_tiny_gpt_oss(tmp_path / "minutes.gguf", script=("<|channel|>", "final", "<|message|>", *words,
                                                                   "<|return|>"))
    w = make_window(qtbot, tmp_path, model, settings=Settings(n_ctx=4096, asr_model_path=str(whisper_tiny)))
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000):
        w.load_model()
    yield w
    w.runner.shutdown()
    w.store.close()


def transcribe(qtbot, pane, path, *, recorded=False, timeout=120_000):
    with qtbot.waitSignal(pane.runner.sig_background_finished, timeout=timeout):
        if recorded:
            pane.transcribe(path, recorded=True)
        else:
            pane.load_file(path)
        assert pane.notes.isReadOnly() and pane.asr_row.isVisibleTo(pane)
    assert not pane.notes.isReadOnly() and not pane.asr_row.isVisibleTo(pane)


@pytest.fixture(scope="module")
def phone_m4a(meeting_wav, tmp_path_factory):
    return speech_data.encode(audio.decode(meeting_wav).samples, tmp_path_factory.mktemp("phone") / "call.m4a")


def test_a_dropped_phone_recording_becomes_timed_lines_then_cited_minutes(qtbot, window, phone_m4a):
    pane = window.show_pane("meeting")
    transcribe(qtbot, pane, phone_m4a)
    lines = pane.notes.toPlainText().split("\n")
    assert len(lines) >= 3 and "Friday" in lines[1]
    starts = pane.notes.starts()
    assert all(s is not None for s in starts) and starts == sorted(starts)
    assert pane.notes.gutter_width() > 0
    assert pane.kept_recording == phone_m4a and phone_m4a.exists()  # the user's own file stays
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    run_pane(qtbot, pane)
    marks = {m.text: m for m in pane.output.marks()}
    assert marks["[2]"].href == "cite:2-2"
    assert marks["[2]"].tooltip.startswith("2 (00:0") and "Friday" in marks["[2]"].tooltip
    assert "[00:0" in pane.minutes_markdown()  # the export cites the moment


def test_generate_during_transcription_starts_the_minutes_when_it_ends(qtbot, window, phone_m4a):
    pane = window.show_pane("meeting")
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    with qtbot.waitSignal(pane.runner.sig_finished, timeout=180_000):
        pane.load_file(phone_m4a)
        pane.generate()
        assert "as soon as the transcript is finished" in pane.message.text()
    assert pane.output.answer_text().startswith("## Decisions")
    assert pane.notes.timed()


def start_long(qtbot, pane, meeting_wav, out, repeat):
    """Start transcribing the meeting said ``repeat`` times over; return once its first line is in."""
    pcm = audio.decode(meeting_wav).samples
    pane.load_file(speech_data.encode(np.concatenate([pcm] * repeat), out))
    qtbot.waitUntil(lambda: bool(pane.notes.toPlainText()), timeout=60_000)


def test_stop_transcribing(qtbot, window, meeting_wav, tmp_path):
    pane = window.show_pane("meeting")
    with qtbot.waitSignal(pane.runner.sig_background_finished, timeout=120_000):
        start_long(qtbot, pane, meeting_wav, tmp_path / "long.flac", 20)  # 7.7 min: ~80 lines
        pane.asr_stop.click()
    lines = len(pane.notes.toPlainText().split("\n"))
    assert pane.message.text() == "Transcription stopped.", lines
    assert 1 <= lines < 70
    assert not pane.notes.isReadOnly()


def test_the_notes_are_replaced_only_when_the_user_agrees(qtbot, window, phone_m4a, monkeypatch):
    pane = window.show_pane("meeting")
    pane.notes.setPlainText("My own notes")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    pane.load_file(phone_m4a)
    assert not pane.transcribing and pane.notes.toPlainText() == "My own notes"


def test_bad_recordings_say_why(qtbot, window, tmp_path):
    pane = window.show_pane("meeting")
    silent = speech_data.encode(speech_data.noise(4), tmp_path / "quiet.ogg")
    transcribe(qtbot, pane, silent)
    assert "No speech was heard in quiet.ogg" in pane.message.text()
    video = speech_data.video_without_sound(tmp_path / "screen.mp4")
    transcribe(qtbot, pane, video)
    assert "no sound track" in pane.message.text()


def test_no_speech_model_yet(qtbot, window, phone_m4a):
    window.settings = replace(window.settings, asr_model_path="")
    pane = window.show_pane("meeting")
    pane.load_file(phone_m4a)
    assert not pane.transcribing
    assert "no speech model yet" in pane.message.text().lower()


def test_a_request_takes_the_cores_from_the_transcription(qtbot, window, meeting_wav, tmp_path):
    """A rewrite asked for mid-transcription runs at once; the transcription waits, then goes on."""
    pane = window.show_pane("meeting")
    with qtbot.waitSignal(pane.runner.sig_background_finished, timeout=180_000):
        start_long(qtbot, pane, meeting_wav, tmp_path / "long.wav", 8)
        writing = window.show_pane("writing")
        writing.editor.setPlainText("hola")
        answer = run_pane(qtbot, writing)
        assert answer and pane.transcribing  # the request ended while the transcription still had work
    assert len(pane.notes.toPlainText().split("\n")) >= 12


def test_record_transcribe_and_delete_the_recording(qtbot, window, pulse, tmp_path):
    speech = speech_data.speak("Please send the budget report on Monday morning.", tmp_path / "say.wav")
    pane = window.show_pane("meeting")
    panel = pane.record_panel
    panel.set_source("system")
    panel.record_button.click()
    assert panel.recording and panel.pause_button.isVisibleTo(panel)
    import subprocess

    time.sleep(0.3)
    subprocess.run(["paplay", "--device", "meeting", str(speech)], env=pulse["env"], check=True, timeout=30)
    qtbot.wait(600)
    assert panel.elapsed.text() != "00:00"
    path = panel.recorder.path
    assert path.parent == window.paths.recordings and path.exists()
    with qtbot.waitSignal(pane.runner.sig_background_finished, timeout=120_000):
        panel.record_button.click()
    text = pane.notes.toPlainText().lower()
    assert "budget" in text and "monday" in text
    assert not path.exists()  # transcribed: deleted (keep_recordings is off)
    assert pane.kept_recording is None


def test_a_kept_recording_is_moved_aside_but_never_in_privacy_mode(qtbot, window, tmp_path, meeting_wav):
    pane = window.show_pane("meeting")
    for private in (False, True):
        window.settings = replace(window.settings, keep_recordings=True, local_only=private)
        rec = window.paths.recordings / f"Meeting {private}.wav"
        rec.parent.mkdir(parents=True, exist_ok=True)
        rec.write_bytes(meeting_wav.read_bytes())
        transcribe(qtbot, pane, rec, recorded=True)
        assert not rec.exists()
        kept = window.paths.recordings / "kept" / rec.name
        assert kept.exists() is (not private)
        assert pane.kept_recording == (None if private else kept)
        pane.notes.clear()


def test_a_recording_left_by_a_crash_is_offered_at_the_next_start(qtbot, tmp_path, whisper_tiny, meeting_wav,
                                                                  smol_path):
    pcm = audio.decode(meeting_wav).samples
    base = tmp_path / "base"
    folder = base / "data" / "recordings"
    writer = audio.WavWriter(folder / "Meeting 2026-12-03 10.00.00.wav")
    writer.write(pcm.tobytes())
    writer._f.close()  # the bytes reached the disk, the header was never updated: a kill
    w = make_window(qtbot, tmp_path, smol_path, settings=Settings(n_ctx=4096, asr_model_path=str(whisper_tiny)))
    try:
        pane = w.show_pane("meeting")
        banner = pane.leftovers
        assert banner.isVisibleTo(pane) and "Meeting 2026-12-03 10.00.00" in banner.label.text()
        assert f"({int(len(pcm) / audio.SAMPLE_RATE)} s)" in banner.label.text()
        with qtbot.waitSignal(w.runner.sig_background_finished, timeout=120_000):
            banner.transcribe_button.click()
        assert "Friday" in pane.notes.toPlainText()
        assert not banner.isVisibleTo(pane)
        assert list(folder.glob("*.wav")) == []
    finally:
        w.runner.shutdown()
        w.store.close()


def test_rename_a_speaker_and_export_the_transcript(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from test_cli import VTT

    vtt = tmp_path / "standup.vtt"
    vtt.write_text(VTT)
    pane = window.show_pane("meeting")
    pane.load_file(vtt)
    assert pane.notes.speakers() == ["Ana", "Luis"] and pane.rename_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Luis", True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Luis Pérez", True))
    pane.rename_speaker_dialog()
    assert pane.notes.toPlainText().split("\n")[1].startswith("Luis Pérez: I will update")
    assert pane.notes.starts() == [1.0, 4.0]  # the times stay with their lines
    out = tmp_path / "transcript.srt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "SubRip subtitles (*.srt)"))
    pane.export_transcript_dialog()
    srt = out.read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:01,000 --> 00:00:04,000\nAna: We ship on Friday.\n")
    assert "Luis Pérez: I will update the release notes by Thursday." in srt


def test_speech_model_dialog_downloads_and_the_pane_uses_it(qtbot, window, whisper_hub, monkeypatch, phone_m4a):
    from copilot.ui.speech_model_dialog import SpeechModelDialog

    monkeypatch.setenv("HF_ENDPOINT", whisper_hub.url)
    window.settings = replace(window.settings, asr_model_path="")
    window.open_speech_models()
    dialog = window.speech_dialog
    assert isinstance(dialog, SpeechModelDialog) and dialog.entry.key == "whisper-small"
    with qtbot.waitSignal(dialog.sig_model_ready, timeout=60_000):
        dialog.download_button.click()
    folder = window.paths.speech_models / "whisper-small"
    assert window.settings.asr_model_path == str(folder)
    assert "Ready" in dialog.status.text()
    dialog.close()
    pane = window.show_pane("meeting")
    transcribe(qtbot, pane, phone_m4a)
    assert "Friday" in pane.notes.toPlainText()


def test_settings_dialog_keeps_the_meeting_audio_settings(qtbot, whisper_tiny):
    from copilot.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(asr_model_path=str(whisper_tiny), asr_language="es", keep_recordings=True))
    qtbot.addWidget(dialog)
    assert dialog.asr_model.text() == str(whisper_tiny) and dialog.asr_language.currentData() == "es"
    dialog.asr_language.setCurrentIndex(dialog.asr_language.findData(""))
    dialog.keep_recordings.setChecked(False)
    s = dialog.settings()
    assert (s.asr_model_path, s.asr_language, s.keep_recordings) == (str(whisper_tiny), "", False)


def test_a_cited_moment_plays_from_the_kept_recording(qtbot, window, pulse, phone_m4a, whisper_tiny, tmp_path):
    """Click a citation, press Play: that line of the recording comes out of the speakers (here a
    null sink, whose monitor is recorded and transcribed again)."""
    from copilot.core import recorder, speech

    pane = window.show_pane("meeting")
    transcribe(qtbot, pane, phone_m4a)
    assert pane.play_button.isVisibleTo(pane)
    pane.on_citation("cite:2-2")  # Marta's line
    start, end = pane.moment()
    assert start == pane.notes.starts()[1] and end == pane.notes.starts()[2]
    listen = recorder.Recorder(tmp_path / "heard.wav", recorder.open_streams("system"))
    time.sleep(0.3)
    pane.play_button.click()
    assert "Stop" in pane.play_button.text()
    qtbot.waitUntil(lambda: "Play" in pane.play_button.text() and "Stop" not in pane.play_button.text(),
                    timeout=20_000)
    time.sleep(0.5)
    listen.stop()
    result = speech.SpeechTranscript()
    list(speech.transcribe(audio.decode(listen.path), whisper_tiny, result=result))
    heard = " ".join(s.text for s in result.segments).lower()
    assert "friday" in heard and "morning" not in heard  # that line, not the one before


def test_quitting_while_recording_keeps_the_recording_for_the_next_start(qtbot, tmp_path, pulse, smol_path,
                                                                          whisper_tiny):
    from copilot.core.recorder import leftover_recordings

    w = make_window(qtbot, tmp_path, smol_path, settings=Settings(n_ctx=4096, asr_model_path=str(whisper_tiny)))
    try:
        pane = w.show_pane("meeting")
        pane.record_panel.record_button.click()
        qtbot.waitUntil(lambda: pane.record_panel.recorder.seconds >= 1.0, timeout=15_000)
        path = pane.record_panel.recorder.path
        w.quit()
        assert not pane.record_panel.recording and path.exists()
        ((found, seconds),) = leftover_recordings(w.paths.recordings)
        assert found == path and seconds >= 1.0
    finally:
        w.runner.shutdown()
        w.store.close()
