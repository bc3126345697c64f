"""The wizard's pages: Welcome → This computer → Model → Download / check → Try it → Done,
or Model → Your team's server → Done (nothing downloaded)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QRadioButton, QVBoxLayout, QWidget,
                               QWizardPage)

from copilot.core.models import catalog
from copilot.core.models.download import fmt_bytes
from copilot.ui.wizard.workers import BenchWorker, CheckWorker, ConnectionTest, DownloadWorker, SurveyWorker

WELCOME, HARDWARE, MODEL, FETCH, BENCH, DONE, TEAM = range(7)


def _label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def _button(text: str, parent: QWidget, slot) -> QPushButton:
    """A page's own button: never the default, so Enter always means the wizard's Next."""
    button = QPushButton(text, parent)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def _duration(page: QWizardPage, seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return page.tr("{0} h {1} min").format(seconds // 3600, seconds % 3600 // 60)
    if seconds >= 60:
        return page.tr("{0} min {1} s").format(seconds // 60, seconds % 60)
    return page.tr("{0} s").format(seconds)


def _gb(n: int | None) -> str:
    return "?" if n is None else f"{n / 1000**3:.1f} GB"


class Choice:
    """What the user picked on the Model page."""

    def __init__(self, kind: str, *, entry: catalog.CatalogEntry | None = None, path: Path | None = None) -> None:
        self.kind = kind  # "download" | "file" | "server" (the team's server: nothing to download)
        self.entry = entry
        self.path = path


# -- 1 ----------------------------------------------------------------------------------------
class WelcomePage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Welcome to Private Copilot"))
        layout = QVBoxLayout(self)
        layout.addWidget(_label(self.tr(
            "Private Copilot drafts email replies, summarizes meetings and polishes your writing with "
            "gpt-oss-20b, an open-weight model from OpenAI that runs entirely on this computer.")))
        promise = _label(self.tr(
            "<b>Nothing you write leaves this computer.</b> The only time Private Copilot uses the internet is "
            "to download the model, next, from Hugging Face. After that it works offline."))
        promise.setTextFormat(Qt.RichText)
        layout.addWidget(promise)
        layout.addWidget(_label(self.tr("The next pages check this computer, get the model (about 12 GB) and "
                                        "try it. Press Enter to go on.")))
        layout.addStretch(1)


# -- 2 ----------------------------------------------------------------------------------------
class HardwarePage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("This computer"))
        self.setSubTitle(self.tr("How well gpt-oss-20b will run here, and why."))
        self.worker: SurveyWorker | None = None
        layout = QVBoxLayout(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Checking this computer"))
        self.status = _label(self.tr("Checking this computer…"), self)
        self.verdict = _label("", self)
        self.verdict.setAccessibleName(self.tr("Verdict"))
        font = self.verdict.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.verdict.setFont(font)
        self.reasons = _label("", self)
        form = QFormLayout()
        self.memory, self.graphics, self.disk, self.cpu = (_label("", self) for _ in range(4))
        form.addRow(self.tr("Memory:"), self.memory)
        form.addRow(self.tr("Graphics:"), self.graphics)
        form.addRow(self.tr("Disk:"), self.disk)
        form.addRow(self.tr("Processor:"), self.cpu)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self.verdict)
        layout.addWidget(self.reasons)
        layout.addLayout(form)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        if wizard.survey is not None:
            self.show_survey(wizard.survey)
            return
        if self.worker is None:
            self.worker = SurveyWorker(wizard.paths.models, wizard.locations, self)
            self.worker.sig_done.connect(self.on_survey)
            self.worker.sig_failed.connect(self.on_failed)
            wizard.track(self.worker)
            self.worker.start()

    def isComplete(self) -> bool:
        return self.wizard() is not None and (self.wizard().survey is not None or self.wizard().survey_failed)

    @Slot(object)
    def on_survey(self, survey) -> None:
        self.wizard().survey = survey
        self.show_survey(survey)
        self.completeChanged.emit()

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.wizard().survey_failed = True
        self.busy.hide()
        self.status.setText(self.tr("This computer could not be checked ({0}). You can still choose a model.")
                            .format(message))
        self.completeChanged.emit()

    def show_survey(self, survey) -> None:
        self.busy.hide()
        self.status.hide()
        hw = survey.hardware
        plan = survey.plans.get(catalog.DEFAULT.key)
        verdicts = {"well": self.tr("gpt-oss-20b runs well here."),
                    "slowly": self.tr("gpt-oss-20b runs here, slowly."),
                    "no_fit": self.tr("gpt-oss-20b will not fit in this computer's memory.")}
        if plan is not None:
            self.verdict.setText(verdicts.get(plan.verdict, ""))
            self.reasons.setText("\n".join(plan.reasons))
        self.memory.setText(self.tr("{0} ({1} free)").format(_gb(hw.ram_total), _gb(hw.ram_available)))
        gpus = [f"{g.name} ({_gb(g.vram_total)})" for g in hw.gpus]
        if hw.unified_memory:
            gpus.append(self.tr("shares the main memory"))
        if not gpus:
            gpus = [self.tr("none that this build of llama.cpp can use") if not hw.gpu_offload
                    else self.tr("none found")]
        self.graphics.setText(", ".join(gpus))
        self.disk.setText(self.tr("{0} free for models").format(_gb(hw.disk_free)))
        features = ", ".join(hw.cpu_features) or self.tr("no vector extensions found")
        self.cpu.setText(f"{hw.cpu_name or '?'} — {hw.physical_cores} cores ({features})")


# -- 3 ----------------------------------------------------------------------------------------
class ModelPage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Choose the model"))
        self.setSubTitle(self.tr("Use a copy you already have, or download it once."))
        self.group = QButtonGroup(self)
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())
        self.choices: dict[QRadioButton, Choice] = {}
        self.options = QVBoxLayout()
        self.unusable = _label("", self)
        self.choose = _button(self.tr("&Choose a file…"), self, self._browse)
        self.error = _label("", self)
        self.error.setStyleSheet("color: #c0392b")
        self.folder = _label("", self)
        self.change_folder = _button(self.tr("Change &folder…"), self, self._pick_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.change_folder)
        layout = QVBoxLayout(self)
        layout.addLayout(self.options)
        layout.addWidget(self.choose, 0, Qt.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(self.unusable)
        layout.addStretch(1)
        layout.addLayout(folder_row)

    def initializePage(self) -> None:
        for button in list(self.choices):
            self.group.removeButton(button)
            button.deleteLater()
        self.choices.clear()
        wizard = self.wizard()
        survey = wizard.survey
        pending = {p.remote.filename: p for p in (survey.pending if survey else [])}
        for found in (survey.found if survey else []):
            if found.usable:
                self._add(self.tr("Use {0}: no download\n{1}").format(found.label, found.path),
                          Choice("file", path=found.path))
        for entry in catalog.offered(self._usable_memory()):
            plan = survey.plans.get(entry.key) if survey else None
            if entry.filename in pending:
                p = pending[entry.filename]
                text = self.tr("Resume downloading {0} ({1} of {2} done)").format(
                    entry.title, fmt_bytes(p.done), fmt_bytes(p.remote.size))
            else:
                text = self.tr("Download {0} ({1}) from Hugging Face").format(entry.title, fmt_bytes(entry.approx_size))
            if plan is not None and plan.verdict == "slowly":
                text += self.tr(" — runs slowly here")
            button = self._add(text, Choice("download", entry=entry))
            if plan is not None and plan.verdict == "no_fit":
                button.setEnabled(False)
                button.setText(text + "\n" + self.tr("Will not fit: {0}").format(" ".join(plan.reasons)))
        if wizard.chosen_file is not None:
            self._add(self.tr("Use {0}").format(wizard.chosen_file), Choice("file", path=wizard.chosen_file))
        local = wizard.policy.allows("local")
        if not local:  # the administrator allows only the team's server: nothing to download
            for button in self.choices:
                button.setEnabled(False)
                button.setToolTip(self.tr("Set by your administrator"))
        self.choose.setVisible(local)
        self.change_folder.setVisible(local)
        self.folder.setVisible(local)
        team = None
        if wizard.team_allowed():
            team = self._add(self.tr("Use my team's server: no download\nAnswers come from a server your team "
                                     "runs (vLLM, llama-server, Ollama…); the local model can be added later."),
                             Choice("server"))
        bad = [f for f in (survey.found if survey else []) if not f.usable]
        self.unusable.setText("\n".join(self.tr("Found {0} but it cannot be used: {1}").format(f.label, f.reason)
                                        for f in bad))
        self.unusable.setVisible(bool(bad))
        self._update_folder()
        enabled = [b for b in self.choices if b.isEnabled()]
        preferred = next((b for b in enabled if self.choices[b].path == wizard.chosen_file and wizard.chosen_file),
                         enabled[0] if enabled else None)
        if team is not None and (wizard.team_preferred() or not local):
            preferred = team
        if preferred is not None:
            preferred.setChecked(True)
            preferred.setFocus()

    def _usable_memory(self) -> int:
        survey = self.wizard().survey
        if survey is None:
            return 0
        hw = survey.hardware
        return hw.ram_total + sum(g.vram_total or 0 for g in hw.gpus if not hw.unified_memory)

    def _add(self, text: str, choice: Choice) -> QRadioButton:
        button = QRadioButton(text, self)
        self.group.addButton(button)
        self.choices[button] = choice
        self.options.addWidget(button)
        return button

    def _update_folder(self) -> None:
        self.folder.setText(self.tr("Downloads go to: {0}").format(self.wizard().download_dir))

    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a model file"), str(Path.home()),
                                              self.tr("GGUF models (*.gguf);;All files (*)"))
        if path:
            self.use_file(Path(path))

    def use_file(self, path: Path) -> bool:
        """Validate a file the user picked (header, architecture, loadability) and offer it."""
        from copilot.core.models.gguf_header import ModelFileError
        from copilot.core.models.verify import check_file

        try:
            info = check_file(path)
        except ModelFileError as exc:
            self.error.setText(str(exc))
            return False
        self.error.setText("" if info.is_harmony else self.tr(
            "{0} is a {1} model, not gpt-oss: it works, but the app is tuned for gpt-oss.").format(
            path.name, info.architecture))
        self.wizard().chosen_file = path
        self.initializePage()
        return True

    @Slot()
    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for models"), str(self.wizard().download_dir))
        if folder:
            self.wizard().download_dir = Path(folder)
            self._update_folder()

    def isComplete(self) -> bool:
        button = self.group.checkedButton()
        return button is not None and button.isEnabled()

    def validatePage(self) -> bool:
        self.wizard().choice = self.choices[self.group.checkedButton()]
        return True

    def nextId(self) -> int:
        choice = self.choices.get(self.group.checkedButton())
        return TEAM if choice is not None and choice.kind == "server" else FETCH


# -- 3b ---------------------------------------------------------------------------------------
class TeamPage(QWizardPage):
    """The team's server instead of a download: address, model, API key, CA bundle, a tested
    connection, and what it means for privacy. Enter tests the connection and goes on if it works."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Your team's server"))
        self.setSubTitle(self.tr("Answers come from an OpenAI-compatible server your team runs. Nothing is "
                                 "downloaded."))
        self.tester: ConnectionTest | None = None
        self.tested: tuple | None = None  # the inputs of the last connection that worked
        self.models: list[str] = []
        self.latency = 0.0
        self._advance = False
        self._tested_inputs = ("", "", "", "")
        self.server_url = QLineEdit(self)
        self.server_url.setPlaceholderText("https://llm.example.com/v1")
        self.server_url.setAccessibleName(self.tr("Server address"))
        self.server_model = QComboBox(self)
        self.server_model.setEditable(True)
        self.server_model.lineEdit().setPlaceholderText(self.tr("the first model the server lists"))
        self.server_model.setAccessibleName(self.tr("Model on the server"))
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.Password)
        self.api_key.setPlaceholderText(self.tr("none"))
        self.api_key.setAccessibleName(self.tr("API key"))
        self.ca_bundle = QLineEdit(self)
        self.ca_bundle.setPlaceholderText(self.tr("the system's certificates"))
        self.ca_bundle.setAccessibleName(self.tr("CA bundle"))
        self.test_button = _button(self.tr("Test c&onnection"), self, self.test_connection)
        self.test_result = _label("", self)
        self.test_result.setAccessibleName(self.tr("Connection test result"))
        self.keyring_note = _label("", self)
        self.managed_note = _label("", self)
        self.privacy = _label("", self)
        self.privacy.setTextFormat(Qt.RichText)
        self.privacy.setAccessibleName(self.tr("Privacy notice"))
        for edit in (self.server_url, self.api_key, self.ca_bundle):
            edit.textChanged.connect(self._changed)
        self.server_model.editTextChanged.connect(self._changed)
        form = QFormLayout()
        form.addRow(self.tr("Ser&ver address:"), self.server_url)
        form.addRow(self.tr("&Model:"), self.server_model)
        form.addRow(self.tr("API &key:"), self.api_key)
        form.addRow("", self.keyring_note)
        form.addRow(self.tr("C&A bundle:"), self.ca_bundle)
        form.addRow(self.test_button, self.test_result)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.managed_note)
        layout.addWidget(self.privacy)
        layout.addWidget(_label(self.tr(
            "The local model can be added later with Models ▸ Manage models: it then answers when the server "
            "is down or busy."), self))
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.wizard()
        s = wizard.settings
        self.server_url.setText(s.server_url)
        self.server_model.setCurrentText(s.server_model)
        self.ca_bundle.setText(s.server_ca_bundle)
        from copilot.core.secrets import SERVER_API_KEY

        saved = wizard.secrets.get(SERVER_API_KEY)
        self.api_key.setPlaceholderText(self.tr("saved in the system keyring") if saved else self.tr("none"))
        self.keyring_note.setText(self.tr("Kept in the system keyring, never in a settings file.")
                                  if wizard.secrets.persistent else
                                  self.tr("This system has no keyring: the API key is kept only until you close "
                                          "the app."))
        managed = [(key, w) for key, w in (("server_url", self.server_url), ("server_model", self.server_model),
                                           ("server_ca_bundle", self.ca_bundle)) if key in wizard.managed]
        for _key, widget in managed:
            widget.setEnabled(False)
            widget.setToolTip(self.tr("Set by your administrator"))
        self.managed_note.setText(self.tr("Fields that cannot be changed are set by your administrator.")
                                  if managed else "")
        self.managed_note.setVisible(bool(managed))
        notice = self.tr("<b>What you write in Private Copilot is sent to this server</b> to be answered; whoever "
                         "runs it can read it. The status bar shows whenever text goes there.")
        if s.local_only:
            notice += " " + self.tr("Privacy mode (only this computer) is on now: finishing here turns it off.")
        self.privacy.setText(notice)
        (self.server_url if self.server_url.isEnabled() else self.api_key).setFocus()

    def isComplete(self) -> bool:
        return bool(self.server_url.text().strip()) and not self._testing()

    def nextId(self) -> int:
        return DONE

    def cleanupPage(self) -> None:  # Back: leave the fields as the user typed them
        self._advance = False

    def _testing(self) -> bool:
        return self.tester is not None and self.tester.isRunning()

    def inputs(self) -> tuple[str, str, str, str]:
        return (self.server_url.text().strip(), self.server_model.currentText().strip(),
                self.api_key.text().strip(), self.ca_bundle.text().strip())

    def remote_config(self):
        from copilot.core.remote import RemoteConfig
        from copilot.core.secrets import SERVER_API_KEY

        url, model, key, ca = self.inputs()
        return RemoteConfig(url, model=model, api_key=key or self.wizard().secrets.get(SERVER_API_KEY),
                            verify=ca or True)

    @Slot()
    def _changed(self) -> None:
        self.completeChanged.emit()

    @Slot()
    def test_connection(self) -> None:
        if not self.server_url.text().strip():
            self.test_result.setText(self.tr("Enter the server's address first."))
            return
        if self._testing():
            return
        self.test_result.setText(self.tr("Connecting…"))
        self.test_button.setEnabled(False)
        self.tester = ConnectionTest(self.remote_config(), self)
        self._tested_inputs = self.inputs()
        self.tester.sig_done.connect(self.on_tested)
        self.wizard().track(self.tester)
        self.tester.start()
        self.completeChanged.emit()

    @Slot(bool, str, object, float)
    def on_tested(self, ok: bool, message: str, models: list, latency: float) -> None:
        if self.sender() is not None:  # the signal is its last act: join it, so closing never finds it running
            self.sender().wait()
        self.test_button.setEnabled(True)
        advance, self._advance = self._advance, False
        if not ok:
            self.tested = None
            self.test_result.setText(message)
            self.completeChanged.emit()
            return
        current = self.server_model.currentText().strip()
        self.models, self.latency = list(models), latency
        self.server_model.blockSignals(True)
        self.server_model.clear()
        self.server_model.addItems(self.models)
        self.server_model.setCurrentText(current if current in self.models else self.models[0])
        self.server_model.blockSignals(False)
        url, _model, key, ca = self._tested_inputs
        self.tested = (url, self.server_model.currentText().strip(), key, ca)
        self.test_result.setText(self.tr("Connected in {0:.0f} ms. Models: {1}").format(latency * 1000,
                                                                                         ", ".join(self.models)))
        self.completeChanged.emit()
        wizard = self.wizard()
        if advance and wizard.currentPage() is self and self.tested == self.inputs():
            QTimer.singleShot(0, wizard.next)

    def validatePage(self) -> bool:
        """Next (Enter) with an untested address tests it first, and goes on when it works."""
        if self.tested is not None and self.tested == self.inputs():
            url, model, key, ca = self.tested
            self.wizard().team = TeamServer(url, model, key, ca, self.models, self.latency)
            return True
        self._advance = True
        self.test_connection()
        return False


