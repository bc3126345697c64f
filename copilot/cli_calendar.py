"""`private-copilot tasks`, and the calendar files `summarize --ics` and `reply --invite` write.

No model runs here: the minutes (written by the app or by hand in its format) are read as
they are, their action items resolved against the meeting's date.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 4


class CalendarCliError(Exception):
    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def file_date(path: str | os.PathLike | None) -> date | None:
    if not path:
        return None
    try:
        return datetime.fromtimestamp(Path(path).stat().st_mtime).date()
    except OSError:
        return None


def meeting_date(explicit, text: str, path, stderr: TextIO) -> date:
    """--meeting-date, else the date the text states, else the file's date, else today; the
    last two are said on stderr so the user can correct them."""
    from copilot.core.dates import meeting_date_in_text

    if explicit is not None:
        return explicit.date() if isinstance(explicit, datetime) else explicit
    stated = meeting_date_in_text(text)
    if stated is not None:
        return stated
    day, where = file_date(path), "the file's date"
    if day is None:
        day, where = date.today(), "today"
    print(f"private-copilot: due dates count from {day.isoformat()} ({where}); pass --meeting-date YYYY-MM-DD "
          "if the meeting was another day.", file=stderr)
    return day


def write_atomic(path: Path, data: bytes) -> None:
    from copilot.core.exports import write_atomically

    try:
        write_atomically(path, data)
    except OSError as exc:
        raise CalendarCliError(f"could not write {path}: {exc.strerror or exc}", EXIT_INPUT) from None


def report_dates(tasks, stderr: TextIO) -> None:
    """Each task whose due date is uncertain or missing, one line each, on stderr."""
    unsure = [t for t in tasks if t.due_note]
    if not unsure:
        return
    print(f"private-copilot: {len(unsure)} due date{'s' if len(unsure) != 1 else ''} to check:", file=stderr)
    for t in unsure:
        print(f"  {t.summary}\t{t.due_text}\t{t.due_note}", file=stderr)


def write_tasks_ics(tasks, path: Path, day: date, stderr: TextIO, *, meeting: str = "") -> None:
    from copilot.core import ics

    if not tasks:
        raise CalendarCliError("the minutes list no action items: no .ics was written.")
    write_atomic(path, ics.tasks_ics(tasks, meeting_date=day, meeting=meeting))
    print(f"private-copilot: {len(tasks)} task{'s' if len(tasks) != 1 else ''} written to {path}", file=stderr)


def run_tasks(args, stdout: TextIO, stderr: TextIO) -> int:
    """`tasks MINUTES.md`: the action items as text (default), a Markdown checklist, JSON or .ics."""
    from copilot.core import ics

    path = Path(args.minutes)
    try:
        minutes = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CalendarCliError(f"{path}: no such file.") from None
    except UnicodeDecodeError:
        raise CalendarCliError(f"{path}: not a text file (minutes are Markdown, .md or .txt).") from None
    except OSError as exc:
        raise CalendarCliError(f"{path}: {exc.strerror or exc}") from None
    day = meeting_date(args.meeting_date, minutes, path, stderr)
    try:
        tasks = ics.tasks_from_minutes(minutes, day)
    except ics.CalendarError as exc:
        raise CalendarCliError(f"{path.name}: {exc}") from None
    if args.ics:
        write_tasks_ics(tasks, Path(args.ics), day, stderr, meeting=f"the meeting of {day.isoformat()}")
    if args.json:
        json.dump([t.as_dict() for t in tasks], stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
    elif args.checklist:
        stdout.write(ics.tasks_checklist(tasks))
    elif not args.ics:
        stdout.write(ics.tasks_text(tasks) or "No action items.\n")
    report_dates(tasks, stderr)
    return EXIT_OK


def write_invitation(thread, reply: str, points: str, path: Path, stderr: TextIO) -> int:
    """`reply --invite`: the meeting the reply accepts (or the thread proposes) as an .ics."""
    from copilot.core import ics

    inv = ics.invitation_from_thread(thread, reply)
    if inv is None:
        print("private-copilot: neither the reply nor the email gives a day and a time for a meeting: no "
              "invitation was written.", file=stderr)
        return EXIT_INPUT
    write_atomic(path, ics.invitation_ics(inv))
    print(f"private-copilot: invitation for {inv.start:%Y-%m-%d %H:%M} ({inv.zone or inv.start.strftime('%z')}, "
          f"{inv.minutes} min) written to {path}", file=stderr)
    for note in inv.notes:
        print(f"  {note}", file=stderr)
    for f in ics.check_invitation(inv, thread, points):
        print(f"  {f.kind}\t{f.text}\t{f.reason}", file=stderr)
    return EXIT_OK
