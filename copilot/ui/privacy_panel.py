"""Settings ▸ Privacy: the network audit (copilot.core.netaudit), live.

Shows every outbound connection attempt since the app started (time, destination, purpose,
whether privacy mode blocked it), or "No connections since the app started". Only
destinations are ever recorded, never the user's text.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from copilot.core import netaudit


class PrivacyPanel(QWidget):
    # The audit calls its listeners on whatever thread connected (a download worker, llama.cpp's
    # loader…): the record crosses to the GUI thread through this queued signal.
    sig_record = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Network activity"))
        self.heading = QLabel(self.tr("<b>Network activity</b>"), self)
        self.heading.setAccessibleName(self.tr("Network activity"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Summary of the connections"))
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.explanation = QLabel(self.tr(
            "Every connection this app tries to open to another computer is listed here: when, where to, and "
            "why (a model download, your team server, or unexpected). Only destinations are recorded, never "
            "your text. Connections inside this computer (for example to the screen or to a server on "
            "localhost) are not listed. In privacy mode an unexpected connection is blocked before it is made."),
            self)
        self.explanation.setWordWrap(True)
        self.explanation.setAccessibleName(self.tr("What is recorded"))
        self.table = QTableWidget(0, 4, self)
        self.table.setAccessibleName(self.tr("Connections since the app started"))
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Destination"), self.tr("Purpose"),
                                              self.tr("Blocked")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.explanation)

        self.sig_record.connect(self.on_record, Qt.QueuedConnection)
        self._remove_listener = netaudit.add_listener(self.sig_record.emit)
        self.destroyed.connect(lambda *_args, remove=self._remove_listener: remove())
        self.refresh()

    def closeEvent(self, event) -> None:
        self._remove_listener()
        super().closeEvent(event)

    @Slot()
    def refresh(self) -> None:
        """Everything the audit holds now (a record that arrives meanwhile comes through the signal)."""
        records = netaudit.snapshot()
        self.table.setRowCount(0)
        for record in records:
            self._add_row(record)
        self._update_summary()

    @Slot(object)
    def on_record(self, record: dict) -> None:
        self._add_row(record)
        self._update_summary()

    def _add_row(self, record: dict) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        destination = record["host"] if record.get("port") is None else f"{record['host']}:{record['port']}"
        cells = (self._time(record["time"]), destination, self._purpose(record["purpose"]),
                 self.tr("Blocked") if record["blocked"] else self.tr("No"))
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(record["time"] if column == 0 else text)
            self.table.setItem(row, column, item)

    def _update_summary(self) -> None:
        records = netaudit.snapshot()
        if not records:
            self.summary.setText(self.tr("No connections since the app started."))
            return
        blocked = sum(1 for r in records if r["blocked"])
        unexpected = sum(1 for r in records if r["purpose"] == netaudit.UNEXPECTED)
        hosts = sorted({r["host"] for r in records})
        text = (self.tr("1 connection attempt since the app started, to: {0}.").format(", ".join(hosts))
                if len(records) == 1 else
                self.tr("{0} connection attempts since the app started, to: {1}.").format(len(records),
                                                                                           ", ".join(hosts)))
        if unexpected:
            text += " " + self.tr("Unexpected: {0}.").format(unexpected)
        if blocked:
            text += " " + self.tr("Blocked by privacy mode: {0}.").format(blocked)
        self.summary.setText(text)

    def _purpose(self, purpose: str) -> str:
        return {netaudit.MODEL_DOWNLOAD: self.tr("Model download"), netaudit.TEAM_SERVER: self.tr("Team server"),
                netaudit.UNEXPECTED: self.tr("Unexpected")}.get(purpose, purpose)

    @staticmethod
    def _time(iso: str) -> str:
        try:  # the user's local time; the record keeps UTC
            return datetime.fromisoformat(iso).astimezone().strftime("%H:%M:%S")
        except ValueError:
            return iso
