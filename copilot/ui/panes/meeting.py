"""Meeting summary pane: notes, a transcript or a recording in, minutes out (Summary, Decisions,
Action items, Open questions).

A recording (opened, dropped, or recorded here) is transcribed on the runner's background thread,
its lines streaming into the editor with their times; the minutes wait for the whole transcript
(a Generate pressed meanwhile starts them the moment it is done). Starting them early from a
partial transcript would mean writing them twice, on the same cores that are transcribing.
"""

from __future__ import annotations

import shutil
import threading
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCursor, QTextFormat
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QInputDialog, QLabel, QMessageBox,
                               QProgressBar, QPushButton, QTextEdit, QWidget)

from copilot.core import evidence, jobs
from copilot.core.audio import AUDIO_SUFFIXES, format_duration, is_audio
from copilot.core.budget import reserve_for
from copilot.core.documents import TRANSCRIPT_SUFFIXES, split_speaker
from copilot.core.events import Cited, Failed, Heard, Notice, Progress, Transcribed
from copilot.core.language import LANGUAGE_NAMES
from copilot.core.paths import AppPaths
from copilot.core.settings import Settings
from copilot.ui.panes.base import Job, TaskPane
from copilot.ui.panes.files import FileDropMixin
from copilot.ui.panes.meeting_audio import LeftoverBanner, RecordPanel
from copilot.ui.widgets.context_meter import ContextMeter
from copilot.ui.widgets.output_view import Mark
from copilot.ui.widgets.transcript_editor import TranscriptEditor

_CITED_LINES = QColor(255, 214, 102, 110)  # the transcript lines a clicked citation names

# Tokens per character for the meter shown before running; the job counts exactly.
# About 3.6 characters per token for English and Spanish prose with gpt-oss's tokenizer.
_TOKENS_PER_CHAR = 1 / 3.6
_INSTRUCTION_TOKENS = 400


