"""Nothing typed is lost: type into the real app, kill -9 it, start it again, find the text."""

import json
import sqlite3

import pytest

from .conftest import Desktop, wait_for

TEXT = "Borrador importante: revisar el presupuesto"


def draft_in_db(db) -> dict | None:
    if not db.exists():
        return None
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        row = conn.execute("SELECT data FROM drafts WHERE pane='writing'").fetchone()
    return json.loads(row[0]) if row else None


@pytest.fixture
def desktop(xserver, tmp_path):
    d = Desktop(xserver, tmp_path / "base", tmp_path / "home")
    (tmp_path / "home").mkdir()
    yield d
    d.stop()


def test_typed_text_survives_kill_9(desktop, tmp_path, smol_path):
    desktop.start("--model", str(smol_path))  # a model given: no first-run wizard
    desktop.keys("ctrl+3")  # the Writing pane; its editor takes the focus
    desktop.type(TEXT)
    db = tmp_path / "base" / "data" / "copilot.sqlite3"
    wait_for(lambda: (draft_in_db(db) or {}).get("text") == TEXT, 5, "the draft to be saved")
    desktop.kill9()

    desktop.start("--model", str(smol_path))
    desktop.keys("ctrl+3", "ctrl+a", "ctrl+c")
    assert wait_for(lambda: desktop.clipboard() == TEXT and TEXT, 10, "the restored text on the clipboard")
    assert list((tmp_path / "home").iterdir()) == []  # --basedir: nothing in the home folder


def test_second_launch_focuses_the_first(desktop, smol_path):
    first = desktop.start("--model", str(smol_path))
    desktop.minimize(first)  # returns once the window manager has really taken it off screen
    second = desktop.launch("--show")
    assert second.wait(60) == 0  # the second process handed over and quit
    # the first instance itself brings its window back: the test does not activate anything
    wait_for(lambda: desktop.viewable(first), 15, "the first window to be shown again")
    wait_for(lambda: desktop.active_window() == first, 15, "the first window to have the focus")
    visible = desktop.xdotool("search", "--onlyvisible", "--name", "Private Copilot").split()
    assert visible == [first]  # no second window: the second launch started no app of its own
