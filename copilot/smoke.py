"""`private-copilot --smoke-test`: is this installation (source or frozen bundle) whole?

In a temporary base dir (never the user's files): import llama.cpp's bindings, load the tiny
gpt-oss GGUF shipped in resources/models (whose weights make it write exactly
"Smoke test passed" through the harmony template and parser), build the main window on the
offscreen platform, and check that the translations, the keyring and the hotkey's modules
are there. The speech stack without a speech model: a generated recording written as .wav,
.m4a (AAC) and .mp3 (LAME) by PyAV, decoded back through core.audio, its speech found by the
energy detector and turned into Whisper's log-mel features; every PyAV extension module and
CTranslate2 loaded (int8 on the CPU), a tokenizer run, and no ONNX runtime imported. One line on
stdout; exit 0, or 1 with the reason.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

EXPECTED = "Smoke test passed"


def resources_dir() -> Path:
    if getattr(sys, "frozen", False):  # PyInstaller bundle
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def run() -> int:
    t0 = time.perf_counter()
    step = "start"
    try:
        with tempfile.TemporaryDirectory(prefix="private-copilot-smoke-") as base:
            os.environ["PRIVATE_COPILOT_BASEDIR"] = base
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            step = "llama.cpp"
            import llama_cpp

            from copilot.core.engine import ChatRequest, LocalEngine, ModelConfig
            from copilot.core.events import Answer, Failed

            model = resources_dir() / "models" / "smoke-test-gpt-oss.gguf"
            step = f"loading {model.name}"
            engine = LocalEngine()
            info = engine.load(ModelConfig(model, n_ctx=512, seed=1))
            step = "generating"
            events = list(engine.stream(ChatRequest([{"role": "user", "content": "hola"}], reasoning_effort="low",
                                                    max_tokens=16)))
            engine.close()
            failed = [e.message for e in events if isinstance(e, Failed)]
            answer = "".join(e.text for e in events if isinstance(e, Answer))
            if failed or answer != EXPECTED:
                raise RuntimeError(f"the model wrote {answer!r} (expected {EXPECTED!r}) {' '.join(failed)}")
            step = "main window"
            window_ok = _window(base)
            step = "commitment check"
            _check()
            step = "calendar and Word files"
            _documents(Path(base))
            step = "modules"
            _modules()
            step = "speech"
            speech_ok = _speech(Path(base))
        seconds = time.perf_counter() - t0
        print(f"smoke-test: ok — llama-cpp-python {llama_cpp.__version__} ({info.backend}), "
              f"{info.architecture} answered {answer!r}, {window_ok}, {speech_ok}, {seconds:.1f} s", flush=True)
        return 0
    except BaseException as exc:  # the point is to report anything at all
        print(f"smoke-test: FAILED at {step}: {type(exc).__name__}: {exc}", flush=True)
        traceback.print_exc(file=sys.stderr)
        return 1


def _window(base: str) -> str:
    from PySide6.QtWidgets import QApplication

    from copilot.core.paths import app_paths
    from copilot.core.settings import Settings
    from copilot.core.store import Store
    from copilot.ui.application import install_translations
    from copilot.ui.main_window import MainWindow
    from copilot.ui.runner import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    translators = install_translations(app, "es")
    paths = app_paths(base).ensure()
    store = Store(paths.database)
    runner = TaskRunner()
    try:
        window = MainWindow(paths, Settings(), store, runner)
        window.show()
        app.processEvents()
        title = window.windowTitle()
        window.really_quit = True
        window.close()
    finally:
        runner.shutdown()
        store.close()
    if not translators:
        raise RuntimeError("the Spanish translation (resources/translations/copilot_es.qm) is missing")
    return f"window {title!r} with {len(translators)} translation(s)"


def _check() -> None:
    """The check's libraries travel whole: text2num's number words, dateparser's language data."""
    import dateparser.search

    from copilot.core.check import check_draft

    found = check_draft("Te confirmo: pagaremos doce mil euros.", ["Hola, ¿cuánto cuesta?"])
    if not any(f.kind == "amount" for f in found):
        raise RuntimeError(f"the check missed an amount written in words: {[f.kind for f in found]}")
    if not dateparser.search.search_dates("nos vemos el 5 de junio", languages=["es"]):
        raise RuntimeError("dateparser found no date in Spanish (its language data is missing)")


