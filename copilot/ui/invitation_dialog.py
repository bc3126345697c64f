"""Add invitation: the meeting the reply accepts (or the thread proposes), previewed and editable
before it is saved as an .ics file, opened in the calendar app, or attached to the reply.

The date and time go through the commitment check, like the reply: a time the thread and the
user's points do not support is said in the dialog, above the buttons.
"""

from __future__ import annotations

import email.utils
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import QDate, QDateTime, QTime, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from copilot.core import ics
from copilot.ui import calendar_file


def _people_text(people) -> str:
    return "\n".join(email.utils.formataddr((n, a)) if n else a for n, a in people)


def _parse_people(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for line in text.replace(";", "\n").replace(",", "\n").split("\n"):
        name, addr = email.utils.parseaddr(line.strip())
        if "@" in addr:
            out.append((name, addr.lower()))
    return tuple(dict.fromkeys(out))


class InvitationDialog(calendar_file.CalendarFileActions, QDialog):
    file_name = "invitation.ics"

    sig_attach = Signal(object)  # the Invitation to send with the reply

    def __init__(self, invitation: ics.Invitation, thread, *, points: str = "",
                 parent: QWidget | None = None, attached: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Invitation"))
        self.thread, self.points, self.original = thread, points, invitation
        self.title = QLineEdit(invitation.title, self)
        self.title.setAccessibleName(self.tr("Title"))
        self.zone = QComboBox(self)
        self.zone.setEditable(True)
        self.zone.setAccessibleName(self.tr("Time zone"))
        zones = sorted(available_timezones())
        self.zone.addItem(self.tr("UTC offset of the email (%1)").replace("%1", _offset(invitation.start)), "")
        for z in zones:
            self.zone.addItem(z, z)
        index = self.zone.findData(invitation.zone) if invitation.zone else 0
        self.zone.setCurrentIndex(max(index, 0))
        self.when = QDateTimeEdit(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setAccessibleName(self.tr("Start"))
        s = invitation.start
        self.when.setDateTime(QDateTime(QDate(s.year, s.month, s.day), QTime(s.hour, s.minute)))
        self.length = QSpinBox(self)
        self.length.setRange(5, 24 * 60)
        self.length.setSingleStep(15)
        self.length.setSuffix(self.tr(" min"))
        self.length.setValue(invitation.minutes)
        self.length.setAccessibleName(self.tr("Length in minutes"))
        self.location = QLineEdit(invitation.location, self)
        self.location.setAccessibleName(self.tr("Location or meeting link"))
        self.organizer = QLineEdit(_people_text([invitation.organizer]) if invitation.organizer else "", self)
        self.organizer.setAccessibleName(self.tr("Your address (organizer)"))
        self.organizer.setPlaceholderText("Name <you@example.com>")
        self.attendees = QPlainTextEdit(_people_text(invitation.attendees), self)
        self.attendees.setAccessibleName(self.tr("Attendees"))
        self.attendees.setAccessibleDescription(self.tr("One per line, as: Ana Gómez <ana@example.com>"))
        self.attendees.setPlaceholderText("Ana Gómez <ana@example.com>")
        self.attendees.setMaximumHeight(90)
        form = QFormLayout()
        for label, widget in ((self.tr("T&itle:"), self.title), (self.tr("&Start:"), self.when),
                              (self.tr("&Length:"), self.length), (self.tr("Time &zone:"), self.zone),
                              (self.tr("L&ocation:"), self.location), (self.tr("Your a&ddress:"), self.organizer),
                              (self.tr("&Attendees:"), self.attendees)):
            form.addRow(label, widget)
        self.said = QLabel(self)
        self.said.setWordWrap(True)
        if invitation.said:
            self.said.setText(self.tr("From the email: \u201c{0}\u201d").format(invitation.said))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("What to check"))
        for signal in (self.when.dateTimeChanged, self.zone.currentIndexChanged, self.length.valueChanged):
            signal.connect(self.update_status)
        self.attendees.textChanged.connect(self.update_status)
        self.organizer.textChanged.connect(self.update_status)

        self.attach_button = QPushButton(self.tr("Attac&h to reply"), self)
        self.attach_button.setToolTip(self.tr("The exported .eml reply carries the invitation, so the other side "
                                              "can Accept or Decline it"))
        self.attach_button.setDefault(True)
        self.attach_button.clicked.connect(self.attach)
        self.save_button = QPushButton(self.tr("Sa&ve .ics…"), self)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save_dialog)
        self.open_button = QPushButton(self.tr("Open in &calendar app"), self)
        self.open_button.clicked.connect(self.open_in_calendar)
        self.detach_button = QPushButton(self.tr("&Remove from reply"), self)
        self.detach_button.clicked.connect(self.detach)
        self.detach_button.setVisible(attached)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.attach_button, self.save_button, self.open_button, self.detach_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.said)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.update_status()

    def invitation(self) -> ics.Invitation:
        qdt = self.when.dateTime()
        d, t = qdt.date(), qdt.time()
        naive = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        zone_name = self.zone.currentData() if self.zone.currentIndex() > 0 else ""
        typed = self.zone.currentText().strip()
        if self.zone.currentIndex() < 0 or (typed and self.zone.findText(typed) < 0):
            zone_name = typed  # typed by hand
        if zone_name:
            try:
                start = naive.replace(tzinfo=ZoneInfo(zone_name))
            except (ValueError, KeyError):
                raise ValueError(self.tr("\u201c{0}\u201d is not a time zone: choose one from the list "
                                         "(e.g. Europe/Madrid).").format(zone_name)) from None
        else:
            start = naive.replace(tzinfo=self.original.start.tzinfo)
        organizer = _parse_people(self.organizer.text())
        return replace(self.original, title=self.title.text().strip() or "Meeting", start=start,
                       minutes=self.length.value(), zone=zone_name,
                       organizer=organizer[0] if organizer else None,
                       attendees=_parse_people(self.attendees.toPlainText()),
                       location=self.location.text().strip())

    @Slot()
    def update_status(self) -> None:
        try:
            inv = self.invitation()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        lines = []
        findings = ics.check_invitation(inv, self.thread, self.points)
        if findings:
            lines.append(self.tr("The email does not say this: {0}. Check the date and time.").format(
                "; ".join(f.text for f in findings)))
        if inv.organizer is None:
            lines.append(self.tr("Enter your address as the organizer: calendar apps need it to send the answers "
                                 "back."))
        if not inv.attendees:
            lines.append(self.tr("Add at least one attendee."))
        lines.extend(n for n in self.original.notes if "organizer" not in n and "attendees" not in n)
        self.status.setText("\n".join(lines))
        self.attach_button.setEnabled(inv.organizer is not None and bool(inv.attendees))

    def _ics(self) -> bytes | None:
        try:
            return ics.invitation_ics(self.invitation())
        except ValueError as exc:
            self.status.setText(str(exc))
            return None

    @Slot()
    def attach(self) -> None:
        try:
            inv = self.invitation()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        self.sig_attach.emit(inv)
        self.accept()

    @Slot()
    def detach(self) -> None:
        self.sig_attach.emit(None)
        self.accept()

    def save_title(self) -> str:
        return self.tr("Save the invitation")


def _offset(dt: datetime) -> str:
    off = dt.utcoffset()
    if off is None:
        return "UTC"
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    h, m = divmod(abs(minutes), 60)
    return f"UTC{sign}{h:02d}:{m:02d}"
