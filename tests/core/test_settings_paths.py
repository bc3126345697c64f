import json

from copilot.core.paths import BASEDIR_ENV, app_paths
from copilot.core.settings import SCHEMA_VERSION, Settings, load_settings, save_settings


def test_basedir_redirects_every_directory(tmp_path):
    paths = app_paths(tmp_path / "base").ensure()
    for p in (paths.config, paths.data, paths.cache, paths.logs, paths.models.parent, paths.settings_file.parent):
        assert (tmp_path / "base") in p.parents or p == tmp_path / "base"
    assert paths.models.parent == paths.data  # models are data, never cache


def test_basedir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(BASEDIR_ENV, str(tmp_path))
    assert app_paths().config == tmp_path.resolve() / "config"


def test_defaults_without_file(tmp_path):
    assert load_settings(tmp_path / "settings.json") == (Settings(), [])


def test_only_changed_keys_are_saved(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(n_ctx=32768, theme="dark"))
    assert json.loads(path.read_text()) == {"version": SCHEMA_VERSION, "n_ctx": 32768, "theme": "dark"}
    assert load_settings(path) == (Settings(n_ctx=32768, theme="dark"), [])


def test_corrupt_file_means_defaults_and_a_warning(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    settings, warnings = load_settings(path)
    assert settings == Settings() and len(warnings) == 1 and "could not be read" in warnings[0]


def test_bad_values_are_replaced_one_by_one(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": SCHEMA_VERSION, "n_ctx": "big", "theme": "pink",
                                "flash_attn": 1, "n_threads": 4}))
    settings, warnings = load_settings(path)
    assert settings == Settings(n_threads=4)
    assert len(warnings) == 3


def test_save_rejects_invalid_and_leaves_file(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(theme="dark"))
    before = path.read_text()
    try:
        save_settings(path, Settings(theme="neon"))
    except ValueError:
        pass
    else:
        raise AssertionError("invalid theme saved")
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left behind