def _documents(base: Path) -> None:
    """icalendar writes a zone's rules from the tz database (tzdata on Windows), python-docx
    needs its default template, dates.py the check's patterns: all must travel."""
    from datetime import date

    import docx

    from copilot.core import exports, ics
    from copilot.core.documents import parse_email_text

    thread = parse_email_text("From: Ana <ana@example.com>\nTo: me@example.com\nSubject: Presupuesto\n"
                              "Date: Mon, 9 Mar 2026 10:00:00 +0100\n\n¿Nos vemos el jueves a las 11:00?\n")
    inv = ics.invitation_from_thread(thread, "", zone="Europe/Madrid")
    if inv is None:
        raise RuntimeError("no meeting time found in a thread that proposes one")
    cal = ics.read_calendar(ics.invitation_ics(inv))
    if not list(cal.walk("VTIMEZONE")) or not list(cal.walk("VEVENT")):
        raise RuntimeError("the invitation has no time zone or no event")
    tasks = ics.tasks_from_minutes("## Tareas\n- **Ana**: enviar el presupuesto (fecha: el viernes)\n", date(2026, 3, 9))
    if [t.due for t in tasks] != [date(2026, 3, 13)]:
        raise RuntimeError(f"a due date was not resolved: {[t.due for t in tasks]}")
    path = base / "minutes.docx"
    exports.save_minutes("## Resumen\n- **Ana** envía el presupuesto\n", path, title="Acta")
    if "Resumen" not in [p.text for p in docx.Document(str(path)).paragraphs]:
        raise RuntimeError("the Word export lost its text")


def _modules() -> None:
    import keyring  # noqa: F401 - its backends are found through entry points, which freezing can lose
    import keyring.backends  # noqa: F401
    import psutil  # noqa: F401

    import copilot.hotkey.clipboard  # noqa: F401
    import copilot.hotkey.popup  # noqa: F401
    import copilot.core.remote  # noqa: F401
    import huggingface_hub  # noqa: F401

    # the compiled modules whose symbol tables the Linux bundle strips (packaging/private-copilot.spec):
    # each must still load (PyAV's are loaded by _speech)
    for name in STRIPPED_MODULES:
        importlib.import_module(name)


STRIPPED_MODULES = ("ctranslate2._ext", "tokenizers.tokenizers", "yaml._yaml", "regex._regex",
                    "cryptography.hazmat.bindings._rust")


SPEECH_AT = (1.0, 2.5)  # seconds: where the generated recording talks (silence around it)


def _recording(rate: int):
    """3.5 s: faint noise, then 1.5 s of a voice-like buzz (a 140 Hz pitch with its harmonics,
    at syllable rate), then noise again; float32 in [-1, 1]."""
    import numpy as np

    t = np.arange(int(3.5 * rate)) / rate
    voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 8)) * (0.35 + 0.25 * np.sin(2 * np.pi * 4 * t))
    voice *= (t >= SPEECH_AT[0]) & (t < SPEECH_AT[1])
    noise = np.random.default_rng(1).normal(0, 0.001, len(t))
    return (0.25 * voice + noise).astype(np.float32)


def _write_wav(path: Path, samples, rate: int) -> None:
    import wave

    import numpy as np

    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)  # stereo at 44.1 kHz: decode() has to mix down and resample
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.repeat(pcm, 2).tobytes())


