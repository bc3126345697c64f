"""`private-copilot --smoke-test`: is this installation (source or frozen bundle) whole?

In a temporary base dir (never the user's files): import llama.cpp's bindings, load the tiny
gpt-oss GGUF shipped in resources/models (whose weights make it write exactly
"Smoke test passed" through the harmony template and parser), build the main window on the
offscreen platform, and check that the translations, the keyring and the hotkey's modules
are there. One line on stdout; exit 0, or 1 with the reason.
"""

from __future__ import annotations

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
            step = "modules"
            _modules()
        seconds = time.perf_counter() - t0
        print(f"smoke-test: ok — llama-cpp-python {llama_cpp.__version__} ({info.backend}), "
              f"{info.architecture} answered {answer!r}, {window_ok}, {seconds:.1f} s", flush=True)
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


def _modules() -> None:
    import keyring  # noqa: F401 - its backends are found through entry points, which freezing can lose
    import keyring.backends  # noqa: F401
    import psutil  # noqa: F401

    import copilot.hotkey.clipboard  # noqa: F401
    import copilot.hotkey.popup  # noqa: F401
    import copilot.core.remote  # noqa: F401
    import huggingface_hub  # noqa: F401
