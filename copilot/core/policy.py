"""A system-wide policy file: what an administrator pre-sets, and what users cannot change.

One JSON object in ``policy.json``, in the platform's system-wide configuration folder
(:func:`policy_locations`), or the file named by ``$PRIVATE_COPILOT_POLICY`` (an empty value:
no policy at all, which tests use to stay independent of the machine)::

    {
      "server_url": "https://llm.example.com/v1",
      "server_model": "openai/gpt-oss-120b",
      "server_ca_bundle": "/etc/ssl/certs/example-team-ca.pem",
      "backend": "server",
      "local_only": false,
      "history_retention": "30d",
      "allowed_backends": ["server", "local"],
      "actions_file": "/srv/copilot/actions.json",
      "locked": ["server_url", "history_retention"]
    }

Every key is optional. A value the policy sets is the default a user starts with; a key named
in ``locked`` (or every key the policy sets, with ``"locked": true``) is the value the user
has, whatever their own settings file says. ``allowed_backends`` limits where answers may
come from (``["server"]``: no local model, hence no fallback; ``["local"]``: never a server).
``actions_file`` names a shared action library; it is only read and passed on here.

A file that is not JSON, or sets a key or value this app does not know, never stops the app:
the bad part is left out and a warning says what and where, for the UI to show.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from copilot.core.settings import CHOICES, Settings, _valid

POLICY_ENV = "PRIVATE_COPILOT_POLICY"
POLICY_FILE = "policy.json"
BACKENDS = ("local", "server")
# Settings an administrator may pre-set (and lock); the other policy keys are its own.
SETTING_KEYS = ("server_url", "server_model", "server_ca_bundle", "backend", "local_only", "history_retention")
POLICY_KEYS = (*SETTING_KEYS, "allowed_backends", "actions_file", "locked")


@dataclass(frozen=True)
class Policy:
    source: Path | None = None  # the file read; None: no policy
    values: Mapping[str, Any] = field(default_factory=dict)  # Settings keys the policy sets
    locked: frozenset[str] = frozenset()  # of those, the ones users cannot change
    allowed_backends: tuple[str, ...] = BACKENDS
    actions_file: str = ""

    @property
    def managed(self) -> frozenset[str]:
        """Settings keys users cannot change: the locked ones, and those the allowed backends fix."""
        keys = set(self.locked)
        if len(self.allowed_backends) == 1:
            keys.add("backend")
        if "local" not in self.allowed_backends:
            keys.add("server_fallback")  # no local model to fall back to
        if "server" not in self.allowed_backends:
            keys.add("local_only")  # never a server: privacy mode stays on
        return frozenset(keys)

    def allows(self, backend: str) -> bool:
        return backend in self.allowed_backends

    def defaults(self, base: Settings | None = None) -> Settings:
        """The app's defaults with the policy's values in place: what a new user starts with."""
        return self.enforce(replace(base or Settings(), **self.values))

    def apply(self, user: Mapping[str, Any], base: Settings | None = None) -> Settings:
        """``user``'s valid values over the policy's defaults; managed keys keep the policy's."""
        defaults = self.defaults(base)
        return self.enforce(replace(defaults, **{k: v for k, v in user.items() if k not in self.managed}))

    def enforce(self, settings: Settings) -> Settings:
        """Locked values, and a backend the policy allows."""
        settings = replace(settings, **{k: v for k, v in self.values.items() if k in self.locked})
        if settings.backend not in self.allowed_backends:
            settings = replace(settings, backend=self.allowed_backends[0])
        if "local" not in self.allowed_backends:
            settings = replace(settings, server_fallback=False)
        if "server" not in self.allowed_backends:
            settings = replace(settings, local_only=True)
        return settings


NO_POLICY = Policy()


