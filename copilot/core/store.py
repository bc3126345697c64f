"""Drafts and history in SQLite (WAL): what the user typed survives a crash or a kill -9.

Every commit lands in the write-ahead log before the call returns, so a killed app loses
nothing it saved. ``ephemeral=True`` keeps everything in memory: no user text touches
the disk at all. Deleted rows are overwritten on disk (secure_delete), not just unlinked.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("copilot.store")

SCHEMA_VERSION = 1
RETENTION_DAYS = {"forever": None, "30d": 30, "7d": 7}  # "none" is ephemeral mode

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    pane    TEXT PRIMARY KEY,
    data    TEXT NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    pane    TEXT NOT NULL,
    created REAL NOT NULL,
    title   TEXT NOT NULL,
    input   TEXT NOT NULL,
    output  TEXT NOT NULL,
    meta    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS history_pane_created ON history (pane, created DESC);
"""


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    pane: str
    created: float
    title: str
    input: str
    output: str
    meta: dict[str, Any]


_SELECT = "SELECT id, pane, created, title, input, output, meta FROM history"


def _entry(row: tuple) -> HistoryEntry:
    return HistoryEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]))


class Store:
    def __init__(self, path: Path | None, *, ephemeral: bool = False) -> None:
        """Open (or create) the store at ``path``; ``ephemeral`` or no path: memory only."""
        self.path = None if ephemeral or path is None else Path(path)
        self.warning: str | None = None  # set when a damaged file had to be set aside
        self._db = self._open()

    @property
    def ephemeral(self) -> bool:
        return self.path is None

    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._init(sqlite3.connect(":memory:"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._init(sqlite3.connect(self.path))
        except sqlite3.DatabaseError as exc:
            # A damaged file must not stop the app: keep it for recovery, start a new one.
            aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.warning = f"The drafts database was damaged ({exc}); it was kept as {aside.name} and a new one started."
            log.warning("drafts database damaged, set aside: %s", aside.name)
            return self._init(sqlite3.connect(self.path))

    @staticmethod
    def _init(db: sqlite3.Connection) -> sqlite3.Connection:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: durable across app crashes
        db.execute("PRAGMA secure_delete=ON")
        db.execute("PRAGMA foreign_keys=ON")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"made by a newer version (schema {version})")
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("PRAGMA quick_check")
        db.commit()
        return db

    def close(self) -> None:
        self._db.close()

    # -- drafts ----------------------------------------------------------------------------
    def save_draft(self, pane: str, data: dict[str, Any]) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO drafts (pane, data, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(pane) DO UPDATE SET data=excluded.data, updated=excluded.updated",
                (pane, json.dumps(data, ensure_ascii=False), time.time()))

    def load_draft(self, pane: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT data FROM drafts WHERE pane=?", (pane,)).fetchone()
        return json.loads(row[0]) if row else None

    def clear_draft(self, pane: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM drafts WHERE pane=?", (pane,))

    # -- history ---------------------------------------------------------------------------
    def add_history(self, pane: str, title: str, input: str, output: str,
                    meta: dict[str, Any] | None = None, *, created: float | None = None) -> int:
        with self._db:
            cur = self._db.execute(
                "INSERT INTO history (pane, created, title, input, output, meta) VALUES (?, ?, ?, ?, ?, ?)",
                (pane, created if created is not None else time.time(), title, input, output,
                 json.dumps(meta or {}, ensure_ascii=False)))
        return int(cur.lastrowid)

    def history(self, pane: str | None = None, query: str = "", limit: int = 500) -> list[HistoryEntry]:
        """Newest first; ``query`` matches title, input or output, case-insensitively."""
        sql = _SELECT + " WHERE 1=1"
        args: list[Any] = []
        if pane:
            sql += " AND pane=?"
            args.append(pane)
        if query.strip():
            like = "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            sql += " AND (title LIKE ? ESCAPE '\\' OR input LIKE ? ESCAPE '\\' OR output LIKE ? ESCAPE '\\')"
            args += [like, like, like]
        sql += " ORDER BY created DESC, id DESC LIMIT ?"
        args.append(limit)
        return [_entry(r) for r in self._db.execute(sql, args)]

    def get(self, entry_id: int) -> HistoryEntry | None:
        row = self._db.execute(_SELECT + " WHERE id=?", (entry_id,)).fetchone()
        return _entry(row) if row else None

    def delete(self, entry_id: int) -> None:
        with self._db:
            self._db.execute("DELETE FROM history WHERE id=?", (entry_id,))

    def apply_retention(self, retention: str, now: float | None = None) -> int:
        """Delete history older than the retention setting; returns how many entries went."""
        if retention not in RETENTION_DAYS:
            raise ValueError(f"unknown retention {retention!r}")
        days = RETENTION_DAYS[retention]
        if days is None:
            return 0
        cutoff = (now if now is not None else time.time()) - days * 86400
        with self._db:
            cur = self._db.execute("DELETE FROM history WHERE created < ?", (cutoff,))
        return cur.rowcount
