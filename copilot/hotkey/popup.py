"""The hotkey popup: a small frameless window at the cursor that rewrites the captured text.

Pick a writing action (number keys 1-9, Enter for the selected one, or a custom
instruction); the answer streams as a word diff against the original; Replace (Enter)
hands the result back to the caller, which pastes it. Summaries, key points and tables
are read, not pasted over the selection: they open as a panel with Copy and "Continue in
Writing pane" instead of Replace.

Only ``Answer`` events reach the views and the result: ``Reasoning`` turns into a
"Thinking…" status and its text is dropped here, so it can never be pasted.

The finished result is checked against the selection (core.check): when it changes or adds a
number, date, name or promise, the popup says what, and Replace takes a second Enter.

The popup never touches the clipboard or the target application: it emits signals and
its owner (the hotkey controller) does the pasting and copying.
"""

from __future__ import annotations

from dataclasses import replace as replace_field

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractButton, QFrame, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPlainTextEdit, QPushButton, QStackedWidget, QTextBrowser, QTextEdit, QVBoxLayout,
                               QWidget)

from copilot.core import jobs
from copilot.core.events import Answer, Failed, Findings, Finished, Notice, Progress, PromptProgress, Reasoning
from copilot.core.actions import ActionLibrary
from copilot.core.tasks.writing import BUILTIN_ACTIONS, writing_prompt
from copilot.core.textdiff import word_diff
from copilot.ui.runner import TaskRunner
from copilot.ui.widgets.diff_view import DiffView

# The numbered actions of the default library, in the order of their keys 1-9 (the popup follows
# the library's visible order: core/actions.py).
POPUP_ACTIONS = ("proofread", "rewrite", "friendly", "professional", "concise", "summarize", "keypoints", "list",
                 "table")
# Results that are read rather than pasted over the selection (Apple's Writing Tools do the same);
# the library's result field decides for each action (Action.opens_panel).
PANEL_ACTIONS = frozenset({"summarize", "keypoints", "table"})

POPUP_SIZE = (460, 380)
CURSOR_GAP = 12  # px between the cursor and the popup, so the popup never hides what is under the pointer
PREVIEW_CHARS = 160
# Each render diffs the whole text twice; 80 ms still looks live and keeps long selections cheap.
RENDER_INTERVAL_MS = 80


def streaming_original(original: str, answer: str) -> str:
    """The part of ``original`` that a partial ``answer`` has reached.

    While the answer streams, the rest of the original is not deleted, only not written
    yet; diffing against this prefix keeps the view from striking through the unread tail.
    """
    ops = word_diff(original, answer)
    end = len(ops)
    while end and ops[end - 1][0] != "equal":
        end -= 1
    return "".join(text for kind, text in ops[:end] if kind != "insert")


