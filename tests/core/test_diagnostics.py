"""The diagnostics bundle (core.diagnostics), the run figures (core.store.Run) and `diagnostics -o`."""

import json
import os
import sqlite3
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from copilot.core import diagnostics
from copilot.core.diagnostics import Bundle, DiagnosticsError, Redactor, collect, is_secret_key, read_tail
from copilot.core.paths import app_paths
from copilot.core.settings import Settings, save_settings
from copilot.core.store import SCHEMA_VERSION, Run, Store

HOME = "/home/ana"


def run_figures(**kw) -> Run:
    values = dict(pane="email", model="SmolLM2", backend="local", effort="low", prompt_tokens=100,
                  generated_tokens=50, time_to_first_token=0.25, tokens_per_second=40.0, stop_reason="stop")
    return Run(**{**values, **kw})


# -- redaction -----------------------------------------------------------------------------
@pytest.mark.parametrize("name, secret", [
    ("api_key", True), ("server_api_key", True), ("hf_token", True), ("HF_TOKEN", True), ("serverPassword", True),
    ("client_secret", True), ("token", True), ("key", True), ("auth_header", True),
    ("hotkey", False), ("kv_type", False), ("time_to_first_token", False), ("prompt_tokens", False),
    ("tokens_per_second", False), ("max_tokens", False), ("model_path", False), ("server_url", False),
])
def test_secret_key_names(name, secret):
    assert is_secret_key(name) is secret


def test_redactor_home_user_and_tokens():
    r = Redactor(home=HOME, user="ana")
    text = (f"loaded {HOME}/models/x.gguf for ana; token hf_abcdefghijklmnopqrstuvwx and "
            "Authorization: Bearer abcdefgh12345678, https://bob:pw123@gpu-box:8000/v1 sk-abcdefghijklmnop "
            "banana stays")
    out = r.text(text)
    assert HOME not in out and "~/models/x.gguf" in out
    assert "for <user>;" in out and "banana stays" in out  # whole words only
    for secret in ("hf_abcdef", "abcdefgh12345678", "pw123", "sk-abcdefghij"):
        assert secret not in out
    tree = r.tree({"server_api_key": "s3cr3t", "nested": {"password": "p"}, "hotkey": "<ctrl>+<alt>+<space>",
                   "paths": [Path(HOME) / "a"], "empty_token": "", "n": 3})
    assert tree == {"server_api_key": "<redacted>", "nested": {"password": "<redacted>"},
                    "hotkey": "<ctrl>+<alt>+<space>", "paths": ["~/a"], "empty_token": "", "n": 3}


# -- logs ----------------------------------------------------------------------------------
def test_huge_log_reads_only_its_tail(tmp_path):
    log = tmp_path / "copilot.log"
    with open(log, "wb") as f:
        f.truncate(3 * 2**30)  # a 3 GB (sparse) log
        f.seek(0, os.SEEK_END)
        f.write(b"partial line\nlast line one\nlast line two\n")
    tracemalloc.start()
    text, size, cut = read_tail(log, cap=1024)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert cut and size > 3 * 2**30
    assert text.endswith("last line one\nlast line two\n") and len(text.encode()) <= 1024
    assert peak < 1 * 2**20


# -- collect and write ---------------------------------------------------------------------
@pytest.fixture
def paths(tmp_path):
    return app_paths(tmp_path / "base").ensure()


