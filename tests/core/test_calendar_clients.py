"""The .ics files the app writes, imported into real calendar clients in a temporary config:
khal (Debian's `khal`) for invitations, todoman (`todoman`, the same project's task client,
reading the same vdir format) for tasks: khal itself skips VTODOs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from copilot.core import ics
from copilot.core.documents import parse_email_text

KHAL_CONFIG = """[calendars]
[[work]]
path = {cal}
type = calendar
[sqlite]
path = {db}
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = Europe/Madrid
local_timezone = Europe/Madrid
[default]
default_calendar = work
"""


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is needed for this test (Debian: apt install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)  # .ci/run installs it
        pytest.skip(message)
    return path


def _env(tmp_path: Path) -> dict:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("XDG_")}, "HOME": str(tmp_path),
            "TZ": "Europe/Madrid", "LANG": "C.UTF-8"}


THREAD = """From: Ana Gómez <ana@example.com>
To: Me <me@example.com>
Subject: Re: Presupuesto
Date: Mon, 9 Mar 2026 10:15:00 +0100

¿Nos vemos el jueves a las 11:00 en la sala 3B? Será una hora.
"""


def test_khal_imports_the_invitation(tmp_path):
    khal = _need("khal", "khal")
    inv = ics.invitation_from_thread(parse_email_text(THREAD), "Perfecto, el jueves a las 11:00.",
                                     zone="Europe/Madrid")
    assert inv is not None and inv.minutes == 60 and inv.location == "sala 3B"
    path = tmp_path / "invite.ics"
    path.write_bytes(ics.invitation_ics(inv))
    cal, db = tmp_path / "cal" / "work", tmp_path / "db"
    cal.mkdir(parents=True)
    db.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(KHAL_CONFIG.format(cal=cal, db=db / "khal.db"))
    run = lambda *args: subprocess.run([khal, "-c", str(config), *args], capture_output=True, text=True,  # noqa: E731
                                       env=_env(tmp_path), timeout=60)
    r = run("import", "--batch", "-a", "work", str(path))
    assert r.returncode == 0, r.stderr
    assert len(list(cal.glob("*.ics"))) == 1
    r = run("list", "--format", "{start}|{end}|{title}|{location}|{organizer}", "2026-03-09", "7d")
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if "|" in line]
    assert lines == ["2026-03-12 11:00|2026-03-12 12:00|Presupuesto|sala 3B|Me (me@example.com)"]
    # the same invitation imported again replaces the event (same UID), no duplicate
    run("import", "--batch", "-a", "work", str(path))
    r = run("list", "--format", "{title}", "2026-03-09", "7d")
    assert r.stdout.count("Presupuesto") == 1


MINUTES = """## Tareas
- **Ana Gómez**: enviar el presupuesto revisado (fecha: el viernes)
- **Luis**: reservar la sala (fecha: fin de mes)
- **Marta**: revisar el contrato (fecha: pronto)
"""


def test_todoman_reads_the_tasks(tmp_path):
    todo = _need("todoman", "todoman")
    tasks = ics.tasks_from_minutes(MINUTES, date(2026, 3, 9),
                                   people=[("Ana Gómez", "ana@example.com")])
    folder = tmp_path / "tasks" / "work"
    folder.mkdir(parents=True)
    (folder / "meeting.ics").write_bytes(ics.tasks_ics(tasks, meeting_date=date(2026, 3, 9)))
    config = tmp_path / "todoman.py"
    config.write_text(f'path = "{tmp_path / "tasks"}/*"\ndate_format = "%Y-%m-%d"\ntime_format = "%H:%M"\n'
                      f'default_list = "work"\ncache_path = "{tmp_path / "cache.sqlite"}"\n')
    r = subprocess.run([todo, "--config", str(config), "--porcelain", "list", "--sort", "due"],
                       capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 0, r.stderr
    items = {t["summary"]: t for t in json.loads(r.stdout)}
    assert set(items) == {"enviar el presupuesto revisado", "reservar la sala", "revisar el contrato"}
    # todoman gives a due date as the timestamp of its midnight in the local zone
    madrid = ZoneInfo("Europe/Madrid")
    due = {k: (datetime.fromtimestamp(v["due"], madrid).date() if v["due"] else None) for k, v in items.items()}
    assert due == {"enviar el presupuesto revisado": date(2026, 3, 13), "reservar la sala": date(2026, 3, 31),
                   "revisar el contrato": None}
    assert all(not t["completed"] for t in items.values())
    assert "Owner: Ana Gómez" in items["enviar el presupuesto revisado"]["description"]
