"""The wizard's slow work, each on its own QThread: survey, download, check, benchmark.

Results travel as signals (queued to the GUI thread), errors as data. The threads never
touch a widget. Each worker is joined by the wizard before it goes away.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QThread, Signal

log = logging.getLogger(__name__)


@dataclass
class Survey:
    """What the wizard knows of this computer and the models on it."""

    hardware: object  # core.models.hardware.Hardware
    found: list = field(default_factory=list)  # discover.Found
    pending: list = field(default_factory=list)  # download.Pending
    plans: dict = field(default_factory=dict)  # catalog key -> fit.Plan


class SurveyWorker(QThread):
    sig_done = Signal(object)  # Survey
    sig_failed = Signal(str)

    def __init__(self, models_dir: Path, locations=None, parent=None) -> None:
        super().__init__(parent)
        self.models_dir = models_dir
        self.locations = locations

    def run(self) -> None:
        try:
            from copilot.core.models import catalog, fit, hardware
            from copilot.core.models.discover import discover
            from copilot.core.models.download import pending_downloads

            hw = hardware.detect(self.models_dir)
            plans = {e.key: fit.plan(fit.catalog_shape(e.key), hw) for e in catalog.CATALOG}
            found = discover(self.locations, models_dir=self.models_dir)
            self.sig_done.emit(Survey(hw, found, pending_downloads(self.models_dir), plans))
        except Exception as exc:  # a survey that fails must still let the user choose a file
            log.exception("survey failed")
            self.sig_failed.emit(str(exc))


class DownloadWorker(QThread):
    sig_progress = Signal(object)  # DownloadProgress
    sig_done = Signal(str)  # the model's path
    sig_stopped = Signal(bool)  # paused?
    sig_failed = Signal(str, str)  # kind ("auth" | "disk" | "checksum" | "network"), message

    def __init__(self, entry, dest: Path, manifest: Path, token: str | None, parent=None) -> None:
        super().__init__(parent)
        from copilot.core.models.download import Download

        self.download = Download(entry, dest, token=token, on_progress=self.sig_progress.emit, manifest=manifest)

    def pause(self) -> None:
        self.download.pause()

    def cancel(self) -> None:
        self.download.cancel()

    def run(self) -> None:
        from copilot.core.models.download import (
            AuthRequired,
            ChecksumMismatch,
            DownloadError,
            DownloadStopped,
            NotEnoughDisk,
        )

        try:
            path = self.download.run()
        except DownloadStopped as stop:
            self.sig_stopped.emit(stop.paused)
        except AuthRequired as exc:
            self.sig_failed.emit("auth", str(exc))
        except NotEnoughDisk as exc:
            self.sig_failed.emit("disk", str(exc))
        except ChecksumMismatch as exc:
            self.sig_failed.emit("checksum", str(exc))
        except DownloadError as exc:
            self.sig_failed.emit("network", str(exc))
        except OSError as exc:
            self.sig_failed.emit("disk", f"Cannot write to {self.download.dest}: {exc.strerror or exc}. "
                                         "Free up space or choose another folder; the download resumes where it stopped.")
        else:
            self.sig_done.emit(str(path))


class CheckWorker(QThread):
    """A file the user already has: header, loadability, and its checksum where one is known."""

    sig_progress = Signal(object, object)  # done, total (bytes: may exceed a C int)
    sig_done = Signal(str, str)  # path, what was verified
    sig_failed = Signal(str)

    def __init__(self, path: Path, manifest: Path, parent=None) -> None:
        super().__init__(parent)
        self.path = path
        self.manifest = manifest
        self._stop = False

    def cancel(self) -> None:
        self._stop = True

    def run(self) -> None:
        from copilot.core.models.gguf_header import ModelFileError
        from copilot.core.models.verify import VerifyCancelled, check_file, verify_checksum

        try:
            check_file(self.path)
            how = verify_checksum(self.path, self.manifest, on_progress=self.sig_progress.emit,
                                  should_stop=lambda: self._stop)
            self.sig_done.emit(str(self.path), "structure" if how == "unknown" else "checksum")
        except VerifyCancelled:
            self.sig_failed.emit("")
        except ModelFileError as exc:
            self.sig_failed.emit(str(exc))
        except OSError as exc:
            self.sig_failed.emit(f"Cannot read {self.path}: {exc.strerror or exc}.")


class BenchWorker(QThread):
    """Plan the settings for this file on this computer, then load it and time a short run."""

    sig_done = Signal(object, object)  # fit.Plan, benchmark.BenchResult
    sig_failed = Signal(str)

    PP, TG = 64, 32

    def __init__(self, path: Path, models_dir: Path, hardware=None, parent=None) -> None:
        super().__init__(parent)
        self.path = path
        self.models_dir = models_dir
        self.hardware = hardware

    def run(self) -> None:
        from copilot.core.benchmark import run_benchmark
        from copilot.core.engine import EngineError
        from copilot.core.models import fit, hardware
        from copilot.core.models.gguf_header import ModelFileError, inspect_gguf

        try:
            info = inspect_gguf(self.path)
            hw = self.hardware or hardware.detect(self.models_dir)
            plan = fit.plan(fit.shape_of(info), hw)
            if plan.verdict == "no_fit":
                self.sig_failed.emit(" ".join(plan.reasons))
                return
            result = run_benchmark(self.path, pp=self.PP, tg=self.TG, n_ctx=plan.n_ctx,
                                   gpu_layers=plan.n_gpu_layers)
        except (ModelFileError, EngineError, ValueError) as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:  # the wizard must say something, never hang on a silent thread
            log.exception("benchmark failed")
            self.sig_failed.emit(f"The model could not be tried: {exc}")
        else:
            self.sig_done.emit(plan, result)


class ConnectionTest(QThread):
    """"Test connection" (the wizard's team page, Settings): list a server's models and time it."""

    sig_done = Signal(bool, str, object, float)  # ok, message, model ids, seconds

    def __init__(self, config, parent=None) -> None:
        super().__init__(parent)
        self.config = config  # remote.RemoteConfig

    def run(self) -> None:
        from copilot.core.engine import EngineError
        from copilot.core.remote import RemoteEngine

        engine = RemoteEngine()
        try:
            engine.load(self.config)
        except EngineError as exc:
            self.sig_done.emit(False, str(exc), [], 0.0)
            return
        except Exception as exc:  # the page must say something, never wait on a silent thread
            log.exception("connection test failed")
            self.sig_done.emit(False, f"The server could not be tested: {exc}", [], 0.0)
            return
        finally:
            models, latency = getattr(engine, "models", []), getattr(engine, "latency", 0.0)
            engine.close()
        self.sig_done.emit(True, "", models, latency)
