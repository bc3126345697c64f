"""TaskRunner: the one worker thread that owns the engine; every inference goes through it.

llama.cpp contexts are not thread-safe, so a single QThread owns the LocalEngine. The GUI
thread only submits jobs and receives signals. A new request cancels the one in flight
(latest wins) and results of stale requests are dropped by request id. Errors arrive as
``Failed`` events, never as exceptions across threads.

Long background work (transcribing a recording) runs on a second thread, but never beside a
request: both share one ``Cores`` (core.schedule), and a request the user waits for takes the
cores at the background job's next checkpoint, within a line of transcript.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable, Iterator

from PySide6.QtCore import QObject, QThread, Signal, Slot

from copilot.core.engine import EngineError, LocalEngine, ModelConfig, ModelInfo
from copilot.core.remote import EngineSwitch
from copilot.core.events import Failed, JobEvent, Prepared
from copilot.core.models.gguf_header import ModelFileError
from copilot.core.schedule import Cores

log = logging.getLogger("copilot.runner")

Job = Callable[[LocalEngine], Iterator[JobEvent]]
BackgroundJob = Callable[[Cores], Iterator[object]]  # holds the cores; calls cores.checkpoint() often
PREFETCH_FAILED = -2  # sig_prefetched's ready for a job that raised (-1: cancelled)


class _Worker(QObject):
    sig_event = Signal(int, object)  # request id, event
    sig_done = Signal(int)  # request id: the job is over (after its last event)
    sig_loaded = Signal(object)  # ModelInfo
    sig_load_failed = Signal(str)
    sig_prefetched = Signal(int, int)  # prefetch id, tokens ready (-1: cancelled or failed)

    def __init__(self, engine: EngineSwitch, gate: "_Gate", prefetch_gate: "_Gate", cores: Cores) -> None:
        super().__init__()
        self.engine = engine
        self.gate = gate
        self.prefetch_gate = prefetch_gate
        self.cores = cores

    @Slot(object)
    def load(self, config: ModelConfig) -> None:
        try:
            info = self.engine.load(config)
        except (ModelFileError, EngineError) as exc:
            self.sig_load_failed.emit(str(exc))
            return
        except Exception as exc:  # never let the worker thread die
            log.exception("model load failed")
            self.sig_load_failed.emit(f"The model could not be loaded: {exc}")
            return
        self.sig_loaded.emit(info)

    @Slot()
    def unload(self) -> None:
        self.engine.close()

    @Slot(int, object)
    def run(self, request_id: int, job: Job) -> None:
        try:
            if self.gate.stale(request_id):
                return
            if self.engine.info is None:
                self.sig_event.emit(request_id, Failed("No model is loaded yet. Choose a model in Settings."))
                return
            with self.cores.urgent():
                for event in job(self.engine):
                    self.sig_event.emit(request_id, event)
                    if self.gate.stale(request_id):
                        self.engine.cancel()
        except Exception as exc:
            log.exception("job failed")
            self.sig_event.emit(request_id, Failed(f"Something went wrong: {exc}"))
        finally:
            self.sig_done.emit(request_id)

    @Slot(int, object)
    def prefetch(self, prefetch_id: int, job: Job) -> None:
        ready = -1
        try:
            if self.prefetch_gate.stale(prefetch_id) or self.engine.info is None:
                return
            with self.cores.urgent():
                for event in job(self.engine):
                    if isinstance(event, Prepared):
                        ready = event.tokens
                    if self.prefetch_gate.stale(prefetch_id):
                        self.engine.cancel()
                        ready = -1
                        break  # and no further step of the job starts
        except Exception:
            log.exception("prefetch failed")  # only time is lost: the real request evaluates it
            ready = PREFETCH_FAILED
        finally:
            self.sig_prefetched.emit(prefetch_id, ready)


class _BackgroundWorker(QObject):
    sig_event = Signal(int, object)
    sig_done = Signal(int)

    def __init__(self, cores: Cores) -> None:
        super().__init__()
        self.cores = cores

    @Slot(int, object)
    def run(self, request_id: int, job: BackgroundJob) -> None:
        try:
            with self.cores.background():
                for event in job(self.cores):
                    self.sig_event.emit(request_id, event)
        except Exception as exc:
            log.exception("background job failed")
            self.sig_event.emit(request_id, Failed(f"Something went wrong: {exc}"))
        finally:
            self.sig_done.emit(request_id)


class _Gate:
    """Which requests may still run: ids at or below ``cancelled_upto`` are stale."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.latest = 0
        self.cancelled_upto = 0

    def next_id(self) -> int:
        with self._lock:
            self.cancelled_upto = self.latest  # latest wins: everything before is stale
            self.latest += 1
            return self.latest

    def cancel_all(self) -> None:
        with self._lock:
            self.cancelled_upto = self.latest

    def stale(self, request_id: int) -> bool:
        return request_id <= self.cancelled_upto


