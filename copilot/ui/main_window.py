"""The main window: navigation between the panes, History and Settings; status bar; drafts autosave."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QLabel, QListWidget, QMainWindow, QMessageBox, QProgressBar, QSplitter,
                               QStackedWidget, QWidget)

from copilot.core.engine import ModelConfig, ModelInfo
from copilot.core.events import Notice, Stats
from copilot.core.paths import AppPaths
from copilot.core.remote import RemoteConfig, ServerConfig
from copilot.core.secrets import SERVER_API_KEY, SecretStore
from copilot.core.settings import Settings, save_settings
from copilot.core.store import HistoryEntry, Run, Store
from copilot.ui.autostart import set_start_at_login
from copilot.ui.history import HistoryPane
from copilot.ui.panes.base import TaskPane
from copilot.ui.runner import TaskRunner
from copilot.ui.settings_dialog import SettingsDialog
from copilot.ui.theme import apply_theme
from copilot.ui.widgets.context_meter import ContextMeter

log = logging.getLogger("copilot.ui")

AUTOSAVE_MS = 500  # drafts reach the disk at most this long after a keystroke
FALLBACK_NOTICE = "Using the local model"  # in remote.FallbackEngine's Notice: the local model took over
FALLBACK_WINDOW = 60.0  # seconds: remote.FallbackEngine.RETRY_SERVER_AFTER, then it tries the server again
MODEL_SETTINGS = ("model_path", "adapter_path", "adapter_scale", "n_threads", "n_gpu_layers", "n_ctx", "flash_attn", "backend", "server_url",
                  "server_model", "server_ca_bundle", "server_fallback", "local_only")


class MainWindow(QMainWindow):
    sig_quit = Signal()

    def __init__(self, paths: AppPaths, settings: Settings, store: Store, runner: TaskRunner,
                 default_model: Path | None = None, warnings: list[str] | None = None, seed: int = -1) -> None:
        super().__init__()
        self.paths, self.settings, self.store, self.runner = paths, settings, store, runner
        self.default_model = default_model
        self.seed = seed  # -1: random sampling; tests fix it for repeatable answers
        self.really_quit = False
        self.tray = None  # QSystemTrayIcon, when the desktop has a tray
        self.wizard = None  # the model manager, while it is open
        self.hotkey_listener = None  # set by the application when the global hotkey is set up
        self._told_about_tray = False
        self._fell_back_at: float | None = None  # when the local model last took over from the server
        self._last_run: dict[str, int] = {}  # pane -> id of its last run's figures, until its history row
        self.setWindowTitle(self.tr("Private Copilot"))
        self.resize(1180, 760)

        # Panes are built when first shown (start-up time); their drafts load with them.
        self.panes: dict[str, TaskPane] = {}
        names = {"email": self.tr("Email reply"), "meeting": self.tr("Meeting summary"), "writing": self.tr("Writing")}
        self._pane_keys = list(names)
        self.history = HistoryPane(store, names, self)
        self.history.sig_reopen.connect(self.reopen)

        self.nav = QListWidget(self)
        self.nav.setAccessibleName(self.tr("Sections"))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget(self)
        for key in self._pane_keys:
            self.nav.addItem(names[key])
            self.stack.addWidget(QWidget(self))  # placeholder until the pane is first shown
        self.nav.addItem(self.tr("History"))
        self.stack.addWidget(self.history)
        self.nav.addItem(self.tr("Settings"))
        self.nav.currentRowChanged.connect(self._on_nav)
        splitter = QSplitter(self)
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        self.nav.setFixedWidth(self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 24)
        self.setCentralWidget(splitter)

        # status bar: model, backend, context use of the last run, speed
        self.model_label = QLabel(self.tr("No model"), self)
        self.model_label.setAccessibleName(self.tr("Model"))
        self.load_bar = QProgressBar(self)
        self.load_bar.setRange(0, 0)  # indeterminate: llama.cpp reports no load progress we can trust
        self.load_bar.setMaximumWidth(120)
        self.load_bar.hide()
        self.backend_label = QLabel("", self)
        self.meter = ContextMeter(self)
        self.meter.setMaximumWidth(260)
        # Whenever text leaves this computer, it says so, all the time.
        self.remote_badge = QLabel("", self)
        self.remote_badge.setAccessibleName(self.tr("Where your text goes"))
        self.remote_badge.setStyleSheet("color: #b35900; font-weight: bold")
        self.remote_badge.hide()
        self.speed_label = QLabel("", self)
        self.speed_label.setAccessibleName(self.tr("Speed of the last answer"))
        bar = self.statusBar()
        bar.addWidget(self.model_label)
        bar.addWidget(self.load_bar)
        bar.addPermanentWidget(self.remote_badge)
        bar.addPermanentWidget(self.backend_label)
        bar.addPermanentWidget(self.meter)
        bar.addPermanentWidget(self.speed_label)

        runner.sig_loading.connect(self.on_loading)
        runner.sig_event.connect(self.on_event)
        runner.sig_loaded.connect(self.on_loaded)
        runner.sig_load_failed.connect(self.on_load_failed)

        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.on_idle)
        runner.sig_busy.connect(self._restart_idle_timer)
        runner.sig_loaded.connect(lambda _info: self._restart_idle_timer(False))

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_drafts)
        self._restoring = False
        self._build_actions()
        self.nav.setCurrentRow(0)
        for w in (warnings or []) + ([store.warning] if store.warning else []):
            self.statusBar().showMessage(w, 15000)

    def _build_actions(self) -> None:
        for i in range(4):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, row=i: self.nav.setCurrentRow(row))
            self.addAction(action)
        settings_action = QAction(self.tr("Settings"), self)
        settings_action.setShortcut(QKeySequence.Preferences if not QKeySequence(QKeySequence.Preferences).isEmpty()
                                    else QKeySequence("Ctrl+,"))
        settings_action.triggered.connect(self.open_settings)
        self.addAction(settings_action)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.quit)
        self.addAction(quit_action)
        self.models_action = QAction(self.tr("&Manage models…"), self)
        self.models_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.models_action.triggered.connect(self.open_model_manager)
        self.speech_action = QAction(self.tr("&Speech model…"), self)
        self.speech_action.setStatusTip(self.tr("Download or choose the model that transcribes meeting recordings"))
        self.speech_action.triggered.connect(self.open_speech_models)
        models_menu = self.menuBar().addMenu(self.tr("&Models"))
        models_menu.addAction(self.models_action)
        models_menu.addAction(self.speech_action)
        models_menu.addSeparator()
        models_menu.addAction(settings_action)
        models_menu.addAction(quit_action)
        self.diagnostics_action = QAction(self.tr("Save &diagnostics…"), self)
        self.diagnostics_action.setStatusTip(self.tr("Save a zip for a bug report: versions, hardware, settings, "
                                                     "logs and run figures, with nothing of your text"))
        self.diagnostics_action.triggered.connect(self.open_diagnostics)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.diagnostics_action)

    # -- model -----------------------------------------------------------------------------
    def model_config(self) -> ModelConfig | ServerConfig | None:
        s = self.settings
        path = Path(s.model_path).expanduser() if s.model_path else self.default_model
        local = None if path is None else ModelConfig(
            path=path, n_ctx=s.n_ctx, n_threads=s.n_threads or None, n_gpu_layers=s.n_gpu_layers,
            flash_attn=s.flash_attn, kv_type=s.kv_type, seed=self.seed,
            lora_path=Path(s.adapter_path).expanduser() if s.adapter_path else None, lora_scale=s.adapter_scale)
        if s.backend == "server" and s.server_url and not s.local_only:
            remote = RemoteConfig(s.server_url, model=s.server_model, api_key=SecretStore().get(SERVER_API_KEY),
                                  verify=s.server_ca_bundle or True)
            return ServerConfig(remote, local, fallback=s.server_fallback)
        return local

    @Slot()
    def load_model(self) -> None:
        config = self.model_config()
        if config is None:
            self.model_label.setText(self.tr("No model: press Ctrl+Shift+M to get one"))
            return
        self.runner.load(config)

    @Slot(str)
    def on_loading(self, path: str) -> None:
        self.model_label.setText(self.tr("Loading {0}…").format(Path(path).name))
        self.load_bar.show()

    @Slot(object)
    def on_loaded(self, info: ModelInfo) -> None:
        remote = info.architecture == "remote"
        self.remote_badge.setVisible(remote)
        if remote:
            self.remote_badge.setText(self.tr("⇅ Text is sent to {0}").format(info.backend.removeprefix("Server: ")))
        self.load_bar.hide()
        self.model_label.setText(info.name)
        self.model_label.setToolTip(str(info.path))
        self.backend_label.setText(info.backend)
        self.meter.set_usage(0, info.n_ctx)
        self._fell_back_at = None

    @Slot(int, object)
    def on_event(self, _request_id: int, event) -> None:
        if isinstance(event, Notice):  # e.g. the local model took over from a server that is down
            self.statusBar().showMessage(event.message, 30000)
            self.remote_badge.hide()
            if FALLBACK_NOTICE in event.message:
                self._fell_back_at = time.monotonic()

    @Slot(str)
    def on_load_failed(self, message: str) -> None:
        self.load_bar.hide()
        self.model_label.setText(self.tr("Model not loaded"))
        self.model_label.setToolTip(message)
        self.statusBar().showMessage(message, 30000)

    @Slot(bool)
    def _restart_idle_timer(self, busy: bool) -> None:
        minutes = self.settings.unload_after_minutes
        if busy or minutes <= 0:
            self._idle.stop()
        else:
            self._idle.start(minutes * 60_000)

    @Slot()
    def on_idle(self) -> None:
        """Keep-warm policy: after the idle minutes of Settings, give the memory back."""
        if self.runner.info is None:
            return
        self.runner.unload()
        self.model_label.setText(self.tr("Model unloaded while idle (it loads again when needed)"))

    @Slot(object)
    def on_stats(self, stats: Stats) -> None:
        if stats.tokens_per_second:
            speed = QLocale().toString(stats.tokens_per_second, "f", 1)  # "21,4" in Spanish
            self.speed_label.setText(self.tr("{0} tokens/s").format(speed))
        if self.runner.info:
            self.meter.set_usage(stats.prompt_tokens + stats.generated_tokens, self.runner.info.n_ctx)

    def run_backend(self) -> str:
        """Who answers now: "local", "server", or "fallback" (the local model, for a server that is down)."""
        info = self.runner.info
        fell_back = self._fell_back_at is not None and time.monotonic() - self._fell_back_at < FALLBACK_WINDOW
        if info is not None and info.architecture == "remote":
            return "fallback" if fell_back else "server"
        s = self.settings
        if info is not None and s.backend == "server" and s.server_url and not s.local_only:
            return "fallback"  # the server was down when the model loaded
        return "local"

    def record_run(self, key: str, stats: Stats) -> None:
        """A finished run's figures (never its text) into the store, for History and diagnostics."""
        info = self.runner.info
        pane = self.panes.get(key)
        effort = pane.effort.currentData() if pane is not None else ""
        try:
            run = Run.from_stats(key, stats, model=info.name if info else "", backend=self.run_backend(),
                                 effort=effort or "")
            self._last_run[key] = self.store.add_run(run)
        except Exception as exc:  # figures are never worth an error in the user's way
            self._last_run.pop(key, None)
            log.warning("run figures not saved: %s", type(exc).__name__)

    # -- navigation ------------------------------------------------------------------------
    @Slot(int)
    def _on_nav(self, row: int) -> None:
        if row == self.stack.count():  # "Settings" is a dialog, not a page
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.stack.currentIndex())
            self.nav.blockSignals(False)
            QTimer.singleShot(0, self.open_settings)
            return
        if row < len(self._pane_keys):
            self.pane(self._pane_keys[row])
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if page is self.history:
            self.history.refresh()
            self.history.search.setFocus()
        else:
            page.focus_input()

    def pane(self, key: str) -> TaskPane:
        """The pane ``key``, built (with its draft restored) on first use."""
        if key not in self.panes:
            from copilot.ui.panes.email import EmailPane  # imported here: start-up time
            from copilot.ui.panes.meeting import MeetingPane
            from copilot.ui.panes.writing import WritingPane

            if key == "meeting":  # recordings and the speech model: the app's folders and settings
                pane = MeetingPane(self.runner, self, paths=self.paths, settings=lambda: self.settings)
            else:
                pane = {"email": EmailPane, "writing": WritingPane}[key](self.runner, self)
            index = self._pane_keys.index(key)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, pane)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.panes[key] = pane
            self._restore_draft(key, pane)
            pane.sig_draft_changed.connect(self._schedule_autosave)
            pane.sig_result.connect(lambda title, inp, out: self._add_history(key, title, inp, out))
            pane.sig_stats.connect(self.on_stats)
            pane.sig_stats.connect(lambda stats: self.record_run(key, stats))  # before sig_result: it links them
        return self.panes[key]

    def show_pane(self, key: str) -> TaskPane:
        pane = self.pane(key)
        self.nav.setCurrentRow(self._pane_keys.index(key))
        return pane

    @Slot(object)
    def reopen(self, entry: HistoryEntry) -> None:
        if entry.pane in self._pane_keys:
            self.show_pane(entry.pane).reopen(entry.input, entry.output)

    # -- models ----------------------------------------------------------------------------
    @Slot()
    def open_model_manager(self) -> None:
        from copilot.ui.wizard import ModelWizard

        if self.wizard is not None:  # already open: bring it forward
            self.wizard.raise_()
            self.wizard.activateWindow()
            return
        self.wizard = ModelWizard(self.paths, self.settings, first_run=False, parent=self)
        self.wizard.setAttribute(Qt.WA_DeleteOnClose)
        self.wizard.sig_model_ready.connect(self.apply_settings)
        self.wizard.destroyed.connect(self._wizard_closed)
        self.wizard.show()

    @Slot()
    @Slot()
    def open_speech_models(self) -> None:
        """Models › Speech model…: a Whisper model for meeting recordings (downloaded or a folder)."""
        from dataclasses import replace

        from copilot.core.secrets import HF_TOKEN
        from copilot.core.speech import cuda_devices
        from copilot.ui.speech_model_dialog import SpeechModelDialog

        dialog = SpeechModelDialog(self.paths, SecretStore().get(HF_TOKEN), self, has_gpu=cuda_devices() > 0)
        dialog.sig_model_ready.connect(
            lambda folder: self.apply_settings(replace(self.settings, asr_model_path=folder)))
        self.speech_dialog = dialog
        dialog.open()

    def _wizard_closed(self) -> None:
        self.wizard = None

    # -- settings --------------------------------------------------------------------------
    @Slot()
    def open_settings(self) -> None:
        problem = self.hotkey_listener.problem if self.hotkey_listener is not None else ""
        dialog = SettingsDialog(self.settings, self, hotkey_problem=problem, default_model=self.default_model)
        if dialog.exec():
            self.apply_settings(dialog.settings())

    def apply_settings(self, new: Settings) -> None:
        old, self.settings = self.settings, new
        try:
            save_settings(self.paths.settings_file, new)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Settings"), self.tr("Could not save the settings: {0}").format(exc))
        if any(getattr(old, k) != getattr(new, k) for k in MODEL_SETTINGS):
            self.load_model()
        if old.hotkey != new.hotkey and self.hotkey_listener is not None:
            if not self.hotkey_listener.start(new.hotkey):
                self.statusBar().showMessage(self.hotkey_listener.problem, 15000)
        if old.theme != new.theme:
            apply_theme(new.theme)
        if old.ui_language != new.ui_language:
            self.statusBar().showMessage(self.tr("The new language appears when the app restarts."), 15000)
        if old.start_at_login != new.start_at_login:
            try:
                set_start_at_login(new.start_at_login)
            except OSError as exc:
                self.statusBar().showMessage(self.tr("Could not change start at login: {0}").format(exc), 15000)
        self._restart_idle_timer(self.runner.busy)
        if (old.history_retention == "none") != (new.history_retention == "none"):
            self.statusBar().showMessage(self.tr("The history setting takes effect when the app restarts."), 15000)
        elif new.history_retention != "none":
            self.store.apply_retention(new.history_retention)
        from copilot.core import netaudit

        netaudit.apply_settings(new)  # privacy mode blocks unexpected connections; the team server's host

    # -- drafts and history ----------------------------------------------------------------
    @Slot()
    def _schedule_autosave(self) -> None:
        # started once, not restarted by every keystroke: someone typing steadily (keys under 500 ms
        # apart) must still reach the disk every 500 ms (the soak lost whole bursts before)
        if not self._restoring and not self._autosave.isActive():
            self._autosave.start()

    @Slot()
    def save_drafts(self) -> None:
        self._autosave.stop()
        try:
            for key, pane in self.panes.items():
                self.store.save_draft(key, pane.draft_state())
        except Exception as exc:  # a full disk must not take the app down; say so instead
            log.warning("drafts not saved: %s", type(exc).__name__)
            self.statusBar().showMessage(self.tr("Drafts could not be saved: {0}").format(exc), 15000)

    def _restore_draft(self, key: str, pane: TaskPane) -> None:
        self._restoring = True
        try:
            state = self.store.load_draft(key)
            if state:
                pane.restore_draft(state)
        except Exception as exc:  # a draft from an older version must not stop the pane from opening
            log.warning("draft not restored: %s", type(exc).__name__)
        finally:
            self._restoring = False

    def _add_history(self, pane: str, title: str, input_text: str, output: str) -> None:
        run_id = self._last_run.pop(pane, None)
        try:
            entry_id = self.store.add_history(pane, title, input_text, output)
            if run_id is not None:
                self.store.link_run(run_id, entry_id)
        except Exception as exc:
            log.warning("history not saved: %s", type(exc).__name__)

    # -- diagnostics -----------------------------------------------------------------------
    def diagnostics_bundle(self):
        from copilot.core.diagnostics import collect

        model = Path(self.settings.model_path).expanduser() if self.settings.model_path else self.default_model
        return collect(self.paths, self.settings, store=self.store, model=model, loaded=self.runner.info)

    @Slot()
    def open_diagnostics(self) -> None:
        """Help ▸ Save diagnostics…: the bundle's contents first, then where to save it."""
        from PySide6.QtCore import QStandardPaths
        from PySide6.QtWidgets import QApplication

        from copilot.ui.diagnostics_dialog import DiagnosticsDialog

        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            bundle = self.diagnostics_bundle()
        except Exception as exc:
            log.warning("diagnostics not collected: %s", type(exc).__name__)
            QMessageBox.warning(self, self.tr("Save diagnostics"),
                                self.tr("The diagnostics could not be collected: {0}").format(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        downloads = QStandardPaths.writableLocation(QStandardPaths.DownloadLocation)
        dialog = DiagnosticsDialog(bundle, self, folder=Path(downloads) if downloads else None)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(
            self.tr("Diagnostics saved to {0}").format(dialog.saved), 15000))
        self.diagnostics_dialog = dialog
        dialog.open()

    # -- closing ---------------------------------------------------------------------------
    def set_tray(self, tray) -> None:
        self.tray = tray
    @Slot()
    def quit(self) -> None:
        self.really_quit = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_drafts()
        if self.tray is not None and self.tray.isVisible() and not self.really_quit:
            event.ignore()  # close to the tray: the hotkey keeps working
            self.hide()
            if not self._told_about_tray:
                self._told_about_tray = True
                quit_keys = QKeySequence(QKeySequence.Quit).toString(QKeySequence.NativeText)
                self.tray.showMessage(self.tr("Private Copilot"),
                                      self.tr("Still running in the tray. Quit from its menu, or with {0}.")
                                      .format(quit_keys))
            return
        meeting = self.panes.get("meeting")
        if meeting is not None:
            meeting.shutdown_audio()  # a recording in progress is closed whole, and offered at the next start
        event.accept()
        self.sig_quit.emit()

