"""The wizard's team path, by keyboard, against the fake OpenAI-compatible server on 127.0.0.1;
and what an administrator's policy changes in the wizard and in Settings."""

from __future__ import annotations

import json

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt

from copilot.core.paths import app_paths
from copilot.core.policy import POLICY_ENV, load_policy
from copilot.core.secrets import SERVER_API_KEY, SERVICE
from copilot.core.settings import Settings, load_settings
from copilot.ui.application import needs_setup
from copilot.ui.settings_dialog import SettingsDialog
from copilot.ui.wizard import ModelWizard
from copilot.ui.wizard.pages import DONE, HARDWARE, MODEL, TEAM
from fake_openai import VLLM_MODELS, FakeOpenAI

TIMEOUT = 30_000


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.saved.get((service, username))

    def set_password(self, service, username, password):
        self.saved[(service, username)] = password

    def delete_password(self, service, username):
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated(monkeypatch):
    monkeypatch.setenv(POLICY_ENV, "")  # not the machine's policy
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens: no download may happen
    monkeypatch.delenv("HF_TOKEN", raising=False)


@pytest.fixture
def server():
    fake = FakeOpenAI(models=VLLM_MODELS).start()
    yield fake
    fake.stop()


@pytest.fixture
def paths(tmp_path):
    return app_paths(tmp_path / "base").ensure()


def make_wizard(qtbot, paths, settings=None, **kwargs) -> ModelWizard:
    wizard = ModelWizard(paths, settings or Settings(), locations=[], **kwargs)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    return wizard


def enter(qtbot, wizard) -> None:
    qtbot.keyClick(wizard, Qt.Key_Return)


def wait_page(qtbot, wizard, page_id) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == page_id, timeout=60_000)
    qtbot.waitUntil(lambda: wizard.currentPage().isComplete(), timeout=60_000)


def team_button(page):
    return next(b for b, c in page.choices.items() if c.kind == "server")


def to_team_page(qtbot, wizard):
    for page_id in (HARDWARE, MODEL):
        enter(qtbot, wizard)
        wait_page(qtbot, wizard, page_id)
    model_page = wizard.currentPage()
    button = team_button(model_page)
    assert "team's server" in button.text() and "no download" in button.text()
    button.setChecked(True)
    enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == TEAM, timeout=TIMEOUT)
    return wizard.currentPage()


def test_team_server_path_needs_no_download(qtbot, paths, server, memory_keyring):
    wizard = make_wizard(qtbot, paths, Settings(local_only=True))
    team = to_team_page(qtbot, wizard)
    assert "sent to this server" in team.privacy.text() and "turns it off" in team.privacy.text()
    assert "keyring" in team.keyring_note.text()
    assert team.server_url.hasFocus()
    qtbot.keyClicks(team.server_url, server.url)
    qtbot.keyClicks(team.api_key, "sk-team-key")
    enter(qtbot, wizard)  # Enter tests the connection, then goes on by itself
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=TIMEOUT)
    assert team.test_result.text().startswith("Connected in") and "openai/gpt-oss-20b" in team.test_result.text()
    assert team.server_model.currentText() == "openai/gpt-oss-20b"
    assert server.requests[0].path == "/v1/models"
    assert server.requests[0].headers.get("Authorization") == "Bearer sk-team-key"
    done = wizard.currentPage()
    assert "openai/gpt-oss-20b" in done.summary.text() and "127.0.0.1" in done.summary.text()
    assert "Manage models" in done.summary.text()  # the local model can come later, as the fallback
    with qtbot.waitSignal(wizard.sig_model_ready) as ready:
        enter(qtbot, wizard)
    s = ready.args[0]
    assert (s.backend, s.server_url, s.server_model, s.local_only) == ("server", server.url, "openai/gpt-oss-20b",
                                                                       False)
    assert s.model_path == ""  # nothing downloaded, nothing chosen
    saved, warnings = load_settings(paths.settings_file)
    assert saved == s and warnings == []
    assert "sk-team-key" not in paths.settings_file.read_text()
    assert memory_keyring.saved[(SERVICE, SERVER_API_KEY)] == "sk-team-key"
    assert not list(paths.models.glob("**/*.gguf")) and not (paths.models / ".partial").exists()
    assert not needs_setup(paths, saved, None)  # the next start goes straight to the window


@pytest.mark.usefixtures("no_keyring")
def test_a_server_that_is_not_openai_compatible_is_named_plainly(qtbot, paths):
    web = FakeOpenAI(models_raw=b"<html><body>It works!</body></html>").start()
    try:
        wizard = make_wizard(qtbot, paths)
        team = to_team_page(qtbot, wizard)
        assert "no keyring" in team.keyring_note.text()
        team.server_url.setText(web.url)
        enter(qtbot, wizard)
        qtbot.waitUntil(lambda: "not an OpenAI model list" in team.test_result.text(), timeout=TIMEOUT)
        assert wizard.currentId() == TEAM  # it stays, saying why
        web.models_raw = None  # now a plain web server: 404 where the API should be
        web.models_status = 404
        team.test_button.click()
        qtbot.waitUntil(lambda: "has no OpenAI-compatible API" in team.test_result.text(), timeout=TIMEOUT)
        assert wizard.currentId() == TEAM
    finally:
        web.stop()


