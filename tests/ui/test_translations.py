"""The Spanish catalogue: complete, in step with the code, compiled, and what the window shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from copilot.core.paths import app_paths
from copilot.core.settings import Settings
from copilot.core.store import Store
from copilot.ui.application import install_translations, ui_language
from copilot.ui.main_window import MainWindow
from copilot.ui.runner import TaskRunner

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "copilot_es.ts"
QM = TS.with_suffix(".qm")
STALE = "run `make translations` and translate the new strings"

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:L?\d+|n|p)")  # str.format fields, Qt's %1 %L1 %n %p
TAG = re.compile(r"</?([A-Za-z][\w-]*)[^>]*>")
MNEMONIC = re.compile(r"&(?!&)(.)")  # "&&" is a literal ampersand, not a mnemonic


def tool(name: str) -> str:
    """A Qt tool from the virtualenv the tests run in (next to python), or from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found next to {sys.executable} or on PATH; is PySide6 installed?")
    return found


def messages(path: Path) -> list[tuple[str, str, list[str], ET.Element]]:
    """(context, source, translations, <translation>) of every live message: not obsolete or vanished."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in ("obsolete", "vanished"):
                continue
            if translation is None:
                texts = [""]
            else:
                texts = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            found.append((name, message.findtext("source") or "", texts, translation))
    return found


def keys(path: Path) -> set[tuple[str, str]]:
    return {(context, source) for context, source, _texts, _el in messages(path)}


def mnemonics(text: str) -> list[str]:
    return MNEMONIC.findall(text.replace("&&", ""))


CATALOGUE = messages(TS)


def test_catalogue_is_spanish_and_not_empty():
    assert ET.parse(TS).getroot().get("language") == "es_ES"
    assert len(CATALOGUE) > 150


@pytest.mark.parametrize("context,source,texts,translation", CATALOGUE,
                         ids=[f"{c}:{s[:40]}" for c, s, _t, _e in CATALOGUE])
def test_every_message_is_translated_faithfully(context, source, texts, translation):
    assert translation is not None and translation.get("type") is None, "unfinished translation"
    for text in texts:
        assert text.strip(), "empty translation"
        assert Counter(PLACEHOLDER.findall(text)) == Counter(PLACEHOLDER.findall(source)), text
        assert Counter(TAG.findall(text)) == Counter(TAG.findall(source)), text
        assert text[:1].isspace() == source[:1].isspace() and text[-1:].isspace() == source[-1:].isspace(), text
        assert len(mnemonics(text)) == len(mnemonics(source)), text
        assert all(letter.isalnum() for letter in mnemonics(text)), text
        assert ("…" in text) == ("…" in source), text
        if "Private Copilot" in source:
            assert "Private Copilot" in text, "the product name stays as it is"


def test_mnemonics_do_not_collide_within_a_context():
    letters: dict[str, list[tuple[str, str]]] = {}
    for context, _source, texts, _el in CATALOGUE:
        for text in texts:
            for letter in mnemonics(text):
                letters.setdefault(context, []).append((letter.lower(), text))
    for context, used in letters.items():
        counts = Counter(letter for letter, _text in used)
        clashes = [text for letter, text in used if counts[letter] > 1]
        assert not clashes, f"{context}: {clashes}"


def test_catalogue_matches_the_code(tmp_path):
    sources = sorted(str(p) for folder in ("ui", "hotkey") for p in (ROOT / "copilot" / folder).rglob("*.py"))
    fresh = tmp_path / "fresh.ts"
    result = subprocess.run([tool("pyside6-lupdate"), *sources, "-ts", str(fresh)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    in_code, committed = keys(fresh), keys(TS)
    assert in_code == committed, (f"{STALE}; new in the code: {sorted(in_code - committed)}; "
                                  f"gone from the code: {sorted(committed - in_code)}")


def test_compiled_catalogue_is_current(tmp_path):
    qm = tmp_path / "copilot_es.qm"
    result = subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(qm)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert " 0 unfinished" in output and "Ignored" not in output, output
    assert QM.exists() and qm.read_bytes() == QM.read_bytes(), f"{QM.name} is older than {TS.name}: {STALE}"


# -- the running app ---------------------------------------------------------------------

ENGLISH_NAV = ["Email reply", "Meeting summary", "Writing", "History", "Settings"]
SPANISH_NAV = ["Respuesta de correo", "Resumen de reunión", "Redacción", "Historial", "Ajustes"]


@pytest.fixture
def spanish(qapp):
    app = QApplication.instance()
    translators = install_translations(app, "es")
    yield translators
    for translator in translators:
        app.removeTranslator(translator)


@pytest.fixture
def make_window(qtbot, tmp_path):
    made = []

    def make() -> MainWindow:
        paths = app_paths(tmp_path / f"base{len(made)}").ensure()
        window = MainWindow(paths, Settings(n_ctx=4096), Store(paths.database), TaskRunner(), default_model=None)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.runner.shutdown()
        window.store.close()


def window_texts(window: MainWindow) -> tuple[list[str], str]:
    nav = [window.nav.item(row).text() for row in range(window.nav.count())]
    return nav, window.pane("email").generate_button.text()


def test_window_speaks_spanish_with_the_translator(spanish, make_window):
    assert spanish and spanish[0].language() == "es_ES"  # copilot_es.qm first, then Qt's own
    window = make_window()
    nav, generate = window_texts(window)
    assert nav == SPANISH_NAV
    assert generate == "Generar"
    assert window.pane("writing").accept_button.text() == "&Aceptar"
    assert window.windowTitle() == "Private Copilot"
    assert window.model_label.text() == "Sin modelo"


def test_window_speaks_english_by_default(make_window):
    nav, generate = window_texts(make_window())
    assert nav == ENGLISH_NAV
    assert generate == "Generate"


def test_explicit_language_setting_wins_over_the_system():
    assert ui_language(Settings(ui_language="es")) == "es"
    assert ui_language(Settings(ui_language="en")) == "en"


# -- the system language ------------------------------------------------------------------

SYSTEM_LANGUAGE = """
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

app = QApplication([])
from copilot.core.settings import Settings
from copilot.ui.application import ui_language

print(QLocale.system().name(), ui_language(Settings()))
"""


@pytest.mark.parametrize("env,expected", [
    ({"LANG": "es_ES.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"),
    ({"LANG": "es_ES.UTF-8"}, "es"),
    ({"LANG": "es_MX.UTF-8"}, "es"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "es_ES:es"}, "es"),  # LANGUAGE (the messages language) wins
    ({"LANG": "en_US.UTF-8"}, "en"),
], ids=["LC_ALL", "LANG", "LANG-mx", "LANGUAGE", "english"])
def test_system_language_is_read_from_the_environment(env, expected):
    """Qt derives QLocale.system() from LC_ALL / LANG / LANGUAGE on Unix, even where that locale
    is not generated (glibc's setlocale then fails, and Qt only warns on stderr)."""
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the system locale comes from the OS settings, not the environment")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    result = subprocess.run([sys.executable, "-c", SYSTEM_LANGUAGE], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**clean, **env, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    name, language = result.stdout.split()
    assert name.split("_")[0] == expected and language == expected, (result.stdout, result.stderr)
