"""What every task pane shares: Generate / Stop, reasoning effort, streamed output, errors, drafts.

A pane is thin: it turns its widgets into a job (core.jobs + core.tasks) and shows the
events that come back. It never touches the engine; the TaskRunner does.

Under the answer, the trust bar shows what the commitment check found (a Findings event: the
summary line, and the spans marked in the answer) and, when the answer was cut at its length
limit, a Continue button that writes the rest into the same answer (``continue_job``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLayout, QProgressBar, QPushButton, QSizePolicy,
                               QSplitter, QVBoxLayout, QWidget)

from copilot.core.engine import LocalEngine
from copilot.core.events import (Answer, Failed, Findings, Finished, JobEvent, Notice, Progress, PromptProgress,
                                 Reasoning)
from copilot.ui.runner import TaskRunner
from copilot.ui.widgets.output_view import Mark, OutputView

Job = Callable[[LocalEngine], Iterator[JobEvent]]


class TaskPane(QWidget):
    """Base of the Email, Meeting and Writing panes."""

    key = "task"  # the pane's name in drafts and history
    input_key = "input"  # the draft entry that holds the user's input
    default_effort = "medium"
    sig_draft_changed = Signal()
    sig_result = Signal(str, str, str)  # title, input, output: a finished run, for history
    sig_stats = Signal(object)  # Stats of the last run

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._request: int | None = None
        self._input_snapshot = ""
        runner.sig_event.connect(self.on_event)
        runner.sig_finished.connect(self.on_finished)
        runner.sig_submitted.connect(self.on_submitted)

        self.output = OutputView(self, markdown=self.markdown_output)
        self.output.sig_edited.connect(self.sig_draft_changed)
        self.output.sig_cleared.connect(self.clear_findings)

        self.effort = QComboBox(self)
        efforts = (("low", QCoreApplication.translate("TaskPane", "Low")),
                   ("medium", QCoreApplication.translate("TaskPane", "Medium")),
                   ("high", QCoreApplication.translate("TaskPane", "High")))
        for value, label in efforts:
            self.effort.addItem(label, value)
        self.effort.setCurrentIndex(self.effort.findData(self.default_effort))
        self.effort.setAccessibleName(QCoreApplication.translate("TaskPane", "Reasoning effort"))
        self.effort.setToolTip(QCoreApplication.translate("TaskPane", "How long the model thinks before answering: higher is slower, "
                                       "often better for long or tricky inputs."))

        self.generate_button = QPushButton(QCoreApplication.translate("TaskPane", "Generate"), self)
        self.generate_button.setDefault(True)
        self.generate_button.setToolTip(QCoreApplication.translate("TaskPane", "Generate (Ctrl+Enter)"))
        self.generate_button.setAccessibleName(QCoreApplication.translate("TaskPane", "Generate"))
        self.generate_button.clicked.connect(self.generate)
        self.stop_button = QPushButton(QCoreApplication.translate("TaskPane", "Stop"), self)
        self.stop_button.setToolTip(QCoreApplication.translate("TaskPane", "Stop (Esc)"))
        self.stop_button.setAccessibleName(QCoreApplication.translate("TaskPane", "Stop"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)

        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.setAccessibleName(QCoreApplication.translate("TaskPane", "Progress"))
        self.progress.hide()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.setObjectName("paneMessage")
        self.message.setAccessibleName(QCoreApplication.translate("TaskPane", "Message"))
        self.message.hide()

        # -- the trust bar: what the check found; Continue after a cut --------------------
        self.findings_bar = QLabel(self)
        self.findings_bar.setObjectName("findingsBar")
        self.findings_bar.setWordWrap(True)
        self.findings_bar.setTextFormat(Qt.PlainText)  # built from the answer's text: never markup
        self.findings_bar.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.findings_bar.setStyleSheet("QLabel#findingsBar { background: rgba(255, 193, 7, 45); "
                                        "border-left: 3px solid rgb(230, 145, 0); padding: 4px 6px; }")
        self.findings_bar.setAccessibleName(QCoreApplication.translate("TaskPane", "Things to check"))
        self.findings_bar.setToolTip(QCoreApplication.translate(
            "TaskPane", "What the answer says that its sources do not: check these before you send it. "
                        "Point at a marked span in the answer to see why."))
        self.findings_bar.hide()
        self.cut_label = QLabel(QCoreApplication.translate("TaskPane", "Cut at the length limit — Continue?"), self)
        self.cut_label.setWordWrap(True)
        self.continue_button = QPushButton(QCoreApplication.translate("TaskPane", "Continue"), self)
        self.continue_button.setAccessibleName(QCoreApplication.translate("TaskPane", "Continue the answer"))
        self.continue_button.setToolTip(QCoreApplication.translate(
            "TaskPane", "Write the rest of the answer (Ctrl+Shift+Enter)"))
        self.continue_button.setAutoDefault(False)
        self.continue_button.clicked.connect(self.continue_answer)
        self.cut_label.setBuddy(self.continue_button)
        self.trust_bar = QWidget(self)
        tv = QVBoxLayout(self.trust_bar)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addWidget(self.findings_bar)
        cut_row = QHBoxLayout()
        cut_row.addWidget(self.cut_label, 1)
        cut_row.addWidget(self.continue_button)
        tv.addLayout(cut_row)
        self.cut_label.hide()
        self.continue_button.hide()
        self.trust_bar.hide()

        for seq, slot in ((QKeySequence("Ctrl+Return"), self.generate), (QKeySequence("Ctrl+Enter"), self.generate),
                          (QKeySequence(Qt.Key_Escape), self.stop),
                          (QKeySequence("Ctrl+Shift+Return"), self.continue_answer),
                          (QKeySequence("Ctrl+Shift+Enter"), self.continue_answer)):
            shortcut = QShortcut(seq, self)
            shortcut.setContext(Qt.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    markdown_output = True

    # -- layout helpers for subclasses ---------------------------------------------------
    def action_row(self, *widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        label = QLabel(QCoreApplication.translate("TaskPane", "Reasonin&g:"), self)
        label.setBuddy(self.effort)
        row.addWidget(label)
        row.addWidget(self.effort)
        row.addWidget(self.stop_button)
        row.addWidget(self.generate_button)
        return row

    def build_columns(self, title: str, header_button: QWidget, left_parts: list, buttons: tuple) -> None:
        """Inputs on the left (a titled header with a button, then ``left_parts``, the first of
        which stretches), the answer and the action row on the right."""
        left = QWidget(self)
        lv = QVBoxLayout(left)
        head = QHBoxLayout()
        head.addWidget(QLabel(f"<b>{title}</b>", self))
        head.addStretch(1)
        head.addWidget(header_button)
        lv.addLayout(head)
        for i, part in enumerate(left_parts):
            stretch = 1 if i == 0 else 0
            if isinstance(part, QLayout):
                lv.addLayout(part, stretch)
            else:
                lv.addWidget(part, stretch)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.addLayout(self.output_box(), 1)
        rv.addWidget(self.trust_bar)
        rv.addLayout(self.action_row(*buttons))
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(splitter)

    def output_box(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.addWidget(self.message)
        box.addWidget(self.progress)
        self.output.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        box.addWidget(self.output, 1)
        return box

    # -- to implement ----------------------------------------------------------------------
    def make_job(self) -> Job:
        """The job for the current inputs; raise ValueError with a message for the user."""
        raise NotImplementedError

    def input_text(self) -> str:
        """The user's input, for history."""
        raise NotImplementedError

    def continue_job(self, answer: str) -> Job | None:
        """The job that continues ``answer``, cut at its length limit, from the last run's
        request; None (the default) where a pane cannot continue (no Continue button)."""
        return None

    def focus_input(self) -> None:
        """Put the keyboard focus where the user starts typing in this pane."""

    def title(self) -> str:
        text = " ".join(self.input_text().split())
        return text[:60] + ("…" if len(text) > 60 else "")

    def draft_state(self) -> dict[str, Any]:
        return {"output": self.output.answer_text(), "effort": self.effort.currentData()}

    def restore_draft(self, state: dict[str, Any]) -> None:
        self.output.set_answer_text(state.get("output", ""))
        index = self.effort.findData(state.get("effort"))
        if index >= 0:
            self.effort.setCurrentIndex(index)

    def reopen(self, input_text: str, output: str) -> None:
        """Show a past run (from History): its input and its answer."""
        self.restore_draft({**self.draft_state(), self.input_key: input_text, "output": output})
        self.show_message("")

    def on_answer_finished(self) -> None:
        """Hook for panes that post-process the final answer."""

    def on_continue_started(self) -> None:
        """Hook: a continuation of the answer (``continue_job``) was just submitted."""

    # -- running ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._request is not None

    @Slot()
    def generate(self) -> None:
        try:
            job = self.make_job()
        except ValueError as exc:
            self.show_message(str(exc))
            return
        self.show_message("")
        self.output.clear()
        self.clear_findings()
        self.progress.hide()
        self._input_snapshot = self.input_text()
        self._set_busy(True)
        self._request = self.runner.submit(job)

    @Slot()
    def continue_answer(self) -> None:
        """Continue an answer cut at its length limit: the rest is appended to the same answer."""
        if self.busy or self.continue_button.isHidden():
            return
        answer = self.output.answer_text()
        job = self.continue_job(answer) if answer.strip() else None
        if job is None:
            return
        self.show_message("")
        self.clear_findings()  # the check runs again, on the whole answer, when the rest is written
        self.progress.hide()
        self._set_busy(True)
        self._request = self.runner.submit(job)
        self.on_continue_started()

    @Slot()
    def stop(self) -> None:
        if self.busy:
            self.runner.cancel()

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setVisible(bool(text))

    @Slot()
    def clear_findings(self) -> None:
        """Hide the trust bar and take the marks off the answer."""
        self.findings_bar.clear()
        self.findings_bar.hide()
        self.cut_label.hide()
        self.continue_button.hide()
        self.trust_bar.hide()
        if self.output.marks():
            self.output.set_marks([])

    def show_findings(self, event: Findings) -> None:
        """The check of the finished answer: its summary in the bar, its spans marked."""
        if not event.findings:
            self.findings_bar.hide()
            self.output.set_marks([])
        else:
            from copilot.core.check import reason_in

            self.findings_bar.setText(event.summary)
            self.findings_bar.show()
            self.output.set_marks([Mark(f.text, f.start, f.end, reason_in(f, event.language), kind=f.kind)
                                   for f in event.findings])
        self._update_trust_bar()

    def show_cut(self) -> None:
        """The answer stopped at its length limit: offer to continue it, where the pane can."""
        answer = self.output.answer_text()
        if answer.strip() and self.continue_job(answer) is not None:
            self.cut_label.show()
            self.continue_button.show()
        else:
            self.show_message(QCoreApplication.translate("TaskPane", "The answer was cut at the length limit."),
                              error=False)
        self._update_trust_bar()

    def _update_trust_bar(self) -> None:
        self.trust_bar.setVisible(not self.findings_bar.isHidden() or not self.continue_button.isHidden())

    def _set_busy(self, busy: bool) -> None:
        if not busy:  # once there is an answer, the same button asks for another one
            has_answer = bool(self.output.answer_text().strip())
            self.generate_button.setText(QCoreApplication.translate("TaskPane", "Regenerate") if has_answer
                                         else QCoreApplication.translate("TaskPane", "Generate"))
        self.generate_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.output.set_busy(busy)

    @Slot(int, object)
    def on_event(self, request_id: int, event: object) -> None:
        if request_id != self._request:
            return
        if isinstance(event, Answer):
            self.progress.hide()
            self.output.append_answer(event.text)
        elif isinstance(event, Reasoning):
            self.output.append_reasoning(event.text)
        elif isinstance(event, Progress):
            self._show_progress(event.label, event.step, event.total)
        elif isinstance(event, PromptProgress):
            self._show_progress(QCoreApplication.translate("TaskPane", "Reading the input…"), event.done, event.total)
        elif isinstance(event, Failed):
            self.show_message(event.message)
        elif isinstance(event, Notice):  # e.g. the model repeated itself: the text before it stays
            self.show_message(event.message, error=False)
        elif isinstance(event, Findings):
            self.show_findings(event)
        elif isinstance(event, Finished):
            self.sig_stats.emit(event.stats)
            if event.stats.stop_reason == "cancelled":
                self.show_message(QCoreApplication.translate("TaskPane", "Stopped."), error=False)
            elif event.stats.stop_reason == "length":
                self.show_cut()
            if self.output.answer_text().strip():
                self.on_answer_finished()
                self.sig_result.emit(self.title(), self._input_snapshot, self.output.answer_text())

    @Slot(int)
    def on_finished(self, request_id: int) -> None:
        if request_id == self._request:
            self._request = None
            self.progress.hide()
            self._set_busy(False)
            self.sig_draft_changed.emit()

    @Slot(int)
    def on_submitted(self, request_id: int) -> None:
        if self._request is not None and request_id != self._request:
            # another pane's request superseded ours: one engine, latest wins
            self._request = None
            self.progress.hide()
            self._set_busy(False)
            self.show_message(QCoreApplication.translate("TaskPane", "Stopped: another request started."), error=False)

    def _show_progress(self, label: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{label} %p%")
        self.progress.show()
