"""Where the app keeps its files: platformdirs, or everything under one --basedir.

Never beside the executable (it breaks in Program Files and in .app bundles).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "PrivateCopilot"
APP_AUTHOR = "PrivateCopilot"
BASEDIR_ENV = "PRIVATE_COPILOT_BASEDIR"


@dataclass(frozen=True)
class AppPaths:
    config: Path
    data: Path
    cache: Path
    logs: Path

    @property
    def models(self) -> Path:
        # Data, not cache: operating systems purge cache folders, and this is 12 GB to re-download.
        return self.data / "models"

    @property
    def speech_models(self) -> Path:
        """A folder per speech model (faster-whisper's model.bin, config.json, tokenizer.json…)."""
        return self.models / "speech"

    @property
    def recordings(self) -> Path:
        """Meetings being recorded, and those not transcribed yet (a crash leaves them here)."""
        return self.data / "recordings"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def database(self) -> Path:
        return self.data / "copilot.sqlite3"

    def ensure(self) -> "AppPaths":
        for p in (self.config, self.data, self.cache, self.logs):
            p.mkdir(parents=True, exist_ok=True)
        return self


def app_paths(basedir: str | os.PathLike[str] | None = None) -> AppPaths:
    """The app's directories. ``basedir`` (or $PRIVATE_COPILOT_BASEDIR) redirects them all."""
    base = basedir or os.environ.get(BASEDIR_ENV)
    if base:
        root = Path(base).expanduser().resolve()
        return AppPaths(root / "config", root / "data", root / "cache", root / "logs")
    return AppPaths(
        Path(platformdirs.user_config_dir(APP_DIR_NAME, APP_AUTHOR)),
        Path(platformdirs.user_data_dir(APP_DIR_NAME, APP_AUTHOR)),
        Path(platformdirs.user_cache_dir(APP_DIR_NAME, APP_AUTHOR)),
        Path(platformdirs.user_log_dir(APP_DIR_NAME, APP_AUTHOR)),
    )
