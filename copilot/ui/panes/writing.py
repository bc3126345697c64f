"""Writing pane: an editor for private writing; actions apply to the selection or the whole text,
and the result is shown as a diff to accept or reject. Accepting is one undo step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from copilot.core import jobs
from copilot.core.tasks import TaskPrompt
from copilot.core.tasks.cleanup import clean_output
from copilot.core.tasks.writing import ACTIONS, writing_prompt
from copilot.ui.panes.base import Job, TaskPane
from copilot.ui.widgets.diff_view import DiffView


class WritingPane(TaskPane):
    key = "writing"
    input_key = "text"
    default_effort = "low"

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self.action = "proofread"
        self._target: tuple[int, int, str] | None = None  # start, end, original text of the run
        self._last_run: tuple[TaskPrompt, jobs.CheckSpec, str] | None = None  # for Continue

        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText(self.tr("Write here. Select a part to work on it alone, "
                                               "or act on the whole text."))
        self.editor.setAccessibleName(self.tr("Your text"))
        self.editor.textChanged.connect(self.sig_draft_changed)

        labels = {"proofread": self.tr("&Proofread"), "rewrite": self.tr("&Rewrite"),
                  "friendly": self.tr("&Friendly"), "professional": self.tr("Pr&ofessional"),
                  "concise": self.tr("&Concise"), "summarize": self.tr("&Summarize"),
                  "keypoints": self.tr("&Key points"), "list": self.tr("&List"), "table": self.tr("&Table"),
                  "continue": self.tr("Co&ntinue")}
        grid = QGridLayout()
        for i, key in enumerate(k for k in ACTIONS if k != "custom"):
            button = QPushButton(labels[key], self)
            button.setAccessibleName(self.tr("Action: {0}").format(labels[key].replace("&", "")))
            button.clicked.connect(lambda _=False, k=key: self.run_action(k))
            grid.addWidget(button, i // 5, i % 5)
        self.instruction = QLineEdit(self)
        self.instruction.setPlaceholderText(self.tr("Or tell it what to do, e.g. \"make it sound more confident\""))
        self.instruction.setAccessibleName(self.tr("Custom instruction"))
        self.instruction.returnPressed.connect(lambda: self.run_action("custom"))
        custom_button = QPushButton(self.tr("Apply"), self)
        custom_button.setAccessibleName(self.tr("Apply the custom instruction"))
        custom_button.clicked.connect(lambda: self.run_action("custom"))

        self.diff = DiffView(self)
        self.diff.setAccessibleName(self.tr("Changes"))
        self.results = QStackedWidget(self)
        self.results.addWidget(self.output)
        self.results.addWidget(self.diff)
        self.accept_button = QPushButton(self.tr("&Accept"), self)
        self.accept_button.setAccessibleName(self.tr("Accept the changes"))
        self.accept_button.clicked.connect(self.accept_result)
        self.reject_button = QPushButton(self.tr("Re&ject"), self)
        self.reject_button.setAccessibleName(self.tr("Reject the changes"))
        self.reject_button.clicked.connect(self.reject_result)
        self.show_diff_button = QPushButton(self.tr("Show result"), self)
        self.show_diff_button.setCheckable(True)
        self.show_diff_button.setAccessibleName(self.tr("Switch between the changes and the result"))
        self.show_diff_button.toggled.connect(lambda on: self.results.setCurrentWidget(self.output if on else self.diff))
        self._set_review(False)

        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(self.editor, 1)
        lv.addLayout(grid)
        custom = QHBoxLayout()
        custom.addWidget(self.instruction, 1)
        custom.addWidget(custom_button)
        lv.addLayout(custom)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.addWidget(self.message)
        rv.addWidget(self.progress)
        rv.addWidget(self.results, 1)
        rv.addWidget(self.trust_bar)
        rv.addLayout(self.action_row(self.accept_button, self.reject_button, self.show_diff_button))
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

    # -- running ---------------------------------------------------------------------------
    def run_action(self, action: str) -> None:
        self.action = action
        self.generate()

    def _selection(self) -> tuple[int, int, str]:
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            # QTextCursor uses U+2029 between paragraphs; the model must see plain newlines
            return cursor.selectionStart(), cursor.selectionEnd(), cursor.selectedText().replace("\u2029", "\n")
        text = self.editor.toPlainText()
        return 0, len(text), text

    def focus_input(self) -> None:
        self.editor.setFocus()

    def input_text(self) -> str:
        return self._selection()[2]

    def make_job(self) -> Job:
        start, end, text = self._selection()
        prompt = writing_prompt(self.action, text, instruction=self.instruction.text(),
                                effort=self.effort.currentData())
        self._target = (start, end, text)
        self._set_review(False)
        self.results.setCurrentWidget(self.output)
        check = jobs.CheckSpec.for_writing(self.action, text)
        self._last_run = (prompt, check, text)
        return lambda engine: jobs.run_prompt(engine, prompt, source=text, check=check)

    def continue_job(self, answer: str) -> Job | None:
        if self._last_run is None or self._target is None:
            return None
        prompt, check, text = self._last_run
        more = jobs.continue_prompt(prompt, answer)
        return lambda engine: jobs.run_prompt(engine, more, source=text, check=check, prefix=answer)

    def on_continue_started(self) -> None:
        self._set_review(False)  # the diff is drawn again once the whole answer is written
        self.results.setCurrentWidget(self.output)

    def on_answer_finished(self) -> None:
        if self._target is None:
            return
        result = self.result_text()
        original = self._target[2]
        self.diff.set_texts(original, original + result if self.action == "continue" else result)
        self.results.setCurrentWidget(self.diff)
        self._set_review(True)

    def result_text(self) -> str:
        source = self._target[2] if self._target else ""
        result = clean_output(self.output.answer_text(), source)
        return (" " + result.lstrip()) if self.action == "continue" and not source[-1:].isspace() else result

    def _set_review(self, on: bool) -> None:
        self.accept_button.setEnabled(on)
        self.reject_button.setEnabled(on)
        self.show_diff_button.setEnabled(on)
        self.show_diff_button.setChecked(False)

    @Slot()
    def accept_result(self) -> None:
        if self._target is None:
            return
        start, end, original = self._target
        current = self.editor.toPlainText()
        if current[start:end] != original:
            self.show_message(self.tr("The text changed while the result was written, so it was not replaced. "
                                      "Copy the result instead, or run the action again."))
            return
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()  # one Ctrl+Z undoes the whole replacement
        if self.action == "continue":
            cursor.setPosition(end)
        else:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(self.result_text())
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self._finish_review()

    @Slot()
    def reject_result(self) -> None:
        self._finish_review()

    def _finish_review(self) -> None:
        self._target = None
        self._set_review(False)
        self.output.clear()
        self.diff.clear()
        self.results.setCurrentWidget(self.output)
        self.editor.setFocus()

    # -- drafts ----------------------------------------------------------------------------
    def draft_state(self) -> dict[str, Any]:
        return {**super().draft_state(), "text": self.editor.toPlainText(), "instruction": self.instruction.text(),
                "action": self.action}

    def restore_draft(self, state: dict[str, Any]) -> None:
        super().restore_draft(state)
        self.editor.setPlainText(state.get("text", ""))
        self.instruction.setText(state.get("instruction", ""))
        self.action = state.get("action", "proofread") if state.get("action") in ACTIONS else "proofread"
