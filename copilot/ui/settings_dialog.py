"""Settings dialog over core.settings.Settings: edits a copy, returns it on OK.

Tabs: General, Model, Meeting recordings, Team server, Privacy. Settings an administrator's
policy fixes (core/policy.py) are shown but disabled, with a "Set by your administrator" note,
and keep the policy's values whatever the widgets say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QKeySequenceEdit, QLabel, QLineEdit, QMessageBox, QPushButton, QSpinBox,
                               QTabWidget, QVBoxLayout, QWidget)

from copilot.core.remote import RemoteConfig
from copilot.core.secrets import SERVER_API_KEY, SecretStore
from copilot.core.settings import Settings, managed_keys
from copilot.hotkey.listener import from_pynput, session_kind, to_pynput
from copilot.ui.wizard.workers import ConnectionTest

try:  # the Privacy tab: what left this computer (another part of the app; optional here)
    from copilot.ui.privacy_panel import PrivacyPanel
except ImportError:  # pragma: no cover - only before that module exists
    PrivacyPanel = None

__all__ = ["ConnectionTest", "SettingsDialog"]

# each setting's widget, and the widget its form row holds (a row widget, for the file pickers)
WIDGETS = {"model_path": ("model_path", "_model_row"), "n_threads": ("threads",), "n_gpu_layers": ("gpu_layers",),
           "n_ctx": ("n_ctx",), "flash_attn": ("flash_attn",), "kv_type": ("kv_type",),
           "reasoning_effort": ("effort",), "hotkey": ("hotkey",), "theme": ("theme",),
           "ui_language": ("ui_language",), "history_retention": ("retention",), "unload_after_minutes": ("unload",),
           "start_at_login": ("start_at_login",), "backend": ("backend",), "server_url": ("server_url",),
           "server_model": ("server_model",), "server_ca_bundle": ("ca_bundle",), "server_fallback": ("fallback",),
           "local_only": ("local_only",), "asr_model_path": ("asr_model", "_asr_row"),
           "asr_language": ("asr_language",), "keep_recordings": ("keep_recordings",),
           "adapter_path": ("adapter_path", "_adapter_row"), "adapter_scale": ("adapter_scale",)}


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *, hotkey_problem: str = "",
                 managed: Iterable[str] | None = None, default_model: Path | None = None) -> None:
        super().__init__(parent)
        self.default_model = default_model  # the model used when no file is chosen (an adapter must fit it)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        # what an administrator's policy fixes (None: the system's policy file)
        self.managed = frozenset(managed_keys() if managed is None else managed)
        self.managed_notes: dict[str, QLabel] = {}

        self.model_path = QLineEdit(settings.model_path, self)
        self.model_path.setPlaceholderText(self.tr("gpt-oss-20b in the app's models folder"))
        self.model_path.setAccessibleName(self.tr("Model file"))
        model_row = self._model_row = self._file_row(self.model_path, self.tr("Choose a model file"), self._browse)

        self.threads = self._spin(0, 256, settings.n_threads, self.tr("CPU threads"), self.tr("Automatic"))
        self.gpu_layers = self._spin(-1, 999, settings.n_gpu_layers, self.tr("GPU layers"), self.tr("All"))
        self.n_ctx = self._spin(2048, 131072, settings.n_ctx, self.tr("Context size"))
        self.n_ctx.setSingleStep(2048)
        self.flash_attn = QCheckBox(self.tr("Use flash attention"), self)
        self.flash_attn.setChecked(settings.flash_attn)
        self.kv_type = self._combo((("auto", self.tr("Full precision (recommended)")),
                                    ("q8_0", self.tr("8-bit: half the memory, less exact"))),
                                   settings.kv_type, self.tr("Memory for the context"))
        self.kv_type.setToolTip(self.tr(
            "The model's memory of the conversation (KV cache). 8-bit halves it (gpt-oss-20b at 16k tokens: "
            "about 0.4 GB instead of 0.8) but was measured to change the model's next-word choice in a quarter "
            "of cases on gpt-oss. Needs flash attention."))
        self.effort = self._combo((("", self.tr("Per task (recommended)")), ("low", self.tr("Low")),
                                   ("medium", self.tr("Medium")), ("high", self.tr("High"))),
                                  settings.reasoning_effort, self.tr("Default reasoning effort"))
        self.hotkey = QKeySequenceEdit(QKeySequence.fromString(from_pynput(settings.hotkey)), self)
        self.hotkey.setMaximumSequenceLength(1)
        self.hotkey.setClearButtonEnabled(True)
        self.hotkey.setAccessibleName(self.tr("Global hotkey"))
        # what the running listener reported (e.g. no RECORD extension), else how it works here
        self.hotkey_note = QLabel(hotkey_problem or self._hotkey_note(), self)
        self.hotkey_note.setWordWrap(True)
        self.theme = self._combo((("system", self.tr("System")), ("light", self.tr("Light")),
                                  ("dark", self.tr("Dark"))), settings.theme, self.tr("Theme"))
        self.ui_language = self._combo((("system", self.tr("System")), ("en", "English"), ("es", "Español")),
                                       settings.ui_language, self.tr("Interface language"))
        self.retention = self._combo((("forever", self.tr("Keep forever")), ("30d", self.tr("30 days")),
                                      ("7d", self.tr("7 days")), ("none", self.tr("Nothing (private mode)"))),
                                     settings.history_retention, self.tr("History"))
        self.retention.setToolTip(self.tr("Private mode keeps drafts and history in memory only: "
                                          "nothing you write is saved to disk."))
        self.unload = self._spin(0, 1440, settings.unload_after_minutes, self.tr("Unload the model after"),
                                 self.tr("Never"))
        self.unload.setSuffix(self.tr(" min idle"))
        self.start_at_login = QCheckBox(self.tr("Start Private Copilot when I log in"), self)
        self.start_at_login.setChecked(settings.start_at_login)

        self._adapter_box(settings)
        model = QWidget(self)
        form = QFormLayout(model)
        form.addRow(self.tr("&Model:"), model_row)
        form.labelForField(model_row).setBuddy(self.model_path)
        form.addRow(self.tr("&Threads:"), self.threads)
        form.addRow(self.tr("&GPU layers:"), self.gpu_layers)
        form.addRow(self.tr("&Context:"), self.n_ctx)
        form.addRow("", self.flash_attn)
        form.addRow(self.tr("Context memor&y:"), self.kv_type)
        form.addRow(self.tr("&Reasoning:"), self.effort)
        form.addRow(self.tr("&Unload model:"), self.unload)
        form.addRow(self.tr("A&dapter:"), self._adapter_row)
        form.labelForField(self._adapter_row).setBuddy(self.adapter_path)
        form.addRow(self.tr("Adapter sc&ale:"), self.adapter_scale)
        form.addRow("", self.adapter_note)
        general = QWidget(self)
        general_form = QFormLayout(general)
        general_form.addRow(self.tr("&Hotkey:"), self.hotkey)
        general_form.addRow("", self.hotkey_note)
        general_form.addRow(self.tr("Th&eme:"), self.theme)
        general_form.addRow(self.tr("&Language:"), self.ui_language)
        general_form.addRow(self.tr("Hi&story:"), self.retention)
        general_form.addRow("", self.start_at_login)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        server = self._server_box(settings)
        speech = self._speech_box(settings)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, self.tr("General"))
        self.tabs.addTab(model, self.tr("Model"))
        self.tabs.addTab(speech, self.tr("Meeting recordings"))
        self.tabs.addTab(server, self.tr("Team server"))
        self.privacy_panel = None
        if PrivacyPanel is not None:
            self.privacy_panel = PrivacyPanel(self)
            self.tabs.addTab(self.privacy_panel, self.tr("Privacy"))
        self._forms = [general_form, form, speech.layout(), server.layout()]
        self._mark_managed()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _mark_managed(self) -> None:
        """Disable what the policy fixes, and say so under each such field."""
        for key in sorted(self.managed):
            names = WIDGETS.get(key)
            if names is None:
                continue
            widget, anchor = getattr(self, names[0]), getattr(self, names[-1])
            widget.setEnabled(False)
            widget.setToolTip(self.tr("Set by your administrator"))
            for form in self._forms:
                row, _role = form.getWidgetPosition(anchor)
                if row >= 0:
                    note = QLabel(self.tr("Set by your administrator"), self)
                    note.setEnabled(False)  # drawn greyed, like the field it explains
                    form.insertRow(row + 1, "", note)
                    self.managed_notes[key] = note
                    break

    def _hotkey_note(self) -> str:
        kind = session_kind()
        if kind == "wayland":
            return self.tr("Wayland does not let apps listen for global keys: bind the command "
                           "private-copilot --trigger to a shortcut in your desktop's keyboard settings.")
        if kind == "macos":
            return self.tr("macOS asks once for Accessibility and Input Monitoring permission "
                           "(System Settings ▸ Privacy and Security).")
        return self.tr("Select text in any app, press the hotkey, choose an action with 1–9.")

    def hotkey_value(self) -> str:
        """The edited hotkey in pynput's spelling; the previous one if the edit is empty or invalid."""
        text = self.hotkey.keySequence().toString(QKeySequence.PortableText)
        try:
            return to_pynput(text) if text else self._settings.hotkey
        except ValueError:
            return self._settings.hotkey

    # -- server ------------------------------------------------------------------------------
    def _speech_box(self, settings: Settings) -> QWidget:
        """Meeting audio: the speech model's folder, the language spoken, keeping recordings."""
        from copilot.core.language import LANGUAGE_NAMES

        box = QWidget(self)
        self.asr_model = QLineEdit(settings.asr_model_path, self)
        self.asr_model.setPlaceholderText(self.tr("whisper-small in the app's models folder"))
        self.asr_model.setAccessibleName(self.tr("Speech model folder"))
        row = self._asr_row = self._file_row(self.asr_model, self.tr("Choose a speech model folder"),
                                             self._browse_speech)
        self.asr_language = self._combo((("", self.tr("Detect automatically")), *LANGUAGE_NAMES.items()),
                                        settings.asr_language, self.tr("Language spoken in the recordings"))
        self.keep_recordings = QCheckBox(self.tr("Keep recordings after they are transcribed"), self)
        self.keep_recordings.setChecked(settings.keep_recordings)
        self.keep_recordings.setToolTip(self.tr("Otherwise a recording is deleted once its transcript is made. "
                                                "Never kept in privacy mode."))
        form = QFormLayout(box)
        form.addRow(self.tr("Speech mo&del:"), row)
        form.labelForField(row).setBuddy(self.asr_model)
        form.addRow(self.tr("Spoken l&anguage:"), self.asr_language)
        form.addRow("", self.keep_recordings)
        return box

    @Slot()
    def _browse_speech(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose a speech model folder"))
        if path:
            self.asr_model.setText(path)

    def _server_box(self, settings: Settings) -> QWidget:
        box = QWidget(self)
        self.backend = self._combo((("local", self.tr("This computer (the local model)")),
                                    ("server", self.tr("A server (OpenAI-compatible: vLLM, llama-server, Ollama…)"))),
                                   settings.backend, self.tr("Where answers come from"))
        self.server_url = QLineEdit(settings.server_url, self)
        self.server_url.setPlaceholderText("http://gpu-box:8000/v1")
        self.server_url.setAccessibleName(self.tr("Server address"))
        self.server_model = QComboBox(self)
        self.server_model.setEditable(True)
        self.server_model.setCurrentText(settings.server_model)
        self.server_model.lineEdit().setPlaceholderText(self.tr("the first model the server lists"))
        self.server_model.setAccessibleName(self.tr("Model on the server"))
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.Password)
        self._secrets = SecretStore()
        saved = self._secrets.get(SERVER_API_KEY)
        self.api_key.setPlaceholderText(self.tr("saved in the system keyring") if saved else self.tr("none"))
        self.api_key.setAccessibleName(self.tr("API key"))
        self.ca_bundle = QLineEdit(settings.server_ca_bundle, self)
        self.ca_bundle.setPlaceholderText(self.tr("the system's certificates"))
        self.ca_bundle.setAccessibleName(self.tr("CA bundle"))
        self.fallback = QCheckBox(self.tr("&Fall back to the local model when the server is down or busy"), self)
        self.fallback.setChecked(settings.server_fallback)
        self.local_only = QCheckBox(self.tr("Only this computer: never send text to a server (&privacy mode)"), self)
        self.local_only.setChecked(settings.local_only)
        self.local_only.toggled.connect(self._update_server_fields)
        self.backend.currentIndexChanged.connect(self._update_server_fields)
        self.test_button = QPushButton(self.tr("Test c&onnection"), self)
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel("", self)
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName(self.tr("Connection test result"))
        self._tester: ConnectionTest | None = None

        form = QFormLayout(box)
        form.addRow("", self.local_only)
        form.addRow(self.tr("Ans&wers from:"), self.backend)
        form.addRow(self.tr("Ser&ver:"), self.server_url)
        form.addRow(self.tr("Model &name:"), self.server_model)
        form.addRow(self.tr("API &key:"), self.api_key)
        form.addRow(self.tr("CA &bundle:"), self.ca_bundle)
        form.addRow("", self.fallback)
        form.addRow(self.test_button, self.test_result)
        self._update_server_fields()
        return box

    @Slot()
    def _update_server_fields(self) -> None:
        private = self.local_only.isChecked()
        self.backend.setEnabled(not private and "backend" not in self.managed)
        server = not private and self.backend.currentData() == "server"
        for key, w in (("server_url", self.server_url), ("server_model", self.server_model), ("", self.api_key),
                       ("server_ca_bundle", self.ca_bundle), ("server_fallback", self.fallback),
                       ("", self.test_button)):
            w.setEnabled(server and key not in self.managed)

    def remote_config(self) -> RemoteConfig:
        key = self.api_key.text().strip() or self._secrets.get(SERVER_API_KEY)
        return RemoteConfig(self.server_url.text().strip(), model=self.server_model.currentText().strip(),
                            api_key=key, verify=self.ca_bundle.text().strip() or True)

    @Slot()
    def test_connection(self) -> None:
        if not self.server_url.text().strip():
            self.test_result.setText(self.tr("Enter the server's address first."))
            return
        if self._tester is not None and self._tester.isRunning():
            return
        self.test_result.setText(self.tr("Connecting…"))
        self.test_button.setEnabled(False)
        self._tester = ConnectionTest(self.remote_config(), self)
        self._tester.sig_done.connect(self.on_tested)
        self._tester.start()

    @Slot(bool, str, object, float)
    def on_tested(self, ok: bool, message: str, models: list, latency: float) -> None:
        if self.sender() is not None:  # the signal is its last act: join it, so closing never finds it running
            self.sender().wait()
        self.test_button.setEnabled(True)
        if not ok:
            self.test_result.setText(message)
            return
        current = self.server_model.currentText()
        self.server_model.clear()
        self.server_model.addItems(models)
        self.server_model.setCurrentText(current if current in models else models[0])
        self.test_result.setText(self.tr("Connected in {0:.0f} ms. Models: {1}").format(latency * 1000,
                                                                                         ", ".join(models)))

    def done(self, result: int) -> None:
        if self._tester is not None:
            self._tester.wait()
        if result and self.api_key.text().strip():
            if not self._secrets.set(SERVER_API_KEY, self.api_key.text()):
                QMessageBox.information(self, self.tr("API key"), self.tr(
                    "This system has no keyring: the API key is kept only until you close the app."))
        super().done(result)

    def _spin(self, lo: int, hi: int, value: int, name: str, special: str = "") -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(lo, hi)
        box.setValue(value)
        box.setAccessibleName(name)
        if special:
            box.setSpecialValueText(special)
        return box

    def _combo(self, items, current: str, name: str) -> QComboBox:
        box = QComboBox(self)
        for value, label in items:
            box.addItem(label, value)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.setAccessibleName(name)
        return box

    def _file_row(self, edit: QLineEdit, browse_name: str, browse) -> QWidget:
        """A path field with its Browse… button, in a widget (not a layout: the row's label needs a
        buddy for its mnemonic)."""
        button = QPushButton(self.tr("Browse…"), self)
        button.setAccessibleName(browse_name)
        button.clicked.connect(browse)
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        layout.addWidget(button)
        return row

    # -- LoRA adapter ------------------------------------------------------------------------
    def _adapter_box(self, settings: Settings) -> None:
        """A GGUF LoRA adapter for the local model and its scale, checked when chosen."""
        self.adapter_path = QLineEdit(settings.adapter_path, self)
        self.adapter_path.setPlaceholderText(self.tr("none"))
        self.adapter_path.setAccessibleName(self.tr("LoRA adapter file"))
        self.adapter_path.setToolTip(self.tr("A LoRA adapter in GGUF form, fine-tuned for this model (for example on "
                                             "your team's own mail); it is checked before it is loaded"))
        self.adapter_path.editingFinished.connect(self.check_adapter)
        self._adapter_row = self._file_row(self.adapter_path, self.tr("Choose a LoRA adapter file"),
                                           self._browse_adapter)
        self.adapter_scale = QDoubleSpinBox(self)
        self.adapter_scale.setRange(-4.0, 4.0)
        self.adapter_scale.setSingleStep(0.1)
        self.adapter_scale.setDecimals(2)
        self.adapter_scale.setValue(settings.adapter_scale)
        self.adapter_scale.setAccessibleName(self.tr("Adapter scale"))
        self.adapter_scale.setToolTip(self.tr("How strongly the adapter changes the model: 1 as trained, 0 off"))
        self.adapter_note = QLabel(self)
        self.adapter_note.setWordWrap(True)
        self.adapter_note.setAccessibleName(self.tr("Adapter check"))
        self.model_path.editingFinished.connect(self.check_adapter)
        self.check_adapter()

    def adapter_model(self) -> Path | None:
        """The model file the adapter must fit: the one chosen here, else the downloaded default."""
        text = self.model_path.text().strip()
        if text:
            return Path(text).expanduser()
        return self.default_model if self.default_model is not None and self.default_model.exists() else None

    @Slot()
    def check_adapter(self) -> bool:
        """Check the chosen adapter against the model; the note says what was found. True: usable
        (or none chosen)."""
        from copilot.core.models.gguf_header import ModelFileError

        text = self.adapter_path.text().strip()
        if not text:
            self.adapter_note.setText(self.tr("No adapter: the model answers as released."))
            return True
        model = self.adapter_model()
        if model is None:
            self.adapter_note.setText(self.tr("Choose the model first: the adapter is checked against it."))
            return False
        from copilot.core.models.adapter import check_adapter

        try:
            info = check_adapter(Path(text).expanduser(), model)
        except (ModelFileError, OSError) as exc:
            self.adapter_note.setText(str(exc))
            return False
        self.adapter_note.setText(self.tr("A LoRA adapter for {0}: rank {1}, {2} matrices adapted, {3} MB.").format(
            info.architecture, info.rank, len(info.targets), f"{info.nbytes / 1e6:.1f}"))
        return True

    @Slot()
    def _browse_adapter(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a LoRA adapter"), "",
                                              self.tr("GGUF adapters (*.gguf)"))
        if path:
            self.adapter_path.setText(path)
            self.check_adapter()

    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a model"), "", self.tr("GGUF models (*.gguf)"))
        if path:
            self.model_path.setText(path)

    def settings(self) -> Settings:
        edited = replace(
            self._settings, model_path=self.model_path.text().strip(), n_threads=self.threads.value(),
            n_gpu_layers=self.gpu_layers.value(), n_ctx=self.n_ctx.value(), flash_attn=self.flash_attn.isChecked(),
            kv_type=self.kv_type.currentData(), reasoning_effort=self.effort.currentData(), hotkey=self.hotkey_value(),
            theme=self.theme.currentData(), ui_language=self.ui_language.currentData(),
            history_retention=self.retention.currentData(), unload_after_minutes=self.unload.value(),
            start_at_login=self.start_at_login.isChecked(), backend=self.backend.currentData(),
            server_url=self.server_url.text().strip(), server_model=self.server_model.currentText().strip(),
            server_ca_bundle=self.ca_bundle.text().strip(), server_fallback=self.fallback.isChecked(),
            local_only=self.local_only.isChecked(), asr_model_path=self.asr_model.text().strip(),
            asr_language=self.asr_language.currentData(), keep_recordings=self.keep_recordings.isChecked(),
            adapter_path=self.adapter_path.text().strip(), adapter_scale=float(self.adapter_scale.value()))
        # what the policy fixes stays as loaded (the policy's value), whatever a widget says
        return replace(edited, **{k: getattr(self._settings, k) for k in self.managed if k in WIDGETS})

