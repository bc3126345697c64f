"""Recording through a real PulseAudio daemon with a null sink: speech played into the sink is
the "computer's sound", its monitor is also the default "microphone"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from copilot.core import audio, recorder, speech
from tests import speech_data
from tests.pulse import start_pulse


def _play(pulse, wav, sink="meeting"):
    return subprocess.Popen(["paplay", "--device", sink, str(wav)], env=pulse["env"])


@pytest.fixture(scope="module")
def spoken(tmp_path_factory):
    if not speech_data.espeak_available():
        pytest.skip("espeak-ng is needed")
    return speech_data.speak("The quarterly budget review is moved to Thursday afternoon.",
                             tmp_path_factory.mktemp("say") / "say.wav")


@pytest.mark.parametrize("source", ["system", "both"])
def test_record_the_computers_sound_and_transcribe_it(pulse, spoken, whisper_tiny, tmp_path, source):
    rec = recorder.Recorder(tmp_path / "call.wav", recorder.open_streams(source))
    time.sleep(0.5)
    _play(pulse, spoken).wait(30)
    time.sleep(0.8)
    path = rec.stop()
    assert rec.error is None
    assert not rec.running
    decoded = audio.decode(path)
    assert decoded.seconds == pytest.approx(rec.seconds, abs=0.01)
    result = speech.SpeechTranscript()
    list(speech.transcribe(decoded, whisper_tiny, result=result))
    text = " ".join(s.text for s in result.segments).lower()
    assert "budget" in text and "thursday" in text


def test_level_follows_the_sound(pulse, spoken, tmp_path):
    rec = recorder.Recorder(tmp_path / "level.wav", recorder.open_streams("mic"))
    time.sleep(0.5)
    quiet = rec.level
    player = _play(pulse, spoken)
    peak = 0.0
    while player.poll() is None:
        peak = max(peak, rec.level)
        time.sleep(0.05)
    rec.stop()
    assert quiet < 0.01 < peak


def test_pause_leaves_the_paused_time_out(pulse, tmp_path):
    rec = recorder.Recorder(tmp_path / "paused.wav", recorder.open_streams("mic"))
    time.sleep(1.0)
    rec.pause()
    assert rec.paused
    time.sleep(1.5)
    rec.resume()
    time.sleep(1.0)
    rec.stop()
    assert 1.6 <= rec.seconds <= 2.6
    assert audio.decode(rec.path).seconds == pytest.approx(rec.seconds, abs=0.01)


def test_a_killed_recording_is_found_at_the_next_start(pulse, tmp_path):
    folder = tmp_path / "recordings"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from copilot.core import recorder
        rec = recorder.Recorder(Path({str(folder / 'Meeting.wav')!r}), recorder.open_streams("mic"))
        time.sleep(30)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], env=pulse["env"], cwd=os.getcwd())
    time.sleep(4.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    (found,) = recorder.leftover_recordings(folder)
    path, seconds = found
    assert path.name == "Meeting.wav"
    assert 1.0 <= seconds <= 4.0  # all but the last second (the start-up took some of the 4 s)
    assert audio.decode(path).seconds == pytest.approx(seconds, abs=0.01)


def test_empty_leftovers_are_deleted(tmp_path):
    w = audio.WavWriter(tmp_path / "empty.wav")
    w.close()
    assert recorder.leftover_recordings(tmp_path) == []
    assert not (tmp_path / "empty.wav").exists()
    assert recorder.leftover_recordings(tmp_path / "none") == []


def test_a_sound_server_that_goes_away_stops_the_recording_and_keeps_it(tmp_path, monkeypatch):
    """The device (here: the whole sound server) disappears mid-recording."""
    daemon, server, _env = start_pulse(tmp_path)
    monkeypatch.setenv("PULSE_SERVER", server)
    rec = recorder.Recorder(tmp_path / "unplugged.wav", recorder.open_streams("mic"))
    for _ in range(100):  # a fresh null sink takes a moment before its monitor sends anything
        if rec.seconds >= 1.0:
            break
        time.sleep(0.1)
    daemon.kill()
    daemon.wait(10)
    for _ in range(50):
        if not rec.running:
            break
        time.sleep(0.1)
    assert not rec.running
    assert "microphone stopped sending sound" in rec.error and "kept" in rec.error
    assert audio.decode(rec.path).seconds >= 1.0


def test_unknown_device_is_a_clear_error(pulse):
    with pytest.raises(recorder.RecordingError, match="could not be opened"):
        recorder.PulseStream("no-such-source", "microphone")


def test_a_full_disk_refuses_to_start_and_stops_keeping_the_file(pulse, tmp_path, monkeypatch):
    with pytest.raises(recorder.RecordingError, match="MB free"):
        recorder.Recorder(tmp_path / "x.wav", recorder.open_streams("mic"), disk_free=lambda p: 10 * 2**20)
    written = []

    def write(self, pcm):
        if self.data_bytes > 32000:  # after a second: the disk fills up
            raise OSError(28, "No space left on device")
        written.append(len(pcm))
        self._f.write(pcm)
        self.data_bytes += len(pcm)

    monkeypatch.setattr(audio.WavWriter, "write", write)
    rec = recorder.Recorder(tmp_path / "full.wav", recorder.open_streams("mic"))
    for _ in range(50):
        if not rec.running:
            break
        time.sleep(0.1)
    assert not rec.running
    assert "No space left on device" in rec.error and "kept" in rec.error
    assert audio.decode(rec.path).seconds >= 1.0
