"""Another application for the hotkey's end-to-end test: a plain Qt text editor in its own
process. It writes its text to a file at every change, so the test can read it, and
counts pastes (edits that add more than one character at once) in a second file."""

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QPlainTextEdit


def main() -> int:
    out = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    editor = QPlainTextEdit()
    editor.setWindowTitle("Target Editor")
    editor.textChanged.connect(lambda: out.write_text(editor.toPlainText(), encoding="utf-8"))
    pastes = out.with_suffix(".pastes")  # one line per edit of more than one character: a paste

    def on_change(_position: int, _removed: int, added: int) -> None:
        if added > 1:
            with pastes.open("a", encoding="utf-8") as f:
                f.write(f"{added}\n")

    editor.document().contentsChange.connect(on_change)
    editor.resize(600, 300)
    editor.show()
    editor.activateWindow()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
