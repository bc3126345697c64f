"""History: past runs of every pane, searchable; reopen one into its pane, or delete it.

Under the selected run, its figures (model, backend, effort, tokens, speed, how it ended);
under the list, the totals per day and per backend (core.store.Run: figures, never text)."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMessageBox,
                               QPlainTextEdit, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from copilot.core.store import HistoryEntry, Run, Store


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
        self.figures = QLabel("", self)
        self.figures.setAccessibleName(self.tr("Figures of the selected run"))
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.totals = QTreeWidget(self)
        self.totals.setAccessibleName(self.tr("Totals per day and per backend"))
        self.totals.setHeaderLabels([self.tr("Totals"), self.tr("Runs"), self.tr("Prompt tokens"),
                                     self.tr("Answer tokens"), self.tr("First token"), self.tr("Tokens/s"),
                                     self.tr("Cut"), self.tr("Stopped")])
        self.totals.setMaximumHeight(180)
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
        rv.addWidget(self.figures)
        rv.addLayout(buttons)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.totals)
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
        self.refresh_totals()

    def refresh_totals(self) -> None:
        self.totals.clear()
        try:
            groups = ((self.tr("Per day"), self.store.run_totals("day")),
                      (self.tr("Per backend"), [replace(t, group=self.backend_name(t.group))
                                                for t in self.store.run_totals("backend")]))
        except Exception:  # a store that cannot say must not break the History page
            groups = ()
        for title, rows in groups:
            parent = QTreeWidgetItem([title])
            self.totals.addTopLevelItem(parent)
            for t in rows:
                parent.addChild(QTreeWidgetItem([
                    t.group, str(t.runs), str(t.prompt_tokens), str(t.generated_tokens),
                    self.tr("{0} s").format(self._number(t.mean_time_to_first_token, 2)),
                    self._number(t.mean_tokens_per_second, 1), str(t.cut), str(t.stopped)]))
            parent.setExpanded(True)
        for column in range(self.totals.columnCount()):
            self.totals.resizeColumnToContents(column)

    def backend_name(self, backend: str) -> str:
        return {"local": self.tr("This computer"), "server": self.tr("Server"),
                "fallback": self.tr("This computer, for the server")}.get(backend, backend)

    @staticmethod
    def _number(value: float, decimals: int) -> str:
        return QLocale().toString(float(value), "f", decimals)

    def figures_text(self, run: Run | None) -> str:
        """One line of figures: model · backend · effort · tokens · first token · speed · how it ended."""
        if run is None:
            return self.tr("No figures were recorded for this run.")
        parts = [run.model or self.tr("unknown model"), self.backend_name(run.backend)]
        if run.effort:
            parts.append(self.tr("effort {0}").format(run.effort))
        parts.append(self.tr("{0} prompt + {1} answer tokens").format(run.prompt_tokens, run.generated_tokens))
        parts.append(self.tr("first token after {0} s").format(self._number(run.time_to_first_token, 2)))
        if run.tokens_per_second:
            parts.append(self.tr("{0} tokens/s").format(self._number(run.tokens_per_second, 1)))
        if run.cut:
            parts.append(self.tr("cut at the length limit"))
        elif run.stopped:
            parts.append(self.tr("stopped"))
        elif run.stop_reason == "repetition":
            parts.append(self.tr("stopped: the model repeated itself"))
        return " · ".join(parts)

    def current_entry(self) -> HistoryEntry | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item is not None else None

    @Slot()
    def _on_current(self) -> None:
        entry = self.current_entry()
        self.preview.setPlainText(f"{entry.input}\n\n──────────\n\n{entry.output}" if entry else "")
        run = None
        if entry is not None:
            try:
                run = self.store.run_of(entry.id)
            except Exception:
                run = None
        self.figures.setText(self.figures_text(run) if entry is not None else "")
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
