"""Speech to text, on this computer: faster-whisper (CTranslate2) over the speech that
core.audio finds, with timestamps in the recording's own time.

A recording is transcribed in pieces of at most five minutes of speech, cut at pauses: memory
stays bounded for a two-hour meeting, the first lines arrive within seconds, and a cancel takes
effect between two lines. The loaded model is kept for the next recording (the inference
thread owns it, like the llama.cpp model).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from copilot.core import audio
from copilot.core.documents import Transcript, Utterance

log = logging.getLogger("copilot.speech")

MODEL_FILES = ("model.bin", "config.json")
TOKENIZER_FILES = ("tokenizer.json", "vocabulary.txt", "vocabulary.json")
FORMATS = ("txt", "vtt", "srt", "json")


class SpeechModelError(ValueError):
    """A speech model folder that cannot be used, with what to do about it."""


@dataclass(frozen=True)
class Segment:
    start: float  # seconds in the recording
    end: float
    text: str
    speaker: str = ""


@dataclass(frozen=True)
class Progress:
    """What a transcription has done: the new lines, and how far into the recording it is."""

    segments: tuple[Segment, ...]
    done: float  # seconds of the recording covered
    total: float
    eta: float | None  # seconds of work left, once there is a rate to go by


@dataclass
class SpeechTranscript:
    segments: list[Segment] = field(default_factory=list)
    language: str = ""
    duration: float = 0.0
    truncated: bool = False  # the file was damaged or cut short: what was readable is here

    def to_transcript(self) -> Transcript:
        return Transcript(tuple(Utterance(s.speaker, s.text, s.start) for s in self.segments))

    def export(self, fmt: str) -> str:
        return export(self.segments, fmt, language=self.language, duration=self.duration)


def check_model_dir(path: str | os.PathLike) -> Path:
    """A faster-whisper (CTranslate2) Whisper model folder, or SpeechModelError saying what is wrong."""
    path = Path(path)
    if not path.is_dir():
        if path.is_file() and path.name == "model.bin":
            return check_model_dir(path.parent)
        raise SpeechModelError(f"{path} is not a folder. Choose the folder of a faster-whisper model "
                               "(it holds model.bin, config.json and tokenizer.json).")
    missing = [n for n in MODEL_FILES if not (path / n).is_file()]
    if not any((path / n).is_file() for n in TOKENIZER_FILES):
        missing.append("tokenizer.json")
    if missing:
        raise SpeechModelError(f"{path.name} is not a complete speech model: {', '.join(missing)} "
                               f"{'is' if len(missing) == 1 else 'are'} missing. Download it again, or choose the "
                               "folder of a faster-whisper (CTranslate2) Whisper model.")
    return path


def find_model(chosen: str, speech_models: Path) -> Path | None:
    """The speech model to use: the one chosen in Settings, else the first catalog model
    downloaded (the default first), else None."""
    if chosen:
        return Path(chosen).expanduser()
    from copilot.core.models.catalog import SPEECH_CATALOG, speech_downloaded

    for e in SPEECH_CATALOG:
        if speech_downloaded(e, speech_models):
            return speech_models / e.key
    return None


_cache_lock = threading.Lock()
_cached: tuple[tuple, object] | None = None


def load_model(path: str | os.PathLike, *, threads: int | None = None, device: str = "auto"):
    """The WhisperModel for ``path``, kept for the next call with the same settings."""
    global _cached
    path = check_model_dir(path)
    from copilot.core.engine import default_threads

    threads = threads or default_threads()
    if device == "auto":
        device = "cuda" if cuda_devices() else "cpu"
    key = (str(path.resolve()), threads, device)
    with _cache_lock:
        if _cached is not None and _cached[0] == key:
            return _cached[1]
        _cached = None  # the old one goes before the new one comes: one model in memory
        from faster_whisper import WhisperModel

        try:
            model = WhisperModel(str(path), device=device, compute_type="int8_float16" if device == "cuda" else "int8",
                                 cpu_threads=threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise SpeechModelError(f"The speech model in {path.name} could not be loaded ({exc}). Its files may be "
                                   "damaged: download it again.") from None
        _cached = (key, model)
        return model


def unload_model() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def cuda_devices() -> int:
    try:
        import ctranslate2

        return ctranslate2.get_cuda_device_count()
    except Exception:
        return 0


def transcribe(decoded: audio.Decoded, model_path: str | os.PathLike, *, language: str | None = None,
               threads: int | None = None, cancel: threading.Event | None = None,
               result: SpeechTranscript | None = None, chunk_seconds: float = 300.0,
               checkpoint: Callable[[], bool] | None = None) -> Iterator[Progress]:
    """Transcribe ``decoded``; yields Progress as lines arrive and fills ``result`` (segments,
    language). Raises audio.Cancelled when ``cancel`` is set, SpeechModelError for a bad model.
    ``checkpoint`` is called between lines (core.schedule: a waiting request runs then)."""
    result = result if result is not None else SpeechTranscript()
    result.duration, result.truncated = decoded.seconds, decoded.truncated
    total = decoded.seconds
    regions = audio.speech_regions(decoded.samples)
    model = load_model(model_path, threads=threads)
    if not model.model.is_multilingual:  # tiny.en, small.en…
        if language and language != "en":
            raise SpeechModelError(f"This speech model understands English only; for {language!r} choose a "
                                   "multilingual one (e.g. whisper-small) in Settings.")
        language = "en"
    started = time.monotonic()
    previous = ""
    for group in audio.chunks(regions, chunk_seconds):
        if cancel is not None and cancel.is_set():
            raise audio.Cancelled()
        timeline = audio.Timeline(group)
        pcm = timeline.compact(decoded.samples).astype("float32") / 32768.0
        segments, info = model.transcribe(
            pcm, language=language or None, beam_size=5, vad_filter=False,
            condition_on_previous_text=True, initial_prompt=previous or None,
            # Whisper's habit of repeating itself over noise: drop a window that compresses
            # too well or that it is unsure is speech
            compression_ratio_threshold=2.4, no_speech_threshold=0.6, log_prob_threshold=-1.0)
        if not language:
            language = info.language  # the first piece decides; the rest follow it
        result.language = language or ""
        for seg in segments:
            if checkpoint is not None:
                checkpoint()
            if cancel is not None and cancel.is_set():
                raise audio.Cancelled()
            text = seg.text.strip()
            if not text:
                continue
            start, end = timeline.to_original(seg.start), timeline.to_original(max(seg.start, seg.end))
            segment = Segment(round(start, 2), round(max(end, start), 2), text)
            result.segments.append(segment)
            previous = text
            elapsed = time.monotonic() - started
            eta = elapsed / end * (total - end) if end > 5 and elapsed > 1 else None
            yield Progress((segment,), end, total, eta)
    if not result.language:
        result.language = language or ""
    yield Progress((), total, total, 0.0)


def transcribe_job(path: str | os.PathLike, model_path: str | os.PathLike, *, language: str | None = None,
                   threads: int | None = None, cancel: threading.Event):
    """The background job (ui.runner.submit_background) that transcribes ``path``: events
    Progress (reading the file), Heard (lines, as they come), Transcribed, or Failed/Notice."""
    from copilot.core.events import Failed, Heard, Notice, Progress as Reading, Transcribed

    def job(cores) -> Iterator[object]:
        def pause() -> bool:
            return cores.checkpoint(cancel)

        name = Path(path).name
        try:
            check_model_dir(model_path)
            yield Reading(f"Reading {name}…", 0, 100)
            decoded = audio.decode(path, cancel=cancel, on_progress=lambda done, total: pause())
            if decoded.truncated:
                yield Notice(f"{name} ends early or is damaged part-way: transcribing the "
                             f"{audio.format_duration(decoded.seconds)} that could be read.")
            result = SpeechTranscript()
            for p in transcribe(decoded, model_path, language=language, threads=threads, cancel=cancel,
                                result=result, checkpoint=pause):
                yield Heard(p.segments, p.done, p.total, p.eta)
            yield Transcribed(result, str(path))
        except audio.Cancelled:
            yield Notice("Transcription stopped.")
        except (audio.AudioError, SpeechModelError) as exc:
            yield Failed(str(exc))
        except MemoryError:
            yield Failed(f"{name} is too long to transcribe with the memory free now: close other programs, "
                         "or split the recording.")

    return job


def transcribe_file(path: str | os.PathLike, model_path: str | os.PathLike, **kwargs) -> SpeechTranscript:
    """The whole transcript of an audio file (the CLI, the benchmark)."""
    result = SpeechTranscript()
    decoded = audio.decode(path, cancel=kwargs.get("cancel"))
    for _ in transcribe(decoded, model_path, result=result, **kwargs):
        pass
    return result


# --------------------------------------------------------------------------- export


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(max(0.0, seconds) * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _ends(segments: list[Segment], duration: float) -> list[float]:
    """Each cue's end: its own, else the next start (never before its own start)."""
    ends = []
    for i, s in enumerate(segments):
        nxt = segments[i + 1].start if i + 1 < len(segments) else max(duration, s.start + 2.0)
        end = s.end if s.end > s.start else nxt
        ends.append(max(end, s.start + 0.5))
    return ends


def export(segments: list[Segment], fmt: str, *, language: str = "", duration: float = 0.0) -> str:
    """A transcript as plain text (a line per segment, with its time), WebVTT, SubRip or JSON."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    ends = _ends(segments, duration)

    def said(s: Segment) -> str:
        return f"{s.speaker}: {s.text}" if s.speaker else s.text

    if fmt == "json":
        return json.dumps({"language": language, "duration": round(duration, 2),
                           "segments": [asdict(s) | {"end": round(e, 2)} for s, e in zip(segments, ends)]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "txt":
        return "".join(f"[{_stamp(s.start, '.')[:8]}] {said(s)}\n" for s in segments)
    if fmt == "vtt":
        out = ["WEBVTT", ""]
        for s, e in zip(segments, ends):
            voice = f"<v {s.speaker}>{s.text}" if s.speaker else s.text
            out += [f"{_stamp(s.start, '.')} --> {_stamp(e, '.')}", voice, ""]
        return "\n".join(out)
    out = []
    for i, (s, e) in enumerate(zip(segments, ends), 1):
        out += [str(i), f"{_stamp(s.start, ',')} --> {_stamp(e, ',')}", said(s), ""]
    return "\n".join(out)