def test_bundle_holds_everything_redacted(paths, monkeypatch):
    model_path = f"{HOME}/models/my.gguf"
    save_settings(paths.settings_file, Settings(model_path=model_path, server_url="https://ana:pw@box/v1"))
    (paths.logs / "copilot.log").write_text(f"INFO opened {HOME}/Documents/x.eml for ana\n", encoding="utf-8")
    store = Store(paths.database)
    store.add_run(run_figures())
    store.add_run(run_figures(backend="fallback", stop_reason="cancelled"))
    hid = store.add_history("email", "Title", "what the user typed", "what the model wrote")
    store.add_run(run_figures(stop_reason="length"))
    store.close()
    diagnostics.save_last_benchmark(paths, {"model": "m", "tg_tokens_per_second": 12.5}, {"n_ctx": 4096})

    bundle = collect(paths, redactor=Redactor(home=HOME, user="ana"), system=False)
    names = bundle.names()
    assert names[0] == "README.txt"
    for name in ("versions.json", "llama_cpp.json", "settings.json", "benchmark.json", "network_audit.json",
                 "runs.json", "logs/copilot.log"):
        assert name in names
    everything = b"".join(m.data for m in bundle.members).decode()
    assert HOME not in everything and "what the user typed" not in everything and "what the model wrote" not in everything
    assert "Title" not in everything and hid  # no history at all, not even titles
    settings = json.loads(bundle.member("settings.json").data)
    assert settings["settings"]["model_path"] == "~/models/my.gguf"
    assert "pw" not in settings["settings"]["server_url"]
    assert "model_path" in settings["changed_from_defaults"]
    runs = json.loads(bundle.member("runs.json").data)
    assert {t["group"]: t["runs"] for t in runs["per_backend"]} == {"local": 2, "fallback": 1}
    assert sum(t["cut"] for t in runs["per_day"]) == 1 and sum(t["stopped"] for t in runs["per_day"]) == 1
    assert runs["recent"][0]["tokens_per_second"] == 40.0 and "input" not in runs["recent"][0]
    bench = json.loads(bundle.member("benchmark.json").data)
    assert bench["last_benchmark"]["result"]["tg_tokens_per_second"] == 12.5
    assert bench["fit_plan"]["status"].startswith("no model")
    llama = json.loads(bundle.member("llama_cpp.json").data)
    assert llama["backend"] == "CPU" and "CPU" in llama["system_info"]
    assert "~/Documents/x.eml for <user>" in bundle.member("logs/copilot.log").data.decode()
    summary = bundle.summary()
    assert "logs/copilot.log" in summary and "redacted" in summary
    assert all(m.name in summary for m in bundle.members)


def test_system_report_and_fit_plan_of_a_model(paths, smol_path):
    bundle = collect(paths, Settings(model_path=str(smol_path), n_ctx=2048))
    system = json.loads(bundle.member("system.json").data)
    assert system["llama_cpp"]["system_info"] and system["model"]["status"] == "ok"
    fit = json.loads(bundle.member("benchmark.json").data)["fit_plan"]
    assert fit["status"] == "ok" and fit["plan"]["verdict"] in ("well", "slowly") and fit["plan"]["n_ctx"] >= 2048


def test_huge_log_is_capped_and_says_so(paths):
    with open(paths.logs / "copilot.log", "wb") as f:
        f.truncate(50 * 2**20)
        f.seek(0, os.SEEK_END)
        f.write(b"\nthe last line\n")
    bundle = collect(paths, Settings(), log_cap=4096, system=False)
    member = bundle.member("logs/copilot.log")
    assert member.size < 4096 + 100 and member.data.decode().endswith("the last line\n")
    assert "the last 4.0 KB of 50.0 MB" in member.about
    assert "last 4096 bytes of" in member.data.decode().splitlines()[0]


def test_network_audit_missing_is_said(paths, monkeypatch):
    monkeypatch.setitem(sys.modules, "copilot.core.netaudit", None)  # import fails: before it lands
    bundle = collect(paths, Settings(), system=False)
    assert json.loads(bundle.member("network_audit.json").data) == {"summary": "network audit: not available"}


def test_write_is_whole_and_unwritable_destinations_are_clear(tmp_path):
    bundle = Bundle()
    bundle.add_text("README.txt", "hello", "readme")
    bundle.add_json("a.json", {"x": 1}, "a")
    dest = bundle.write(tmp_path / "out.zip")
    with zipfile.ZipFile(dest) as z:
        assert z.namelist() == ["README.txt", "a.json"] and z.read("README.txt") == b"hello"
    with pytest.raises(DiagnosticsError, match="does not exist"):
        bundle.write(tmp_path / "missing" / "out.zip")
    with pytest.raises(DiagnosticsError, match="is a folder"):
        bundle.write(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DiagnosticsError, match="Cannot write"):
        bundle.write(blocker / "out.zip")
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(DiagnosticsError, match="Permission denied"):
            bundle.write(locked / "out.zip")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".diagnostics-")] == []


# -- the store: run figures and the migration ----------------------------------------------
V1_SCHEMA = """
CREATE TABLE drafts (pane TEXT PRIMARY KEY, data TEXT NOT NULL, updated REAL NOT NULL);
CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, pane TEXT NOT NULL, created REAL NOT NULL,
    title TEXT NOT NULL, input TEXT NOT NULL, output TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}');
CREATE INDEX history_pane_created ON history (pane, created DESC);
INSERT INTO history (pane, created, title, input, output) VALUES ('email', 1700000000, 't', 'in', 'out');
PRAGMA user_version=1;
"""


