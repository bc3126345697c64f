"""Secrets: environment first, then the OS keyring; session-only where no keyring exists."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend

from copilot.core.secrets import HF_TOKEN, SecretStore


class MemoryKeyring(KeyringBackend):
    """An OS keyring stand-in (no Secret Service runs here)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.items:
            raise PasswordDeleteError(username)
        del self.items[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keyring_saves_and_a_new_store_reads_it(memory_keyring):
    store = SecretStore(env={})
    assert store.persistent
    assert store.set(HF_TOKEN, "  hf_abc  ") is True
    assert memory_keyring.items[("PrivateCopilot", HF_TOKEN)] == "hf_abc"
    again = SecretStore(env={})
    assert again.get(HF_TOKEN) == "hf_abc" and again.source(HF_TOKEN) == "keyring"
    again.delete(HF_TOKEN)
    assert SecretStore(env={}).get(HF_TOKEN) is None
    again.delete(HF_TOKEN)  # deleting nothing is fine


def test_environment_wins(memory_keyring):
    store = SecretStore(env={"HF_TOKEN": "hf_env"})
    store.set(HF_TOKEN, "hf_saved")
    assert store.get(HF_TOKEN) == "hf_env" and store.source(HF_TOKEN) == "environment"


def test_without_a_keyring_the_secret_lives_for_the_session_only(no_keyring):
    store = SecretStore(env={})
    assert not store.persistent
    assert store.set(HF_TOKEN, "hf_session") is False
    assert store.get(HF_TOKEN) == "hf_session" and store.source(HF_TOKEN) == "session"
    assert SecretStore(env={}).get(HF_TOKEN) is None


def test_empty_value_deletes(memory_keyring):
    store = SecretStore(env={})
    store.set(HF_TOKEN, "hf_x")
    store.set(HF_TOKEN, "   ")
    assert store.get(HF_TOKEN) is None and store.source(HF_TOKEN) is None
