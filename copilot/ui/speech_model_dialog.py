"""Models › Speech model…: download a Whisper model for meeting recordings (the wizard offers it as
an optional second download), or use a folder the user already has.

The download is the language model's machinery (core.models.download through the wizard's
DownloadWorker): pinned revision, checksums, resumable, pause and cancel, quarantine.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget)

from copilot.core.models import catalog
from copilot.core.models.download import fmt_bytes
from copilot.core.paths import AppPaths


class SpeechModelDialog(QDialog):
    sig_model_ready = Signal(str)  # the model folder to use

    def __init__(self, paths: AppPaths, token: str | None = None, parent: QWidget | None = None, *,
                 has_gpu: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Speech model"))
        self.paths, self.token = paths, token
        self.worker = None
        intro = QLabel(self.tr("Meeting recordings are turned into text on this computer by a Whisper model. "
                               "Choose one to download once; nothing you record ever leaves the computer."), self)
        intro.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.choices: dict[QRadioButton, catalog.CatalogEntry] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        recommended = catalog.WHISPER_TURBO if has_gpu else catalog.SPEECH_DEFAULT
        for entry in catalog.SPEECH_CATALOG:
            done = catalog.speech_downloaded(entry, self.paths.speech_models)
            label = f"{entry.title} — ~{fmt_bytes(entry.approx_size)}"
            if entry is recommended:
                label += " " + self.tr("(recommended here)")
            if done:
                label += " " + self.tr("(downloaded)")
            button = QRadioButton(label, self)
            button.setChecked(entry is recommended)
            self.group.addButton(button)
            self.choices[button] = entry
            layout.addWidget(button)
            note = QLabel(entry.description, self)
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 6)
            layout.addWidget(note)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(self.tr("Download progress"))
        self.bar.hide()
        self.download_button = QPushButton(self.tr("&Download"), self)
        self.download_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("&Pause"), self)
        self.pause_button.clicked.connect(self.pause)
        self.pause_button.hide()
        self.cancel_button = QPushButton(self.tr("Cance&l download"), self)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.cancel_button.hide()
        self.folder_button = QPushButton(self.tr("Use a &folder I have…"), self)
        self.folder_button.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        for b in (self.download_button, self.pause_button, self.cancel_button, self.folder_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

    @property
    def entry(self) -> catalog.CatalogEntry:
        return self.choices[self.group.checkedButton()]

    @Slot()
    def start(self) -> None:
        from copilot.ui.wizard.workers import DownloadWorker

        if self.worker is not None and self.worker.isRunning():
            return
        entry = self.entry
        dest = self.paths.speech_models / entry.key
        self.status.setText(self.tr("Connecting to Hugging Face…"))
        self.bar.setValue(0)
        self.bar.show()
        self.download_button.setEnabled(False)
        self.pause_button.setText(self.tr("&Pause"))
        self.pause_button.show()
        self.cancel_button.show()
        self.worker = DownloadWorker(entry, dest, self.paths.models, self.token, self)
        self.worker.sig_progress.connect(self.on_progress)
        self.worker.sig_done.connect(lambda _path, d=dest: self.on_done(d))
        self.worker.sig_stopped.connect(self.on_stopped)
        self.worker.sig_failed.connect(self.on_failed)
        self.worker.start()

    @Slot(object)
    def on_progress(self, p) -> None:
        self.bar.setValue(int(1000 * p.done / p.total) if p.total else 0)
        verb = self.tr("Verifying") if p.phase == "verifying" else self.tr("Downloading")
        self.status.setText(f"{verb} {p.filename}: {fmt_bytes(p.done)} / {fmt_bytes(p.total)}")

    def _idle(self) -> None:
        self.download_button.setEnabled(True)
        self.pause_button.hide()
        self.cancel_button.hide()

    def on_done(self, folder: Path) -> None:
        self._idle()
        self.bar.setValue(1000)
        self.status.setText(self.tr("Ready: recordings are transcribed with {0}.").format(self.entry.title))
        self.sig_model_ready.emit(str(folder))

    @Slot(bool)
    def on_stopped(self, paused: bool) -> None:
        self._idle()
        self.download_button.setText(self.tr("&Resume") if paused else self.tr("&Download"))
        self.status.setText(self.tr("Paused: Resume goes on where it stopped, even after a restart.") if paused
                            else self.tr("Download cancelled."))

    @Slot(str, str)
    def on_failed(self, _kind: str, message: str) -> None:
        self._idle()
        self.status.setText(message)

    @Slot()
    def pause(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.status.setText(self.tr("Pausing…"))
            self.worker.pause()

    @Slot()
    def cancel_download(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()

    @Slot()
    def choose_folder(self) -> None:
        from copilot.core.speech import SpeechModelError, check_model_dir

        path = QFileDialog.getExistingDirectory(self, self.tr("Choose a speech model folder"))
        if not path:
            return
        try:
            folder = check_model_dir(path)
        except SpeechModelError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Recordings are transcribed with the model in {0} (nothing was copied).")
                            .format(folder))
        self.sig_model_ready.emit(str(folder))

    def done(self, result: int) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.pause()  # closing pauses: the next Download resumes
            self.worker.wait(10_000)
        super().done(result)