def test_a_version_1_database_is_migrated(tmp_path):
    db = tmp_path / "copilot.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.executescript(V1_SCHEMA)
    old = Store.read_only(db)  # diagnostics of a database not yet migrated: no figures, no error
    assert old.runs() == [] and old.run_totals("day") == []
    old.close()
    store = Store(db)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    [entry] = store.history()
    assert (entry.input, entry.output) == ("in", "out")
    run_id = store.add_run(run_figures())
    store.link_run(run_id, entry.id)
    assert store.run_of(entry.id).prompt_tokens == 100
    store.close()
    again = Store(db)  # opening a migrated file again changes nothing
    assert len(again.runs()) == 1 and again.run_of(entry.id).id == run_id
    again.close()


def test_run_figures_totals_and_retention(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    now = time.time()
    day = 86400
    store.add_run(run_figures(), created=now)
    store.add_run(run_figures(backend="server", tokens_per_second=80.0, stop_reason="length"), created=now)
    store.add_run(run_figures(generated_tokens=0, tokens_per_second=0.0, stop_reason="cancelled"), created=now - 40 * day)
    by_backend = {t.group: t for t in store.run_totals("backend")}
    assert by_backend["local"].runs == 2 and by_backend["server"].cut == 1
    assert by_backend["local"].mean_tokens_per_second == 40.0  # a run that wrote nothing is not a speed of 0
    by_day = store.run_totals("day")
    assert len(by_day) == 2 and by_day[0].runs == 2 and by_day[1].stopped == 1  # newest day first
    assert by_day[0].prompt_tokens == 200 and by_day[0].generated_tokens == 100
    hid = store.add_history("email", "t", "in", "out")
    store.link_run(store.runs()[0].id, hid)
    store.delete(hid)  # the text goes, the figures stay
    assert len(store.runs()) == 3 and all(r.history_id is None for r in store.runs())
    store.apply_retention("30d")
    assert len(store.runs()) == 2
    with pytest.raises(ValueError):
        store.add_run(run_figures(backend="somewhere"))
    store.close()


def test_private_mode_keeps_figures_in_memory_only(tmp_path):
    store = Store(tmp_path / "db.sqlite3", ephemeral=True)
    store.add_run(run_figures())
    assert len(store.runs()) == 1
    assert not (tmp_path / "db.sqlite3").exists()
    assert diagnostics.run_figures(store)["private_mode"] is True
    store.close()


def test_run_from_stats():
    from copilot.core.events import Stats

    stats = Stats(prompt_tokens=10, cached_tokens=4, generated_tokens=7, time_to_first_token=0.5,
                  tokens_per_second=20.0, stop_reason="cancelled", reasoning_tokens=3)
    run = Run.from_stats("writing", stats, model="m", backend="server", effort="high")
    assert (run.cached_tokens, run.reasoning_tokens, run.stopped, run.cut) == (4, 3, True, False)
    assert run.as_dict()["stopped"] is True


# -- the command line ----------------------------------------------------------------------
def cli(base: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "copilot", "--basedir", str(base), "diagnostics", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_writes_the_bundle_and_prints_its_summary(tmp_path):
    base = tmp_path / "base"
    out = tmp_path / "diag.zip"
    done = cli(base, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Diagnostics bundle:" in done.stderr and "runs.json" in done.stderr and done.stdout == ""
    with zipfile.ZipFile(out) as z:
        assert "README.txt" in z.namelist() and "system.json" in z.namelist()
    listed = cli(base, "--print")
    assert listed.returncode == 0 and "settings.json" in listed.stdout


def test_cli_unwritable_destination_exits_4(tmp_path):
    done = cli(tmp_path / "base", "-o", str(tmp_path / "no" / "such" / "folder" / "d.zip"))
    assert done.returncode == 4
    assert "Cannot write" in done.stderr and "does not exist" in done.stderr and "Traceback" not in done.stderr
    usage = cli(tmp_path / "base")
    assert usage.returncode == 2 and "-o FILE.zip" in usage.stderr


def test_cli_with_a_huge_log(tmp_path):
    base = tmp_path / "base"
    logs = app_paths(base).ensure().logs
    with open(logs / "copilot.log", "wb") as f:
        f.truncate(200 * 2**20)
        f.seek(0, os.SEEK_END)
        f.write(b"\nend of the big log\n")
    out = tmp_path / "d.zip"
    done = cli(base, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "the last 2.0 MB of 200.0 MB" in done.stderr
    with zipfile.ZipFile(out) as z:
        log = z.read("logs/copilot.log")
    assert len(log) <= diagnostics.LOG_CAP + 100 and log.endswith(b"end of the big log\n")
