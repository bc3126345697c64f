"""copilot.core must never import Qt: the CLI, tests and other front ends reuse it."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import copilot.core

QT_MODULES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "qtpy", "pytestqt")
CORE = Path(copilot.core.__file__).parent


def test_no_qt_import_statement_under_core():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(CORE)}: {n}" for n in names if n.split(".")[0] in QT_MODULES]
    assert not offenders, offenders


def test_importing_every_core_module_loads_no_qt():
    modules = [m.name for m in pkgutil.walk_packages([str(CORE)], "copilot.core.")]
    assert "copilot.core.engine" in modules and "copilot.core.tasks.email" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "import copilot.cli\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
