"""`private-copilot actions …` and `rewrite --action NAME [--to CODE]`, and the popup's order."""

import argparse
import json

import pytest

from copilot.cli_actions import ActionsCliError, rewrite_action, rewrite_prompt
from copilot.core.actions import ActionLibrary
from copilot.core.paths import app_paths
from test_cli import cli, env  # noqa: F401  (the fixture)
from tiny_gpt_oss import write_tiny_gpt_oss

ANSWER = ("<|channel|>", "final", "<|message|>", "Hola", "Ġmundo", "<|return|>")


def test_list_export_import(env, tmp_path):  # noqa: F811
    r = cli(["actions", "list"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split() == ["NAME", "KEY", "EFFORT", "RESULT", "LANGUAGE", "SHORTCUT", "HIDDEN"]
    assert "translate" in r.stdout and "Key points" in r.stdout

    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps({"version": 1, "actions": [
        {"key": "pirate", "name": "Pirate", "instruction": "Talk like a pirate.", "effort": "medium",
         "result": "panel", "language": "es", "shortcut": "Ctrl+Alt+P"},
        {"key": "table", "builtin": True, "hidden": True}]}))
    r = cli(["actions", "import", str(mine)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    listed = cli(["actions", "list"], env, tmp_path).stdout
    row = next(line for line in listed.splitlines() if line.startswith("Pirate"))
    assert row.split() == ["Pirate", "*", "pirate", "medium", "panel", "es", "Ctrl+Alt+P", "no"]
    assert next(line for line in listed.splitlines() if line.startswith("Table")).split()[-1] == "yes"

    out = tmp_path / "out.json"
    assert cli(["actions", "export", str(out)], env, tmp_path).returncode == 0
    exported = json.loads(out.read_text())
    assert exported["version"] == 1 and any(a["key"] == "pirate" for a in exported["actions"])

    saved = (tmp_path / "base" / "config" / "actions.json").read_bytes()
    for bad, message in (("{oops", "not valid JSON"), ('{"version": 5, "actions": []}', "newer version"),
                         ('{"version": 1, "actions": [{"key": "x", "name": "Pirate", "instruction": "y"}]}',
                          "named \"Pirate\"")):
        (tmp_path / "bad.json").write_text(bad)
        r = cli(["actions", "import", str(tmp_path / "bad.json")], env, tmp_path)
        assert r.returncode == 4 and message in r.stderr and "were not changed" in r.stderr
        assert (tmp_path / "base" / "config" / "actions.json").read_bytes() == saved
    r = cli(["actions", "import", str(tmp_path / "missing.json")], env, tmp_path)
    assert r.returncode == 4 and "cannot read" in r.stderr

    r = cli(["actions", "import", "--replace", str(out)], env, tmp_path)
    assert r.returncode == 0, r.stderr


def test_rewrite_with_a_user_action_and_translate(env, tmp_path):  # noqa: F811
    model = write_tiny_gpt_oss(tmp_path / "answer.gguf", script=ANSWER)
    paths = app_paths(tmp_path / "base").ensure()
    lib = ActionLibrary(path=paths.config / "actions.json")
    lib.add("Pirate", "Talk like a pirate.")
    lib.save()
    r = cli(["rewrite", "--action", "pirate", "--model", str(model)], env, tmp_path, stdin="hello world")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Hola mundo\n"
    r = cli(["rewrite", "--action", "translate", "--to", "es", "--model", str(model)], env, tmp_path,
            stdin="hello world")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Hola mundo\n"
    r = cli(["rewrite", "--action", "translate", "--model", str(model)], env, tmp_path, stdin="hello world")
    assert r.returncode == 2 and "--to CODE" in r.stderr
    r = cli(["rewrite", "--action", "nope", "--model", str(model)], env, tmp_path, stdin="hello world")
    assert r.returncode == 2 and "unknown action 'nope'" in r.stderr and ", pirate, custom" in r.stderr


def test_the_prompt_carries_the_target_language(tmp_path):
    paths = app_paths(tmp_path).ensure()
    args = argparse.Namespace(action="Translate", to="es")
    action = rewrite_action(args, paths, None)
    prompt, mode = rewrite_prompt(action, args, "Hello, see you on Monday at 10:00.", None)
    assert "Translate the text into Spanish" in prompt.messages[-1]["content"] and mode == "rewrite"
    with pytest.raises(ActionsCliError) as info:
        rewrite_action(argparse.Namespace(action="translate", to=" "), paths, None)
    assert info.value.code == 2


def test_the_popup_follows_the_library_order(qtbot):
    from PySide6.QtCore import Qt

    from copilot.hotkey.popup import RewritePopup
    from copilot.ui.runner import TaskRunner

    lib = ActionLibrary()
    mine = lib.add("Pirate", "Talk like a pirate.", result="panel")
    lib.move(mine.key, 0)
    lib.hide("proofread")
    runner = TaskRunner()
    try:
        popup = RewritePopup(runner, library=lib)
        qtbot.addWidget(popup)
        items = [popup.actions.item(i) for i in range(popup.actions.count())]
        keys = [item.data(Qt.ItemDataRole.UserRole) for item in items]
        assert keys == [a.key for a in lib.ordered()] and keys[:2] == ["pirate", "rewrite"]
        assert items[0].text() == "1   Pirate" and "proofread" not in keys
        assert not items[9].text().startswith("10")  # only 1-9 have keys
        lib2 = ActionLibrary()
        popup.set_library(lib2)
        assert popup.actions.item(0).data(Qt.ItemDataRole.UserRole) == "proofread"
    finally:
        runner.shutdown()
