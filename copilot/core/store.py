"""Drafts and history in SQLite (WAL): what the user typed survives a crash or a kill -9.

Every commit lands in the write-ahead log before the call returns, so a killed app loses
nothing it saved. ``ephemeral=True`` keeps everything in memory: no user text touches
the disk at all. Deleted rows are overwritten on disk (secure_delete), not just unlinked.

Each run's figures (model, backend, effort, token counts, speed, how it ended) go to the
``runs`` table: numbers and names only, never text, so the diagnostics bundle may carry
them. A run points at its history row while that exists (deleting the row keeps the figures).
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

SCHEMA_VERSION = 2  # 2: the runs table (run figures)
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

# Schema changes since version 1, applied in order to an older database (a new one gets
# them through _SCHEMA, version 1, then every step). Each step runs in one transaction with its version bump.
_RUNS = """
CREATE TABLE IF NOT EXISTS runs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    history_id          INTEGER REFERENCES history (id) ON DELETE SET NULL,
    pane                TEXT NOT NULL,
    created             REAL NOT NULL,
    model               TEXT NOT NULL DEFAULT '',
    backend             TEXT NOT NULL DEFAULT 'local',  -- local | server | fallback
    effort              TEXT NOT NULL DEFAULT '',
    prompt_tokens       INTEGER NOT NULL DEFAULT 0,
    cached_tokens       INTEGER NOT NULL DEFAULT 0,
    generated_tokens    INTEGER NOT NULL DEFAULT 0,
    reasoning_tokens    INTEGER NOT NULL DEFAULT 0,
    time_to_first_token REAL NOT NULL DEFAULT 0,
    tokens_per_second   REAL NOT NULL DEFAULT 0,
    stop_reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created);
