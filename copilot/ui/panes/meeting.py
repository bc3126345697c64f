"""Meeting summary pane: notes or a transcript in, minutes out (Summary, Decisions, Action items, Open questions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QWidget

from copilot.core import jobs
from copilot.core.budget import reserve_for
from copilot.core.language import LANGUAGE_NAMES
from copilot.ui.panes.base import Job, TaskPane
from copilot.ui.panes.files import FileDropMixin
from copilot.ui.widgets.context_meter import ContextMeter

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

        self.notes.setPlainText(load_transcript(path).to_text())

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
        return lambda engine: jobs.summarize_job(engine, text, template=template, language=language, effort=effort)

    def draft_state(self) -> dict[str, Any]:
        return {**super().draft_state(), "notes": self.notes.toPlainText(), "template": self.template.currentData(),
                "language": self.language.currentData()}

    def restore_draft(self, state: dict[str, Any]) -> None:
        super().restore_draft(state)
        self.notes.setPlainText(state.get("notes", ""))
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
                Path(path).write_text(self.output.answer_text(), encoding="utf-8")
            except OSError as exc:
                self.show_message(self.tr("Could not save {0}: {1}").format(Path(path).name, exc.strerror or exc))
