"""History: past runs of every pane, searchable; reopen one into its pane, or delete it."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
                               QPlainTextEdit, QPushButton, QSplitter, QVBoxLayout, QWidget)

from copilot.core.store import HistoryEntry, Store


class HistoryPane(QWidget):
    sig_reopen = Signal(object)  # HistoryEntry

    def __init__(self, store: Store, pane_names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.pane_names = pane_names
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search history"))
        self.search.setAccessibleName(self.tr("Search history"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self.filter = QComboBox(self)
        self.filter.addItem(self.tr("All panes"), "")
        for key, name in pane_names.items():
            self.filter.addItem(name, key)
        self.filter.setAccessibleName(self.tr("Show history of"))
        self.filter.currentIndexChanged.connect(self.refresh)

        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Past runs"))
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemActivated.connect(lambda _item: self.reopen())
        self.preview = QPlainTextEdit(self)
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Selected run"))
        self.reopen_button = QPushButton(self.tr("&Reopen"), self)
        self.reopen_button.setAccessibleName(self.tr("Reopen in its pane"))
        self.reopen_button.clicked.connect(self.reopen)
        self.delete_button = QPushButton(self.tr("&Delete"), self)
        self.delete_button.setAccessibleName(self.tr("Delete this run"))
        self.delete_button.clicked.connect(lambda: self.delete())

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.reopen_button)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.addWidget(self.preview, 1)
        rv.addLayout(buttons)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        current = self.current_entry()
        self.list.clear()
        for entry in self.store.history(self.filter.currentData() or None, self.search.text()):
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.created))
            item = QListWidgetItem(f"{self.pane_names.get(entry.pane, entry.pane)} · {when}\n{entry.title}")
            item.setData(Qt.UserRole, entry)
            self.list.addItem(item)
            if current is not None and entry.id == current.id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def current_entry(self) -> HistoryEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    @Slot()
    def _on_current(self) -> None:
        entry = self.current_entry()
        self.preview.setPlainText(f"{entry.input}\n\n──────────\n\n{entry.output}" if entry else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.current_entry() is not None
        self.reopen_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    @Slot()
    def reopen(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.sig_reopen.emit(entry)

    @Slot()
    def delete(self, confirm: bool = True) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        if confirm and QMessageBox.question(
                self, self.tr("Delete"), self.tr("Delete this run from the history? This cannot be undone.")
        ) != QMessageBox.Yes:
            return
        row = self.list.currentRow()
        self.store.delete(entry.id)
        self.refresh()
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))
