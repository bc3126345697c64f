"""User settings, declared once: defaults, types, and a schema version.

Only the keys that differ from their defaults are written, so a changed default reaches
users who never touched it. A corrupt or hand-broken file never stops the app: it means
defaults plus a warning that the UI shows.

An administrator's policy file (core/policy.py) is applied on load: its values are the
defaults, and the keys it locks (:func:`managed_keys`) keep its values whatever the user's
file says. Its warnings join the settings' own.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1

CHOICES: dict[str, tuple[str, ...]] = {
    "reasoning_effort": ("", "low", "medium", "high"),  # "": each action's own default
    "theme": ("system", "light", "dark"),
    "ui_language": ("system", "en", "es"),
    "history_retention": ("forever", "30d", "7d", "none"),
    "backend": ("local", "server"),
}


@dataclass(frozen=True)
class Settings:
    model_path: str = ""  # "": the downloaded gpt-oss-20b in the models folder
    n_threads: int = 0  # 0: physical cores
    n_gpu_layers: int = -1  # -1: all that fit the build's GPU backend
    n_ctx: int = 16384
    flash_attn: bool = True
    # KV cache: "auto" (f16, quality-safe) or "q8_0" (half the memory, at a measured cost in
    # quality on gpt-oss: fit.auto_cache_type, docs/PERFORMANCE.md)
    kv_type: str = "auto"
    reasoning_effort: str = ""
    hotkey: str = "<ctrl>+<alt>+<space>"
    theme: str = "system"
    ui_language: str = "system"
    history_retention: str = "forever"
    unload_after_minutes: int = 0  # 0: keep the model loaded while the app runs
    start_at_login: bool = False
    # An OpenAI-compatible server (vLLM, llama-server, Ollama, LM Studio) instead of the local
    # model. Its API key lives in the OS keyring (secrets.SERVER_API_KEY), never here.
    backend: str = "local"
    server_url: str = ""
    server_model: str = ""  # "": the first model the server lists
    server_ca_bundle: str = ""  # a team's own certificate authority; "": the system's
    server_fallback: bool = True  # the local model answers when the server is down or overloaded
    local_only: bool = False  # privacy mode: no text ever leaves this computer, whatever backend says
    # Meeting audio (core/speech.py): the speech model's folder ("": the downloaded whisper-small),
    # the language spoken ("": detected), and whether a recording is kept after its transcript is
    # made (never in privacy mode)
    asr_model_path: str = ""
    asr_language: str = ""
    keep_recordings: bool = False
    # A LoRA adapter (GGUF) applied to the local model, and its scale (0: off; core/models/adapter.py
    # checks it fits the model before it is loaded)
    adapter_path: str = ""
    adapter_scale: float = 1.0


def _valid(name: str, value: Any, default: Any) -> bool:
    if isinstance(default, float) and type(value) is int:
        value = float(value)  # "adapter_scale": 2 in a hand-edited file
    if type(value) is not type(default):  # bool is not int here, on purpose
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return name not in CHOICES or value in CHOICES[name]


def _policy(policy):
    """The given policy, or the system's (with its warnings) when None."""
    from copilot.core.policy import load_policy

    return (policy, []) if policy is not None else load_policy()


def managed_keys(policy=None) -> frozenset[str]:
    """The settings an administrator's policy fixes (None: the system's policy file)."""
    return _policy(policy)[0].managed


def load_settings(path: Path, policy=None) -> tuple[Settings, list[str]]:
    """Settings from ``path`` under ``policy`` (None: the system's policy file, core/policy.py),
    and the warnings to show (never raises for a bad file)."""
    policy, warnings = _policy(policy)
    defaults = Settings()
    if not path.exists():
        return policy.defaults(defaults), warnings
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        return policy.defaults(defaults), [*warnings, f"Settings file {path} could not be read ({exc}); using defaults."]
    version = raw.get("version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        warnings.append(f"Settings file {path} is version {version}, this app reads {SCHEMA_VERSION}; "
                        "unknown entries are ignored.")
    values = {}
    for f in fields(Settings):
        if f.name not in raw:
            continue
        default = getattr(defaults, f.name)
        if _valid(f.name, raw[f.name], default):
            values[f.name] = raw[f.name]
        else:
            warnings.append(f"Setting {f.name}={raw[f.name]!r} is not valid; using {default!r}.")
    return policy.apply(values, defaults), warnings


def changed_keys(settings: Settings, base: Settings | None = None) -> dict[str, Any]:
    defaults = asdict(base or Settings())
    return {k: v for k, v in asdict(settings).items() if defaults[k] != v}


def save_settings(path: Path, settings: Settings, policy=None) -> None:
    """Write the keys that differ from the defaults (the policy's, where it sets them)
    atomically (a crash mid-write leaves the old file intact); managed keys are not written."""
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if not _valid(f.name, value, f.default):
            raise ValueError(f"invalid setting {f.name}={value!r}")
    policy, _ = _policy(policy)
    changed = changed_keys(settings, policy.defaults())
    data = {"version": SCHEMA_VERSION, **{k: v for k, v in changed.items() if k not in policy.managed}}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
