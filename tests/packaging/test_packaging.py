"""--smoke-test from the source install, and the bundle checker that CI runs on the frozen build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

from check_bundle import check  # noqa: E402


def test_smoke_test_passes_from_source(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRIVATE_COPILOT", "QT_"))}
    env["HOME"] = str(tmp_path)  # it must not touch the home folder: it works in a temporary one
    r = subprocess.run([sys.executable, "-m", "copilot", "--smoke-test"], env=env, capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("smoke-test: ok") and "'Smoke test passed'" in r.stdout
    assert list(tmp_path.iterdir()) == []


def test_smoke_test_reports_a_broken_model(tmp_path, monkeypatch):
    from copilot import smoke

    models = tmp_path / "resources" / "models"
    models.mkdir(parents=True)
    (models / "smoke-test-gpt-oss.gguf").write_bytes(b"GGUF broken")
    monkeypatch.setattr(smoke, "resources_dir", lambda: tmp_path / "resources")
    for name in ("PRIVATE_COPILOT_BASEDIR", "QT_QPA_PLATFORM"):  # run() sets them: restore them afterwards
        monkeypatch.setenv(name, os.environ.get(name, ""))
    assert smoke.run() == 1


def fake_bundle(root: Path, *, libs=("libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu.so")) -> Path:
    internal = root / "_internal"
    (internal / "llama_cpp" / "lib").mkdir(parents=True)
    for name in libs:
        (internal / "llama_cpp" / "lib" / name).write_bytes(b"\0" * 1000)
    (internal / "resources" / "models").mkdir(parents=True)
    (internal / "resources" / "models" / "smoke-test-gpt-oss.gguf").write_bytes(b"GGUF")
    return root


def test_bundle_check_accepts_a_whole_bundle(tmp_path):
    problems, size_mb = check(fake_bundle(tmp_path / "b"), budget_mb=1)
    assert problems == [] and 0 < size_mb < 1


def test_bundle_check_finds_missing_libraries_artefacts_and_size(tmp_path):
    bundle = fake_bundle(tmp_path / "b", libs=("libggml.so",))
    (bundle / "_internal" / "copilot" / "tests").mkdir(parents=True)
    (bundle / "_internal" / "copilot" / "tests" / "conftest.py").write_text("x")
    (bundle / "_internal" / "big.bin").write_bytes(b"\0" * 2_000_000)
    problems, _ = check(bundle, budget_mb=1)
    text = "\n".join(problems)
    assert "libllama is missing" in text and "conftest.py" in text and "over the 1 MB budget" in text
