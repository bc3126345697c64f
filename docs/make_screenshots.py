"""Screenshots of each pane for the README, taken on a real X server (Xvfb).

    python docs/make_screenshots.py            # starts its own Xvfb when DISPLAY is unset
    python docs/make_screenshots.py --lang es  # the Spanish interface

The answers shown are sample text set by this script (gpt-oss-20b is not available on the
machines that build the docs); everything else is the app as it runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THREAD = """From: Lucía Fernández <lucia@example.es>
Subject: Reunión del jueves

Hola Marta,

¿Podríamos mover la revisión del presupuesto del jueves a las 11:00? A las 9:00 tengo otra llamada con el cliente.

Gracias y un saludo,
Lucía"""
REPLY = """Hola Lucía:

Sí, sin problema: nos vemos el jueves a las 11:00 para revisar el presupuesto. Te envío antes la última versión de la hoja de cálculo.

Un saludo,
Marta"""
REASONING = "The user accepts moving the meeting to 11:00. Reply in Spanish, friendly, short, sign as Marta."
NOTES = """Ana: Good morning everyone. Yesterday I finished the export to PDF; today I start on the invoice templates.
Luis: I'm still blocked on the payment API keys, I need them from finance.
Ana: I can ask Marta in finance today.
Luis: Great. Then I'll have the checkout flow ready by Friday.
Marta: Reminder that the release is next Tuesday. We agreed to freeze features on Friday."""
MINUTES = """## Summary
Ana finished the PDF export and starts on invoice templates. Luis is blocked on the payment API keys.

## Decisions
- Feature freeze on Friday; release next Tuesday.

## Action items
- **Ana**: ask finance (Marta) for the payment API keys (due: today)
- **Luis**: finish the checkout flow (due: Friday)

## Open questions
None."""
DRAFT = """Dear team,

I wanted to let you know that the office will be closed this Friday for maintenance of the heating system. Please take your laptops home on Thursday evening.

Thank you for your understanding."""
PROOFREAD = DRAFT.replace("I wanted to let you know", "This is to let you know").replace(
    "Please take", "Please remember to take")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        return _under_xvfb()

    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from copilot.core.engine import ModelInfo
    from copilot.core.events import Stats
    from copilot.core.paths import app_paths
    from copilot.core.settings import Settings
    from copilot.core.store import Store
    from copilot.ui.application import RESOURCES, install_translations
    from copilot.ui.main_window import MainWindow
    from copilot.ui.runner import TaskRunner

    app = QApplication(sys.argv[:1])
    install_translations(app, args.lang)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as base:
        paths = app_paths(base).ensure()
        runner = TaskRunner()
        window = MainWindow(paths, Settings(), Store(paths.database), runner)
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "private-copilot.svg")))
        window.resize(1200, 720)
        window.show()
        info = ModelInfo("gpt-oss-20b", Path("gpt-oss-20b-mxfp4.gguf"), "gpt-oss", 16384, 131072, True, "CPU",
                         12_100_000_000)
        runner.info = info
        window.on_loaded(info)
        window.on_stats(Stats(1480, 0, 212, 0.9, 21.4, "stop"))

        email = window.pane("email")
        email.thread_edit.setPlainText(THREAD)
        email.points.setPlainText("sí, a las 11 me va bien")
        email.sign_off.setText("Marta")
        email.intents.buttons()[0].setChecked(True)
        email.output.append_reasoning(REASONING)
        email.output.append_answer(REPLY)
        email.output.set_busy(False)

        meeting = window.pane("meeting")
        meeting.notes.setPlainText(NOTES)
        meeting.template.setCurrentIndex(meeting.template.findData("standup"))
        meeting.output.append_answer(MINUTES)
        meeting.output.set_busy(False)
        meeting.update_meter()

        writing = window.pane("writing")
        writing.editor.setPlainText(DRAFT)
        writing.output.set_answer_text(PROOFREAD)
        writing.diff.set_texts(DRAFT, PROOFREAD)
        writing.results.setCurrentWidget(writing.diff)
        writing._set_review(True)

        for row, name in ((0, "email"), (1, "meeting"), (2, "writing"), (3, "history")):
            window.nav.setCurrentRow(row)
            settle = QEventLoop()
            QTimer.singleShot(300, settle.quit)  # let layout and the markdown render finish
            settle.exec()
            path = out / (f"{name}.png" if args.lang == "en" else f"{name}-{args.lang}.png")
            window.grab().save(str(path))
            print(path)
        runner.shutdown()
    return 0


def _under_xvfb() -> int:
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = ":" + f.readline().strip()
    try:
        return subprocess.run([sys.executable, *sys.argv], env={**os.environ, "DISPLAY": display}).returncode
    finally:
        xvfb.terminate()
        xvfb.wait(10)


if __name__ == "__main__":
    sys.exit(main())
