"""Another application for the hotkey's end-to-end test: a plain Qt text editor in its own
process. It writes its text to a file at every change, so the test can read it."""

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit


def main() -> int:
    out = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    editor = QPlainTextEdit()
    editor.setWindowTitle("Target Editor")
    editor.textChanged.connect(lambda: out.write_text(editor.toPlainText(), encoding="utf-8"))
    editor.resize(600, 300)
    editor.show()
    editor.activateWindow()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