CREATE INDEX IF NOT EXISTS runs_history ON runs (history_id);
"""
_MIGRATIONS = {2: _RUNS}  # version reached -> its SQL
BACKENDS = ("local", "server", "fallback")


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


@dataclass(frozen=True)
class Run:
    """The figures of one run, never its text: what History shows and diagnostics carry."""

    pane: str
    model: str
    backend: str  # "local", "server" or "fallback" (the local model answered for a server)
    effort: str
    prompt_tokens: int
    generated_tokens: int  # the answer's tokens, its reasoning included
    time_to_first_token: float  # seconds
    tokens_per_second: float
    stop_reason: str  # "stop" | "length" (cut) | "cancelled" (stopped) | "repetition"
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    created: float = 0.0
    id: int = 0
    history_id: int | None = None

    @property
    def cut(self) -> bool:
        return self.stop_reason == "length"

    @property
    def stopped(self) -> bool:
        return self.stop_reason == "cancelled"

    @classmethod
    def from_stats(cls, pane: str, stats: Any, *, model: str, backend: str, effort: str) -> "Run":
        """From an events.Stats (duck-typed: core.store imports nothing of the engine)."""
        return cls(pane=pane, model=model, backend=backend, effort=effort or "",
                   prompt_tokens=int(stats.prompt_tokens), generated_tokens=int(stats.generated_tokens),
                   time_to_first_token=float(stats.time_to_first_token),
                   tokens_per_second=float(stats.tokens_per_second), stop_reason=str(stats.stop_reason),
                   cached_tokens=int(stats.cached_tokens), reasoning_tokens=int(getattr(stats, "reasoning_tokens", 0)))

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {**asdict(self), "cut": self.cut, "stopped": self.stopped}


_RUN_COLUMNS = ("id", "history_id", "pane", "created", "model", "backend", "effort", "prompt_tokens",
                "cached_tokens", "generated_tokens", "reasoning_tokens", "time_to_first_token",
                "tokens_per_second", "stop_reason")
_SELECT_RUN = f"SELECT {', '.join(_RUN_COLUMNS)} FROM runs"


def _run(row: tuple) -> Run:
    return Run(**dict(zip(_RUN_COLUMNS, row)))


@dataclass(frozen=True)
class RunTotals:
    """Runs grouped by a day ("2025-03-14", local time) or a backend."""

    group: str  # the day or the backend
    runs: int
    prompt_tokens: int
    generated_tokens: int
    mean_time_to_first_token: float
    mean_tokens_per_second: float  # of the runs that generated anything
    cut: int
    stopped: int

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _entry(row: tuple) -> HistoryEntry:
    return HistoryEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]))


class Store:
    def __init__(self, path: Path | None, *, ephemeral: bool = False) -> None:
        """Open (or create) the store at ``path``; ``ephemeral`` or no path: memory only."""
        self.path = None if ephemeral or path is None else Path(path)
        self.warning: str | None = None  # set when a damaged file had to be set aside
        self._db = self._open()

    @classmethod
    def read_only(cls, path: Path) -> "Store":
        """The file at ``path`` opened for reading only (diagnostics): no migration, no
        repair; sqlite3.Error when it is damaged. Reads of tables it lacks (an older schema)
        return nothing."""
        store = cls.__new__(cls)
        store.path, store.warning = Path(path), None
        store._db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        store._db.execute("PRAGMA quick_check")
        return store

    @property
    def ephemeral(self) -> bool:
        return self.path is None

    def _has_runs(self) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='runs'").fetchone() is not None

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
        db.executescript(_SCHEMA)  # version 1's tables (a new file: all of them)
        for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
            if version:
                log.info("drafts database: schema %d -> %d", step - 1, step)
            db.executescript("BEGIN;" + _MIGRATIONS[step] + f"PRAGMA user_version={step};COMMIT;")
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
        """Delete history (and run figures) older than the retention setting; returns how many
        history entries went."""
        if retention not in RETENTION_DAYS:
            raise ValueError(f"unknown retention {retention!r}")
        days = RETENTION_DAYS[retention]
        if days is None:
            return 0
        cutoff = (now if now is not None else time.time()) - days * 86400
        with self._db:
            cur = self._db.execute("DELETE FROM history WHERE created < ?", (cutoff,))
            self._db.execute("DELETE FROM runs WHERE created < ?", (cutoff,))
        return cur.rowcount

    # -- run figures -----------------------------------------------------------------------
    def add_run(self, run: Run, *, created: float | None = None) -> int:
        if run.backend not in BACKENDS:
            raise ValueError(f"unknown backend {run.backend!r}")
        values = {**run.as_dict(), "created": created if created is not None else (run.created or time.time())}
        cols = [c for c in _RUN_COLUMNS if c != "id"]
        with self._db:
            cur = self._db.execute(f"INSERT INTO runs ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                   [values[c] for c in cols])
        return int(cur.lastrowid)

    def link_run(self, run_id: int, history_id: int) -> None:
        """The run ``run_id`` produced the history entry ``history_id``."""
        with self._db:
            self._db.execute("UPDATE runs SET history_id=? WHERE id=?", (history_id, run_id))

    def run_of(self, history_id: int) -> Run | None:
        row = self._db.execute(_SELECT_RUN + " WHERE history_id=? ORDER BY id DESC LIMIT 1",
                               (history_id,)).fetchone()
        return _run(row) if row else None

    def runs(self, limit: int = 1000) -> list[Run]:
        """Newest first."""
        if not self._has_runs():
            return []
        return [_run(r) for r in self._db.execute(_SELECT_RUN + " ORDER BY created DESC, id DESC LIMIT ?",
                                                  (limit,))]

    def run_totals(self, by: str = "day") -> list[RunTotals]:
        """Totals per day (local time, newest first) or per backend."""
        if by == "day":
            key, order = "date(created, 'unixepoch', 'localtime')", "1 DESC"
        elif by == "backend":
            key, order = "backend", "2 DESC, 1"
        else:
            raise ValueError(f"unknown grouping {by!r}")
        if not self._has_runs():
            return []
        sql = (f"SELECT {key}, COUNT(*), SUM(prompt_tokens), SUM(generated_tokens), AVG(time_to_first_token), "
               "AVG(CASE WHEN generated_tokens > 0 THEN tokens_per_second END), "
               "SUM(stop_reason = 'length'), SUM(stop_reason = 'cancelled') "
               f"FROM runs GROUP BY 1 ORDER BY {order}")
        return [RunTotals(str(r[0]), r[1], r[2] or 0, r[3] or 0, r[4] or 0.0, r[5] or 0.0, r[6] or 0, r[7] or 0)
                for r in self._db.execute(sql)]
