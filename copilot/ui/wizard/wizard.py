"""The first-run wizard, also the model manager ("Models ▸ Manage models")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QWidget, QWizard

from copilot.core.paths import AppPaths
from copilot.core.policy import Policy, load_policy
from copilot.core.secrets import HF_TOKEN, SERVER_API_KEY, SecretStore
from copilot.core.settings import Settings, save_settings
from copilot.ui.wizard.pages import (BENCH, DONE, FETCH, HARDWARE, MODEL, TEAM, WELCOME, BenchPage, Choice,
                                     DonePage, FetchPage, HardwarePage, ModelPage, TeamPage, WelcomePage)


class ModelWizard(QWizard):
    """Welcome → This computer → Model → Download or check → Try it → Done, or
    Model → Your team's server → Done, with nothing downloaded.

    On Finish the chosen model and the settings measured for it (or the team's server) are
    saved, a server's API key goes to the keyring, and :attr:`sig_model_ready` carries the new
    Settings. An administrator's policy (core/policy.py) decides which paths are offered and
    which fields are fixed.
    """

    sig_model_ready = Signal(object)  # Settings

    def __init__(self, paths: AppPaths, settings: Settings, *, secrets: SecretStore | None = None,
                 locations=None, first_run: bool = True, policy: Policy | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths, self.settings = paths, settings
        self.policy = policy if policy is not None else load_policy()[0]
        self.managed = self.policy.managed
        self.team = None  # pages.TeamServer, once the team page connected
        self.secrets = secrets or SecretStore()
        self.locations = locations  # where to look for existing GGUFs (None: the usual places)
        self.survey = None
        self.survey_failed = False
        self.choice: Choice | None = None
        self.chosen_file: Path | None = None
        self.download_dir: Path = paths.models
        self.model_path: Path | None = None
        self.plan = None
        self.bench = None
        self.session_token: str | None = None
        self.speech_model = ""  # a speech model folder chosen on the last page (optional)
        self._threads: list[QThread] = []

        self.setWindowTitle(self.tr("Private Copilot — Set up") if first_run else self.tr("Manage models"))
        self.setWizardStyle(QWizard.ModernStyle)
        self.setOption(QWizard.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.NoCancelButtonOnLastPage, True)
        for page_id, page in ((WELCOME, WelcomePage(self)), (HARDWARE, HardwarePage(self)), (MODEL, ModelPage(self)),
                              (FETCH, FetchPage(self)), (BENCH, BenchPage(self)), (DONE, DonePage(self)),
                              (TEAM, TeamPage(self))):
            self.setPage(page_id, page)
        self.setStartId(WELCOME if first_run else HARDWARE)
        # Enter means Next (or Finish). While Next is disabled, Qt would hand Enter to the
        # next "auto default" button, Back, and a Return typed in the token field would leave
        # the page and pause the download.
        for which in (QWizard.BackButton, QWizard.CancelButton):
            self.button(which).setAutoDefault(False)
        self.resize(720, 540)

    def resume_download(self, entry) -> None:
        """Start on the download page, carrying on with a download that was interrupted."""
        self.choice = Choice("download", entry=entry)
        self.setStartId(FETCH)

    # -- state the pages share
    def token(self) -> str | None:
        return self.session_token or self.secrets.get(HF_TOKEN)

    def save_token(self, value: str) -> None:
        if not self.secrets.set(HF_TOKEN, value):
            self.session_token = value.strip()

    def team_allowed(self) -> bool:
        """Whether "Use my team's server" is offered: the policy allows servers and privacy
        mode is not fixed on."""
        return self.policy.allows("server") and not ("local_only" in self.managed and self.settings.local_only)

    def team_preferred(self) -> bool:
        """A server is already set (by an administrator, say): offer it first."""
        return bool(self.settings.server_url) or (self.choice is not None and self.choice.kind == "server")

    def track(self, thread: QThread) -> None:
        self._threads = [t for t in self._threads if t.isRunning()]
        self._threads.append(thread)

    def new_settings(self) -> Settings:
        if self.choice is not None and self.choice.kind == "server" and self.team is not None:
            s = replace(self.settings, backend="server", local_only=False, **{
                key: value for key, value in (("server_url", self.team.url), ("server_model", self.team.model),
                                              ("server_ca_bundle", self.team.ca_bundle))
                if key not in self.managed})
            return replace(s, asr_model_path=self.speech_model) if self.speech_model else s
        s = replace(self.settings, model_path=str(self.model_path))
        if self.speech_model:  # the optional second download (the last page)
            s = replace(s, asr_model_path=self.speech_model)
        if self.plan is not None:
            s = replace(s, n_ctx=self.plan.n_ctx, n_gpu_layers=self.plan.n_gpu_layers)
        return s

    # -- ending
    def accept(self) -> None:
        settings = self.new_settings()
        if settings.backend == "server" and self.team is not None and self.team.api_key:
            self.secrets.set(SERVER_API_KEY, self.team.api_key)  # the keyring; never the settings file
        save_settings(self.paths.settings_file, settings, self.policy)
        self.settings = settings
        self.stop_threads()
        super().accept()
        self.sig_model_ready.emit(settings)

    def reject(self) -> None:
        self.stop_threads()
        super().reject()

    def stop_threads(self) -> None:
        """Pause a download (its part is kept), stop checks, and join every worker."""
        fetch = self.page(FETCH)
        fetch.stop_worker(pause=True)
        for thread in self._threads:
            thread.wait()
        self._threads.clear()