class MeetingPane(FileDropMixin, TaskPane):
    key = "meeting"
    input_key = "notes"
    default_effort = "high"
    file_suffixes = TRANSCRIPT_SUFFIXES + AUDIO_SUFFIXES

    def __init__(self, runner, parent: QWidget | None = None, *, paths: AppPaths | None = None,
                 settings: Callable[[], Settings] | None = None) -> None:
        super().__init__(runner, parent)
        if paths is None:
            from copilot.core.paths import app_paths

            paths = app_paths()
        if settings is None:
            from copilot.core.settings import load_settings

            loaded = load_settings(paths.settings_file)[0]
            settings = lambda: loaded  # noqa: E731
        self._paths, self._settings = paths, settings
        self._cited: evidence.CitedMinutes | None = None  # the last minutes' verified citations
        self._asr_job: int | None = None  # the transcription running in the background
        self._asr_cancel: threading.Event | None = None
        self._asr_path: Path | None = None
        self._asr_recorded = False  # a recording made here (deleted once transcribed, unless kept)
        self._heard = None  # the finished transcript of the job (speech.SpeechTranscript)
        self._minutes_after_transcript = False
        self._kept_recording: Path | None = None  # the recording of the transcript shown, when kept
        runner.sig_background_event.connect(self.on_background_event)
        runner.sig_background_finished.connect(self.on_background_finished)
        self.output.sig_link_activated.connect(self.on_citation)
        self.notes = TranscriptEditor(self)
        self.notes.setPlaceholderText(self.tr("Paste meeting notes or a transcript here, open or drop a .txt, "
                                              ".vtt, .srt or .docx file or a recording (.mp3, .m4a, .wav, .mp4…), "
                                              "or record the meeting."))
        self.notes.setAccessibleName(self.tr("Meeting notes or transcript"))
        self.notes.textChanged.connect(self.sig_draft_changed)
        self.notes.textChanged.connect(self._meter_timer_start)
        open_button = QPushButton(self.tr("Open…"), self)
        open_button.setAccessibleName(self.tr("Open a transcript or a recording"))
        open_button.clicked.connect(self.open_file_dialog)

        # -- audio: record, transcribe, the leftover of a crash ---------------------------------
        self.record_panel = RecordPanel(lambda: self._paths.recordings, self)
        self.record_panel.source.currentIndexChanged.connect(self.sig_draft_changed)
        self.record_panel.sig_recorded.connect(lambda path: self.transcribe(Path(path), recorded=True))
        self.record_panel.sig_problem.connect(self.show_message)
        self.leftovers = LeftoverBanner(self)
        self.leftovers.sig_transcribe.connect(lambda path: self.transcribe(Path(path), recorded=True))
        self.asr_progress = QProgressBar(self)
        self.asr_progress.setAccessibleName(self.tr("Transcription progress"))
        self.asr_label = QLabel(self)
        self.asr_label.setAccessibleName(self.tr("Transcription status"))
        self.asr_stop = QPushButton(self.tr("Stop transcribing"), self)
        self.asr_stop.clicked.connect(self.stop_transcribing)
        self.asr_row = QWidget(self)
        asr = QHBoxLayout(self.asr_row)
        asr.setContentsMargins(0, 0, 0, 0)
        asr.addWidget(self.asr_label, 1)
        asr.addWidget(self.asr_progress, 1)
        asr.addWidget(self.asr_stop)
        self.asr_row.hide()
        self.rename_button = QPushButton(self.tr("Rename speaker…"), self)
        self.rename_button.setAccessibleName(self.tr("Rename a speaker everywhere"))
        self.rename_button.clicked.connect(self.rename_speaker_dialog)
        self.export_transcript_button = QPushButton(self.tr("Export transcript…"), self)
        self.export_transcript_button.setAccessibleName(self.tr("Export the transcript as subtitles or text"))
        self.export_transcript_button.clicked.connect(self.export_transcript_dialog)
        self.notes.textChanged.connect(self._update_transcript_buttons)
        self.play_button = QPushButton(self.tr("▶ &Play"), self)
        self.play_button.setAccessibleName(self.tr("Play this moment of the recording"))
        self.play_button.setToolTip(self.tr("Play the recording from the line the cursor is on (or the lines a "
                                            "citation points to), while the recording is kept"))
        self.play_button.clicked.connect(self.play_moment)
        self.notes.cursorPositionChanged.connect(self._update_play_button)
        self._player = None
        self._cited_lines: tuple[int, int] | None = None  # the lines the last clicked citation named
        self._player_timer = QTimer(self)
        self._player_timer.setInterval(200)
        self._player_timer.timeout.connect(self._check_player)
        record_shortcut = QShortcut(QKeySequence("Ctrl+R"), self)
        record_shortcut.setContext(Qt.WidgetWithChildrenShortcut)
        record_shortcut.activated.connect(self.record_panel.toggle)

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

        export_button = QPushButton(self.tr("&Export…"), self)
        export_button.setAccessibleName(self.tr("Export the minutes"))
        export_button.setToolTip(self.tr("Save the minutes as Markdown (with citations), Word or plain text"))
        export_button.clicked.connect(self.export_dialog)
        self.tasks_button = QPushButton(self.tr("&Tasks…"), self)
        self.tasks_button.setAccessibleName(self.tr("Action items as tasks"))
        self.tasks_button.setToolTip(self.tr("The action items as calendar tasks (.ics), a Markdown checklist "
                                             "or plain text (Ctrl+T)"))
        self.tasks_button.clicked.connect(self.tasks_dialog)
        tasks_shortcut = QShortcut(QKeySequence("Ctrl+T"), self)
        tasks_shortcut.setContext(Qt.WidgetWithChildrenShortcut)
        tasks_shortcut.activated.connect(self.tasks_dialog)
        self.meeting_date: date | None = None  # when the meeting was: due dates count from it
        self._source_date: date | None = None  # the opened file's or the recording's date
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
        opts.addWidget(self.play_button)
        opts.addWidget(self.rename_button)
        opts.addWidget(self.export_transcript_button)
        self.build_columns(self.tr("Notes or transcript"), open_button,
                           [self.notes, self.leftovers, self.record_panel, self.asr_row, opts, self.meter],
                           (copy_button, export_button, self.tasks_button))
        self.enable_drops()
        self.update_meter()
        self._update_transcript_buttons()
        self._update_play_button()
        self.offer_leftovers()

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
        if is_audio(path):
            self.transcribe(path, recorded=False)
            return
        from copilot.core.documents import load_transcript

        transcript = load_transcript(path)
        self.notes.set_lines(transcript.to_text().split("\n"), transcript.line_starts())
        self.kept_recording = None
        self._source_date = _file_date(path)

    # -- audio -------------------------------------------------------------------------------
    @property
    def kept_recording(self) -> Path | None:
        return self._kept_recording

    @kept_recording.setter
    def kept_recording(self, path: Path | None) -> None:
        self._kept_recording = path
        self._cited_lines = None
        if hasattr(self, "play_button"):
            self._update_play_button()

    def shutdown_audio(self) -> None:
        """The app quits: a recording is closed with its header written (not transcribed: the next
        start offers it), playback stops."""
        rec = self.record_panel.recorder
        if rec is not None:
            self.record_panel.recorder = None
            rec.stop()
        if self._player is not None:
            self._player.stop()
            self._player = None

    def offer_leftovers(self) -> None:
        """Recordings a crash or a quit left untranscribed: offer them (oldest first)."""
        from copilot.core.recorder import leftover_recordings

        busy = {self._asr_path} if self._asr_path else set()
        if self.record_panel.recorder is not None:
            busy.add(self.record_panel.recorder.path)
        try:
            items = [(p, s) for p, s in leftover_recordings(self._paths.recordings) if p not in busy]
        except OSError:
            return
        self.leftovers.offer(items)

    @property
    def transcribing(self) -> bool:
        return self._asr_job is not None

    def transcribe(self, path: Path, *, recorded: bool) -> None:
        """Transcribe ``path`` into the notes (replacing them, once the user agrees)."""
        from copilot.core import speech

        path = Path(path)
        if self.transcribing:
            self.show_message(self.tr("A recording is being transcribed: wait for it, or stop it first."))
            if recorded:
                self.offer_leftovers()
            return
        settings = self._settings()
        model = speech.find_model(settings.asr_model_path, self._paths.speech_models)
        if model is None:
            text = self.tr("There is no speech model yet: download whisper-small (484 MB) from Models › Speech "
                           "model…, or choose a model folder there.")
            self.show_message(text + (" " + self.tr("The recording is kept.") if recorded else ""))
            if recorded:
                self.offer_leftovers()
            return
        if self.notes.toPlainText().strip() and not self.confirm_replace_notes():
            if recorded:
                self.offer_leftovers()
            return
        self.show_message("")
        self.notes.set_lines([])
        self.notes.setReadOnly(True)
        self.kept_recording = None
        self._heard = None
        self._asr_path, self._asr_recorded = path, recorded
        self._source_date, self.meeting_date = _file_date(path), None
        self._asr_cancel = threading.Event()
        job = speech.transcribe_job(path, model, language=settings.asr_language or None,
                                    threads=settings.n_threads or None, cancel=self._asr_cancel)
        self.asr_label.setText(self.tr("Reading {0}…").format(path.name))
        self.asr_progress.setRange(0, 0)
        self.asr_row.show()
        self._asr_job = self.runner.submit_background(job, self._asr_cancel)

    def confirm_replace_notes(self) -> bool:
        answer = QMessageBox.question(self, self.tr("Transcribe"),
                                      self.tr("Replace the notes with the recording's transcript?"),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def stop_transcribing(self) -> None:
        if self._asr_job is not None:
            self.runner.cancel_background(self._asr_job)
            self._minutes_after_transcript = False

    @Slot(int, object)
    def on_background_event(self, job_id: int, event: object) -> None:
        if job_id != self._asr_job:
            return
        if isinstance(event, Progress):
            self.asr_label.setText(event.label)
        elif isinstance(event, Heard):
            for seg in event.segments:
                self.notes.append_line(f"{seg.speaker}: {seg.text}" if seg.speaker else seg.text, seg.start)
            self.asr_progress.setRange(0, 1000)
            self.asr_progress.setValue(int(1000 * event.done / event.total) if event.total else 0)
            self.asr_progress.setFormat(f"{evidence.format_time(event.done)} / {evidence.format_time(event.total)}")
            if self.runner.busy:
                status = self.tr("Paused while the model answers…")
            elif event.eta:
                status = self.tr("Transcribing… about {0} left").format(_duration(event.eta))
            else:
                status = self.tr("Transcribing…")
            self.asr_label.setText(status)
        elif isinstance(event, Transcribed):
            self._heard = event.transcript
        elif isinstance(event, Failed):
            self.show_message(event.message)
        elif isinstance(event, Notice):
            self.show_message(event.message, error=False)

    @Slot(int)
    def on_background_finished(self, job_id: int) -> None:
        if job_id != self._asr_job:
            return
        self._asr_job = None
        self.notes.setReadOnly(False)
        self.asr_row.hide()
        path, recorded, heard = self._asr_path, self._asr_recorded, self._heard
        self._asr_path = None
        if heard is not None and not heard.segments:
            self.show_message(self.tr("No speech was heard in {0}: it holds silence or noise only.").format(path.name))
        if heard is None or not heard.segments:
            self._minutes_after_transcript = False
            if recorded:
                self.offer_leftovers()  # kept: transcribe it again later, or delete it
            return
        if recorded:
            self._after_transcript(path)
        else:
            self.kept_recording = path  # the user's own file: never deleted
        self.sig_draft_changed.emit()
        if self._minutes_after_transcript:
            self._minutes_after_transcript = False
            self.generate()

    def _after_transcript(self, path: Path) -> None:
        """A recording made here, now transcribed: deleted, or moved to recordings/kept when the
        user keeps recordings (never in privacy mode)."""
        from copilot.core.recorder import discard

        settings = self._settings()
        if settings.keep_recordings and not settings.local_only:
            kept = self._paths.recordings / "kept" / path.name
            try:
                kept.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(path), kept)
                self.kept_recording = kept
            except OSError as exc:
                self.show_message(self.tr("The recording could not be kept: {0}").format(exc.strerror or exc))
        else:
            discard(path)

    def generate(self) -> None:
        if self.transcribing:
            self._minutes_after_transcript = True
            self.show_message(self.tr("The minutes will start as soon as the transcript is finished."), error=False)
            return
        super().generate()

    # -- playing a moment of the recording -----------------------------------------------------
    def moment(self) -> tuple[float, float | None] | None:
        """(start, end) seconds of the caret's line, or of the cited lines it starts: to the next
        timed line's start (None: to the end of the recording)."""
        starts = self.notes.starts()
        line = self.notes.textCursor().blockNumber()
        if line >= len(starts) or starts[line] is None:
            return None
        last = line
        if self._cited_lines and self._cited_lines[0] - 1 == line:
            last = max(line, self._cited_lines[1] - 1)
        end = next((s for s in starts[last + 1:] if s is not None and s > starts[line]), None)
        return starts[line], end

    @Slot()
    def _update_play_button(self) -> None:
        playing = self._player is not None and self._player.playing
        self.play_button.setText(self.tr("■ &Stop playing") if playing else self.tr("▶ &Play"))
        recording = self.kept_recording is not None and self.kept_recording.exists()
        self.play_button.setVisible(recording)
        self.play_button.setEnabled(playing or (recording and self.moment() is not None))

    @Slot()
    def play_moment(self) -> None:
        from copilot.core.audio import AudioError
        from copilot.core.recorder import Player, RecordingError

        if self._player is not None and self._player.playing:
            self._player.stop()
            self._player = None
            self._update_play_button()
            return
        moment = self.moment()
        if moment is None or self.kept_recording is None:
            return
        try:
            self._player = Player(self.kept_recording, *moment)
        except (AudioError, RecordingError) as exc:
            self.show_message(str(exc))
            return
        self._player_timer.start()
        self._update_play_button()

    @Slot()
    def _check_player(self) -> None:
        if self._player is None or not self._player.playing:
            self._player_timer.stop()
            if self._player is not None and self._player.error:
                self.show_message(self._player.error)
            self._player = None
            self._update_play_button()

    # -- the transcript as a document ---------------------------------------------------------
    @Slot()
    def _update_transcript_buttons(self) -> None:
        if not self.notes.toPlainText().strip() and not self.transcribing:
            self._source_date = self.meeting_date = None  # new notes: a new meeting
        self.rename_button.setEnabled(bool(self.notes.speakers()) and not self.transcribing)
        self.export_transcript_button.setEnabled(bool(self.notes.toPlainText().strip()))

    @Slot()
    def rename_speaker_dialog(self) -> None:
        speakers = self.notes.speakers()
        if not speakers:
            self.show_message(self.tr("No line starts with a speaker's name (\"Name: …\")."))
            return
        old, ok = QInputDialog.getItem(self, self.tr("Rename speaker"), self.tr("Speaker:"), speakers, 0, False)
        if not ok:
            return
        new, ok = QInputDialog.getText(self, self.tr("Rename speaker"), self.tr("New name for {0}:").format(old),
                                       text=old)
        if ok:
            self.notes.rename_speaker(old, new)

    def transcript_segments(self) -> list:
        """The editor's lines as segments for export: a line without a time takes the one before."""
        from copilot.core.speech import Segment

        segments, last = [], 0.0
        for line, start in zip(self.notes.toPlainText().split("\n"), self.notes.starts()):
            if not line.strip():
                continue
            last = start if start is not None else last
            said = split_speaker(line)
            segments.append(Segment(last, 0.0, said[1], said[0]) if said else Segment(last, 0.0, line.strip()))
        return segments

    @Slot()
    def export_transcript_dialog(self) -> None:
        from copilot.core import speech

        if not self.notes.toPlainText().strip():
            self.show_message(self.tr("There is no transcript to export yet."))
            return
        filters = {self.tr("WebVTT subtitles (*.vtt)"): "vtt", self.tr("SubRip subtitles (*.srt)"): "srt",
                   self.tr("Text with times (*.txt)"): "txt"}
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export the transcript"), "transcript.vtt",
                                                   ";;".join(filters))
        if not path:
            return
        fmt = filters.get(chosen) or {".srt": "srt", ".txt": "txt"}.get(Path(path).suffix.lower(), "vtt")
        duration = self._heard.duration if self._heard is not None else 0.0
        try:
            Path(path).write_text(speech.export(self.transcript_segments(), fmt, duration=duration), encoding="utf-8")
        except OSError as exc:
            self.show_message(self.tr("Could not save {0}: {1}").format(Path(path).name, exc.strerror or exc))

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
        starts = self.notes.starts() if self.notes.timed() else None  # each line's time survives edits
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
        self._cited_lines = (first, last)
        self._update_play_button()

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
        return {**super().draft_state(), "notes": self.notes.toPlainText(), "template": self.template.currentData(),
                "language": self.language.currentData(),
                "starts": self.notes.starts() if self.notes.timed() else [],  # each line's time
                "record_source": self.record_panel.source.currentData(),
                "recording": str(self.kept_recording) if self.kept_recording else "",
                "meeting_date": self.meeting_date.isoformat() if self.meeting_date else "",
                "source_date": self._source_date.isoformat() if self._source_date else ""}

    def restore_draft(self, state: dict[str, Any]) -> None:
        super().restore_draft(state)
        self.notes.set_lines(state.get("notes", "").split("\n"), list(state.get("starts") or []))
        self.record_panel.set_source(state.get("record_source") or "mic")
        recording = Path(state["recording"]) if state.get("recording") else None
        self.kept_recording = recording if recording is not None and recording.exists() else None
        self.meeting_date, self._source_date = _iso(state.get("meeting_date")), _iso(state.get("source_date"))
        for box, key in ((self.template, "template"), (self.language, "language")):
            index = box.findData(state.get(key))
            if index >= 0:
                box.setCurrentIndex(index)

    @Slot()
    def export_dialog(self) -> None:
        if not self.output.answer_text().strip():
            self.show_message(self.tr("There are no minutes to export yet."))
            return
        filters = {self.tr("Markdown, with citations (*.md)"): ".md", self.tr("Word document (*.docx)"): ".docx",
                   self.tr("Plain text (*.txt)"): ".txt"}
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export the minutes"), "minutes.md",
                                                   ";;".join(filters))
        if path:
            path = Path(path)
            if path.suffix.lower() not in filters.values():
                path = path.with_name(path.name + filters.get(chosen, ".md"))
            self.export(path)

    def export(self, path: Path) -> None:
        from copilot.core.exports import save_minutes

        try:
            save_minutes(self.minutes_markdown(), path, title=self.minutes_title())
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            self.show_message(self.tr("Could not save {0}: {1}").format(path.name, reason))

    def minutes_title(self) -> str:
        when = self.suggested_meeting_date()
        return self.tr("Minutes of {0}").format(when.isoformat()) if when else self.tr("Minutes")

    # -- action items as tasks ------------------------------------------------------------------
    def suggested_meeting_date(self) -> date | None:
        """The date the user confirmed, else the one the notes state, else the file's or the
        recording's."""
        from copilot.core.dates import meeting_date_in_text

        return self.meeting_date or meeting_date_in_text(self.notes.toPlainText()) or self._source_date

    def source_lines(self) -> list:
        text = self.notes.toPlainText()
        return evidence.source_lines(text, self.notes.starts() if self.notes.timed() else None)

    @Slot()
    def tasks_dialog(self) -> None:
        from copilot.core import ics
        from copilot.ui.tasks_dialog import TasksDialog

        minutes = self.output.answer_text()
        if not minutes.strip():
            self.show_message(self.tr("There are no minutes yet: generate them first, then turn their action items "
                                      "into tasks."))
            return
        if not ics.has_action_items(minutes):
            self.show_message(self.tr("These minutes have no Action items section, so there are no tasks to export."))
            return
        lines = self.source_lines() if self.notes.toPlainText().strip() else None
        people = ics.people_in([self.notes.toPlainText()])
        dialog = TasksDialog(minutes, self.suggested_meeting_date(), lines=lines, people=people,
                             meeting=self.minutes_title(), parent=self)
        self._tasks_dialog = dialog
        dialog.date.dateChanged.connect(lambda _d: self._confirm_meeting_date(dialog.meeting_date()))
        dialog.finished.connect(lambda _r: self._confirm_meeting_date(dialog.meeting_date(), only_if_saved=dialog))
        dialog.open()

    def _confirm_meeting_date(self, day: date, only_if_saved=None) -> None:
        if only_if_saved is None or only_if_saved.saved is not None:
            if day != self.meeting_date:
                self.meeting_date = day
                self.sig_draft_changed.emit()


def _iso(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _file_date(path: Path) -> date | None:
    try:
        return datetime.fromtimestamp(Path(path).stat().st_mtime).date()
    except OSError:
        return None


def _duration(seconds: float) -> str:
    return format_duration(max(1.0, seconds))
