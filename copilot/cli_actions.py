"""`private-copilot actions list | export FILE.json | import FILE.json [--replace]`, and the
action lookup for `rewrite --action NAME [--to CODE]` (core/actions.py holds the library)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from copilot.core.actions import ActionLibrary, Action
from copilot.core.paths import AppPaths
from copilot.core.tasks import TaskPrompt

EXIT_OK, EXIT_USAGE, EXIT_INPUT = 0, 2, 4


class ActionsCliError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def add_parser(sub) -> None:
    p = sub.add_parser("actions", help="list, export or import the writing actions (built-in and your own)",
                       description="The writing actions that the Writing pane, the hotkey popup and "
                                   "`rewrite --action` share.")
    asub = p.add_subparsers(dest="actions_command", metavar="ACTION", required=True)
    asub.add_parser("list", help="every action in order: name, key, effort, result, language, shortcut, hidden")
    q = asub.add_parser("export", help="write the actions to a JSON file")
    q.add_argument("file", metavar="FILE.json")
    q = asub.add_parser("import", help="add the actions of a JSON file (same key: replaced)")
    q.add_argument("file", metavar="FILE.json")
    q.add_argument("--replace", action="store_true",
                   help="make the file's actions the whole list (built-ins it leaves out keep their defaults)")


def load(paths: AppPaths, stderr: TextIO) -> ActionLibrary:
    library, warnings = ActionLibrary.for_paths(paths)
    for w in warnings:
        print(f"warning: {w}", file=stderr)
    return library


def run(args: argparse.Namespace, paths: AppPaths, stdout: TextIO, stderr: TextIO) -> int:
    library = load(paths, stderr)
    if args.actions_command == "list":
        _print_list(library, stdout)
        return EXIT_OK
    path = Path(args.file)
    if args.actions_command == "export":
        try:
            path.write_text(library.export_json(), encoding="utf-8")
        except OSError as exc:
            raise ActionsCliError(f"cannot write {path}: {exc.strerror or exc}", EXIT_INPUT) from None
        print(f"Exported {len(library.actions)} actions to {path}.", file=stderr)
        return EXIT_OK
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ActionsCliError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}", EXIT_INPUT) from None
    try:
        imported = library.import_json(text, replace_all=args.replace)
    except ValueError as exc:
        raise ActionsCliError(f"{path}: {exc} Your actions were not changed.", EXIT_INPUT) from None
    library.save()
    print(f"Imported {len(imported)} actions from {path}"
          f"{' (they replace the list)' if args.replace else ''}.", file=stderr)
    return EXIT_OK


def _print_list(library: ActionLibrary, stdout: TextIO) -> None:
    rows = [("NAME", "KEY", "EFFORT", "RESULT", "LANGUAGE", "SHORTCUT", "HIDDEN")]
    for a in library.ordered(visible_only=False):
        rows.append((a.name + ("" if a.builtin else " *"), a.key, a.effort, a.result, a.language or "-",
                     a.shortcut or "-", "yes" if a.hidden else "no"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip(), file=stdout)
    print("* your own action", file=stdout)


def find_action(library: ActionLibrary, name: str) -> Action:
    """The action named (or keyed) ``name``; a usage error listing the choices otherwise.
    Hidden actions still run: hiding is about the menus."""
    action = library.get(name)
    if action is None:
        choices = ", ".join(f"{a.key}" if a.key.casefold() == a.name.casefold() else f"{a.key} ({a.name})"
                            for a in library.ordered(visible_only=False))
        raise ActionsCliError(f"unknown action {name!r}; choose one of: {choices}, custom", EXIT_USAGE)
    return action


def rewrite_action(args: argparse.Namespace, paths: AppPaths, stderr: TextIO) -> Action:
    """The action of `rewrite --action NAME [--to CODE]` (not `custom`), checked before any input
    is read: a usage error (exit 2) for an unknown name or a translation with no language."""
    action = find_action(load(paths, stderr), args.action)
    if args.to is not None and not args.to.strip():
        raise ActionsCliError("--to needs a language, such as --to es", EXIT_USAGE)
    if action.key == "translate" and action.builtin and not (args.to or action.language).strip():
        raise ActionsCliError("translate needs the language to translate into: --to CODE, e.g. --to es",
                              EXIT_USAGE)
    return action


def rewrite_prompt(action: Action, args: argparse.Namespace, text: str,
                   effort: str | None) -> tuple[TaskPrompt, str]:
    """The prompt and the check mode (core.check) for ``action`` on ``text``."""
    return action.prompt(text, target=args.to, effort=effort), action.check_mode
