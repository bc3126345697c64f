"""--smoke-test from the source install, and the bundle checker that CI runs on the frozen build."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

from check_bundle import check, misaligned_segments  # noqa: E402


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
    for name in ("av/_core.abi3.so", "ctranslate2/_ext.cpython-311-x86_64-linux-gnu.so",
                 "tokenizers/tokenizers.abi3.so"):
        (internal / name).parent.mkdir(parents=True, exist_ok=True)
        (internal / name).write_bytes(elf([(0, 0), (0x2000, 0x3000)]))
    return root


def elf(loads: list[tuple[int, int]]) -> bytes:
    """A 64-bit little-endian ELF header and its PT_LOAD program headers, (offset, address) each."""
    phoff, phentsize = 64, 56
    head = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    head += struct.pack("<HHIQQQIHHHHHH", 3, 62, 1, 0, phoff, 0, 0, 64, phentsize, len(loads), 64, 0, 0)
    table = b"".join(struct.pack("<IIQQQQQQ", 1, 5, off, addr, addr, 0x100, 0x100, 0x1000) for off, addr in loads)
    return head + table


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


def test_bundle_check_finds_a_misaligned_strip_onnxruntime_and_missing_speech(tmp_path):
    bundle = fake_bundle(tmp_path / "b")
    (bundle / "_internal" / "tokenizers" / "tokenizers.abi3.so").unlink()
    # what `strip` left in numpy's auditwheel-patched libgfortran: an empty segment off its page
    (bundle / "_internal" / "numpy.libs").mkdir()
    (bundle / "_internal" / "numpy.libs" / "libgfortran.so.5").write_bytes(elf([(0, 0), (0x27a9a0, 0x484000)]))
    (bundle / "_internal" / "onnxruntime" / "capi").mkdir(parents=True)
    (bundle / "_internal" / "onnxruntime" / "capi" / "libonnxruntime.so.1").write_bytes(b"x")
    (bundle / "_internal" / "faster_whisper" / "assets").mkdir(parents=True)
    (bundle / "_internal" / "faster_whisper" / "assets" / "silero_vad_v6.onnx").write_bytes(b"x")
    problems, _ = check(bundle, budget_mb=100)
    text = "\n".join(problems)
    assert "libgfortran.so.5 cannot be loaded" in text and "0x27a9a0" in text
    assert "libonnxruntime.so.1" in text and "silero_vad_v6.onnx" in text
    assert "tokenizers/tokenizers.* (transcription) is missing" in text
    assert len(problems) == 4, problems


def test_misaligned_segments_reads_real_libraries():
    assert misaligned_segments(Path(sys.executable).resolve()) in ([], None)  # None: not ELF (macOS, Windows)
    assert misaligned_segments(Path(__file__)) is None
