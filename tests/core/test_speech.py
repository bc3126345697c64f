"""Transcription with the real Whisper tiny.en (CTranslate2) over espeak-ng speech."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from copilot.core import audio, speech
from copilot.core.documents import parse_srt, parse_vtt
from tests import speech_data
from tests.conftest import MEETING_LINES


@pytest.fixture(scope="module")
def heard(meeting_wav, whisper_tiny):
    result = speech.SpeechTranscript()
    progress = list(speech.transcribe(audio.decode(meeting_wav), whisper_tiny, result=result))
    return result, progress


def test_words_and_times_of_each_line(heard):
    result, _ = heard
    assert result.language == "en"
    text = " ".join(s.text for s in result.segments)
    assert speech_data.word_error_rate(" ".join(MEETING_LINES), text) < 0.35
    assert "budget" in text.lower() and "friday" in text.lower()
    # the lines start after the 2 s of room noise, in order, inside the recording
    starts = [s.start for s in result.segments]
    assert starts == sorted(starts)
    assert 1.4 <= starts[0] <= 3.0
    assert result.segments[-1].end <= result.duration + 0.01
    march = next(s for s in result.segments if "decided" in s.text.lower())
    budget = next(s for s in result.segments if "friday" in s.text.lower())
    assert budget.start < march.start or budget is march


def test_progress_reaches_the_end(heard):
    result, progress = heard
    assert progress[-1].done == progress[-1].total == result.duration
    assert sum(len(p.segments) for p in progress) == len(result.segments)
    dones = [p.done for p in progress]
    assert dones == sorted(dones)


def test_times_follow_the_recording_across_a_long_pause(meeting_wav, whisper_tiny):
    """Speech regions are laid end to end for Whisper; the times come back in the recording's."""
    pcm = audio.decode(meeting_wav).samples
    gap = speech_data.noise(40.0, seed=9)
    decoded = audio.Decoded(np.concatenate([pcm, gap, pcm]), truncated=False)
    result = speech.SpeechTranscript()
    list(speech.transcribe(decoded, whisper_tiny, result=result, chunk_seconds=15))
    second = [s for s in result.segments if s.start > len(pcm) / audio.SAMPLE_RATE + 40]
    assert second, [(s.start, s.text) for s in result.segments]
    assert second[0].start == pytest.approx(len(pcm) / audio.SAMPLE_RATE + 40 + 2.0, abs=1.0)


def test_silence_gives_no_lines_and_no_invented_text(whisper_tiny):
    decoded = audio.Decoded(speech_data.noise(20.0), truncated=False)
    result = speech.SpeechTranscript()
    list(speech.transcribe(decoded, whisper_tiny, result=result))
    assert result.segments == []


def test_cancel_between_lines(meeting_wav, whisper_tiny):
    cancel = threading.Event()
    updates = speech.transcribe(audio.decode(meeting_wav), whisper_tiny, cancel=cancel)
    next(updates)
    cancel.set()
    with pytest.raises(audio.Cancelled):
        next(updates)


def test_english_only_model_refuses_spanish(meeting_wav, whisper_tiny):
    with pytest.raises(speech.SpeechModelError, match="English only"):
        list(speech.transcribe(audio.decode(meeting_wav), whisper_tiny, language="es"))


def test_model_folder_checks(tmp_path, whisper_tiny):
    assert speech.check_model_dir(whisper_tiny) == whisper_tiny
    assert speech.check_model_dir(whisper_tiny / "model.bin") == whisper_tiny
    with pytest.raises(speech.SpeechModelError, match="not a folder"):
        speech.check_model_dir(tmp_path / "nothing")
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(speech.SpeechModelError, match="config.json, tokenizer.json are missing"):
        speech.check_model_dir(tmp_path)
    assert not speech.load_model(whisper_tiny).model.is_multilingual


def test_corrupt_model_is_a_clear_error(tmp_path, whisper_tiny):
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (tmp_path / name).write_bytes((whisper_tiny / name).read_bytes())
    (tmp_path / "model.bin").write_bytes((whisper_tiny / "model.bin").read_bytes()[:100_000])
    with pytest.raises(speech.SpeechModelError, match="could not be loaded"):
        speech.load_model(tmp_path)


def test_find_model_prefers_the_chosen_one(tmp_path, whisper_tiny):
    assert speech.find_model(str(whisper_tiny), tmp_path) == whisper_tiny
    assert speech.find_model("", tmp_path) is None
    folder = tmp_path / "whisper-small"
    folder.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_bytes(b"x")
    assert speech.find_model("", tmp_path) == folder


SEGMENTS = [speech.Segment(1.5, 4.25, "Hello everyone."), speech.Segment(65.0, 0.0, "Budget by Friday.", "Marta")]


def test_exports_read_back_as_transcripts():
    vtt = speech.export(SEGMENTS, "vtt", duration=70)
    assert vtt.startswith("WEBVTT")
    assert "00:00:01.500 --> 00:00:04.250" in vtt and "<v Marta>Budget by Friday." in vtt
    parsed = parse_vtt(vtt)
    assert [u.start for u in parsed.utterances] == [1.5, 65.0]
    assert parsed.utterances[1].speaker == "Marta"
    srt = speech.export(SEGMENTS, "srt", duration=70)
    assert "00:01:05,000 --> 00:01:10,000" in srt  # no end of its own: to the end of the recording
    assert [u.start for u in parse_srt(srt).utterances] == [1.5, 65.0]
    assert speech.export(SEGMENTS, "txt").splitlines() == ["[00:00:01] Hello everyone.",
                                                          "[00:01:05] Marta: Budget by Friday."]
    data = json.loads(speech.export(SEGMENTS, "json", language="en", duration=70))
    assert data["language"] == "en" and data["segments"][0] == {"start": 1.5, "end": 4.25,
                                                                "text": "Hello everyone.", "speaker": ""}
    with pytest.raises(ValueError):
        speech.export(SEGMENTS, "docx")


def test_to_transcript_keeps_the_times():
    transcript = speech.SpeechTranscript(SEGMENTS, "en", 70).to_transcript()
    assert transcript.to_text() == "Hello everyone.\nMarta: Budget by Friday."
    assert transcript.line_starts() == [1.5, 65.0]
