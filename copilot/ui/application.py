"""Start the desktop app: one instance, translations, theme, tray, main window, model load after show."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from copilot import APP_NAME, __version__
from copilot.core.models import catalog
from copilot.core.paths import AppPaths
from copilot.core.settings import Settings, load_settings
from copilot.core.store import Store
from copilot.ui.theme import apply_theme
from copilot.ui.single_instance import InstanceServer, send_to_running, server_name

log = logging.getLogger("copilot.ui")

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
if getattr(sys, "frozen", False):  # PyInstaller bundle
    RESOURCES = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "resources"


def ui_language(settings: Settings) -> str:
    if settings.ui_language != "system":
        return settings.ui_language
    return QLocale.system().name().split("_")[0]


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Our strings and Qt's own (dialog buttons), when a translation exists; English otherwise."""
    translators = []
    for name, folder in ((f"copilot_{language}", RESOURCES / "translations"),
                         (f"qtbase_{language}", Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath)))):
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            translators.append(translator)
    return translators


def run_gui(paths: AppPaths, *, model: Path | None = None, show: bool = False) -> int:
    from copilot.core import jobs
    from copilot.ui.main_window import MainWindow
    from copilot.ui.runner import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("private-copilot")
    name = server_name(str(paths.data))
    if send_to_running(name, "show"):
        return 0  # the running instance comes to the front instead
    if show:
        log.info("--show: no running instance, starting one")

    settings, warnings = load_settings(paths.settings_file)
    install_translations(app, ui_language(settings))
    apply_theme(settings.theme)
    icon_path = RESOURCES / "icons" / "private-copilot.svg"
    if icon_path.exists():
        app.setWindowIcon(QIcon(str(icon_path)))

    ephemeral = settings.history_retention == "none"
    store = Store(paths.database, ephemeral=ephemeral)
    if not ephemeral:
        store.apply_retention(settings.history_retention)
    runner = TaskRunner()
    # after every load: the writing instructions, so the first hotkey press reads only the selection
    runner.warmup = jobs.warm_writing
    default_model = paths.models / "gpt-oss-20b-mxfp4.gguf"
    window = MainWindow(paths, settings, store, runner,
                        default_model=model or (default_model if default_model.exists() else None), warnings=warnings)
    hotkey = _setup_hotkey(window, runner, settings)
    server = InstanceServer(name, app)
    server.sig_message.connect(lambda message: _on_message(window, message, hotkey))
    window.set_tray(_make_tray(app, window))
    app.setQuitOnLastWindowClosed(False)
    window.sig_quit.connect(app.quit)
    wizard = _first_run_wizard(paths, settings, model)
    if wizard is None:
        window.show()
        QTimer.singleShot(0, window.load_model)  # the window first, then the (slow) model
    else:
        def after_wizard(accepted: int) -> None:
            if accepted:
                window.settings = wizard.settings
            window.show()
            QTimer.singleShot(0, window.load_model)

        wizard.finished.connect(after_wizard)
        wizard.show()
    if os.environ.get("PRIVATE_COPILOT_EXIT_AFTER_SHOW"):  # bench/bench_gui.py times start-up with this
        QTimer.singleShot(0, lambda: _report_and_quit(app))
    try:
        return app.exec()
    finally:
        hotkey.stop()
        window.save_drafts()
        runner.shutdown()
        store.close()
        server.close()


def needs_setup(paths: AppPaths, settings: Settings, model: Path | None) -> bool:
    """No model to run: none given, no team server set (by the user or an administrator's
    policy), none chosen that still exists, none downloaded."""
    if model is not None:
        return False
    if settings.backend == "server" and settings.server_url and not settings.local_only:
        return False  # answers come from the team's server; the local model is an optional fallback
    if settings.model_path:
        return not Path(settings.model_path).expanduser().exists()
    return not (paths.models / catalog.DEFAULT.filename).exists()


def _first_run_wizard(paths: AppPaths, settings: Settings, model: Path | None):
    if not needs_setup(paths, settings, model):
        return None
    from copilot.core.models.download import pending_downloads
    from copilot.ui.wizard import ModelWizard

    wizard = ModelWizard(paths, settings, first_run=True)
    pending = {p.remote.filename for p in pending_downloads(paths.models)}
    for entry in catalog.CATALOG:
        if entry.filename in pending:  # the app was closed or killed mid-download: carry on
            wizard.resume_download(entry)
            break
    return wizard