class TeamServer:
    """The server the Team page connected to."""

    def __init__(self, url: str, model: str, api_key: str, ca_bundle: str, models: list[str], latency: float):
        self.url, self.model, self.api_key, self.ca_bundle = url, model, api_key, ca_bundle
        self.models, self.latency = models, latency

    @property
    def host(self) -> str:
        from copilot.core.remote import RemoteConfig

        return RemoteConfig(self.url).host


# -- 4 ----------------------------------------------------------------------------------------
class FetchPage(QWizardPage):
    """Download (or resume) the chosen catalog model, or check the chosen file."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.worker = None
        self.ready_path: Path | None = None
        self.status = _label("", self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setAccessibleName(self.tr("Download progress"))
        self.detail = _label("", self)
        self.error = _label("", self)
        self.error.setStyleSheet("color: #c0392b")
        self.pause_button = _button(self.tr("&Pause"), self, self.toggle_pause)
        self.cancel_button = _button(self.tr("Cancel &download"), self, self.cancel_download)
        self.retry_button = _button(self.tr("&Retry"), self, self.start)
        buttons = QHBoxLayout()
        for b in (self.pause_button, self.cancel_button, self.retry_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.token_box = QWidget(self)
        token_layout = QFormLayout(self.token_box)
        self.token = QLineEdit(self.token_box)
        self.token.setEchoMode(QLineEdit.Password)
        self.token.setPlaceholderText("hf_…")
        self.token.setAccessibleName(self.tr("Hugging Face token"))
        self.token.returnPressed.connect(self.start)
        self.remember = QCheckBox(self.tr("Remember it in the system keyring"), self.token_box)
        self.remember.setChecked(True)
        self.keyring_note = _label("", self.token_box)
        token_layout.addRow(self.tr("Hugging Face &token:"), self.token)
        token_layout.labelForField(self.token).setBuddy(self.token)
        token_layout.addRow("", self.remember)
        token_layout.addRow("", self.keyring_note)
        self.token_box.hide()

        layout = QVBoxLayout(self)
        for w in (self.status, self.bar, self.detail):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.token_box)
        layout.addStretch(1)

    # -- lifecycle
    def initializePage(self) -> None:
        choice = self.wizard().choice
        self.ready_path = None
        if choice.kind == "download":
            self.setTitle(self.tr("Downloading {0}").format(choice.entry.title))
            self.setSubTitle(self.tr("You can pause, close the app, and resume later: nothing is lost."))
        else:
            self.setTitle(self.tr("Checking the file"))
            self.setSubTitle(str(choice.path))
        self.start()

    def cleanupPage(self) -> None:  # Back: a download pauses (it resumes when chosen again)
        self.stop_worker(pause=True)
        self.error.setText("")
        self.token_box.hide()

    def isComplete(self) -> bool:
        return self.ready_path is not None

    # -- work
    @Slot()
    def start(self) -> None:
        wizard = self.wizard()
        choice = wizard.choice
        if self.worker is not None and self.worker.isRunning():
            return
        self.error.setText("")
        self.retry_button.hide()
        if choice.kind == "download":
            if self.token_box.isVisible() and self.token.text().strip():
                if self.remember.isChecked():
                    wizard.save_token(self.token.text())
                else:
                    wizard.session_token = self.token.text().strip()
            self.token_box.hide()
            self.status.setText(self.tr("Connecting to Hugging Face…"))
            self.pause_button.setText(self.tr("&Pause"))
            self.pause_button.show()
            self.cancel_button.show()
            worker = DownloadWorker(choice.entry, wizard.download_dir, wizard.paths.models, wizard.token(), self)
            worker.sig_progress.connect(self.on_progress)
            worker.sig_done.connect(self.on_ready)
            worker.sig_stopped.connect(self.on_stopped)
            worker.sig_failed.connect(self.on_download_failed)
        else:
            self.status.setText(self.tr("Checking {0}…").format(choice.path.name))
            self.pause_button.hide()
            self.cancel_button.hide()
            worker = CheckWorker(choice.path, wizard.paths.models, self)
            worker.sig_progress.connect(self.on_check_progress)
            worker.sig_done.connect(self.on_checked)
            worker.sig_failed.connect(self.on_check_failed)
        self.bar.setValue(0)
        self.detail.setText("")
        self.worker = worker
        wizard.track(worker)
        worker.start()

    def stop_worker(self, pause: bool) -> None:
        worker = self.worker
        if worker is None or not worker.isRunning():
            return
        if isinstance(worker, DownloadWorker):
            worker.pause() if pause else worker.cancel()
        else:
            worker.cancel()

    @Slot()
    def toggle_pause(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.status.setText(self.tr("Pausing…"))
            self.worker.pause()
        else:
            self.start()

    @Slot()
    def cancel_download(self) -> None:
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
        else:
            from copilot.core.models.download import discard_partial

            for name in self.wizard().choice.entry.filenames:
                discard_partial(self.wizard().download_dir, name)
            self.wizard().back()

    # -- results
    @Slot(object)
    def on_progress(self, p) -> None:
        self.bar.setValue(int(1000 * p.done / p.total) if p.total else 0)
        if p.phase == "checking":
            self.status.setText(self.tr("Checking the part already downloaded…"))
        elif p.phase == "verifying":
            self.status.setText(self.tr("Verifying the download…"))
        else:
            self.status.setText(self.tr("Downloading {0}…").format(p.filename))
        text = self.tr("{0} of {1}").format(fmt_bytes(p.done), fmt_bytes(p.total))
        if p.speed:
            text += " · " + self.tr("{0}/s").format(fmt_bytes(p.speed))
        if p.eta is not None and p.phase == "downloading":
            text += " · " + self.tr("{0} left").format(_duration(self, p.eta))
        self.detail.setText(text)

    @Slot(object, object)
    def on_check_progress(self, done: int, total: int) -> None:
        self.bar.setValue(int(1000 * done / total) if total else 0)
        self.detail.setText(self.tr("{0} of {1}").format(fmt_bytes(done), fmt_bytes(total)))

    @Slot(str)
    def on_ready(self, path: str) -> None:
        self.bar.setValue(1000)
        self.pause_button.hide()
        self.cancel_button.hide()
        self.status.setText(self.tr("Downloaded and verified."))
        self._ready(Path(path))

    @Slot(str, str)
    def on_checked(self, path: str, how: str) -> None:
        self.bar.setValue(1000)
        self.status.setText(self.tr("The file is complete and its checksum matches.") if how == "checksum" else
                            self.tr("The file is a complete, loadable model (no reference checksum is known "
                                    "for it)."))
        self._ready(Path(path))

    def _ready(self, path: Path) -> None:
        self.ready_path = path
        self.wizard().model_path = path
        self.completeChanged.emit()
        if self.wizard().currentPage() is self:
            QTimer.singleShot(0, self.wizard().next)  # straight on to trying it

    @Slot(bool)
    def on_stopped(self, paused: bool) -> None:
        if paused:
            self.status.setText(self.tr("Paused. Resume now or later: the part downloaded so far is kept."))
            self.pause_button.setText(self.tr("&Resume"))
            self.pause_button.setFocus()
        else:
            self.wizard().back()

    @Slot(str, str)
    def on_download_failed(self, kind: str, message: str) -> None:
        self.status.setText(self.tr("The download stopped."))
        self.error.setText(message)
        self.pause_button.hide()
        self.retry_button.show()
        if kind == "auth":
            self.token_box.show()
            store = self.wizard().secrets
            self.keyring_note.setText("" if store.persistent else self.tr(
                "This system has no keyring: the token is kept only until you close the app."))
            self.remember.setEnabled(store.persistent)
            self.token.setFocus()
        else:
            self.retry_button.setFocus()

    @Slot(str)
    def on_check_failed(self, message: str) -> None:
        self.status.setText(self.tr("This file cannot be used."))
        self.error.setText(message or self.tr("Cancelled."))


# -- 5 ----------------------------------------------------------------------------------------
class BenchPage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Trying the model"))
        self.setSubTitle(self.tr("A short run shows how fast it answers on this computer."))
        self.worker: BenchWorker | None = None
        self.done = False
        self.status = _label("", self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(self.tr("Trying the model"))
        self.result = _label("", self)
        self.verdict = _label("", self)
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        self.retry = _button(self.tr("&Try again"), self, self.start)
        layout = QVBoxLayout(self)
        for w in (self.status, self.busy, self.verdict, self.result):
            layout.addWidget(w)
        layout.addWidget(self.retry, 0, Qt.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.start()

    @Slot()
    def start(self) -> None:
        wizard = self.wizard()
        if self.worker is not None and self.worker.isRunning():
            return
        self.done = False
        self.retry.hide()
        self.busy.show()
        self.verdict.setText("")
        self.result.setText("")
        self.status.setText(self.tr("Loading {0} and writing a few words (loading a large model takes a "
                                    "while)…").format(wizard.model_path.name))
        hardware = wizard.survey.hardware if wizard.survey else None
        self.worker = BenchWorker(wizard.model_path, wizard.paths.models, hardware, self)
        self.worker.sig_done.connect(self.on_done)
        self.worker.sig_failed.connect(self.on_failed)
        wizard.track(self.worker)
        self.worker.start()

    def isComplete(self) -> bool:
        return self.done

    @Slot(object, object)
    def on_done(self, plan, result) -> None:
        wizard = self.wizard()
        wizard.plan, wizard.bench = plan, result
        try:  # for the diagnostics bundle: the last measurement and the plan it ran with
            from copilot.core.diagnostics import save_last_benchmark

            save_last_benchmark(wizard.paths, result, plan)
        except OSError:
            pass
        self.busy.hide()
        self.status.setText(self.tr("Done."))
        speed = result.tg_tokens_per_second
        if speed >= 10:
            verdict = self.tr("Runs well: answers appear faster than you read them.")
        elif speed >= 3:
            verdict = self.tr("Runs slowly: expect long answers to take a minute or two.")
        else:
            verdict = self.tr("Runs very slowly on this computer: it works, but be patient.")
        self.verdict.setText(verdict)
        self.result.setText(self.tr(
            "Writing: {0:.1f} words per second ({1:.1f} tokens/s). Reading: {2:.0f} tokens/s. "
            "Loaded in {3:.1f} s. Context: {4} tokens{5}.").format(
            speed * 0.75, speed, result.pp_tokens_per_second, result.load_seconds, plan.n_ctx,
            self.tr(", {0} layers on the GPU").format(plan.n_gpu_layers) if plan.n_gpu_layers else ""))
        self.done = True
        self.completeChanged.emit()

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.busy.hide()
        self.status.setText(self.tr("The model could not be tried."))
        self.result.setText(message)
        self.retry.show()
        self.retry.setFocus()


# -- 6 ----------------------------------------------------------------------------------------
class DonePage(QWizardPage):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready"))
        self.summary = _label("", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(_label(self.tr(
            "Ctrl+1 drafts an email reply, Ctrl+2 summarizes a meeting, Ctrl+3 polishes writing. "
            "Models can be changed later with Models ▸ Manage models (Ctrl+Shift+M).")))
        # the optional second download: meeting recordings need a speech model
        self.speech_note = _label(self.tr(
            "Optional: to turn meeting recordings into minutes, get a speech model too (whisper-small, 484 MB). "
            "You can also do it later with Models ▸ Speech model."), self)
        self.speech_button = _button(self.tr("&Speech model for recordings…"), self, self.open_speech)
        layout.addWidget(self.speech_note)
        row = QHBoxLayout()
        row.addWidget(self.speech_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    @Slot()
    def open_speech(self) -> None:
        from copilot.ui.speech_model_dialog import SpeechModelDialog

        wizard = self.wizard()
        dialog = SpeechModelDialog(wizard.paths, wizard.token(), self)
        dialog.sig_model_ready.connect(self._speech_ready)
        self.speech_dialog = dialog
        dialog.open()

    @Slot(str)
    def _speech_ready(self, folder: str) -> None:
        self.wizard().speech_model = folder
        self.speech_note.setText(self.tr("Meeting recordings will be transcribed with the model in {0}.")
                                 .format(folder))

    def nextId(self) -> int:
        return -1  # the last page, though the team page's id comes after it

    def initializePage(self) -> None:
        wizard = self.wizard()
        team = wizard.team if wizard.choice is not None and wizard.choice.kind == "server" else None
        if team is not None:
            text = self.tr("Private Copilot will use {0} on your team's server {1}. Press Enter to start "
                           "writing.").format(team.model, team.host)
            text += "\n\n" + self.tr("To have answers when the server is down or busy, add the local model "
                                      "later with Models ▸ Manage models.")
        else:
            text = self.tr("Private Copilot will use {0}. Press Enter to start writing.").format(wizard.model_path)
            s = wizard.settings
            if s.backend == "server" and s.server_url and not s.local_only:
                text += "\n\n" + self.tr("Answers still come from your team's server; this model answers when "
                                          "it is down or busy. Settings ▸ Team server changes that.")
        self.summary.setText(text)
