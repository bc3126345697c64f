"""The minutes' action items as tasks: previewed, fixed by the user, then saved as an .ics file
(one VTODO each), opened in the calendar app, or copied as a Markdown checklist or plain text.

Due dates are resolved against the meeting's date, which the user confirms here (the pane
suggests the date stated in the notes, else the file's or the recording's date). A date that
could not be resolved, or that has two readings, is marked; the user types the right one
(YYYY-MM-DD) or leaves it empty (no DUE).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Slot
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDateEdit, QDialog, QHBoxLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from copilot.core import ics
from copilot.ui import calendar_file

_COLUMNS = ("task", "owner", "email", "due_text", "due")
_UNSURE = QColor(255, 214, 102, 110)


class TasksDialog(calendar_file.CalendarFileActions, QDialog):
    file_name = "tasks.ics"

    def __init__(self, minutes: str, meeting_date: date | None, *, lines=None, people=(),
                 meeting: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Action items as tasks"))
        self.resize(860, 420)
        self.minutes, self.lines, self.people, self.meeting = minutes, lines, list(people), meeting
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName(self.tr("Meeting date"))
        self.date.setToolTip(self.tr("Due dates such as \u201cFriday\u201d or \u201cend of month\u201d count "
                                     "from this day"))
        day = meeting_date or date.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.date.dateChanged.connect(self.resolve)
        date_label = QLabel(self.tr("&Meeting date:"), self)
        date_label.setBuddy(self.date)
        self.date_hint = QLabel(self)
        self.date_hint.setWordWrap(True)
        if meeting_date is None:
            self.date_hint.setText(self.tr("The notes do not say when the meeting was: confirm its date."))

        self.table = QTableWidget(0, len(_COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr("Task"), self.tr("Owner"), self.tr("Address"),
                                              self.tr("Due, as said"), self.tr("Due date")])
        self.table.setAccessibleName(self.tr("Tasks"))
        self.table.setAccessibleDescription(self.tr("One row per action item; every cell can be edited. "
                                                    "Due dates are written YYYY-MM-DD."))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._update_status)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("What to check"))

        self.save_button = QPushButton(self.tr("&Save .ics…"), self)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(self.tr("Save the tasks as a calendar file (Ctrl+S)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_dialog)
        self.open_button = QPushButton(self.tr("&Open in calendar app"), self)
        self.open_button.clicked.connect(self.open_in_calendar)
        self.checklist_button = QPushButton(self.tr("Copy &checklist"), self)
        self.checklist_button.setToolTip(self.tr("Copy as a Markdown task list (- [ ] …) for Obsidian, Notion "
                                                 "or GitHub"))
        self.checklist_button.clicked.connect(self.copy_checklist)
        self.text_button = QPushButton(self.tr("Copy as &text"), self)
        self.text_button.clicked.connect(self.copy_text)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(date_label)
        top.addWidget(self.date)
        top.addWidget(self.date_hint, 1)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.open_button, self.checklist_button, self.text_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._notes: list[str] = []
        self.resolve()

    # -- the tasks ------------------------------------------------------------------------------
    def meeting_date(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    @Slot()
    def resolve(self) -> None:
        """(Re)read the tasks from the minutes with due dates counted from the meeting date."""
        found = ics.tasks_from_minutes(self.minutes, self.meeting_date(), lines=self.lines, people=self.people)
        self.table.blockSignals(True)
        self.table.setRowCount(len(found))
        self._notes = []
        self._evidence = []
        for row, task in enumerate(found):
            values = (task.summary, task.owner, task.email, task.due_text,
                      task.due.isoformat() if task.due else "")
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if task.due_note and col in (3, 4):
                    item.setBackground(_UNSURE)
                    item.setToolTip(task.due_note)
                elif task.problems and col == 0:
                    item.setToolTip(self.tr("Not verified against the transcript: {0}").format(
                        "; ".join(task.problems)))
                elif col == 0 and task.evidence:
                    item.setToolTip("\n".join(task.evidence))
                self.table.setItem(row, col, item)
            self._notes.append(task.due_note)
            self._evidence.append((task.evidence, task.problems))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.blockSignals(False)
        self._update_status()

    def tasks(self) -> list[ics.Task]:
        """The tasks as the table now says; raises ValueError for a due date that is not a date."""
        out = []
        for row in range(self.table.rowCount()):
            cell = [(self.table.item(row, c).text().strip() if self.table.item(row, c) else "")
                    for c in range(len(_COLUMNS))]
            summary, owner, addr, due_text, due = cell
            if not summary:
                continue
            try:
                day = date.fromisoformat(due) if due else None
            except ValueError:
                raise ValueError(self.tr("Row {0}: \u201c{1}\u201d is not a date; write it as YYYY-MM-DD, or leave "
                                         "it empty for no due date.").format(row + 1, due)) from None
            evidence, problems = self._evidence[row] if row < len(self._evidence) else ((), ())
            note = self._notes[row] if row < len(self._notes) and day is None and due_text else ""
            out.append(replace(ics.Task(summary), owner=owner, email=addr if "@" in addr else "", due=day,
                               due_text=due_text, due_note=note, evidence=evidence, problems=problems))
        return out

    @Slot()
    def _update_status(self) -> None:
        rows = self.table.rowCount()
        if not rows:
            self.status.setText(self.tr("The minutes' Action items section lists no tasks."))
            for b in (self.save_button, self.open_button, self.checklist_button, self.text_button):
                b.setEnabled(False)
            return
        unsure = [n for n in self._notes if n]
        missing = sum(1 for r in range(rows) if self.table.item(r, 3) and self.table.item(r, 3).text().strip()
                      and not (self.table.item(r, 4) and self.table.item(r, 4).text().strip()))
        parts = [self.tr("%n task(s).", "", rows)]
        if missing:
            parts.append(self.tr("%n due date(s) could not be worked out: type them (YYYY-MM-DD) or leave them "
                                 "empty, and those tasks get no due date.", "", missing))
        elif unsure:
            parts.append(self.tr("Check the marked dates: hover them to see why."))
        self.status.setText(" ".join(parts))

    # -- output ---------------------------------------------------------------------------------
    def _ics(self) -> bytes | None:
        try:
            return ics.tasks_ics(self.tasks(), meeting_date=self.meeting_date(), meeting=self.meeting)
        except ValueError as exc:
            self.status.setText(str(exc))
            return None

    def save_title(self) -> str:
        return self.tr("Save the tasks")

    @Slot()
    def copy_checklist(self) -> None:
        self._copy(ics.tasks_checklist)

    @Slot()
    def copy_text(self) -> None:
        self._copy(ics.tasks_text)

    def _copy(self, render) -> None:
        try:
            QGuiApplication.clipboard().setText(render(self.tasks()))
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Copied."))