def policy_locations(platform: str | None = None, env: Mapping[str, str] | None = None) -> list[Path]:
    """Where an administrator puts ``policy.json``, first match wins:

    Linux and other XDG systems: ``/etc/xdg/private-copilot/`` (each folder of $XDG_CONFIG_DIRS);
    Windows: ``%ProgramData%\\PrivateCopilot\\``; macOS: ``/Library/Application Support/PrivateCopilot/``.
    """
    platform = platform or sys.platform
    env = os.environ if env is None else env
    if platform == "win32":
        return [Path(env.get("ProgramData") or r"C:\ProgramData") / "PrivateCopilot" / POLICY_FILE]
    if platform == "darwin":
        return [Path("/Library/Application Support/PrivateCopilot") / POLICY_FILE]
    dirs = [d for d in (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(os.pathsep) if d]
    return [Path(d) / "private-copilot" / POLICY_FILE for d in dirs]


def policy_path(env: Mapping[str, str] | None = None) -> Path | None:
    """The policy file that applies here, or None: $PRIVATE_COPILOT_POLICY first (empty: none)."""
    env = os.environ if env is None else env
    if POLICY_ENV in env:
        value = env[POLICY_ENV].strip()
        return Path(value).expanduser() if value else None
    return next((p for p in policy_locations(env=env) if p.is_file()), None)


def load_policy(path: Path | None = None, *, env: Mapping[str, str] | None = None) -> tuple[Policy, list[str]]:
    """The policy in ``path`` (default: :func:`policy_path`) and the warnings to show.

    Never raises for a bad file: a malformed one means no policy plus a warning; an unknown key
    or a bad value is left out with a warning and the rest of the file is used.
    """
    if path is None:
        path = policy_path(env)
        if path is None:
            return NO_POLICY, []
    if not path.exists():
        return NO_POLICY, [f"The policy file {path} (from ${POLICY_ENV}) does not exist; no administrator "
                           "policy applies."]
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        return NO_POLICY, [f"The administrator's policy file {path} is not valid JSON (line {exc.lineno}, column "
                           f"{exc.colno}: {exc.msg}); it is ignored and no policy applies. Ask your administrator "
                           "to fix it."]
    except (OSError, UnicodeDecodeError) as exc:
        return NO_POLICY, [f"The administrator's policy file {path} could not be read ({exc}); no policy applies."]
    if not isinstance(raw, dict):
        return NO_POLICY, [f"The administrator's policy file {path} is not a JSON object (it holds a "
                           f"{type(raw).__name__}); it is ignored and no policy applies."]
    return parse_policy(raw, path)


def parse_policy(raw: Mapping[str, Any], source: Path | None = None) -> tuple[Policy, list[str]]:
    where = f"The policy file {source}" if source else "The policy"
    warnings: list[str] = []
    defaults = Settings()
    types = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}

    def bad(key: str, value: Any, why: str) -> None:
        warnings.append(f"{where} sets {key}={value!r}, which {why}; that entry is ignored.")

    for key, value in raw.items():
        if key not in POLICY_KEYS:
            warnings.append(f"{where} sets an unknown key {key!r}; it is ignored (known keys: "
                            f"{', '.join(POLICY_KEYS)}).")
            continue
        if key in SETTING_KEYS:
            default = getattr(defaults, key)
            if not _valid(key, value, default):
                kind = (f"is not one of {', '.join(repr(c) for c in CHOICES[key])}" if key in CHOICES
                        else f"is not a {types[key]}")
                bad(key, value, kind)
            elif key == "server_url" and value and urlsplit(value).scheme not in ("http", "https"):
                bad(key, value, "is not an http:// or https:// address")
            else:
                values[key] = value
    allowed = BACKENDS
    if "allowed_backends" in raw:
        value = raw["allowed_backends"]
        if (not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value)
                or not set(value) <= set(BACKENDS)):
            bad("allowed_backends", value, 'is not a non-empty list of "local" and "server"')
        else:
            allowed = tuple(dict.fromkeys(value))
    actions_file = ""
    if "actions_file" in raw:
        value = raw["actions_file"]
        if isinstance(value, str):
            actions_file = value
        else:
            bad("actions_file", value, "is not a path (a string)")
    if "backend" in values and values["backend"] not in allowed:
        bad("backend", values.pop("backend"), f"allowed_backends ({', '.join(allowed)}) does not allow")
    locked: set[str] = set()
    if "locked" in raw:
        value = raw["locked"]
        if value is True:
            locked = set(values)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            for key in value:
                if key not in SETTING_KEYS:
                    warnings.append(f"{where} locks {key!r}, which is not a setting it can lock "
                                    f"({', '.join(SETTING_KEYS)}); ignored.")
                elif key not in values:
                    warnings.append(f"{where} locks {key!r} but sets no valid value for it; it stays the "
                                    "user's to change.")
                else:
                    locked.add(key)
        elif value is not False:
            bad("locked", value, "is neither a list of setting names nor true")
    return Policy(source, values, frozenset(locked), allowed, actions_file), warnings
