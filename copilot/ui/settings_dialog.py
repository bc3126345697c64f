"""Settings dialog over core.settings.Settings: edits a copy, returns it on OK."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from copilot.core.settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings

        self.model_path = QLineEdit(settings.model_path, self)
        self.model_path.setPlaceholderText(self.tr("gpt-oss-20b in the app's models folder"))
        self.model_path.setAccessibleName(self.tr("Model file"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.setAccessibleName(self.tr("Choose a model file"))
        browse.clicked.connect(self._browse)
        model_row = QWidget(self)  # a widget, not a layout: the row's label needs a buddy for its mnemonic
        model_layout = QHBoxLayout(model_row)
        model_layout.setContentsMargins(0, 0, 0, 0)
        model_layout.addWidget(self.model_path, 1)
        model_layout.addWidget(browse)

        self.threads = self._spin(0, 256, settings.n_threads, self.tr("CPU threads"), self.tr("Automatic"))
        self.gpu_layers = self._spin(-1, 999, settings.n_gpu_layers, self.tr("GPU layers"), self.tr("All"))
        self.n_ctx = self._spin(2048, 131072, settings.n_ctx, self.tr("Context size"))
        self.n_ctx.setSingleStep(2048)
        self.flash_attn = QCheckBox(self.tr("Use flash attention"), self)
        self.flash_attn.setChecked(settings.flash_attn)
        self.effort = self._combo((("", self.tr("Per task (recommended)")), ("low", self.tr("Low")),
                                   ("medium", self.tr("Medium")), ("high", self.tr("High"))),
                                  settings.reasoning_effort, self.tr("Default reasoning effort"))
        self.hotkey = QLineEdit(settings.hotkey, self)
        self.hotkey.setAccessibleName(self.tr("Global hotkey"))
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

        form = QFormLayout()
        form.addRow(self.tr("&Model:"), model_row)
        form.labelForField(model_row).setBuddy(self.model_path)
        form.addRow(self.tr("&Threads:"), self.threads)
        form.addRow(self.tr("&GPU layers:"), self.gpu_layers)
        form.addRow(self.tr("&Context:"), self.n_ctx)
        form.addRow("", self.flash_attn)
        form.addRow(self.tr("&Reasoning:"), self.effort)
        form.addRow(self.tr("&Hotkey:"), self.hotkey)
        form.addRow(self.tr("Th&eme:"), self.theme)
        form.addRow(self.tr("&Language:"), self.ui_language)
        form.addRow(self.tr("Hi&story:"), self.retention)
        form.addRow(self.tr("&Unload model:"), self.unload)
        form.addRow("", self.start_at_login)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

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

    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a model"), "", self.tr("GGUF models (*.gguf)"))
        if path:
            self.model_path.setText(path)

    def settings(self) -> Settings:
        return replace(
            self._settings, model_path=self.model_path.text().strip(), n_threads=self.threads.value(),
            n_gpu_layers=self.gpu_layers.value(), n_ctx=self.n_ctx.value(), flash_attn=self.flash_attn.isChecked(),
            reasoning_effort=self.effort.currentData(), hotkey=self.hotkey.text().strip() or self._settings.hotkey,
            theme=self.theme.currentData(), ui_language=self.ui_language.currentData(),
            history_retention=self.retention.currentData(), unload_after_minutes=self.unload.value(),
            start_at_login=self.start_at_login.isChecked())