def _encode(path: Path, codec: str, samples, rate: int) -> None:
    """``samples`` compressed with one of the FFmpeg encoders inside PyAV's wheel."""
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def _speech(base: Path) -> str:
    """Decoding and the speech stack's libraries, without a speech model (none is shipped)."""
    import pkgutil

    import av
    import ctranslate2
    import faster_whisper
    import numpy as np
    import tokenizers
    from faster_whisper import WhisperModel  # noqa: F401 - what core/speech.py loads models with
    from faster_whisper.feature_extractor import FeatureExtractor

    from copilot.core import audio

    # every PyAV extension module loads (the Linux bundle carries copies stripped of their symbols)
    modules = [m.name for m in pkgutil.walk_packages(av.__path__, "av.")]
    for name in modules:
        importlib.import_module(name)
    rate = 44_100
    samples = _recording(rate)
    _write_wav(base / "smoke.wav", samples, rate)
    _encode(base / "smoke.m4a", "aac", samples, rate)
    _encode(base / "smoke.mp3", "libmp3lame", samples, rate)
    _encode(base / "smoke.ogg", "libopus", _recording(48_000), 48_000)  # voice notes (WhatsApp…)
    names = ("smoke.wav", "smoke.m4a", "smoke.mp3", "smoke.ogg")
    for name in names:
        decoded = audio.decode(base / name)
        if not 3.3 < decoded.seconds < 3.7 or decoded.truncated:
            raise RuntimeError(f"{name} decoded to {decoded.seconds:.2f} s (truncated={decoded.truncated}), "
                               "expected 3.5 s")
        regions = audio.speech_regions(decoded.samples)
        if len(regions) != 1 or max(abs(regions[0][0] - SPEECH_AT[0]), abs(regions[0][1] - SPEECH_AT[1])) > 0.5:
            raise RuntimeError(f"{name}: speech found at {regions}, expected one region near {SPEECH_AT}")
    wav = audio.decode(base / "smoke.wav")
    (start, end), = audio.speech_regions(wav.samples)
    features = FeatureExtractor()(wav.floats())
    if features.shape[0] != 80 or not np.isfinite(features).all():
        raise RuntimeError(f"Whisper's features came out {features.shape}")
    compute = sorted(ctranslate2.get_supported_compute_types("cpu"))
    if "int8" not in compute:
        raise RuntimeError(f"CTranslate2 cannot run int8 on this CPU: {compute}")
    view = ctranslate2.StorageView.from_array(np.arange(6, dtype=np.float32).reshape(2, 3))
    if np.asarray(view).tolist() != [[0, 1, 2], [3, 4, 5]]:
        raise RuntimeError("CTranslate2's StorageView gave back other numbers")
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel({"hola": 0, "[UNK]": 1}, unk_token="[UNK]"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.Whitespace()
    if tok.encode("hola mundo").ids != [0, 1]:
        raise RuntimeError("the tokenizers library encoded a test sentence wrongly")
    sound = ""
    if sys.platform.startswith("linux"):
        import ctypes.util

        from copilot.core import recorder

        if ctypes.util.find_library("pulse-simple"):  # a desktop with a sound server: the system's library
            recorder._libpulse()
            loaded = [line.split()[-1] for line in Path("/proc/self/maps").read_text().splitlines()
                      if "libpulse-simple" in line]
            if not loaded or any(str(Path(sys.executable).resolve().parent) in p for p in loaded):
                raise RuntimeError(f"libpulse-simple came from {loaded or 'nowhere'}: the system's must be used")
            sound = f", recording through {loaded[0]}"
    if "onnxruntime" in sys.modules:
        raise RuntimeError("onnxruntime was imported: the bundle leaves it out")
    if getattr(sys, "frozen", False) and importlib.util.find_spec("onnxruntime") is not None:
        raise RuntimeError("onnxruntime is in the bundle (~78 MB the app never uses)")
    formats = "/".join(Path(n).suffix[1:] for n in names)
    return (f"speech: av {av.__version__} ({len(modules)} modules) decoded {formats} to {wav.seconds:.1f} s "
            f"with speech at {start:.1f}-{end:.1f} s, ctranslate2 {ctranslate2.__version__} "
            f"cpu {'/'.join(compute)}, faster-whisper {faster_whisper.__version__}{sound}")
