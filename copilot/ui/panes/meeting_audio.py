"""The Meeting pane's audio controls: recording a meeting (source, level, elapsed time, pause,
stop), and the offer to transcribe a recording the last session left behind."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from copilot.core import recorder
from copilot.core.audio import format_duration


class RecordPanel(QWidget):
    """Record / Pause / Stop with the source, a level meter and the elapsed time. The recording
    is written to ``folder`` as it goes; ``sig_recorded(path)`` when it ends (stopped, or cut
    short by a device or disk problem, then with ``sig_problem`` first)."""

    sig_recorded = Signal(str)
    sig_problem = Signal(str)
    sig_recording = Signal(bool)

    def __init__(self, folder_of, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder_of = folder_of  # () -> Path: the recordings folder (settings may move it)
        self.recorder: recorder.Recorder | None = None
        self.source = QComboBox(self)
        for value, label in (("mic", self.tr("Microphone")), ("system", self.tr("Computer sound")),
                             ("both", self.tr("Microphone and computer sound"))):
            self.source.addItem(label, value)
        self.source.setAccessibleName(self.tr("What to record"))
        if not recorder.system_sound_supported():
            for i in (1, 2):
                self.source.model().item(i).setEnabled(False)
            self.source.setToolTip(self.tr("Recording the computer's sound (the other side of a call) is available "
                                           "on Linux only for now: record the microphone, or import the call's "
                                           "recording."))
        else:
            self.source.setToolTip(self.tr("Computer sound is what your speakers or headset play: the other side of "
                                           "a call. Both mixes it with your microphone."))
        self.record_button = QPushButton(self.tr("● Record"), self)
        self.record_button.setAccessibleName(self.tr("Record a meeting"))
        self.record_button.setToolTip(self.tr("Record the meeting on this computer (Ctrl+R); it is transcribed "
                                              "here when you stop."))
        self.record_button.clicked.connect(self.toggle)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setAccessibleName(self.tr("Pause the recording"))
        self.pause_button.clicked.connect(self.toggle_pause)
        self.level = QProgressBar(self)
        self.level.setRange(0, 100)
        self.level.setTextVisible(False)
        self.level.setMaximumWidth(90)
        self.level.setMaximumHeight(10)
        self.level.setAccessibleName(self.tr("Sound level"))
        self.elapsed = QLabel("00:00", self)
        self.elapsed.setAccessibleName(self.tr("Time recorded"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.source, self.record_button, self.level, self.elapsed, self.pause_button):
            row.addWidget(w)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._tick)
        self._show_state()

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def set_source(self, value: str) -> None:
        index = self.source.findData(value)
        if index >= 0 and self.source.model().item(index).isEnabled():
            self.source.setCurrentIndex(index)

    @Slot()
    def toggle(self) -> None:
        if self.recorder is None:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        try:
            streams = recorder.open_streams(self.source.currentData())
            self.recorder = recorder.Recorder(recorder.new_recording_path(self._folder_of()), streams)
        except recorder.RecordingError as exc:
            self.sig_problem.emit(str(exc))
            return
        except OSError as exc:
            self.sig_problem.emit(self.tr("The recording could not be started: {0}").format(exc.strerror or exc))
            return
        self._timer.start()
        self._show_state()
        self.sig_recording.emit(True)

    def stop(self) -> None:
        rec, self.recorder = self.recorder, None
        if rec is None:
            return
        self._timer.stop()
        path = rec.stop()
        self._show_state()
        self.sig_recording.emit(False)
        if rec.error:
            self.sig_problem.emit(rec.error)
        if rec.seconds >= 0.5:
            self.sig_recorded.emit(str(path))
        else:
            recorder.discard(path)

    @Slot()
    def toggle_pause(self) -> None:
        if self.recorder is None:
            return
        if self.recorder.paused:
            self.recorder.resume()
        else:
            self.recorder.pause()
        self._show_state()

    @Slot()
    def _tick(self) -> None:
        rec = self.recorder
        if rec is None:
            return
        if not rec.running:  # a device or the disk ended it
            self.stop()
            return
        self.level.setValue(0 if rec.paused else int(min(1.0, rec.level * 1.5) * 100))
        seconds = int(rec.seconds)
        self.elapsed.setText(f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600
                             else f"{seconds // 60:02d}:{seconds % 60:02d}")

    def _show_state(self) -> None:
        on = self.recorder is not None
        self.record_button.setText(self.tr("■ Stop") if on else self.tr("● Record"))
        self.record_button.setAccessibleName(self.tr("Stop recording and transcribe") if on
                                             else self.tr("Record a meeting"))
        self.source.setEnabled(not on)
        for w in (self.level, self.elapsed, self.pause_button):
            w.setVisible(on)
        if on:
            paused = self.recorder.paused
            self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
            self.elapsed.setStyleSheet("color: gray;" if paused else "color: rgb(200, 30, 30); font-weight: bold;")
        else:
            self.elapsed.setText("00:00")
            self.level.setValue(0)


class LeftoverBanner(QWidget):
    """"A recording from … was not transcribed": Transcribe it, or Delete it."""

    sig_transcribe = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leftoverBanner")
        self.setStyleSheet("QWidget#leftoverBanner { background: rgba(33, 150, 243, 35); }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.transcribe_button = QPushButton(self.tr("Transcribe"), self)
        self.transcribe_button.clicked.connect(self._transcribe)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.clicked.connect(self._delete)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.transcribe_button)
        row.addWidget(self.delete_button)
        self._items: list[tuple[Path, float]] = []
        self.hide()

    def offer(self, items: list[tuple[Path, float]]) -> None:
        self._items = list(items)
        self._show_next()

    def _show_next(self) -> None:
        if not self._items:
            self.hide()
            return
        path, seconds = self._items[0]
        more = len(self._items) - 1
        text = self.tr("A recording was not transcribed: {0} ({1}).").format(path.stem, format_duration(seconds))
        if more:
            text += " " + self.tr("{0} more after it.").format(more)
        self.label.setText(text)
        self.show()

    @property
    def current(self) -> Path | None:
        return self._items[0][0] if self._items else None

    @Slot()
    def _transcribe(self) -> None:
        if self._items:
            path = self._items.pop(0)[0]
            self._show_next()
            self.sig_transcribe.emit(str(path))

    @Slot()
    def _delete(self) -> None:
        if self._items:
            recorder.discard(self._items.pop(0)[0])
            self._show_next()
