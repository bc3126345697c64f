"""Inside the app process, for tests/e2e/test_no_network.py: runs the real app (copilot.app.main,
so the network audit is installed exactly as in production) and drives one scripted session
through it with Qt calls on the GUI thread. The test outside drives what needs a real desktop
(the global hotkey in another application) and reads what this writes under $NETAUDIT_OUT.

    python -c "import netaudit_session as s; s.main()" --basedir DIR [--model PATH]

$NETAUDIT_SESSION: "full" (first-run wizard with a local file, the three panes, exports,
Settings, idle unload, the hotkey popup, which loads the model again, History, the Privacy panel) or "short" (model given; load, quit).
$NETAUDIT_PLANT: comma-separated plants, test-only: "resolve" (socket.getaddrinfo of
example.invalid from a worker thread, as a library would) and "native" (libc connect() to
192.0.2.1:80 through ctypes, which Python's audit hooks never see, like llama.cpp or Qt).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path

OUT = Path(os.environ.get("NETAUDIT_OUT", "."))
MODEL = os.environ.get("NETAUDIT_MODEL", "")


def log(step: str, **extra) -> None:
    with open(OUT / "steps.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps({"step": step, "t": round(time.monotonic(), 2), **extra}) + "\n")


def plant_resolve() -> None:
    import socket

    def lookup():
        try:
            socket.getaddrinfo("example.invalid", 80)
            log("plant-resolve", outcome="resolved")
        except PermissionError as exc:  # netaudit.ConnectionBlocked
            log("plant-resolve", outcome="blocked", message=str(exc))
        except OSError as exc:
            log("plant-resolve", outcome=type(exc).__name__)

    t = threading.Thread(target=lookup)
    t.start()
    t.join(10)


def plant_native() -> None:
    """A connect() from C, as llama.cpp or Qt could make: invisible to the audit hook, seen by strace.
    Only ever run inside a network namespace (no route: ENETUNREACH, nothing leaves)."""
    import ctypes
    import socket
    import struct

    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    addr = struct.pack("=HH4s8x", socket.AF_INET, socket.htons(80), socket.inet_aton("192.0.2.1"))
    rc = libc.connect(fd, ctypes.c_char_p(addr), len(addr))
    log("plant-native", rc=rc, errno=ctypes.get_errno())
    libc.close(fd)


class Session:
    def __init__(self, app, mode: str, plants: list[str]) -> None:
        from PySide6.QtCore import QTimer

        self.app, self.mode, self.plants = app, mode, plants
        self.gen = self.steps()
        self.wait = None
        self.deadline = 0.0
        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        log("driver-start")
        self.timer.start()

    def tick(self) -> None:
        try:
            if self.wait is not None:
                predicate, what = self.wait
                if not predicate():
                    if time.monotonic() > self.deadline:
                        window = next((w for w in self.app.topLevelWidgets() if hasattr(w, "panes")), None)
                        state = {k: (p.busy, len(p.output.answer_text()), p.message.text())
                                 for k, p in (window.panes.items() if window else ())}
                        raise TimeoutError(f"timed out waiting for {what}: {state}")
                    return
            self.wait, timeout = next(self.gen)
            self.deadline = time.monotonic() + timeout
        except StopIteration:
            self.timer.stop()
        except Exception:
            self.timer.stop()
            (OUT / "driver-error.txt").write_text(traceback.format_exc())
            self.app.exit(3)

    # -- helpers --------------------------------------------------------------------------
    def top(self, cls):
        return next((w for w in self.app.topLevelWidgets() if isinstance(w, cls) and w.isVisible()), None)

    @staticmethod
    def until(predicate, what: str, timeout: float = 60):
        return (predicate, what), timeout

    def pause(self, seconds: float):
        end = time.monotonic() + seconds
        return self.until(lambda: time.monotonic() >= end, "a pause", seconds + 5)

    def run_pane(self, window, key: str, setup, name: str):
        pane = window.show_pane(key)
        setup(pane)
        results = []
        pane.sig_result.connect(lambda *args: results.append(args))
        if key == "writing":
            pane.run_action("proofread")
        else:
            pane.generate()
        assert pane.busy, pane.message.text()
        yield self.until(lambda: not pane.busy, f"the {name} answer", 150)
        log(f"pane-{key}", answer_chars=len(pane.output.answer_text()), results=len(results),
            message=pane.message.text())

    # -- the session ----------------------------------------------------------------------
    def steps(self):
        from PySide6.QtWidgets import QApplication, QWizard

        from copilot.core import netaudit
        from copilot.ui.main_window import MainWindow
        from copilot.ui.privacy_panel import PrivacyPanel
        from copilot.ui.settings_dialog import SettingsDialog
        from copilot.ui.wizard import ModelWizard
        from copilot.ui.wizard.pages import MODEL as MODEL_PAGE

        assert netaudit.installed(), "the app did not install the network audit"
        if self.mode == "full":  # first run: the wizard, with a file the user already has
            yield self.until(lambda: self.top(ModelWizard), "the first-run wizard", 30)
            wizard = self.top(ModelWizard)
            log("wizard")
            while wizard.isVisible():
                if wizard.currentId() == MODEL_PAGE and wizard.chosen_file is None:
                    assert wizard.currentPage().use_file(Path(MODEL)), wizard.currentPage().error.text()
                for which in (QWizard.NextButton, QWizard.FinishButton):
                    button = wizard.button(which)
                    if button.isVisible() and button.isEnabled():
                        button.click()
                        break
                yield self.pause(0.3)
            log("wizard-done", page=wizard.currentId())
        yield self.until(lambda: self.top(MainWindow), "the main window", 30)
        window = self.top(MainWindow)
        yield self.until(lambda: window.runner.info is not None, "the model loaded", 60)
        log("loaded", model=Path(str(window.runner.info.path)).name)

        if self.mode == "full":
            yield from self.run_pane(window, "email", lambda p: p.thread_edit.setPlainText(
                "From: Ana <ana@example.com>\nSubject: Lunch\n\nCan we meet on Tuesday at noon?\n\nAna"), "email")
            window.pane("email").export(OUT / "reply.eml")
            yield from self.run_pane(window, "meeting", lambda p: p.notes.setPlainText(
                "Ana: We ship on Friday.\nBen: I will write the release notes by Thursday."), "meeting")
            window.pane("meeting").export(OUT / "minutes.md")
            log("exported", files=sorted(p.name for p in OUT.iterdir() if p.suffix in (".eml", ".md")))
            yield from self.run_pane(window, "writing", lambda p: p.editor.setPlainText("Ths is a tset."), "writing")

            from PySide6.QtCore import QTimer
            QTimer.singleShot(0, window.open_settings)  # a modal dialog: exec() returns when it closes
            yield self.until(lambda: isinstance(QApplication.activeModalWidget(), SettingsDialog), "Settings")
            dialog = QApplication.activeModalWidget()
            yield self.pause(0.5)
            dialog.accept()  # OK: apply_settings with what it shows
            yield self.until(lambda: QApplication.activeModalWidget() is None, "Settings closed")
            log("settings")

            # idle unload: settings.json asks for 1 minute; the real timer, made to fire sooner
            assert window.settings.unload_after_minutes == 1, window.settings
            yield self.until(lambda: window._idle.isActive(), "the idle timer")
            window._idle.start(1000)
            yield self.until(lambda: window.runner.info is None, "the idle unload", 20)
            log("unloaded", label=window.model_label.text())

            # the hotkey popup, from another application (the test presses the keys); its
            # request loads the model again
            log("hotkey-ready")
            yield self.until(lambda: (OUT / "hotkey-done").exists(), "the test's hotkey round", 240)
            log("hotkey-done")
            assert window.runner.info is not None, "the model did not load again"
            log("reloaded", model=Path(str(window.runner.info.path)).name)

            window.show()
            window.nav.setCurrentRow(3)  # History
            yield self.until(lambda: window.stack.currentWidget() is window.history, "History")
            count = window.history.list.count()
            assert count >= 3, f"History has {count} entries"
            window.history.list.setCurrentRow(0)
            log("history", entries=count)

            panel = PrivacyPanel()
            panel.show()
            log("privacy-panel", summary=panel.summary.text(), rows=panel.table.rowCount())
            panel.close()
            panel.deleteLater()

        for plant in self.plants:
            {"resolve": plant_resolve, "native": plant_native}[plant]()
        log("quit", summary=netaudit.summary())
        window.quit()


def main() -> int:
    from copilot import app, cli

    mode = os.environ.get("NETAUDIT_SESSION", "full")
    plants = [p for p in os.environ.get("NETAUDIT_PLANT", "").split(",") if p]
    original = cli.setup_logging

    def setup_logging(paths):  # app.main calls it after installing the audit, before the GUI starts
        original(paths)
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        qapp = QApplication.instance() or QApplication(sys.argv[:1])
        session = Session(qapp, mode, plants)
        qapp._netaudit_session = session  # kept alive for the app's lifetime
        QTimer.singleShot(0, session.start)

    cli.setup_logging = setup_logging
    code = app.main(sys.argv[1:])
    log("exit", code=code)
    return code


if __name__ == "__main__":
    sys.exit(main())
