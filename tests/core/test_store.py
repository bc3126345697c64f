import subprocess
import sys
import textwrap

from copilot.core.store import Store

SECRET = "Confidencial: la fusión con Acme se anuncia el 3 de marzo"


def test_drafts_round_trip_and_replace(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    assert store.load_draft("email") is None
    store.save_draft("email", {"thread": "hola", "points": "sí"})
    store.save_draft("email", {"thread": "hola", "points": "no"})
    assert store.load_draft("email") == {"thread": "hola", "points": "no"}
    store.clear_draft("email")
    assert store.load_draft("email") is None
    store.close()


def test_draft_survives_kill_9(tmp_path):
    db = tmp_path / "db.sqlite3"
    code = textwrap.dedent(f"""
        import os, signal
        from copilot.core.store import Store
        s = Store({str(db)!r})
        s.save_draft("writing", {{"text": {SECRET!r}}})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", code], timeout=60)
    assert proc.returncode == -9
    assert Store(db).load_draft("writing") == {"text": SECRET}


def test_history_search_delete_and_order(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    a = store.add_history("email", "Reunión", "¿Nos vemos el jueves?", "Sí, el jueves.", {"tone": "friendly"},
                          created=100)
    b = store.add_history("meeting", "Stand-up", "Ana: ship 100% Friday", "## Summary", created=200)
    c = store.add_history("email", "Budget", "Budget_2027 draft", "Thanks", created=300)
    assert [e.id for e in store.history()] == [c, b, a]
    assert [e.id for e in store.history("email")] == [c, a]
    assert [e.id for e in store.history(query="JUEVES")] == [a]
    assert [e.id for e in store.history(query="100%")] == [b]  # LIKE wildcards are literal
    assert [e.id for e in store.history(query="t_2")] == [c]
    assert store.get(a).meta == {"tone": "friendly"}
    store.delete(a)
    assert store.get(a) is None and len(store.history()) == 2


def test_retention(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    day = 86400
    old = store.add_history("email", "old", "x", "y", created=1000 * day - 40 * day)
    mid = store.add_history("email", "mid", "x", "y", created=1000 * day - 10 * day)
    new = store.add_history("email", "new", "x", "y", created=1000 * day - 1 * day)
    assert store.apply_retention("forever", now=1000 * day) == 0
    assert store.apply_retention("30d", now=1000 * day) == 1
    assert store.get(old) is None and store.get(mid) is not None
    assert store.apply_retention("7d", now=1000 * day) == 1
    assert [e.id for e in store.history()] == [new]


def test_ephemeral_mode_writes_no_user_text(tmp_path):
    store = Store(tmp_path / "db.sqlite3", ephemeral=True)
    store.save_draft("writing", {"text": SECRET})
    store.add_history("writing", "t", SECRET, SECRET)
    assert store.load_draft("writing") == {"text": SECRET}
    store.close()
    assert list(tmp_path.iterdir()) == []


def test_deleted_text_does_not_linger_on_disk(tmp_path):
    db = tmp_path / "db.sqlite3"
    store = Store(db)
    entry = store.add_history("writing", "t", SECRET, "out")
    store.delete(entry)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert SECRET.encode() not in raw


def test_damaged_file_is_set_aside(tmp_path):
    db = tmp_path / "db.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    store = Store(db)
    assert store.warning and "damaged" in store.warning
    store.save_draft("email", {"a": 1})
    assert store.load_draft("email") == {"a": 1}
    assert any(p.name.startswith("db.sqlite3.damaged-") for p in tmp_path.iterdir())
