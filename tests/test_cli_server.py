"""The task commands with --endpoint: llama-cpp-python's own server on 127.0.0.1, as a user runs them."""

from __future__ import annotations

import json

import pytest

from test_cli import cli, env  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow


def write_settings(tmp_path, **values) -> None:
    config = tmp_path / "base" / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text(json.dumps({"version": 1, **values}))


def test_rewrite_through_the_server(env, tmp_path, smol_server):  # noqa: F811
    r = cli(["rewrite", "--action", "proofread", "--endpoint", smol_server, "--max-tokens", "24", "--seed", "1"],
            env, tmp_path, stdin="Ths is a tset of the servr.")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()


def test_a_down_server_is_a_clear_error_or_falls_back(env, tmp_path, smol_path):  # noqa: F811
    r = cli(["rewrite", "--endpoint", "http://127.0.0.1:9/v1", "--max-tokens", "8"], env, tmp_path, stdin="hola")
    assert r.returncode == 3 and "cannot be reached" in r.stderr

    write_settings(tmp_path, model_path=str(smol_path), n_ctx=2048)
    r = cli(["rewrite", "--endpoint", "http://127.0.0.1:9/v1", "--max-tokens", "8", "--seed", "1"], env, tmp_path,
            stdin="Hello there.")
    assert r.returncode == 0, r.stderr
    assert "cannot be reached" in r.stderr and "local model" in r.stderr
    assert r.stdout.strip()

    write_settings(tmp_path, model_path=str(smol_path), n_ctx=2048, server_fallback=False)
    r = cli(["rewrite", "--endpoint", "http://127.0.0.1:9/v1", "--max-tokens", "8"], env, tmp_path, stdin="hola")
    assert r.returncode == 3


def test_privacy_mode_and_missing_key_are_usage_errors(env, tmp_path):  # noqa: F811
    r = cli(["rewrite", "--endpoint", "http://127.0.0.1:9/v1", "--api-key-from-keyring"], env, tmp_path, stdin="x")
    assert r.returncode == 2 and "API key" in r.stderr
    write_settings(tmp_path, local_only=True)
    r = cli(["rewrite", "--endpoint", "http://127.0.0.1:9/v1"], env, tmp_path, stdin="x")
    assert r.returncode == 2 and "privacy mode" in r.stderr
