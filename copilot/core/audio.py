"""Meeting audio: decode any recording to 16 kHz mono, find where people speak, and write a
recording to disk so that a crash loses at most the last second.

Decoding goes through PyAV, which carries FFmpeg and its codecs inside its wheel: the user never
installs anything. Speech is found with an energy detector (a few numpy lines) rather than
Silero's ONNX model, so the bundle needs no ONNX runtime (~70 MB); it only has to tell talk
from the silence and room noise between turns, which is where Whisper invents text.
"""

from __future__ import annotations

import bisect
import os
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

SAMPLE_RATE = 16_000  # what Whisper listens at
AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".webm", ".mp4", ".mkv", ".mov")
# 12 hours: past this it is not a meeting (a day of surveillance footage, a disk image renamed)
MAX_SECONDS = 12 * 3600


class AudioError(ValueError):
    """A recording that cannot be used, with what the user can do about it."""


class Cancelled(Exception):
    """The user stopped the work."""


def format_duration(seconds: float) -> str:
    """"1 h 5 min", "12 min 3 s", "45 s": a recording's length or the time left."""
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def is_audio(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in AUDIO_SUFFIXES


@dataclass(frozen=True)
class Decoded:
    samples: np.ndarray  # int16, mono, SAMPLE_RATE
    truncated: bool  # the file ended early or was damaged part-way: what came before is kept

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def floats(self, start: int = 0, end: int | None = None) -> np.ndarray:
        return self.samples[start:end].astype(np.float32) / 32768.0


def probe_seconds(path: str | os.PathLike) -> float | None:
    """The length of the recording's audio as its container says (None when it does not)."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                return None
            if stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
            return container.duration / 1e6 if container.duration else None
    except Exception:
        return None


def decode(path: str | os.PathLike, *, on_progress: Callable[[float, float | None], None] | None = None,
           cancel: threading.Event | None = None) -> Decoded:
    """The first audio track of ``path`` as 16 kHz mono int16. ``on_progress(done_s, total_s)``
    is called as it goes. Raises AudioError with a message for the user."""
    import av

    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise AudioError(f"{name} was not found in {path.parent}. Check that it still exists, then choose "
                         "it again.") from None
    except OSError as exc:
        raise AudioError(f"{name} could not be read ({exc.strerror or exc}).") from None
    if size == 0:
        raise AudioError(f"{name} is empty (0 bytes): the recording was not saved. Choose the file again "
                         "once it has been copied completely.")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.PermissionError:
        raise AudioError(f"{name} could not be opened: permission denied.") from None
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise AudioError(f"{name} cannot be read: it is damaged, incomplete (still being copied from the phone?) "
                         f"or not a recording ({_reason(exc)}). If it plays elsewhere, export it as .wav, .mp3 or "
                         ".m4a and try again.") from None
    with container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise AudioError(f"{name} has no sound track (it is a video without audio, or not a recording). "
                             "Choose the file that holds the meeting's sound.")
        if stream.codec_context is None or not stream.codec_context.name:
            raise AudioError(f"{name}: its sound is in a format that cannot be decoded. Export it as .wav, "
                             ".mp3 or .m4a and try again.")
        total = promised = None  # promised: what the stream says it holds; total: also estimates
        if stream.duration and stream.time_base:
            total = promised = float(stream.duration * stream.time_base)
            if container.format.name in ("aac", "mp3"):
                promised = None  # raw streams: FFmpeg guesses their length from the bit rate
        elif container.duration:
            total = container.duration / 1e6  # from the bit rate, for raw AAC or MP3
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        parts: list[np.ndarray] = []
        done = 0
        truncated = False
        last_report = -1.0
        try:
            for frame in container.decode(stream):
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    parts.append(chunk)
                    done += len(chunk)
                if done > MAX_SECONDS * SAMPLE_RATE:
                    raise AudioError(f"{name} is longer than {MAX_SECONDS // 3600} hours: split it, then "
                                     "transcribe the parts.")
                seconds = done / SAMPLE_RATE
                if on_progress is not None and seconds - last_report >= 5:
                    on_progress(seconds, total)
                    last_report = seconds
        except (av.error.FFmpegError, ValueError) as exc:
            if not parts:
                raise AudioError(f"{name} could not be decoded ({_reason(exc)}). The file may be damaged or "
                                 "still being copied.") from None
            truncated = True  # a damaged or cut-off file: keep what was readable
        try:
            for out in resampler.resample(None):
                parts.append(out.to_ndarray().reshape(-1))
        except (av.error.FFmpegError, ValueError):
            truncated = True
    samples = np.concatenate(parts).astype(np.int16, copy=False) if parts else np.zeros(0, np.int16)
    if promised and len(samples) < 0.97 * promised * SAMPLE_RATE - SAMPLE_RATE:
        truncated = True  # the container promised more than the data held
    if not len(samples):
        raise AudioError(f"{name} holds no sound that could be decoded. The file may be damaged.")
    if on_progress is not None:
        on_progress(len(samples) / SAMPLE_RATE, total)
    return Decoded(samples, truncated)


def decode_range(path: str | os.PathLike, start: float, end: float | None = None) -> np.ndarray:
    """``start``..``end`` seconds of ``path`` as 16 kHz mono int16 (playing a cited moment):
    a seek, then only the frames needed. Raises AudioError."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise AudioError(f"{Path(path).name} has no sound track.")
            if start > 0 and stream.time_base:
                container.seek(int(start / stream.time_base), stream=stream)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            parts: list[np.ndarray] = []
            first: float | None = None
            for frame in container.decode(stream):
                t = float(frame.pts * stream.time_base) if frame.pts is not None and stream.time_base else 0.0
                if first is None:
                    first = t
                if end is not None and t >= end:
                    break
                for out in resampler.resample(frame):
                    parts.append(out.to_ndarray().reshape(-1))
    except av.error.FFmpegError as exc:
        raise AudioError(f"{Path(path).name} could not be played ({_reason(exc)}).") from None
    samples = np.concatenate(parts) if parts else np.zeros(0, np.int16)
    skip = max(0, int((start - (first or 0.0)) * SAMPLE_RATE))  # the seek lands on a frame before start
    samples = samples[skip:]
    if end is not None:
        samples = samples[: max(0, int((end - start) * SAMPLE_RATE))]
    return samples.astype(np.int16, copy=False)


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text.split(":")[-1].strip() or type(exc).__name__


# --------------------------------------------------------------------------- speech regions


FRAME = 480  # 30 ms at 16 kHz


def speech_regions(samples: np.ndarray, *, min_speech: float = 0.25, hangover: float = 0.3,
                   merge_gap: float = 0.6) -> list[tuple[float, float]]:
    """Where someone speaks, as (start, end) seconds: frames clearly above the recording's own
    noise floor, widened by ``hangover`` (word endings are quiet), gaps under ``merge_gap``
    closed, blips under ``min_speech`` dropped. Silence and steady hum give nothing."""
    n = len(samples) // FRAME
    if n == 0:
        return []
    frames = samples[: n * FRAME].astype(np.float32).reshape(n, FRAME) / 32768.0
    rms = np.sqrt(np.mean(frames * frames, axis=1) + 1e-12)
    db = 20 * np.log10(rms)
    floor = float(np.percentile(db, 10))
    # 12 dB above the room, and never below -50 dBFS: a digital-silence floor would make every
    # breath speech
    threshold = max(floor + 12.0, -50.0)
    active = db > threshold
    if not active.any():
        return []
    frame_s = FRAME / SAMPLE_RATE
    regions: list[list[float]] = []
    idx = np.flatnonzero(active)
    start = prev = idx[0]
    for i in idx[1:]:
        if (i - prev) * frame_s > merge_gap:
            regions.append([start * frame_s, (prev + 1) * frame_s])
            start = i
        prev = i
    regions.append([start * frame_s, (prev + 1) * frame_s])
    total = len(samples) / SAMPLE_RATE
    out: list[tuple[float, float]] = []
    for s, e in regions:
        if e - s < min_speech:
            continue
        s, e = max(0.0, s - hangover), min(total, e + hangover)
        if out and s - out[-1][1] < merge_gap:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class Timeline:
    """The speech regions laid end to end (what Whisper hears), and back to the recording's time."""

    def __init__(self, regions: Sequence[tuple[float, float]]) -> None:
        self.regions = list(regions)
        self._compact: list[float] = []  # where each region starts in the compact audio
        t = 0.0
        for s, e in self.regions:
            self._compact.append(t)
            t += e - s
        self.length = t

    def to_original(self, t: float) -> float:
        if not self.regions:
            return t
        i = max(0, bisect.bisect_right(self._compact, t) - 1)
        s, e = self.regions[i]
        return min(s + (t - self._compact[i]), e)

    def compact(self, samples: np.ndarray) -> np.ndarray:
        return np.concatenate([samples[int(s * SAMPLE_RATE):int(e * SAMPLE_RATE)] for s, e in self.regions]) \
            if self.regions else samples[:0]


def chunks(regions: Sequence[tuple[float, float]], max_seconds: float = 300.0) -> list[list[tuple[float, float]]]:
    """The regions in groups of at most ``max_seconds`` of speech (one long turn stays whole), so
    a two-hour meeting is transcribed piece by piece in bounded memory and its lines arrive early."""
    groups: list[list[tuple[float, float]]] = []
    length = 0.0
    for region in regions:
        if groups and length + (region[1] - region[0]) <= max_seconds:
            groups[-1].append(region)
            length += region[1] - region[0]
        else:
            groups.append([region])
            length = region[1] - region[0]
    return groups


# --------------------------------------------------------------------------- recording to disk


_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")


def _wav_header(data_bytes: int, rate: int = SAMPLE_RATE, channels: int = 1) -> bytes:
    return _HEADER.pack(b"RIFF", 36 + data_bytes, b"WAVE", b"fmt ", 16, 1, channels, rate, rate * channels * 2,
                        channels * 2, 16, b"data", data_bytes)


class WavWriter:
    """A 16-bit PCM .wav written as it goes: ``write`` appends, ``sync`` (each second) makes the
    header tell the truth and pushes the bytes to the disk, so a killed app leaves a playable file
    short of at most the last second. OSError (a full disk) reaches the caller, the file kept."""

    def __init__(self, path: str | os.PathLike, rate: int = SAMPLE_RATE) -> None:
        self.path = Path(path)
        self.rate = rate
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(self.path, "wb")
        self._f.write(_wav_header(0, rate))
        self.data_bytes = 0

    @property
    def seconds(self) -> float:
        return self.data_bytes / (2 * self.rate)

    def write(self, pcm: bytes) -> None:
        self._f.write(pcm)
        self.data_bytes += len(pcm)

    def sync(self) -> None:
        self._f.flush()
        self._f.seek(0)
        self._f.write(_wav_header(self.data_bytes, self.rate))
        self._f.seek(0, os.SEEK_END)
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        if self._f.closed:
            return
        try:
            self.sync()
        finally:
            self._f.close()


def repair_wav(path: str | os.PathLike) -> float:
    """After a crash: make the header of one of our recordings match the bytes that reached the
    disk (an odd trailing byte is dropped). Returns the recording's seconds."""
    path = Path(path)
    with open(path, "r+b") as f:
        head = f.read(_HEADER.size)
        if len(head) < _HEADER.size or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            raise AudioError(f"{path.name} is not a recording made by this app.")
        rate = struct.unpack_from("<I", head, 24)[0] or SAMPLE_RATE
        size = f.seek(0, os.SEEK_END)
        data = max(0, size - _HEADER.size) & ~1
        f.truncate(_HEADER.size + data)
        f.seek(0)
        f.write(_wav_header(data, rate))
    return data / (2 * rate)