@pytest.mark.usefixtures("no_keyring")
def test_a_model_the_server_does_not_serve_and_a_refused_server(qtbot, paths, server):
    wizard = make_wizard(qtbot, paths)
    team = to_team_page(qtbot, wizard)
    team.server_url.setText(server.url)
    team.server_model.setCurrentText("gpt-oss:120b")
    team.test_button.click()
    qtbot.waitUntil(lambda: "does not serve 'gpt-oss:120b'" in team.test_result.text(), timeout=TIMEOUT)
    assert "openai/gpt-oss-20b" in team.test_result.text()
    team.server_url.setText("http://127.0.0.1:9/v1")
    team.test_button.click()
    qtbot.waitUntil(lambda: "cannot be reached" in team.test_result.text(), timeout=TIMEOUT)


@pytest.mark.usefixtures("no_keyring")
def test_an_administrators_policy_presets_and_locks_the_server(qtbot, paths, server, tmp_path, monkeypatch):
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps({"server_url": server.url, "server_model": "openai/gpt-oss-20b",
                                       "allowed_backends": ["server"], "history_retention": "7d",
                                       "locked": ["server_url", "history_retention"]}))
    monkeypatch.setenv(POLICY_ENV, str(policy_file))
    settings, warnings = load_settings(paths.settings_file)
    assert warnings == [] and settings.server_url == server.url and settings.backend == "server"
    assert not needs_setup(paths, settings, None)  # a pre-set team server: no wizard at all
    wizard = make_wizard(qtbot, paths, settings)  # Models ▸ Manage models
    for page_id in (HARDWARE, MODEL):
        enter(qtbot, wizard)
        wait_page(qtbot, wizard, page_id)
    page = wizard.currentPage()
    assert page.group.checkedButton() is team_button(page)  # preselected
    assert all(not b.isEnabled() for b, c in page.choices.items() if c.kind != "server")  # no local model allowed
    enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == TEAM, timeout=TIMEOUT)
    team = wizard.currentPage()
    assert team.server_url.text() == server.url and not team.server_url.isEnabled()
    assert "administrator" in team.managed_note.text()
    enter(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == DONE, timeout=TIMEOUT)
    with qtbot.waitSignal(wizard.sig_model_ready):
        enter(qtbot, wizard)
    saved = json.loads(paths.settings_file.read_text())
    assert "server_url" not in saved and "history_retention" not in saved  # managed: never the user's file

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert not dialog.server_url.isEnabled() and not dialog.retention.isEnabled()
    assert not dialog.backend.isEnabled() and not dialog.fallback.isEnabled()
    assert dialog.server_model.isEnabled()  # pre-set but not locked: the user's to change
    assert "Set by your administrator" in dialog.server_url.toolTip()
    notes = [n.text() for n in dialog.managed_notes.values()]
    assert notes and all("Set by your administrator" in n for n in notes)
    dialog.server_url.setText("http://elsewhere/v1")  # even if forced, a managed value is not taken
    assert dialog.settings().server_url == server.url and dialog.settings().history_retention == "7d"


def test_privacy_mode_fixed_on_offers_no_team_server(qtbot, paths, tmp_path):
    policy_file = tmp_path / "policy.json"
    policy_file.write_text(json.dumps({"local_only": True, "locked": True}))
    policy, _ = load_policy(policy_file)
    settings, _ = load_settings(paths.settings_file, policy)
    wizard = make_wizard(qtbot, paths, settings, policy=policy)
    for page_id in (HARDWARE, MODEL):
        enter(qtbot, wizard)
        wait_page(qtbot, wizard, page_id)
    assert not any(c.kind == "server" for c in wizard.currentPage().choices.values())
    dialog = SettingsDialog(settings, managed=policy.managed)
    qtbot.addWidget(dialog)
    assert dialog.local_only.isChecked() and not dialog.local_only.isEnabled()


def test_a_broken_policy_file_still_lets_the_settings_dialog_open(qtbot, paths, tmp_path, monkeypatch):
    policy_file = tmp_path / "policy.json"
    policy_file.write_text('{"server_url": ')
    monkeypatch.setenv(POLICY_ENV, str(policy_file))
    settings, warnings = load_settings(paths.settings_file)
    assert settings == Settings() and "not valid JSON" in warnings[0]
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.server_url.isEnabled() is False and dialog.backend.isEnabled()  # nothing managed
    assert not dialog.managed_notes
