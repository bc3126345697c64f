"""Meeting summary pane: notes or a transcript in, minutes out (Summary, Decisions, Action items, Open questions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QTextEdit,
                               QWidget)

from copilot.core import evidence, jobs
from copilot.core.budget import reserve_for
from copilot.core.language import LANGUAGE_NAMES
from copilot.ui.panes.base import Job, TaskPane
from copilot.ui.panes.files import FileDropMixin
from copilot.core.events import Cited
from copilot.ui.widgets.context_meter import ContextMeter
from copilot.ui.widgets.output_view import Mark

_CITED_LINES = QColor(255, 214, 102, 110)  # the transcript lines a clicked citation names

# Tokens per character for the meter shown before running; the job counts exactly.
# About 3.6 characters per token for English and Spanish prose with gpt-oss's tokenizer.
_TOKENS_PER_CHAR = 1 / 3.6
_INSTRUCTION_TOKENS = 400


class MeetingPane(FileDropMixin, TaskPane):
    key = "meeting"
    input_key = "notes"
    default_effort = "high"
    file_suffixes = (".vtt", ".srt", ".txt", ".md", ".docx")  # documents.TRANSCRIPT_SUFFIXES (a test checks)

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self._transcript_text = ""  # the text of the last opened .vtt/.srt, while the notes still hold it
        self._starts: list[float | None] = []  # its lines' start times
        self._cited: evidence.CitedMinutes | None = None  # the last minutes' verified citations
        self.output.sig_link_activated.connect(self.on_citation)
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(self.tr("Paste meeting notes or a transcript here, or open or drop a "
                                              ".txt, .vtt, .srt or .docx file."))
        self.notes.setAccessibleName(self.tr("Meeting notes or transcript"))
        self.notes.textChanged.connect(self.sig_draft_changed)
        self.notes.textChanged.connect(self._meter_timer_start)
        open_button = QPushButton(self.tr("Open…"), self)
        open_button.setAccessibleName(self.tr("Open a transcript file"))
        open_button.clicked.connect(self.open_file_dialog)

        self.template = QComboBox(self)
        for value, label in (("general", self.tr("General meeting")), ("standup", self.tr("Stand-up")),
                             ("client", self.tr("Client call"))):
            self.template.addItem(label, value)
        self.template.setAccessibleName(self.tr("Template"))
        self.template.currentIndexChanged.connect(self.sig_draft_changed)
        self.language = QComboBox(self)
        self.language.addItem(self.tr("Same as the notes"), "")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setAccessibleName(self.tr("Language of the minutes"))
        self.language.currentIndexChanged.connect(self.sig_draft_changed)

        self.meter = ContextMeter(self)
        self._meter_timer = QTimer(self)
        self._meter_timer.setSingleShot(True)
        self._meter_timer.setInterval(300)
        self._meter_timer.timeout.connect(self.update_meter)
        runner.sig_loaded.connect(lambda _info: self.update_meter())

        export_button = QPushButton(self.tr("Export .md…"), self)
        export_button.setAccessibleName(self.tr("Export the minutes as Markdown"))
        export_button.clicked.connect(self.export_dialog)
        copy_button = QPushButton(self.tr("Copy"), self)
        copy_button.setAccessibleName(self.tr("Copy the minutes"))
        copy_button.clicked.connect(self.output.copy_answer)

        opts = QHBoxLayout()
        for label, widget in ((self.tr("Te&mplate:"), self.template), (self.tr("L&anguage:"), self.language)):
            lab = QLabel(label, self)
            lab.setBuddy(widget)
            opts.addWidget(lab)
            opts.addWidget(widget)
        opts.addStretch(1)
        self.build_columns(self.tr("Notes or transcript"), open_button, [self.notes, opts, self.meter],
                           (copy_button, export_button))
        self.enable_drops()
        self.update_meter()

    @Slot()
    def _meter_timer_start(self) -> None:
        self._meter_timer.start()

    @Slot()
    def update_meter(self) -> None:
        info = self.runner.info
        n_ctx = info.n_ctx if info else 0
        if not n_ctx:
            self.meter.clear()
            return
        used = _INSTRUCTION_TOKENS + int(len(self.notes.toPlainText()) * _TOKENS_PER_CHAR)
        self.meter.set_usage(used, n_ctx, reserve_for(self.effort.currentData(), n_ctx))

    def open_document(self, path: Path) -> None:
        from copilot.core.documents import load_transcript

        transcript = load_transcript(path)
        self.notes.setPlainText(transcript.to_text())
        self._transcript_text, self._starts = transcript.to_text(), transcript.line_starts()

    def focus_input(self) -> None:
        self.notes.setFocus()

    def input_text(self) -> str:
        return self.notes.toPlainText()

    def make_job(self) -> Job:
        text = self.notes.toPlainText()
        if not text.strip():
            raise ValueError(self.tr("There is nothing to summarize: paste notes or open a transcript."))
        template, language, effort = (self.template.currentData(), self.language.currentData() or None,
                                      self.effort.currentData())
        starts = list(self._starts) if text == self._transcript_text else None  # edited: no cue times
        self._cited = None
        self.notes.setExtraSelections([])
        return lambda engine: jobs.summarize_job(engine, text, template=template, language=language, effort=effort,
                                                 starts=starts)

    @Slot(int, object)
    def on_event(self, request_id: int, event: object) -> None:
        super().on_event(request_id, event)
        if request_id == self._request and isinstance(event, Cited):
            self.show_evidence(event.minutes)

    def show_evidence(self, cited: evidence.CitedMinutes) -> None:
        """Citations become links to the transcript lines (the quote on hover); an item with no
        verified source is marked with the reason."""
        self._cited = cited
        marks: list[Mark] = []
        for item in cited.items:
            for c in item.citations:
                quote = "\n".join(self._quote_line(cited.lines[n]) for n in c.lines if n in cited.lines)
                tip = quote if item.verified or item.section not in evidence.CHECKED else \
                    f"{self._problem_text(item)}\n\n{quote}".strip()
                known = [n for n in c.lines if n in cited.lines]
                href = f"cite:{known[0]}-{known[-1]}" if known else None
                kind = "citation" if item.verified or item.section not in evidence.CHECKED else "finding"
                marks.append(Mark(c.text, c.start, c.end, tip, href=href, kind=kind))
            if item.section in evidence.CHECKED and not item.verified and not item.citations and item.text:
                start = cited.text.find(item.text, item.start)
                marks.append(Mark(item.text, max(start, item.start), max(start, item.start) + len(item.text),
                                  self._problem_text(item)))
        self.output.set_marks(sorted(marks, key=lambda m: m.start))
        checked = [i for i in cited.items if i.section in evidence.CHECKED]
        if not checked:
            return
        bad = len(cited.unverified)
        if bad:
            self.show_message(self.tr("{0} of {1} items have no verified source in the transcript; hover the "
                                      "marked ones to see why.").format(bad, len(checked)), error=False)
        else:
            self.show_message(self.tr("Every item cites the transcript lines it comes from: click a citation to "
                                      "see them."), error=False)

    def _quote_line(self, line: evidence.SourceLine) -> str:
        when = evidence.format_time(line.start)
        return f"{line.number} ({when}): {line.text}" if when else f"{line.number}: {line.text}"

    def _problem_text(self, item: evidence.Item) -> str:
        if not item.problems or item.problems[0].startswith(evidence.NO_SOURCE):
            return self.tr("No source found in the transcript.")
        return self.tr("Check this against the transcript: {0}.").format("; ".join(item.problems))

    @Slot(str)
    def on_citation(self, href: str) -> None:
        """A citation was clicked: scroll the transcript to its lines and highlight them."""
        if not href.startswith("cite:"):
            return
        try:
            first, last = (int(n) for n in href[5:].split("-", 1))
        except ValueError:
            return
        self.show_lines(first, last)

    def show_lines(self, first: int, last: int) -> None:
        doc = self.notes.document()
        start, end = doc.findBlockByNumber(first - 1), doc.findBlockByNumber(last - 1)
        if not start.isValid():
            return
        if not end.isValid():
            end = doc.lastBlock()
        cursor = QTextCursor(start)
        cursor.setPosition(end.position() + max(end.length() - 1, 0), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format.setBackground(_CITED_LINES)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        self.notes.setExtraSelections([selection])
        # the first line in view, near the top; the caret goes there so the keyboard follows
        self.notes.setTextCursor(QTextCursor(start))
        self.notes.centerCursor()

    def minutes_markdown(self) -> str:
        """The minutes to export: citations as cue times (for .vtt/.srt), unverified items marked,
        while the minutes are as written; the user's own edits as they are."""
        text = self.output.answer_text()
        if self._cited is not None and text == self._cited.text:
            return evidence.export_markdown(self._cited)
        return text

    def draft_state(self) -> dict[str, Any]:
        timed = self.notes.toPlainText() == self._transcript_text
        return {**super().draft_state(), "notes": self.notes.toPlainText(), "template": self.template.currentData(),
                "language": self.language.currentData(),
                "starts": self._starts if timed else []}  # cue times, while the notes are the opened transcript

    def restore_draft(self, state: dict[str, Any]) -> None:
        super().restore_draft(state)
        self.notes.setPlainText(state.get("notes", ""))
        starts = state.get("starts") or []
        self._transcript_text, self._starts = (self.notes.toPlainText(), list(starts)) if starts else ("", [])
        for box, key in ((self.template, "template"), (self.language, "language")):
            index = box.findData(state.get(key))
            if index >= 0:
                box.setCurrentIndex(index)

    @Slot()
    def export_dialog(self) -> None:
        if not self.output.answer_text().strip():
            self.show_message(self.tr("There are no minutes to export yet."))
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the minutes"), "minutes.md",
                                              self.tr("Markdown (*.md)"))
        if path:
            try:
                Path(path).write_text(self.minutes_markdown(), encoding="utf-8")
            except OSError as exc:
                self.show_message(self.tr("Could not save {0}: {1}").format(Path(path).name, exc.strerror or exc))