class RewritePopup(QWidget):
    """Frameless popup near the cursor; see the module docstring.

    Signals (emitted after the popup has hidden itself, so the target window can take the
    focus back): ``sig_replace(result)``, ``sig_continue(original, result)``,
    ``sig_closed()``. ``sig_copy(result)`` keeps the popup open.
    """

    sig_replace = Signal(str)  # the final answer, to paste over the selection
    sig_copy = Signal(str)  # the final answer, for the clipboard
    sig_continue = Signal(str, str)  # original text, result: open them in the Writing pane
    sig_closed = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None,
                 library: ActionLibrary | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("Private Copilot — Rewrite"))
        self.setAccessibleName(self.tr("Rewrite the selected text"))
        self.runner = runner
        self.effort: str | None = "low"  # reasoning effort; None: each action's own default
        self.max_tokens: int | None = None  # cap on the answer; None: the budget decides
        self._text = ""  # the text given to open_for
        self._run_text = ""  # the text of the current or last run
        self._action: str | None = None
        self._panel = False  # the current action's result is read in a panel, not pasted
        self._instruction = ""
        self._request: int | None = None
        self._answer = ""  # Answer events, concatenated: the only source of the result
        self._failed = ""
        self._stop_reason = ""
        self._notice = ""  # a Notice of the run (the model repeated itself), kept past its end
        self._findings = ""  # the check's summary of the result; "" when it found nothing
        self._confirmed = False  # Replace was pressed once despite the findings
        self._done = False  # a finished run with a usable result
        self._stopping = False  # Stop was asked for: the run may end before any event says so
        self._open = False
        self._prefetch: int | None = None  # the selection being read ahead (TaskRunner.prefetch)
        self._prefetch_effort = ""

        runner.sig_event.connect(self.on_event)
        runner.sig_finished.connect(self.on_finished)
        runner.sig_submitted.connect(self.on_submitted)

        labels = {"proofread": self.tr("Proofread"), "rewrite": self.tr("Rewrite"), "friendly": self.tr("Friendly"),
                  "professional": self.tr("Professional"), "concise": self.tr("Concise"),
                  "summarize": self.tr("Summarize"), "keypoints": self.tr("Key points"), "list": self.tr("List"),
                  "table": self.tr("Table"), "translate": self.tr("Translate"), "continue": self.tr("Continue")}
        self._builtin_labels = labels
        self._labels: dict[str, str] = {}
        self._keys: list[str] = []  # the visible actions' keys: 1-9 run the first nine

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Status"))
        self.message.hide()

        # -- choosing an action ---------------------------------------------------------
        self.choose_page = QWidget(self)
        self.preview = QLabel(self.choose_page)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)  # the user's text, never markup
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(self.tr("Selected text"))
        self.input_box = QPlainTextEdit(self.choose_page)
        self.input_box.setPlaceholderText(self.tr("Nothing was selected. Type or paste the text to work on, "
                                                  "then press Tab and choose an action (or Ctrl+Enter)."))
        self.input_box.setAccessibleName(self.tr("Text to work on"))
        self.input_box.setTabChangesFocus(True)
        self.actions = QListWidget(self.choose_page)
        self.actions.setAccessibleName(self.tr("Writing actions"))
        self.actions.setAccessibleDescription(self.tr("Press a number key to run an action at once, "
                                                      "or Enter to run the selected one."))
        self.set_library(library or ActionLibrary())
        self.actions.itemClicked.connect(lambda item: self.start_action(item.data(Qt.ItemDataRole.UserRole)))
        self.instruction = QLineEdit(self.choose_page)
        self.instruction.setPlaceholderText(self.tr("Or describe a change, e.g. \"make it more confident\""))
        self.instruction.setAccessibleName(self.tr("Custom instruction"))
        self.choose_hint = QLabel(self.tr("1–9: run an action · Enter: run the selected one · Esc: close"),
                                  self.choose_page)
        cv = QVBoxLayout(self.choose_page)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.addWidget(self.preview)
        cv.addWidget(self.input_box, 1)
        cv.addWidget(self.actions, 2)
        cv.addWidget(self.instruction)
        cv.addWidget(self.choose_hint)

        # -- the result -----------------------------------------------------------------
        self.result_page = QWidget(self)
        self.diff = DiffView(self.result_page)
        self.diff.setAccessibleName(self.tr("Changes"))
        self.answer_view = QPlainTextEdit(self.result_page)  # the exact result, as it will be pasted
        self.answer_view.setReadOnly(True)
        self.answer_view.setAccessibleName(self.tr("Result"))
        self.panel_view = QTextBrowser(self.result_page)
        self.panel_view.setOpenLinks(False)
        self.panel_view.setAccessibleName(self.tr("Result"))
        self.views = QStackedWidget(self.result_page)
        for view in (self.diff, self.answer_view, self.panel_view):
            self.views.addWidget(view)

        def button(text: str, name: str, tip: str, slot) -> QPushButton:
            b = QPushButton(text, self.result_page)
            b.setAccessibleName(name)
            b.setToolTip(tip)
            b.setAutoDefault(False)
            if slot is not None:
                b.clicked.connect(slot)
            return b

        self.back_button = button(self.tr("Back"), self.tr("Back to the actions"),
                                  self.tr("Choose another action (Backspace)"), self.back)
        self.show_text_button = button(self.tr("Show text"), self.tr("Switch between the changes and the result"),
                                       self.tr("Show the result without the changes marked"), None)
        self.show_text_button.setCheckable(True)
        self.show_text_button.toggled.connect(self.on_show_text)
        self.retry_button = button(self.tr("Retry"), self.tr("Retry"), self.tr("Run the action again (R)"), self.retry)
        self.copy_button = button(self.tr("Copy"), self.tr("Copy the result"), self.tr("Copy the result (Ctrl+C)"),
                                  self.copy_result)
        self.continue_button = button(self.tr("Continue in Writing pane"), self.tr("Continue in the Writing pane"),
                                      self.tr("Open the text and the result in the Writing pane"),
                                      self.continue_in_writing)
        self.stop_button = button(self.tr("Stop"), self.tr("Stop"), self.tr("Stop (Esc)"), self.stop)
        self.replace_button = button(self.tr("Replace"), self.tr("Replace the selection with the result"),
                                     self.tr("Replace the selected text with the result (Enter)"),
                                     self.replace_selection)
        self.result_hint = QLabel(self.result_page)
        self.findings_label = QLabel(self.result_page)
        self.findings_label.setObjectName("findingsBar")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.PlainText)  # built from the result: never markup
        self.findings_label.setStyleSheet("QLabel#findingsBar { background: rgba(255, 193, 7, 45); "
                                          "border-left: 3px solid rgb(230, 145, 0); padding: 3px 5px; }")
        self.findings_label.setAccessibleName(self.tr("Things to check"))
        self.findings_label.hide()
        row = QHBoxLayout()
        for b in (self.back_button, self.show_text_button, self.retry_button):
            row.addWidget(b)
        row.addStretch(1)
        for b in (self.copy_button, self.continue_button, self.stop_button, self.replace_button):
            row.addWidget(b)
        rv = QVBoxLayout(self.result_page)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.views, 1)
        rv.addWidget(self.findings_label)
        rv.addLayout(row)
        rv.addWidget(self.result_hint)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(self.result_page)

        # A frameless window has no border of its own; the frame draws one.
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        fv = QVBoxLayout(frame)
        fv.addWidget(self.message)
        fv.addWidget(self.pages, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self.on_render)

        # Keys are handled in one place, whichever control has the focus (see _on_key).
        for widget in self.findChildren(QWidget):
            if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
                widget.installEventFilter(self)
        self._update_controls()

    # -- public API ------------------------------------------------------------------------
    def set_library(self, library: ActionLibrary) -> None:
        """Show ``library``'s visible actions, in its order (1-9: the first nine)."""
        self.library = library
        self._labels = {a.key: self._label(a) for a in library.ordered(visible_only=False)}
        self._labels["custom"] = self.tr("Custom instruction")
        self._keys = [a.key for a in library.ordered()]
        self.actions.clear()
        for number, key in enumerate(self._keys, 1):
            label = self._labels[key]
            numbered = number <= 9
            item = QListWidgetItem(f"{number}   {label}" if numbered else f"     {label}", self.actions)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         self.tr("{0}, key {1}").format(label, number) if numbered else label)

    def _label(self, action) -> str:
        """A built-in's translated label, unless the user renamed it; the user's own name otherwise."""
        default = self._builtin_labels.get(action.key) if action.builtin else None
        shipped = BUILTIN_ACTIONS.get(action.key)
        if default and shipped is not None and action.name == shipped.label:
            return default
        return action.name

    def open_for(self, text: str, pos: QPoint | None = None) -> None:
        """Show the actions for ``text`` near ``pos`` (default: the cursor).

        A run still in flight is cancelled: the latest hotkey press wins. An empty
        ``text`` shows an input box to type or paste the text into first.
        """
        self._cancel_own()
        self._cancel_prefetch()  # an empty selection starts none: the last one must not hold requests
        self._render_timer.stop()
        self._text = text
        self._run_text = ""
        self._action = None
        self._answer = ""
        self._done = False
        self._clear_findings()
        self.show_message("")
        self.diff.clear()
        self.answer_view.clear()
        self.panel_view.clear()
        self.instruction.clear()
        empty = not text.strip()
        self.input_box.clear()
        self.input_box.setVisible(empty)
        self.preview.setVisible(not empty)
        flat = " ".join(text.split())
        self.preview.setText(flat[:PREVIEW_CHARS] + ("…" if len(flat) > PREVIEW_CHARS else ""))
        self.actions.setCurrentRow(0)
        self.pages.setCurrentWidget(self.choose_page)
        self._update_controls()
        self.place(QCursor.pos() if pos is None else pos)
        self.show()
        self.raise_()
        self.activateWindow()
        (self.input_box if empty else self.actions).setFocus(Qt.FocusReason.PopupFocusReason)
        self._open = True
        if not empty:
            # every action on this selection begins with it: read it while the user chooses
            first = self.library.get(self._keys[0]) if self._keys else None
            effort = self.effort or (first.effort if first else "low")
            self._prefetch_effort = effort
            self._prefetch = self.runner.prefetch(lambda engine: jobs.read_selection(engine, text, effort), hold=True)

    def start_action(self, action: str) -> None:
        """Run ``action`` (a key or name of the library's, or "custom" with the instruction line's text)."""
        if self.library.get(action) is None and action != "custom":
            self.show_message(self.tr("Unknown action: {0}").format(action))
            return
        text = self.input_box.toPlainText() if not self._text.strip() else self._text
        instruction = self.instruction.text().strip() if action == "custom" else ""
        if not text.strip():
            self.show_message(self.tr("Type or paste some text first."))
            self.input_box.setFocus()
            return
        if action == "custom" and not instruction:
            self.show_message(self.tr("Describe the change first, e.g. \"make it more confident\"."))
            self.instruction.setFocus()
            return
        self._run(action, text, instruction)

    def result_text(self) -> str:
        """What Replace and Copy hand out: the streamed answer without trailing whitespace."""
        return self._answer.rstrip()

    @property
    def busy(self) -> bool:
        return self._request is not None

    @property
    def can_replace(self) -> bool:
        return self._done and not self._panel and bool(self.result_text())

    # -- running ---------------------------------------------------------------------------
    def _run(self, action: str, text: str, instruction: str) -> None:
        spec = None if action == "custom" else self.library.get(action)
        try:
            if spec is None:
                prompt = writing_prompt(action, text, instruction=instruction, effort=self.effort)
            else:
                action = spec.key
                prompt = spec.prompt(text, effort=self.effort)
        except ValueError as exc:
            self.show_message(str(exc))
            return
        if self.max_tokens is not None:
            prompt = replace_field(prompt, max_tokens=self.max_tokens)
        self._cancel_own()
        if prompt.reasoning_effort != self._prefetch_effort:
            self._cancel_prefetch()  # read for another effort (another system block): of no use here
        self._prefetch = None  # this request waits for it (held); a later Esc must not cancel others
        self._render_timer.stop()
        self._action, self._run_text, self._instruction = action, text, instruction
        self._answer, self._failed, self._stop_reason, self._done = "", "", "", False
        self._notice = ""
        self._clear_findings()
        self._stopping = False
        self.diff.clear()
        self.answer_view.clear()
        self.panel_view.clear()
        self.show_text_button.setChecked(False)
        self._panel = spec is not None and spec.opens_panel
        self.views.setCurrentWidget(self.panel_view if self._panel else self.diff)
        self.pages.setCurrentWidget(self.result_page)
        self.show_message(self.tr("{0}: starting…").format(self._labels[action]), error=False)
        check = jobs.CheckSpec.for_writing("custom" if spec is None else action, text)
        if spec is not None:
            check = replace_field(check, mode=spec.check_mode)
        self._request = self.runner.submit(lambda engine: jobs.run_prompt(engine, prompt, source=text, check=check))
        self._update_controls()
        self.views.currentWidget().setFocus()

    def _cancel_prefetch(self) -> None:
        if self._prefetch is not None:
            self._prefetch = None
            self.runner.cancel_prefetch()

    def _cancel_own(self) -> None:
        """Cancel our run, if it is the one in flight; its late events are dropped by id."""
        if self._request is not None:
            self._request = None
            self.runner.cancel()

    @Slot()
    def stop(self) -> None:
        if self.busy:
            self._stopping = True
            self.runner.cancel()  # sig_finished follows within milliseconds

    @Slot()
    def retry(self) -> None:
        if self._action is not None and not self.busy:
            self._run(self._action, self._run_text, self._instruction)

    @Slot()
    def back(self) -> None:
        self._cancel_own()
        self._render_timer.stop()
        self._done = False
        self._clear_findings()
        self.show_message("")
        self.pages.setCurrentWidget(self.choose_page)
        self._update_controls()
        self.actions.setFocus()

    # -- results ---------------------------------------------------------------------------
    @Slot()
    def replace_selection(self) -> None:
        if not self.can_replace:
            return
        if self._findings and not self._confirmed:
            # the result says something the selection does not: one more press to paste it anyway
            self._confirmed = True
            self.show_message(self.tr("Press Enter again to replace anyway."), error=False)
            self._update_controls()
            self.replace_button.setFocus()
            return
        result = self.result_text()
        self._hide()
        self.sig_replace.emit(result)
        self._emit_closed()

    @Slot()
    def copy_result(self) -> None:
        result = self.result_text()
        if self.busy or not result:
            return
        self.sig_copy.emit(result)
        self.show_message(self.tr("Copied."), error=False)

    @Slot()
    def continue_in_writing(self) -> None:
        if not self._done or not self._panel:
            return
        original, result = self._run_text, self.result_text()
        self._hide()
        self.sig_continue.emit(original, result)
        self._emit_closed()

    @Slot()
    def dismiss(self) -> None:
        """Close without a result (Esc when idle)."""
        self._cancel_own()
        self._cancel_prefetch()
        self._hide()
        self._emit_closed()

    def _primary(self) -> None:
        """Enter on the result: Replace, or Copy where the result is a panel."""
        if self.can_replace:
            self.replace_selection()
        elif self._done:
            self.copy_result()

    def _hide(self) -> None:
        self._render_timer.stop()
        self.hide()

    def _emit_closed(self) -> None:
        if self._open:
            self._open = False
            self.sig_closed.emit()

    # -- runner events ---------------------------------------------------------------------
    @Slot(int, object)
    def on_event(self, request_id: int, event: object) -> None:
        if request_id != self._request:
            return
        label = self._labels.get(self._action or "", "")
        if isinstance(event, Answer):
            if not self._answer:
                self.show_message(self.tr("{0}: writing…").format(label), error=False)
            self._answer += event.text
            if not self._render_timer.isActive():
                self._render_timer.start()
        elif isinstance(event, Reasoning):  # its text is never shown: the answer alone is the result
            if not self._answer:
                self.show_message(self.tr("{0}: thinking…").format(label), error=False)
        elif isinstance(event, PromptProgress):
            self.show_message(self.tr("{0}: reading the text…").format(label), error=False)
        elif isinstance(event, Progress):
            self.show_message(event.label, error=False)
        elif isinstance(event, Notice):
            self._notice = event.message
            self.show_message(event.message, error=False)
        elif isinstance(event, Findings):
            self._findings = event.summary if event.findings else ""
        elif isinstance(event, Failed):
            self._failed = event.message
            self.show_message(event.message)
        elif isinstance(event, Finished):
            self._stop_reason = event.stats.stop_reason

    @Slot(int)
    def on_finished(self, request_id: int) -> None:
        if request_id != self._request:
            return
        self._request = None
        result = self.result_text()
        if self._failed:
            self.show_message(self._failed)
        elif self._stopping or self._stop_reason == "cancelled":
            self.show_message(self.tr("Stopped."), error=False)
        elif not result:
            self.show_message(self.tr("The model gave no answer. Press R to try again."))
        else:
            self._done = True
            if self._stop_reason == "length":
                self.show_message(self.tr("The answer was cut at the length limit."), error=False)
            elif self._notice:  # e.g. the model repeated itself: the text before it is the result
                self.show_message(self._notice, error=False)
            else:
                self.show_message("")
            self.findings_label.setText(self._findings)
            self.findings_label.setVisible(bool(self._findings))
        self.on_render()
        self._update_controls()
        if self._done:
            (self.replace_button if self.can_replace else self.copy_button).setFocus()
        else:  # not on Retry: a stray Enter should not start another run; R does
            self.views.currentWidget().setFocus()

    @Slot(int)
    def on_submitted(self, request_id: int) -> None:
        if self._request is not None and request_id != self._request:
            # someone else (a pane) started a request on the one engine: ours is over
            self._request = None
            self.show_message(self.tr("Stopped: another request started."), error=False)
            self._update_controls()

    # -- views -----------------------------------------------------------------------------
    @Slot()
    def on_render(self) -> None:
        self._render_timer.stop()
        if self._action is None:
            return
        streaming = self.busy
        answer = self._answer if streaming else self.result_text()
        self.answer_view.setPlainText(answer)
        if self._panel:
            self.panel_view.setMarkdown(answer)
        elif answer or not streaming:
            original = streaming_original(self._run_text, answer) if streaming else self._run_text
            self.diff.set_texts(original, answer)
        for view in (self.diff, self.answer_view, self.panel_view):
            bar = view.verticalScrollBar()
            bar.setValue(bar.maximum() if streaming else bar.minimum())

    @Slot(bool)
    def on_show_text(self, on: bool) -> None:
        if not self._panel:
            self.views.setCurrentWidget(self.answer_view if on else self.diff)

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.setVisible(bool(text))

    def _clear_findings(self) -> None:
        self._findings, self._confirmed = "", False
        self.findings_label.clear()
        self.findings_label.hide()

    def _update_controls(self) -> None:
        busy, panel = self.busy, self._panel
        has_result = self._done and bool(self.result_text())
        self.stop_button.setVisible(busy)
        self.replace_button.setVisible(not panel and not busy)
        self.replace_button.setEnabled(self.can_replace)
        self.continue_button.setVisible(panel and not busy)
        self.continue_button.setEnabled(has_result)
        self.copy_button.setEnabled(has_result)
        self.retry_button.setEnabled(not busy and self._action is not None)
        self.show_text_button.setVisible(not panel)
        self.show_text_button.setEnabled(not busy and has_result)
        if busy:
            self.result_hint.setText(self.tr("Esc: stop"))
        elif self.can_replace and self._findings and not self._confirmed:
            self.result_hint.setText(self.tr("Enter twice: replace anyway · Ctrl+C: copy · R: retry · Esc: close"))
        elif self.can_replace:
            self.result_hint.setText(self.tr("Enter: replace · Ctrl+C: copy · R: retry · Esc: close"))
        elif has_result:
            self.result_hint.setText(self.tr("Enter or Ctrl+C: copy · R: retry · Esc: close"))
        else:
            self.result_hint.setText(self.tr("R: retry · Backspace: other action · Esc: close"))

    # -- placement -------------------------------------------------------------------------
    def place(self, pos: QPoint) -> None:
        """Put the popup beside ``pos``, inside the available area of the screen under it."""
        screen = QGuiApplication.screenAt(pos) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        width, height = min(POPUP_SIZE[0], area.width()), min(POPUP_SIZE[1], area.height())
        self.resize(width, height)
        x, y = pos.x() + CURSOR_GAP, pos.y() + CURSOR_GAP
        if x + width > area.x() + area.width():  # no room on the right: open to the left of the cursor
            x = pos.x() - CURSOR_GAP - width
        if y + height > area.y() + area.height():  # no room below: open above it
            y = pos.y() - CURSOR_GAP - height
        x = max(area.x(), min(x, area.x() + area.width() - width))
        y = max(area.y(), min(y, area.y() + area.height() - height))
        if self.screen() is not screen:
            self.setScreen(screen)
        self.move(x, y)

    # -- keyboard --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget):
            return self._on_key(event, watched)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._on_key(event, self):
            super().keyPressEvent(event)

    def _on_key(self, event: QKeyEvent, source: QWidget) -> bool:
        """One keyboard map for the whole popup; True when the key was used."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if key == Qt.Key.Key_Escape and plain:
            if self.busy:
                self.stop()
            else:
                self.dismiss()
            return True
        if enter and isinstance(source, QAbstractButton):
            source.click()  # Enter on a focused button does what the button says
            return True
        if self.pages.currentWidget() is self.choose_page:
            typing = source in (self.input_box, self.instruction)
            if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and (
                    (plain and not typing) or mods == Qt.KeyboardModifier.AltModifier):
                if key - Qt.Key.Key_1 < len(self._keys):
                    self.start_action(self._keys[key - Qt.Key.Key_1])
                return True
            if enter:
                if source is self.instruction:
                    self.start_action("custom")
                elif source is self.input_box and not mods & Qt.KeyboardModifier.ControlModifier:
                    return False  # a new line in the text
                else:
                    self.start_selected()
                return True
            return False
        if enter:
            self._primary()
            return True
        if self.busy:
            return False
        if key == Qt.Key.Key_R and plain:
            self.retry()
            return True
        if key == Qt.Key.Key_Backspace and plain:
            self.back()
            return True
        if event.matches(QKeySequence.StandardKey.Copy):
            if isinstance(source, (QPlainTextEdit, QTextEdit)) and source.textCursor().hasSelection():
                return False  # copy what the user selected, as any text view does
            self.copy_result()
            return True
        return False

    def start_selected(self) -> None:
        item = self.actions.currentItem()
        if item or self._keys:
            self.start_action(item.data(Qt.ItemDataRole.UserRole) if item else self._keys[0])

    def closeEvent(self, event: QCloseEvent) -> None:
        # closed by the window system (Alt+F4): like Esc
        self._cancel_own()
        self._cancel_prefetch()
        self._render_timer.stop()
        super().closeEvent(event)
        self._emit_closed()
