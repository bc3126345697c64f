"""Record a meeting: the microphone, the computer's own sound (the other side of a call), or both,
written to a .wav in the app's data folder as it goes (core.audio.WavWriter: a crash loses at
most the last second; the next start finds the file and offers to transcribe it).

Linux: PulseAudio's simple API through ctypes (libpulse-simple.so.0, present wherever PulseAudio
or PipeWire's Pulse server runs); the computer's sound is the default output's monitor source.
Windows and macOS: PortAudio through `sounddevice` when it is installed, microphone only (no
loopback capture is wired up there yet); the UI says so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as _dt
import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import numpy as np

from copilot.core.audio import SAMPLE_RATE, AudioError, WavWriter, format_duration, probe_seconds, repair_wav

log = logging.getLogger("copilot.recorder")

SOURCES = ("mic", "system", "both")
CHUNK_SECONDS = 0.1
_CHUNK_BYTES = int(SAMPLE_RATE * CHUNK_SECONDS) * 2
MIN_FREE_BYTES = 200 * 1024 * 1024  # ~1.8 h of 16 kHz mono: below this, do not start


class RecordingError(RuntimeError):
    """Recording cannot start or had to stop, with what the user can do about it."""


# --------------------------------------------------------------------------- PulseAudio


class _SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8)]


class _BufferAttr(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint32) for n in ("maxlength", "tlength", "prebuf", "minreq", "fragsize")]


_PA_SAMPLE_S16LE, _PA_STREAM_PLAYBACK, _PA_STREAM_RECORD = 3, 1, 2
_pulse: ctypes.CDLL | None = None
_pulse_error: ctypes.CDLL | None = None


def _libpulse() -> tuple[ctypes.CDLL, ctypes.CDLL]:
    global _pulse, _pulse_error
    if _pulse is None:
        name = ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0"
        try:
            lib = ctypes.CDLL(name)
            err = ctypes.CDLL(ctypes.util.find_library("pulse") or "libpulse.so.0")
        except OSError:
            raise RecordingError("Recording needs PulseAudio or PipeWire (libpulse-simple.so.0 was not found). "
                                 "Install your desktop's sound server, or import a recording instead.") from None
        lib.pa_simple_new.restype = ctypes.c_void_p
        lib.pa_simple_new.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                      ctypes.c_char_p, ctypes.POINTER(_SampleSpec), ctypes.c_void_p,
                                      ctypes.POINTER(_BufferAttr), ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_read.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_write.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_drain.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_flush.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        lib.pa_simple_free.argtypes = [ctypes.c_void_p]
        err.pa_strerror.restype = ctypes.c_char_p
        err.pa_strerror.argtypes = [ctypes.c_int]
        _pulse, _pulse_error = lib, err
    return _pulse, _pulse_error


class PulseStream:
    """One PulseAudio capture stream of 16 kHz mono s16; ``device`` None is the default input."""

    def __init__(self, device: str | None, label: str) -> None:
        lib, err = _libpulse()
        self._lib, self._err, self.label = lib, err, label
        spec = _SampleSpec(_PA_SAMPLE_S16LE, SAMPLE_RATE, 1)
        attr = _BufferAttr(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, _CHUNK_BYTES)
        code = ctypes.c_int(0)
        self._s = lib.pa_simple_new(None, b"Private Copilot", _PA_STREAM_RECORD,
                                    device.encode() if device else None, label.encode(), ctypes.byref(spec), None,
                                    ctypes.byref(attr), ctypes.byref(code))
        if not self._s:
            raise RecordingError(f"The {label} could not be opened ({self._why(code)}). Check that it is connected "
                                 "and allowed in your sound settings.")

    def _why(self, code: ctypes.c_int) -> str:
        return (self._err.pa_strerror(code.value) or b"unknown error").decode(errors="replace")

    def read(self) -> bytes:
        buf = ctypes.create_string_buffer(_CHUNK_BYTES)
        code = ctypes.c_int(0)
        if self._lib.pa_simple_read(self._s, buf, _CHUNK_BYTES, ctypes.byref(code)) < 0:
            raise RecordingError(f"The {self.label} stopped sending sound ({self._why(code)}).")
        return buf.raw

    def close(self) -> None:
        if self._s:
            self._lib.pa_simple_free(self._s)
            self._s = None


class PulsePlayback:
    """A PulseAudio playback stream of 16 kHz mono s16 to the default output."""

    def __init__(self) -> None:
        lib, err = _libpulse()
        self._lib, self._err = lib, err
        spec = _SampleSpec(_PA_SAMPLE_S16LE, SAMPLE_RATE, 1)
        code = ctypes.c_int(0)
        self._s = lib.pa_simple_new(None, b"Private Copilot", _PA_STREAM_PLAYBACK, None, b"Meeting moment",
                                    ctypes.byref(spec), None, None, ctypes.byref(code))
        if not self._s:
            raise RecordingError("The recording cannot be played: the sound output could not be opened "
                                 f"({(err.pa_strerror(code.value) or b'').decode(errors='replace')}).")

    def write(self, pcm: bytes) -> None:
        code = ctypes.c_int(0)
        if self._lib.pa_simple_write(self._s, pcm, len(pcm), ctypes.byref(code)) < 0:
            raise RecordingError("Playback stopped: the sound output went away.")

    def drain(self) -> None:
        self._lib.pa_simple_drain(self._s, ctypes.byref(ctypes.c_int(0)))

    def close(self, flush: bool = False) -> None:
        if self._s:
            if flush:
                self._lib.pa_simple_flush(self._s, ctypes.byref(ctypes.c_int(0)))
            self._lib.pa_simple_free(self._s)
            self._s = None


class Player:
    """Play ``start``..``end`` seconds of a recording (a cited moment) on a thread; ``stop`` ends it."""

    def __init__(self, path: Path, start: float, end: float | None = None) -> None:
        if not sys.platform.startswith("linux"):
            raise RecordingError("Playing a moment of the recording is available on Linux only for now.")
        from copilot.core.audio import decode_range

        self.samples = decode_range(path, start, end)
        self._out = PulsePlayback()
        self._stop = threading.Event()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="copilot-player", daemon=True)
        self._thread.start()

    @property
    def playing(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        step = _CHUNK_BYTES // 2
        try:
            for i in range(0, len(self.samples), step):
                if self._stop.is_set():
                    break
                self._out.write(self.samples[i:i + step].tobytes())
            if not self._stop.is_set():
                self._out.drain()
        except RecordingError as exc:
            self.error = str(exc)
        finally:
            self._out.close(flush=self._stop.is_set())


class SoundDeviceStream:
    """PortAudio's default input (Windows, macOS), through the optional `sounddevice` package."""

    def __init__(self, label: str) -> None:
        try:
            import sounddevice
        except (ImportError, OSError):
            raise RecordingError("Recording is not available in this installation: import a recording "
                                 "(File > Open) instead.") from None
        self.label = label
        try:
            self._stream = sounddevice.RawInputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                                      blocksize=_CHUNK_BYTES // 2)
            self._stream.start()
        except Exception as exc:
            raise RecordingError(f"The {label} could not be opened ({exc}). Check that it is connected and that "
                                 "Private Copilot may use it (privacy settings).") from None

    def read(self) -> bytes:
        try:
            data, _overflowed = self._stream.read(_CHUNK_BYTES // 2)
        except Exception as exc:
            raise RecordingError(f"The {self.label} stopped sending sound ({exc}).") from None
        return bytes(data)

    def close(self) -> None:
        self._stream.close()


def system_sound_supported() -> bool:
    """Whether the computer's own sound can be recorded here (Linux' monitor sources)."""
    return sys.platform.startswith("linux")


def open_streams(source: str) -> list:
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if not sys.platform.startswith("linux"):
        if source != "mic":
            raise RecordingError("Recording the computer's sound is available on Linux only for now; record the "
                                 "microphone, or import the call's recording.")
        return [SoundDeviceStream("microphone")]
    streams = []
    try:
        if source in ("mic", "both"):
            streams.append(PulseStream(None, "microphone"))
        if source in ("system", "both"):
            streams.append(PulseStream("@DEFAULT_MONITOR@", "computer's sound"))
    except RecordingError:
        for s in streams:
            s.close()
        raise
    return streams


# --------------------------------------------------------------------------- the recording


def new_recording_path(folder: Path) -> Path:
    stamp = _dt.datetime.now().strftime("%Y-%m-%d %H.%M.%S")
    return folder / f"Meeting {stamp}.wav"


class Recorder:
    """Record from ``streams`` (PulseStream…) into ``path`` on a thread of its own. The GUI reads
    ``level``, ``seconds`` and ``error``; ``pause``/``resume``/``stop`` may come from any thread."""

    def __init__(self, path: Path, streams: list, *, sync_every: float = 1.0,
                 disk_free: Callable[[Path], int] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        free = (disk_free or (lambda p: shutil.disk_usage(p).free))(self.path.parent)
        if free < MIN_FREE_BYTES:
            for s in streams:
                s.close()
            raise RecordingError(f"The disk holding {self.path.parent} has only {free // 2**20} MB free: make "
                                 "room (a meeting hour takes ~115 MB), then record again.")
        self._streams = streams
        self._writer = WavWriter(self.path)
        self._sync_every = sync_every
        self._paused = threading.Event()
        self._stop = threading.Event()
        self.level = 0.0  # peak of the last 0.1 s, 0..1
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="copilot-recorder", daemon=True)
        self._thread.start()

    @property
    def seconds(self) -> float:
        return self._writer.seconds

    @property
    def paused(self) -> bool:
        return self._paused.is_set()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def pause(self) -> None:
        self._paused.set()

    def resume(self) -> None:
        self._paused.clear()

    def stop(self, timeout: float = 5.0) -> Path:
        self._stop.set()
        self._thread.join(timeout)
        return self.path

    def _run(self) -> None:
        last_sync = time.monotonic()
        try:
            while not self._stop.is_set():
                chunks = [np.frombuffer(s.read(), np.int16) for s in self._streams]
                mixed = chunks[0] if len(chunks) == 1 else \
                    np.clip(np.sum([c.astype(np.int32) for c in chunks], axis=0), -32768, 32767).astype(np.int16)
                self.level = float(np.abs(mixed).max(initial=0)) / 32768.0
                if self._paused.is_set():
                    continue  # the streams keep being read: nothing piles up while paused
                self._writer.write(mixed.tobytes())
                if time.monotonic() - last_sync >= self._sync_every:
                    self._writer.sync()
                    last_sync = time.monotonic()
        except RecordingError as exc:
            self.error = f"{exc} The {format_duration(self.seconds)} recorded so far are kept."
        except OSError as exc:
            self.error = (f"Recording stopped: the recording could not be written ({exc.strerror or exc}; is the disk "
                          f"full?). The {format_duration(self.seconds)} recorded so far are kept.")
        except Exception as exc:  # never lose the file to a surprise
            log.exception("recording failed")
            self.error = f"Recording stopped ({exc}). The {format_duration(self.seconds)} recorded so far are kept."
        finally:
            for s in self._streams:
                try:
                    s.close()
                except Exception:
                    log.exception("closing a recording stream")
            try:
                self._writer.close()
            except OSError:
                pass  # the header is fixed by repair_wav at the next start


def leftover_recordings(folder: Path) -> list[tuple[Path, float]]:
    """Recordings not transcribed yet (the app was closed or crashed): their headers repaired,
    with their lengths; empty ones are deleted. Oldest first."""
    found = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.wav"), key=lambda p: p.stat().st_mtime):
        try:
            seconds = repair_wav(path)
        except (AudioError, OSError):
            seconds = probe_seconds(path) or 0.0
        if seconds < 0.5:
            path.unlink(missing_ok=True)
            continue
        found.append((path, seconds))
    return found


def discard(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