def _report_and_quit(app: QApplication) -> None:
    # Peak resident memory so far (the start-up is the peak; kilobytes on Linux, where the
    # benchmark runs). stdlib, so the measurement adds no import to the start-up it measures.
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"rss_mb={peak_kb / 1024:.1f}", flush=True)
    app.quit()


class _Hotkey:
    """The global hotkey's parts, kept together for the app's lifetime."""

    def __init__(self, listener, controller, popup, portal=None) -> None:
        self.listener, self.controller, self.popup = listener, controller, popup
        self.portal = portal  # Wayland: the desktop's GlobalShortcuts portal session, when it has one

    def stop(self) -> None:
        self.listener.stop()
        if self.portal is not None:
            self.portal.stop()


def _setup_hotkey(window, runner, settings: Settings) -> _Hotkey:
    from copilot.hotkey.controller import HotkeyController
    from copilot.hotkey.listener import HotkeyListener
    from copilot.hotkey.popup import RewritePopup

    from copilot.core.actions import ActionLibrary

    library, problems = ActionLibrary.for_paths(window.paths)  # the user's order and own actions
    for problem in problems:
        window.statusBar().showMessage(problem, 15000)
    popup = RewritePopup(runner, library=library)
    controller = HotkeyController(popup, window)
    controller.sig_status.connect(lambda text: window.statusBar().showMessage(text, 10000))
    popup.sig_continue.connect(lambda original, result: _continue_in_writing(window, result))
    listener = HotkeyListener(window)
    listener.sig_activated.connect(controller.activate)
    portal = None
    if not listener.start(settings.hotkey):
        log.info("global hotkey: %s", listener.problem)
        portal = _start_portal(window, controller, settings.hotkey)
        if portal is not None:
            listener.problem = QCoreApplication.translate(
                "Hotkey", "On Wayland the hotkey is registered with your desktop through its shortcuts portal: "
                          "the desktop asks you to confirm it and binds the keys (change them in its keyboard "
                          "settings).")
    window.hotkey_listener = listener
    return _Hotkey(listener, controller, popup, portal)


def _start_portal(window, controller, hotkey: str):
    """Wayland, where apps cannot listen for keys: register the hotkey with the desktop's
    GlobalShortcuts portal (GNOME 48+, KDE Plasma 6). None where there is no portal: the user
    binds `private-copilot --trigger` instead (Settings says so)."""
    from copilot.hotkey.listener import session_kind

    if session_kind() != "wayland":
        return None
    try:
        from copilot.hotkey.portal import PortalShortcuts
    except ImportError:
        return None
    portal = PortalShortcuts(window)
    if not portal.available():
        portal.stop()
        return None
    portal.sig_activated.connect(lambda shortcut: controller.activate(None if shortcut == "main" else shortcut))
    portal.sig_problem.connect(lambda text: window.statusBar().showMessage(text, 15000))
    label = QCoreApplication.translate("Hotkey", "Rewrite the selected text with Private Copilot")
    if not portal.start({"main": (label, hotkey)}):
        portal.stop()
        return None
    log.info("global hotkey: registered through the desktop's shortcuts portal")
    return portal


def _continue_in_writing(window, result: str) -> None:
    _on_message(window, "show")
    window.show_pane("writing").editor.setPlainText(result)


def trigger_running(basedir, action: str) -> int:
    """`--trigger [ACTION]`: the running app acts as if its hotkey was pressed."""
    from copilot.core.paths import app_paths

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    if send_to_running(server_name(str(app_paths(basedir).data)), f"trigger:{action}"):
        return 0
    print("private-copilot: the app is not running; start it first (then --trigger reaches it).", file=sys.stderr)
    return 1


def _on_message(window, message: str, hotkey: _Hotkey | None = None) -> None:
    if message.startswith("trigger:") and hotkey is not None:
        hotkey.controller.activate(message.removeprefix("trigger:") or None)
        return
    if message == "show":
        window.show()
        window.setWindowState(window.windowState() & ~Qt.WindowMinimized)
        window.raise_()
        window.activateWindow()


def _make_tray(app: QApplication, window) -> QSystemTrayIcon | None:
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(app.windowIcon(), window)
    tray.setToolTip(APP_NAME)
    menu = QMenu(window)
    menu.addAction(QCoreApplication.translate("MainWindow", "Show Private Copilot"), lambda: _on_message(window, "show"))
    menu.addAction(window.models_action)
    menu.addSeparator()
    menu.addAction(QCoreApplication.translate("MainWindow", "Quit"), window.quit)
    tray.setContextMenu(menu)

    def on_activated(reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.Trigger:
            _on_message(window, "show")

    tray.activated.connect(on_activated)
    tray.show()
    return tray
