"""Email reply pane: paste a thread or open an .eml, say what to answer, get an editable draft."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLineEdit,
                               QPlainTextEdit, QPushButton, QWidget)

from copilot.core import jobs
from copilot.core.language import LANGUAGE_NAMES
from copilot.core.tasks import TaskPrompt
from copilot.core.tasks.email import email_reply_prompt, reply_subject
from copilot.ui.panes.base import Job, TaskPane
from copilot.ui.panes.files import FileDropMixin

if TYPE_CHECKING:  # the email and document parsers load on first use: they cost start-up time
    import email.message

    from copilot.core.documents import EmailThread


class EmailPane(FileDropMixin, TaskPane):
    key = "email"
    input_key = "thread"
    default_effort = "medium"
    markdown_output = False  # an email draft is plain text
    file_suffixes = (".eml", ".txt")

    def __init__(self, runner, parent: QWidget | None = None) -> None:
        super().__init__(runner, parent)
        self._file_thread: "EmailThread | None" = None
        self._file_text = ""
        # the last run's request, check and echo text: what Continue carries on from
        self._last_run: tuple[TaskPrompt, jobs.CheckSpec, str] | None = None

        self.thread_edit = QPlainTextEdit(self)
        self.thread_edit.setPlaceholderText(self.tr("Paste the email or the whole thread here, "
                                                    "or open or drop an .eml file."))
        self.thread_edit.setAccessibleName(self.tr("Email to reply to"))
        self.thread_edit.textChanged.connect(self._on_thread_edited)
        open_button = QPushButton(self.tr("Open .eml…"), self)
        open_button.setAccessibleName(self.tr("Open an email file"))
        open_button.clicked.connect(self.open_file_dialog)

        self.intents = QButtonGroup(self)
        self.intents.setExclusive(False)
        chips = QHBoxLayout()
        for key, label in (("accept", self.tr("Accept")), ("decline", self.tr("Decline")),
                           ("ask_for_time", self.tr("Ask for time")), ("thank", self.tr("Thank")),
                           ("follow_up", self.tr("Follow up"))):
            chip = QPushButton(label, self)
            chip.setCheckable(True)
            chip.setProperty("intent", key)
            chip.setAccessibleName(self.tr("Intent: {0}").format(label))
            chip.toggled.connect(self._on_chip_toggled)
            self.intents.addButton(chip)
            chips.addWidget(chip)
        chips.addStretch(1)

        self.points = QPlainTextEdit(self)
        self.points.setPlaceholderText(self.tr("What do you want to say? A few words or points, in any language."))
        self.points.setAccessibleName(self.tr("Your points"))
        self.points.setMaximumHeight(90)
        self.points.textChanged.connect(self.sig_draft_changed)

        self.tone = self._combo(self.tr("Tone"), (("neutral", self.tr("Neutral")), ("friendly", self.tr("Friendly")),
                                                  ("formal", self.tr("Formal")), ("direct", self.tr("Direct"))))
        self.length = self._combo(self.tr("Length"), (("short", self.tr("Short")), ("medium", self.tr("Medium")),
                                                      ("long", self.tr("Long"))), current="medium")
        languages = [("", self.tr("Same as the email"))] + [(code, name) for code, name in LANGUAGE_NAMES.items()]
        self.language = self._combo(self.tr("Language"), languages)
        self.sign_off = QLineEdit(self)
        self.sign_off.setPlaceholderText(self.tr("Your name"))
        self.sign_off.setAccessibleName(self.tr("Sign-off name"))
        self.sign_off.textChanged.connect(self.sig_draft_changed)

        form = QFormLayout()
        form.addRow(self.tr("&Tone:"), self.tone)
        form.addRow(self.tr("&Length:"), self.length)
        form.addRow(self.tr("L&anguage:"), self.language)
        form.addRow(self.tr("&Sign as:"), self.sign_off)

        copy_button = QPushButton(self.tr("Copy"), self)
        copy_button.setAccessibleName(self.tr("Copy the reply"))
        copy_button.clicked.connect(self.output.copy_answer)
        export_button = QPushButton(self.tr("Export…"), self)
        export_button.setAccessibleName(self.tr("Export the reply"))
        export_button.clicked.connect(self.export_dialog)
        mail_button = QPushButton(self.tr("Open in mail app"), self)
        mail_button.setAccessibleName(self.tr("Open the reply in your mail app"))
        mail_button.clicked.connect(self.open_in_mail_client)

        self.invitation = None  # ics.Invitation attached to the reply
        self.invite_button = QPushButton(self.tr("Add &invitation…"), self)
        self.invite_button.setAccessibleName(self.tr("Add a meeting invitation to the reply"))
        self.invite_button.setToolTip(self.tr("The meeting the reply accepts or the email proposes, as a calendar "
                                              "invitation: preview it, save it as .ics, or send it with the reply"))
        self.invite_button.clicked.connect(self.invitation_dialog)

        self.build_columns(self.tr("Email"), open_button, [self.thread_edit, chips, self.points, form],
                           (copy_button, export_button, mail_button, self.invite_button))
        self.enable_drops()

    def _combo(self, name: str, items, current: str | None = None) -> QComboBox:
        box = QComboBox(self)
        for value, label in items:
            box.addItem(label, value)
        if current is not None:
            box.setCurrentIndex(box.findData(current))
        box.setAccessibleName(name)
        box.currentIndexChanged.connect(self.sig_draft_changed)
        return box

    # -- inputs ----------------------------------------------------------------------------
    @Slot(bool)
    def _on_chip_toggled(self, checked: bool) -> None:
        if checked:  # one intent at a time, but none is fine too
            for chip in self.intents.buttons():
                if chip is not self.sender() and chip.isChecked():
                    chip.setChecked(False)
        self.sig_draft_changed.emit()

    def intent(self) -> str | None:
        for chip in self.intents.buttons():
            if chip.isChecked():
                return chip.property("intent")
        return None

    @Slot()
    def _on_thread_edited(self) -> None:
        if self._file_thread is not None and self.thread_edit.toPlainText() != self._file_text:
            self._file_thread = None  # the user changed the text: it is no longer the file's thread
        if self.invitation is not None and not self.thread_edit.toPlainText().strip():
            self.set_invitation(None)  # a new email: the old meeting does not belong to it
        self.sig_draft_changed.emit()

    def open_document(self, path: Path) -> None:
        from copilot.core.documents import load_email

        thread = load_email(path)
        self._file_text = _render_thread(thread)
        self._file_thread = thread
        self.thread_edit.setPlainText(self._file_text)

    def thread(self) -> "EmailThread":
        if self._file_thread is not None:
            return self._file_thread
        text = self.thread_edit.toPlainText()
        if not text.strip():
            raise ValueError(self.tr("There is no email to reply to: paste it, or open an .eml file."))
        from copilot.core.documents import parse_email_text

        return parse_email_text(text)

    def focus_input(self) -> None:
        self.thread_edit.setFocus()

    def input_text(self) -> str:
        return self.thread_edit.toPlainText()

    def title(self) -> str:
        try:
            subject = self.thread().subject
        except ValueError:
            subject = ""
        return subject or super().title()

    def make_job(self) -> Job:
        thread = self.thread()
        points = self.points.toPlainText()
        language = self.language.currentData() or None
        prompt = email_reply_prompt(
            thread, points=points, intent=self.intent(),
            tone=self.tone.currentData(), length=self.length.currentData(), sign_off=self.sign_off.text(),
            language=language, effort=self.effort.currentData())
        check = jobs.CheckSpec.for_reply(thread, points, language)
        echo = thread.latest.body
        self._last_run = (prompt, check, echo)
        return lambda engine: jobs.run_prompt(engine, prompt, source="", echo_of=echo, check=check)

    def continue_job(self, answer: str) -> Job | None:
        if self._last_run is None:
            return None
        prompt, check, echo = self._last_run
        more = jobs.continue_prompt(prompt, answer)
        return lambda engine: jobs.run_prompt(engine, more, source="", echo_of=echo, check=check, prefix=answer)

    # -- drafts ----------------------------------------------------------------------------
    def draft_state(self) -> dict[str, Any]:
        return {**super().draft_state(), "thread": self.thread_edit.toPlainText(),
                "points": self.points.toPlainText(), "intent": self.intent(), "tone": self.tone.currentData(),
                "length": self.length.currentData(), "language": self.language.currentData(),
                "sign_off": self.sign_off.text(),
                "invitation": self.invitation.as_dict() if self.invitation is not None else None}

    def restore_draft(self, state: dict[str, Any]) -> None:
        super().restore_draft(state)
        self.thread_edit.setPlainText(state.get("thread", ""))
        self.points.setPlainText(state.get("points", ""))
        for chip in self.intents.buttons():
            chip.setChecked(chip.property("intent") == state.get("intent"))
        for box, key in ((self.tone, "tone"), (self.length, "length"), (self.language, "language")):
            index = box.findData(state.get(key))
            if index >= 0:
                box.setCurrentIndex(index)
        self.sign_off.setText(state.get("sign_off", ""))
        from copilot.core import ics

        self.set_invitation(ics.Invitation.from_dict(state["invitation"]) if state.get("invitation") else None,
                            quiet=True)

    # -- output ----------------------------------------------------------------------------
    def reply_message(self) -> "email.message.EmailMessage":
        import email.message
        import email.policy

        msg = email.message.EmailMessage(policy=email.policy.SMTP)
        try:
            thread = self.thread()
            msg["To"] = thread.latest.sender
            msg["Subject"] = reply_subject(thread)
        except ValueError:
            msg["Subject"] = "Re:"
        msg.set_content(self.output.answer_text())
        if self.invitation is not None:
            from copilot.core import ics

            msg = ics.attach_invitation(msg, ics.invitation_ics(self.invitation))
        return msg

    # -- the invitation ----------------------------------------------------------------------
    def on_answer_finished(self) -> None:
        """A reply that agrees on a meeting: say that the invitation is one click away."""
        if self.invitation is not None or not self.message.isHidden():
            return
        from copilot.core import ics

        try:
            found = ics.invitation_from_thread(self.thread(), self.output.answer_text())
        except ValueError:
            return
        if found is not None:
            self.show_message(self.tr("This reply agrees on a meeting ({0}): Add invitation… prepares the calendar "
                                      "invitation.").format(found.start.strftime("%Y-%m-%d %H:%M")), error=False)

    @Slot()
    def invitation_dialog(self) -> None:
        from copilot.core import ics
        from copilot.ui.invitation_dialog import InvitationDialog

        try:
            thread = self.thread()
        except ValueError as exc:
            self.show_message(str(exc))
            return
        inv = self.invitation or ics.invitation_from_thread(thread, self.output.answer_text())
        if inv is None:
            inv = ics.blank_invitation(thread)
        dialog = InvitationDialog(inv, thread, points=self.points.toPlainText(), parent=self,
                                  attached=self.invitation is not None)
        dialog.sig_attach.connect(self.set_invitation)
        self._invitation_dialog = dialog
        dialog.open()

    @Slot(object)
    def set_invitation(self, invitation, quiet: bool = False) -> None:
        self.invitation = invitation
        if invitation is None:
            self.invite_button.setText(self.tr("Add &invitation…"))
            self.invite_button.setToolTip(self.tr("The meeting the reply accepts or the email proposes, as a "
                                                  "calendar invitation: preview it, save it as .ics, or send it "
                                                  "with the reply"))
        else:
            when = invitation.start.strftime("%Y-%m-%d %H:%M")
            self.invite_button.setText(self.tr("E&dit invitation…"))
            self.invite_button.setToolTip(self.tr("The reply carries an invitation for {0}; the exported .eml "
                                                  "lets the other side Accept or Decline it").format(when))
            if not quiet:
                self.show_message(self.tr("The invitation ({0}) goes with the reply: use Export… to save the .eml "
                                          "(a mail app opened with a link gets the text only).").format(when),
                                  error=False)
        if not quiet:
            self.sig_draft_changed.emit()

    @Slot()
    def export_dialog(self) -> None:
        if not self.output.answer_text().strip():
            self.show_message(self.tr("There is no reply to export yet."))
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the reply"), "reply.eml",
                                              self.tr("Email (*.eml);;Text (*.txt)"))
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        data = (bytes(self.reply_message()) if path.suffix.lower() == ".eml"
                else self.output.answer_text().encode("utf-8"))
        try:
            path.write_bytes(data)
        except OSError as exc:
            self.show_message(self.tr("Could not save {0}: {1}").format(path.name, exc.strerror or exc))

    def mailto_url(self) -> QUrl:
        msg = self.reply_message()
        import email.utils

        to = email.utils.parseaddr(msg["To"] or "")[1]
        query = f"subject={quote(str(msg['Subject']))}&body={quote(self.output.answer_text())}"
        return QUrl(f"mailto:{quote(to, safe='@')}?{query}")

    @Slot()
    def open_in_mail_client(self) -> None:
        if not self.output.answer_text().strip():
            self.show_message(self.tr("There is no reply to send yet."))
            return
        if not QDesktopServices.openUrl(self.mailto_url()):
            QGuiApplication.clipboard().setText(self.output.answer_text())
            self.show_message(self.tr("No mail app answered; the reply was copied instead."), error=False)


def _render_thread(thread: "EmailThread") -> str:
    latest = thread.latest
    head = "\n".join(f"{k}: {v}" for k, v in (("From", latest.sender), ("Subject", latest.subject),
                                                 ("Date", latest.date)) if v)
    text = f"{head}\n\n{latest.body}" if head else latest.body
    context = thread.context_text()
    return f"{text}\n\n---- Earlier in the thread ----\n\n{context}" if context else text
