"""The administrator's policy file: where it is, what it sets and locks, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copilot.core import policy as pol
from copilot.core.policy import NO_POLICY, POLICY_ENV, load_policy, policy_locations, policy_path
from copilot.core.settings import Settings, load_settings, managed_keys, save_settings


@pytest.fixture(autouse=True)
def no_system_policy(monkeypatch):
    monkeypatch.setenv(POLICY_ENV, "")  # never the machine's own /etc/xdg/private-copilot/policy.json


def write(tmp_path: Path, data, name="policy.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


TEAM = {"server_url": "https://llm.example.com/v1", "server_model": "openai/gpt-oss-120b",
        "server_ca_bundle": "/etc/ssl/team-ca.pem", "backend": "server", "history_retention": "30d",
        "allowed_backends": ["server", "local"], "actions_file": "/srv/copilot/actions.json",
        "locked": ["server_url", "history_retention"]}


def test_platform_locations():
    assert policy_locations("linux", {}) == [Path("/etc/xdg/private-copilot/policy.json")]
    assert policy_locations("linux", {"XDG_CONFIG_DIRS": "/opt/xdg:/etc/xdg"})[0] == Path(
        "/opt/xdg/private-copilot/policy.json")
    assert policy_locations("win32", {"ProgramData": r"D:\ProgramData"}) == [
        Path(r"D:\ProgramData") / "PrivateCopilot" / "policy.json"]
    assert policy_locations("darwin", {}) == [Path("/Library/Application Support/PrivateCopilot/policy.json")]


def test_the_environment_variable_overrides_the_location(tmp_path, monkeypatch):
    path = write(tmp_path, TEAM)
    assert policy_path({POLICY_ENV: str(path)}) == path
    assert policy_path({POLICY_ENV: ""}) is None  # empty: no policy, whatever the system has
    xdg = tmp_path / "xdg"
    (xdg / "private-copilot").mkdir(parents=True)
    write(xdg / "private-copilot", TEAM)
    assert policy_path({"XDG_CONFIG_DIRS": str(xdg)}) == xdg / "private-copilot" / "policy.json"
    monkeypatch.setenv(POLICY_ENV, str(tmp_path / "missing.json"))
    p, warnings = load_policy()
    assert p is NO_POLICY and "does not exist" in warnings[0]


def test_values_are_defaults_and_locked_keys_win(tmp_path):
    policy, warnings = load_policy(write(tmp_path, TEAM))
    assert warnings == []
    assert policy.actions_file == "/srv/copilot/actions.json"
    assert policy.managed == {"server_url", "history_retention"}
    settings_file = write(tmp_path, {"version": 1, "server_url": "http://mine:8000/v1", "history_retention": "forever",
                                     "server_model": "my-model", "theme": "dark"}, "settings.json")
    s, warnings = load_settings(settings_file, policy)
    assert warnings == []
    assert s.server_url == TEAM["server_url"] and s.history_retention == "30d"  # locked: the policy's
    assert s.server_model == "my-model" and s.theme == "dark"  # not locked: the user's own
    assert s.backend == "server" and s.server_ca_bundle == "/etc/ssl/team-ca.pem"  # the policy's defaults
    fresh, _ = load_settings(tmp_path / "none.json", policy)
    assert fresh.server_model == "openai/gpt-oss-120b" and fresh.backend == "server"


def test_saving_writes_neither_managed_keys_nor_the_policys_defaults(tmp_path):
    policy, _ = load_policy(write(tmp_path, TEAM))
    path = tmp_path / "settings.json"
    s, _ = load_settings(path, policy)
    from dataclasses import replace

    save_settings(path, replace(s, theme="dark", server_url="http://elsewhere/v1"), policy)
    saved = json.loads(path.read_text())
    assert saved == {"version": 1, "theme": "dark"}
    again, _ = load_settings(path, policy)
    assert again.server_url == TEAM["server_url"] and again.theme == "dark" and again.backend == "server"
    # a user's own choice equal to the app's default, away from the policy's, is kept
    save_settings(path, replace(again, backend="local"), policy)
    assert json.loads(path.read_text())["backend"] == "local"
    assert load_settings(path, policy)[0].backend == "local"


def test_locked_true_locks_every_key_it_sets(tmp_path):
    policy, warnings = load_policy(write(tmp_path, {"local_only": True, "history_retention": "none", "locked": True}))
    assert warnings == [] and policy.managed == {"local_only", "history_retention"}
    user = write(tmp_path, {"local_only": False, "history_retention": "forever"}, "settings.json")
    s, _ = load_settings(user, policy)
    assert s.local_only and s.history_retention == "none"


def test_allowed_backends(tmp_path):
    server_only, _ = load_policy(write(tmp_path, {"allowed_backends": ["server"], "server_url": "http://gpu:8000"}))
    assert {"backend", "server_fallback"} <= server_only.managed
    user = write(tmp_path, {"backend": "local", "server_fallback": True}, "settings.json")
    s, _ = load_settings(user, server_only)
    assert s.backend == "server" and not s.server_fallback  # no local model to fall back to
    local_only, _ = load_policy(write(tmp_path, {"allowed_backends": ["local"]}, "p2.json"))
    s, _ = load_settings(write(tmp_path, {"backend": "server", "server_url": "http://gpu:8000/v1"}, "s2.json"),
                         local_only)
    assert s.backend == "local" and s.local_only  # never a server: privacy mode, on and managed
    assert {"backend", "local_only"} <= local_only.managed


def test_managed_keys_come_from_the_system_policy(tmp_path, monkeypatch):
    assert managed_keys() == frozenset()
    monkeypatch.setenv(POLICY_ENV, str(write(tmp_path, TEAM)))
    assert managed_keys() == {"server_url", "history_retention"}
    s, warnings = load_settings(tmp_path / "settings.json")
    assert s.server_url == TEAM["server_url"] and warnings == []


@pytest.mark.parametrize("text,expected", [
    ('{"server_url": "http://a/v1",}', "not valid JSON (line 1, column"),
    ("", "not valid JSON"),
    ('["server_url"]', "not a JSON object"),
])
def test_a_malformed_file_means_no_policy_and_a_clear_warning(tmp_path, monkeypatch, text, expected):
    path = write(tmp_path, text)
    policy, warnings = load_policy(path)
    assert policy is NO_POLICY
    assert len(warnings) == 1 and expected in warnings[0] and str(path) in warnings[0]
    monkeypatch.setenv(POLICY_ENV, str(path))
    s, warnings = load_settings(tmp_path / "settings.json")  # the app still starts, with defaults
    assert s == Settings() and expected in warnings[0]


def test_unknown_keys_and_bad_values_are_left_out_with_warnings(tmp_path):
    policy, warnings = load_policy(write(tmp_path, {
        "server_url": "gpu-box:8000", "backend": "cloud", "history_retention": "30d", "telemetry": True,
        "allowed_backends": ["local", "mainframe"], "actions_file": 3, "local_only": "yes",
        "locked": ["history_retention", "theme", "server_model"]}))
    text = "\n".join(warnings)
    assert "unknown key 'telemetry'" in text
    assert "server_url='gpu-box:8000'" in text and "http://" in text
    assert "backend='cloud'" in text and "'local', 'server'" in text
    assert "allowed_backends" in text and "actions_file=3" in text and "local_only='yes'" in text
    assert "locks 'theme'" in text and "locks 'server_model' but sets no valid value" in text
    # the rest of the file is used
    assert dict(policy.values) == {"history_retention": "30d"} and policy.locked == {"history_retention"}
    assert policy.allowed_backends == ("local", "server")


def test_a_backend_the_policy_does_not_allow_is_refused(tmp_path):
    policy, warnings = load_policy(write(tmp_path, {"backend": "server", "allowed_backends": ["local"]}))
    assert "backend" not in policy.values and "does not allow" in warnings[0]


def test_every_policy_setting_is_a_real_setting():
    names = {f for f in Settings.__dataclass_fields__}
    assert set(pol.SETTING_KEYS) <= names
