import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copilot.core.models.gguf_header import ModelFileError, inspect_gguf
from tiny_gpt_oss import write_tiny_gpt_oss


def test_valid_tiny_gpt_oss(tiny_gpt_oss):
    info = inspect_gguf(tiny_gpt_oss)
    assert info.architecture == "gpt-oss"
    assert info.is_harmony
    assert info.name == "tiny-gpt-oss"
    assert "<|channel|>" in info.chat_template
    assert info.get("expert_used_count") == 2
    assert len(info.tensors) == 3 + 2 * 19


def test_valid_smollm2(smol_path):
    info = inspect_gguf(smol_path)
    assert info.architecture == "llama"
    assert not info.is_harmony
    assert info.context_length == 8192


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"hello, I am a text file\n" * 10, "not a GGUF model file"),
    (b"GGUF" + (99).to_bytes(4, "little") + bytes(16), "GGUF version 99"),
    (b"GGUF" + (3).to_bytes(4, "big") + bytes(16), "big-endian"),
    (b"GGUF" + (3).to_bytes(4, "little") + (1).to_bytes(8, "little") + (2**40).to_bytes(8, "little"),
     "claims"),
    (b"GGUF\x03\x00\x00", "truncated"),
])
def test_bad_headers(tmp_path, content, message):
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelFileError, match=message):
        inspect_gguf(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ModelFileError, match="No model file"):
        inspect_gguf(tmp_path / "nope.gguf")
    with pytest.raises(ModelFileError, match="is a folder"):
        inspect_gguf(tmp_path)


@pytest.mark.parametrize("fraction", [0.01, 0.05, 0.3, 0.9, 0.9999])
def test_truncated_download(tmp_path, tiny_gpt_oss, fraction):
    data = tiny_gpt_oss.read_bytes()
    path = tmp_path / "partial.gguf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ModelFileError, match="truncated"):
        inspect_gguf(path)


def test_missing_required_gpt_oss_key(tmp_path):
    path = write_tiny_gpt_oss(tmp_path / "broken.gguf", omit_keys=("expert_used_count",))
    with pytest.raises(ModelFileError, match="lacks expert_used_count"):
        inspect_gguf(path)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_llama_cpp_would_abort_on_that_file(tmp_path):
    """Why the check exists: llama.cpp kills the whole process on this file, no exception."""
    path = write_tiny_gpt_oss(tmp_path / "broken.gguf", omit_keys=("expert_used_count",))
    code = textwrap.dedent(f"""
        import llama_cpp
        try:
            llama_cpp.Llama(model_path={str(path)!r}, n_ctx=256, verbose=False)
        except Exception:
            pass  # a Python exception would have been fine: the process lives on
        print("survived")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGABRT, (proc.returncode, proc.stdout[-500:])
    assert b"survived" not in proc.stdout


def test_engine_refuses_broken_file_and_process_survives(tmp_path):
    from copilot.core.engine import LocalEngine, ModelConfig

    path = write_tiny_gpt_oss(tmp_path / "broken.gguf", omit_keys=("expert_used_count",))
    engine = LocalEngine()
    with pytest.raises(ModelFileError, match="expert_used_count"):
        engine.load(ModelConfig(path))
    assert engine.info is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 30000), st.integers(0, 255)), min_size=1, max_size=6))
def test_corrupted_bytes_never_crash_the_parser(tmp_path, tiny_gpt_oss, edits):
    data = bytearray(tiny_gpt_oss.read_bytes())
    for pos, value in edits:
        data[pos % len(data)] = value
    path = tmp_path / "fuzz.gguf"
    path.write_bytes(bytes(data))
    try:
        inspect_gguf(path)
    except ModelFileError:
        pass
