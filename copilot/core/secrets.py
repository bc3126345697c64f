"""Secrets (a Hugging Face token, an API key): the environment, else the OS keyring.

Never in a settings file or a log. Where the system has no keyring backend (a bare Linux
session without Secret Service, say) a secret is kept in memory for this session only,
and :attr:`SecretStore.persistent` says so, for the UI to tell the user.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

SERVICE = "PrivateCopilot"
HF_TOKEN = "huggingface-token"
SERVER_API_KEY = "server-api-key"
ENV_VARS = {HF_TOKEN: "HF_TOKEN"}

log = logging.getLogger(__name__)


class SecretStore:
    def __init__(self, service: str = SERVICE, env: Mapping[str, str] | None = None) -> None:
        self.service = service
        self._env = os.environ if env is None else env
        self._session: dict[str, str] = {}

    @property
    def persistent(self) -> bool:
        """Whether a saved secret survives a restart (an OS keyring backend exists)."""
        backend = self._backend()
        return backend is not None and getattr(backend, "priority", 0) > 0

    @staticmethod
    def _backend():
        try:
            import keyring

            return keyring.get_keyring()
        except Exception:  # a broken keyring configuration must not stop the app
            log.warning("the keyring could not be opened", exc_info=True)
            return None

    def source(self, name: str) -> str | None:
        """Where ``get`` finds the secret: "environment", "keyring", "session" or None."""
        var = ENV_VARS.get(name)
        if var and self._env.get(var):
            return "environment"
        if name in self._session:
            return "session"
        if self._from_keyring(name):
            return "keyring"
        return None

    def get(self, name: str) -> str | None:
        var = ENV_VARS.get(name)
        if var and self._env.get(var):
            return self._env[var]
        if name in self._session:
            return self._session[name]
        return self._from_keyring(name)

    def _from_keyring(self, name: str) -> str | None:
        if not self.persistent:
            return None
        try:
            import keyring

            return keyring.get_password(self.service, name) or None
        except Exception as exc:  # locked or broken keyring: behave as if nothing was saved
            log.warning("reading %s from the keyring failed: %s", name, type(exc).__name__)
            return None

    def set(self, name: str, value: str) -> bool:
        """Save ``value``; True if it went to the keyring, False if kept for this session only."""
        value = value.strip()
        if not value:
            self.delete(name)
            return self.persistent
        if self.persistent:
            try:
                import keyring

                keyring.set_password(self.service, name, value)
                self._session.pop(name, None)
                return True
            except Exception as exc:
                log.warning("saving %s to the keyring failed: %s", name, type(exc).__name__)
        self._session[name] = value
        return False

    def delete(self, name: str) -> None:
        self._session.pop(name, None)
        if not self.persistent:
            return
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            try:
                keyring.delete_password(self.service, name)
            except PasswordDeleteError:
                pass  # nothing was saved
        except Exception as exc:
            log.warning("deleting %s from the keyring failed: %s", name, type(exc).__name__)