class TaskRunner(QObject):
    """GUI-side handle of the inference thread. All methods are for the GUI thread."""

    sig_event = Signal(int, object)  # request id, event of the latest request only
    sig_finished = Signal(int)  # request id: no more events will come for it
    sig_submitted = Signal(int)  # request id of a new request (every earlier one is now stale)
    sig_busy = Signal(bool)
    sig_loading = Signal(str)  # model path
    sig_loaded = Signal(object)  # ModelInfo
    sig_load_failed = Signal(str)
    sig_prefetched = Signal(int, int)  # prefetch id, tokens ready (-1: cancelled or failed)
    sig_background_event = Signal(int, object)  # background id, event
    sig_background_finished = Signal(int)

    _request_load = Signal(object)
    _request_unload = Signal()
    _request_run = Signal(int, object)
    _request_prefetch = Signal(int, object)
    _request_background = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = EngineSwitch()  # the local model, or a server: whichever load() is given
        self._gate = _Gate()
        self._prefetch_gate = _Gate()
        self._thread = QThread()
        self._thread.setObjectName("copilot-inference")
        self.cores = Cores()
        self._worker = _Worker(self._engine, self._gate, self._prefetch_gate, self.cores)
        self._worker.moveToThread(self._thread)
        self._request_load.connect(self._worker.load)
        self._request_unload.connect(self._worker.unload)
        self._request_run.connect(self._worker.run)
        self._request_prefetch.connect(self._worker.prefetch)
        self._worker.sig_prefetched.connect(self._on_prefetched)
        self._worker.sig_event.connect(self._on_event)
        self._worker.sig_done.connect(self._on_done)
        self._worker.sig_loaded.connect(self._on_loaded)
        self._worker.sig_load_failed.connect(self.sig_load_failed)
        self._worker.sig_load_failed.connect(self._on_load_failed)
        self._running: set[int] = set()
        self.info: ModelInfo | None = None
        self._config: ModelConfig | None = None
        self._loading = False
        self._idle_unloaded = False
        self._prefetching: dict[int, bool] = {}  # queued or running prefetch id -> hold
        self.warmup: Job | None = None  # run after each load, e.g. jobs.warm_writing
        self._warm_pending = False
        self._warm_id: int | None = None
        self.last_prefetch: tuple[int, int] | None = None  # (id, tokens ready) of the latest that ended
        self._thread.start()
        self._bg_thread = QThread()
        self._bg_thread.setObjectName("copilot-background")
        self._bg_worker = _BackgroundWorker(self.cores)
        self._bg_worker.moveToThread(self._bg_thread)
        self._request_background.connect(self._bg_worker.run)
        self._bg_worker.sig_event.connect(self.sig_background_event)
        self._bg_worker.sig_done.connect(self._on_background_done)
        self._bg_running: set[int] = set()
        self._bg_next = 0
        self._bg_cancels: dict[int, threading.Event] = {}
        self._bg_thread.start()

    # -- background work (transcription) --------------------------------------------------
    def submit_background(self, job: BackgroundJob, cancel: threading.Event) -> int:
        """Run ``job`` on the background thread, after any background job before it; ``cancel``
        is what ``cancel_background`` sets (the job checks it). Returns its id."""
        self._bg_next += 1
        self._bg_running.add(self._bg_next)
        self._bg_cancels[self._bg_next] = cancel
        self._request_background.emit(self._bg_next, job)
        return self._bg_next

    def cancel_background(self, job_id: int | None = None) -> None:
        for i, event in self._bg_cancels.items():
            if job_id is None or i == job_id:
                event.set()

    @property
    def background_busy(self) -> bool:
        return bool(self._bg_running)

    @Slot(int)
    def _on_background_done(self, job_id: int) -> None:
        self._bg_running.discard(job_id)
        self._bg_cancels.pop(job_id, None)
        self.sig_background_finished.emit(job_id)

    def load(self, config: ModelConfig) -> None:
        """Load (or replace) the model on the worker thread; the window stays responsive."""
        self._gate.cancel_all()
        self._engine.cancel()
        self.info = None
        self._config = config
        self._loading = True
        self._idle_unloaded = False
        self._prefetch_gate.cancel_all()
        self.sig_loading.emit(str(config.path))
        self._request_load.emit(config)

    def unload(self) -> None:
        """Free the model's memory; the next submit loads it again (keep-warm policy)."""
        self._gate.cancel_all()
        self._engine.cancel()
        self.info = None
        self._idle_unloaded = self._config is not None
        self._prefetch_gate.cancel_all()
        self._warm_pending = False
        self._request_unload.emit()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    @property
    def loading(self) -> bool:
        return self._loading

    def submit(self, job: Job) -> int:
        """Run ``job`` on the engine; cancels whatever runs now. Returns the request id."""
        if self._idle_unloaded and not self._loading:
            self.load(self._config)  # queued before the job, so the job finds the model loaded
        held = self._holding()
        if not held:
            self._prefetch_gate.cancel_all()  # guesses about what comes next: this is what comes
        request_id = self._gate.next_id()
        if self._running or (self._prefetching and not held):
            self._engine.cancel()  # thread-safe: stops the running job within milliseconds
        self._running.add(request_id)
        self.sig_busy.emit(True)
        self.sig_submitted.emit(request_id)
        self._request_run.emit(request_id, job)
        return request_id

    def prefetch(self, job: Job, *, hold: bool = False) -> int:
        """Run ``job`` (a prompt start to evaluate, LocalEngine.prepare) when the worker is free,
        ahead of the request that will need it. Its events are not shown and it never makes the
        app busy. A later prefetch or ``cancel`` stops it; a later ``submit`` stops it too, unless
        ``hold``: then the submit waits for it, because it is the start of that very request (the
        hotkey popup reads the selection while the user chooses the action). Returns its id."""
        prefetch_id = self._prefetch_gate.next_id()  # latest wins among prefetches
        if self._prefetching and not self._running:
            self._engine.cancel()  # the previous prefetch runs now: stop it
        self._prefetching[prefetch_id] = hold
        self._request_prefetch.emit(prefetch_id, job)
        return prefetch_id

    def cancel_prefetch(self) -> None:
        """Stop evaluating ahead (the popup closed without an action)."""
        self._prefetch_gate.cancel_all()
        if self._prefetching and not self._running:
            self._engine.cancel()

    def _holding(self) -> bool:
        latest = self._prefetch_gate.latest
        return self._prefetching.get(latest, False) and not self._prefetch_gate.stale(latest)

    def cancel(self) -> None:
        self._gate.cancel_all()
        self._prefetch_gate.cancel_all()
        self._engine.cancel()

    @property
    def latest_id(self) -> int:
        return self._gate.latest

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Stop the running job and join the thread (call before the app exits)."""
        self.cancel()
        self.cancel_background()
        self._thread.quit()
        self._bg_thread.quit()
        self._thread.wait(timeout_ms)
        self._bg_thread.wait(timeout_ms)
        self._engine.close()

    # -- from the worker (queued onto the GUI thread) ----------------------------------------
    @Slot(int, object)
    def _on_event(self, request_id: int, event: object) -> None:
        if request_id == self._gate.latest:
            self.sig_event.emit(request_id, event)

    @Slot(int)
    def _on_done(self, request_id: int) -> None:
        self._running.discard(request_id)
        if request_id == self._gate.latest:
            self.sig_finished.emit(request_id)
        if not self._running:
            self.sig_busy.emit(False)
            self._warm()

    @Slot(object)
    def _on_loaded(self, info: ModelInfo) -> None:
        self._loading = False
        self.info = info
        self.sig_loaded.emit(info)
        self._warm_pending = self.warmup is not None
        self._warm()

    def _warm(self) -> None:
        if self._warm_pending and self.info is not None and not self._running and not self._prefetching:
            self._warm_id = self.prefetch(self.warmup)

    @Slot(int, int)
    def _on_prefetched(self, prefetch_id: int, ready: int) -> None:
        held = self._prefetching.pop(prefetch_id, False)
        self.last_prefetch = (prefetch_id, ready)
        if prefetch_id == self._warm_id and (ready >= 0 or ready == PREFETCH_FAILED):
            self._warm_pending = False  # done, or this model's template cannot do it: never retried
        self.sig_prefetched.emit(prefetch_id, ready)
        if not held or self._prefetch_gate.stale(prefetch_id):
            # (after a held one that was not cancelled its request follows: warming now would
            # push out what it read; _on_done warms up after that request)
            self._warm()  # interrupted by a request: warm up again once the worker is free

    @Slot(str)
    def _on_load_failed(self, _message: str) -> None:
        self._loading = False

