"""`private-copilot models …` as a user runs it: a subprocess, a fresh HOME, the fake Hub."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from copilot.core.models.catalog import GPT_OSS_20B
from fake_hub import FakeHub, HubFile
from test_cli import cli, env  # noqa: F401 - the fixture


@pytest.fixture
def hub(tiny_gpt_oss):
    server = FakeHub(GPT_OSS_20B.repo_id, {GPT_OSS_20B.filename: HubFile(tiny_gpt_oss.read_bytes())}).start()
    yield server
    server.stop()


@pytest.fixture
def hub_env(env, hub):  # noqa: F811
    return {**env, "HF_ENDPOINT": hub.url}


def test_download_then_list_then_already_there(hub_env, hub, tmp_path, tiny_gpt_oss):
    r = cli(["models", "download", "gpt-oss-20b"], hub_env, tmp_path)
    assert r.returncode == 0, r.stderr
    target = tmp_path / "base" / "data" / "models" / GPT_OSS_20B.filename
    assert r.stdout.strip() == str(target)
    assert target.read_bytes() == tiny_gpt_oss.read_bytes()
    assert "Downloading" in r.stderr and "(100%)" in r.stderr

    r = cli(["models", "list", "--json"], hub_env, tmp_path)
    listing = json.loads(r.stdout)
    row = next(x for x in listing["catalog"] if x["name"] == "gpt-oss-20b")
    assert row["state"] == "downloaded, verified" and listing["current"] == str(target)
    assert listing["found"] == []

    served = hub.served
    assert cli(["models", "download", "gpt-oss-20b"], hub_env, tmp_path).returncode == 0
    assert hub.served == served  # verified already: nothing fetched again


def test_download_errors_have_exit_codes(hub_env, hub, tmp_path):
    hub.token = "hf_needed"
    r = cli(["models", "download", "gpt-oss-20b"], hub_env, tmp_path)
    assert r.returncode == 1 and "token" in r.stderr and "HF_TOKEN" in r.stderr
    r = cli(["models", "download", "gpt-oss-20b"], {**hub_env, "HF_TOKEN": "hf_needed"}, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "hf_needed" not in (tmp_path / "base" / "logs" / "copilot.log").read_text()

    from copilot.core.models import fit, hardware

    if fit.plan(fit.catalog_shape("gpt-oss-120b"), hardware.detect(tmp_path)).verdict == "no_fit":  # 24 GB here
        r = cli(["models", "download", "gpt-oss-120b"], hub_env, tmp_path)
        assert r.returncode == 3 and "will not fit" in r.stderr and "GB" in r.stderr
        assert not any("120b" in q.path for q in hub.requests)

    r = cli(["models", "download", "no-such-model"], hub_env, tmp_path)
    assert r.returncode == 2 and "gpt-oss-20b" in r.stderr

    hub.token = None
    hub.corrupt = True
    r = cli(["models", "download", "gpt-oss-20b", "--dir", str(tmp_path / "elsewhere")], hub_env, tmp_path)
    assert r.returncode == 3 and "damaged" in r.stderr and "quarantine" in r.stderr


def test_ctrl_c_pauses_and_the_same_command_resumes(hub_env, hub, tmp_path):
    size = 6 * 1024 * 1024  # several of the download's 1 MiB network reads
    hub.files[GPT_OSS_20B.filename] = HubFile(os.urandom(size))
    hub.bytes_per_second = size / 4
    base = tmp_path / "base"
    proc = subprocess.Popen([sys.executable, "-m", "copilot", "--basedir", str(base), "models", "download",
                             "gpt-oss-20b"], env=hub_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    part = base / "data" / "models" / ".partial" / f"{GPT_OSS_20B.filename}.part"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (part.exists() and part.stat().st_size > 0):
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Paused" in err and "resume" in err
    have = part.stat().st_size
    assert 0 < have < size

    hub.bytes_per_second = None
    r = cli(["models", "list"], hub_env, tmp_path)
    assert "paused at" in r.stdout
    r = cli(["models", "download", "gpt-oss-20b"], hub_env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert hub.ranges()[-1] == f"bytes={have}-"


def test_verify_and_import(env, tmp_path, tiny_gpt_oss):  # noqa: F811
    r = cli(["models", "verify", str(tiny_gpt_oss)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "gpt-oss" in r.stderr and "No reference checksum" in r.stderr

    # An Ollama-style blob is named by its sha256: that is checked.
    data = tiny_gpt_oss.read_bytes()
    blobs = tmp_path / "blobs"
    blobs.mkdir()
    good = blobs / f"sha256-{hashlib.sha256(data).hexdigest()}"
    good.write_bytes(data)
    r = cli(["models", "verify", str(good)], env, tmp_path)
    assert r.returncode == 0 and "Checksum verified" in r.stderr
    bad = blobs / f"sha256-{'0' * 64}"
    bad.write_bytes(data)
    r = cli(["models", "verify", str(bad)], env, tmp_path)
    assert r.returncode == 3 and "damaged" in r.stderr

    half = tmp_path / "half.gguf"
    half.write_bytes(data[: len(data) // 2])
    r = cli(["models", "import", str(half)], env, tmp_path)
    assert r.returncode == 3 and "truncated" in r.stderr

    r = cli(["models", "import", str(good)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    settings = json.loads((tmp_path / "base" / "config" / "settings.json").read_text())
    assert settings["model_path"] == str(good)
    assert "in place" in r.stdout


def test_models_bench_is_bench(env, tmp_path, smol_path):  # noqa: F811
    r = cli(["models", "bench", str(smol_path), "--pp", "16", "--tg", "4", "--ctx", "256", "--json"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["tg_tokens"] == 4


def test_list_finds_a_copy_in_lm_studio(env, tmp_path, tiny_gpt_oss):  # noqa: F811
    folder = tmp_path / "home" / ".lmstudio" / "models" / "ggml-org" / "gpt-oss-20b-GGUF"
    folder.mkdir(parents=True)
    os.symlink(tiny_gpt_oss, folder / "gpt-oss-20b-mxfp4.gguf")
    r = cli(["models", "list", "--json"], env, tmp_path)
    found = json.loads(r.stdout)["found"]
    assert [f["source"] for f in found] == ["lmstudio"] and found[0]["usable"]
