"""Decoding every format the Meeting pane takes, the bad files, speech regions, crash-safe .wav."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from copilot.core import audio
from tests import speech_data


@pytest.fixture(scope="module")
def speech_pcm(meeting_wav):
    return audio.decode(meeting_wav).samples


@pytest.mark.parametrize("suffix", audio.AUDIO_SUFFIXES)
def test_every_listed_format_decodes_to_16k_mono(suffix, speech_pcm, tmp_path):
    path = speech_data.encode(speech_pcm, tmp_path / f"meeting{suffix}")
    decoded = audio.decode(path)
    assert decoded.samples.dtype == np.int16
    assert not decoded.truncated
    # the same length within a codec frame or two (encoders pad the start and the end)
    assert abs(decoded.seconds - len(speech_pcm) / audio.SAMPLE_RATE) < 0.2
    assert audio.speech_regions(decoded.samples)  # the speech survived the codec


def test_the_suffix_list_is_the_one_the_encoders_know():
    assert set(speech_data.ENCODINGS) == set(audio.AUDIO_SUFFIXES)


def test_empty_file(tmp_path):
    path = tmp_path / "call.m4a"
    path.write_bytes(b"")
    with pytest.raises(audio.AudioError, match="empty"):
        audio.decode(path)


def test_missing_file(tmp_path):
    with pytest.raises(audio.AudioError, match="not found"):
        audio.decode(tmp_path / "gone.mp3")


def test_not_a_recording(tmp_path):
    path = tmp_path / "call.mp3"
    path.write_bytes(os.urandom(4000))
    with pytest.raises(audio.AudioError, match="cannot be read"):
        audio.decode(path)


def test_video_without_sound(tmp_path):
    path = speech_data.video_without_sound(tmp_path / "screen.mp4")
    with pytest.raises(audio.AudioError, match="no sound track"):
        audio.decode(path)


@pytest.mark.parametrize("suffix", [".mp3", ".flac", ".ogg", ".wav"])
def test_truncated_file_keeps_what_was_readable(suffix, speech_pcm, tmp_path):
    full = speech_data.encode(speech_pcm, tmp_path / f"full{suffix}")
    cut = tmp_path / f"cut{suffix}"
    data = full.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    decoded = audio.decode(cut)
    assert 0.3 * len(speech_pcm) < len(decoded.samples) < 0.7 * len(speech_pcm)
    if suffix == ".flac":  # its header records the length; the others end where the bytes end
        assert decoded.truncated


def test_truncated_mp4_says_it_is_incomplete(speech_pcm, tmp_path):
    full = speech_data.encode(speech_pcm, tmp_path / "full.mp4")
    cut = tmp_path / "phone.m4a"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(audio.AudioError, match="incomplete"):
        audio.decode(cut)


def test_cancel_stops_decoding(speech_pcm, tmp_path):
    import threading

    path = speech_data.encode(speech_pcm, tmp_path / "m.flac")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(audio.Cancelled):
        audio.decode(path, cancel=cancel)


def test_speech_regions_find_the_lines_and_skip_the_room():
    line = speech_data.noise(1.5, level=0.2, seed=3)  # loud: speech-like energy
    pcm = np.concatenate([speech_data.noise(2), line, speech_data.noise(3, seed=1), line, speech_data.noise(2)])
    regions = audio.speech_regions(pcm)
    assert len(regions) == 2
    (s1, e1), (s2, e2) = regions
    assert s1 == pytest.approx(2.0, abs=0.35) and e1 == pytest.approx(3.5, abs=0.35)
    assert s2 == pytest.approx(6.5, abs=0.35) and e2 == pytest.approx(8.0, abs=0.35)


def test_silence_and_hum_have_no_speech():
    assert audio.speech_regions(speech_data.silence(10)) == []
    assert audio.speech_regions(speech_data.noise(10)) == []
    assert audio.speech_regions(np.zeros(10, np.int16)) == []


def test_timeline_maps_back_to_the_recording():
    timeline = audio.Timeline([(2.0, 3.0), (10.0, 12.0)])
    assert timeline.length == 3.0
    assert timeline.to_original(0.5) == 2.5
    assert timeline.to_original(1.5) == 10.5
    assert timeline.to_original(2.9) == pytest.approx(11.9)
    assert timeline.to_original(9.0) == 12.0  # never past the region


def test_chunks_stay_under_the_limit_and_keep_long_turns_whole():
    regions = [(i * 10.0, i * 10.0 + 8) for i in range(10)] + [(200.0, 600.0)]
    groups = audio.chunks(regions, max_seconds=30)
    assert [r for g in groups for r in g] == regions
    assert all(sum(e - s for s, e in g) <= 30 for g in groups if len(g) > 1)
    assert groups[-1] == [(200.0, 600.0)]


def test_wav_writer_survives_a_kill(tmp_path):
    """A recording process killed mid-way leaves a playable .wav of all but the last second."""
    path = tmp_path / "recording.wav"
    script = textwrap.dedent(f"""
        import os, signal, time, numpy as np
        from copilot.core.audio import WavWriter
        w = WavWriter({str(path)!r})
        tone = (np.sin(np.arange(1600) / 5) * 8000).astype(np.int16).tobytes()  # 0.1 s
        for i in range(35):  # 3.5 s, synced each second
            w.write(tone)
            if i % 10 == 9:
                w.sync()
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd(), timeout=60)
    assert proc.returncode == -9
    seconds = audio.repair_wav(path)
    assert 3.0 <= seconds <= 3.5  # the unsynced tail may or may not have reached the disk
    decoded = audio.decode(path)
    assert decoded.seconds == pytest.approx(seconds, abs=0.01)


def test_wav_writer_header_tells_the_truth_after_sync(tmp_path):
    w = audio.WavWriter(tmp_path / "r.wav")
    w.write(b"\x01\x00" * 16000)
    w.sync()
    assert audio.decode(w.path).seconds == pytest.approx(1.0)
    w.write(b"\x01\x00" * 8000)
    w.close()
    assert audio.decode(w.path).seconds == pytest.approx(1.5)


def test_repair_refuses_a_foreign_file(tmp_path):
    path = tmp_path / "x.wav"
    path.write_bytes(b"not a wav at all, really")
    with pytest.raises(audio.AudioError):
        audio.repair_wav(path)
