"""The action library: the writing actions (built-in and the user's own) as one ordered,
editable list, shared by the Writing pane, the hotkey popup and the CLI.

Saved to ``paths.config / "actions.json"``. A built-in is stored as the fields the user changed
(so a new app version's better instruction reaches those who never edited it); a user action is
stored whole. Every change is validated on a copy first: a bad one raises ValueError with a
message for the user and leaves the library as it was.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Iterable

from copilot.core.harmony import REASONING_EFFORTS
from copilot.core.limits import writing_answer_tokens
from copilot.core.tasks import TaskPrompt
from copilot.core.tasks.writing import BUILTIN_ACTIONS, writing_check_mode, writing_prompt

SCHEMA_VERSION = 1
FILE_NAME = "actions.json"
RESULTS = ("replace", "panel", "writing")  # paste over the selection / show in a panel / open in the Writing pane
_DEFAULT_RESULTS = {"summarize": "panel", "keypoints": "panel", "table": "panel", "continue": "writing"}
# The built-in order: the popup's 1-9 were these nine before the library existed.
_ORDER = ("proofread", "rewrite", "friendly", "professional", "concise", "summarize", "keypoints", "list", "table",
          "translate", "continue")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_RESERVED = frozenset({"custom"})  # the free instruction line, not an action of the list
MAX_NAME = 60


@dataclass(frozen=True)
class Action:
    key: str
    name: str
    instruction: str
    effort: str = "low"
    result: str = "replace"
    language: str = ""  # target language (a code such as "es", or a name); "" = the text's own
    shortcut: str = ""  # a global shortcut of its own, in QKeySequence's portable text ("Ctrl+Alt+T")
    builtin: bool = False
    hidden: bool = False

    @property
    def opens_panel(self) -> bool:
        """Read rather than pasted over the selection."""
        return self.result != "replace"

    def prompt(self, text: str, *, target: str | None = None, effort: str | None = None) -> TaskPrompt:
        """The messages for this action on ``text``; ``target`` overrides the action's language."""
        into = self.language if target is None else target
        default = BUILTIN_ACTIONS.get(self.key) if self.builtin else None
        if default is not None and self.instruction == default.instruction:
            return writing_prompt(self.key, text, effort=effort or self.effort, target=into)
        if self.key == "translate" and self.builtin and not into.strip():
            writing_prompt("translate", text)  # raises the message that asks for a language
        instruction = self.instruction.replace("{target}", into.strip()) if into.strip() else self.instruction
        prompt = writing_prompt("custom", text, instruction=instruction, effort=effort or self.effort, target=into)
        if default is not None:  # an edited built-in keeps its answer budget
            prompt = replace(prompt, max_tokens=writing_answer_tokens(self.key, text))
        return prompt

    @property
    def check_mode(self) -> str:
        """core.check's mode for the result: "rewrite" where it is the text transformed."""
        if self.builtin and self.key in BUILTIN_ACTIONS:
            return writing_check_mode(self.key)
        return "rewrite" if self.result == "replace" else "reply"


def default_actions() -> list[Action]:
    return [Action(k, BUILTIN_ACTIONS[k].label, BUILTIN_ACTIONS[k].instruction, BUILTIN_ACTIONS[k].effort,
                   _DEFAULT_RESULTS.get(k, "replace"), builtin=True)
            for k in _ORDER if k in BUILTIN_ACTIONS]


def _defaults_by_key() -> dict[str, Action]:
    return {a.key: a for a in default_actions()}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _shortcut_fold(text: str) -> str:
    return "".join(text.split()).casefold()


def validate(actions: Iterable[Action]) -> None:
    """Raise ValueError with a message for the user at the first problem."""
    names: dict[str, Action] = {}
    keys: set[str] = set()
    shortcuts: dict[str, Action] = {}
    for a in actions:
        label = f"\"{a.name.strip()}\"" if a.name.strip() else f"with the key {a.key!r}"
        if not a.name.strip():
            raise ValueError(f"The action {label} needs a name.")
        if len(a.name.strip()) > MAX_NAME:
            raise ValueError(f"The name of the action {label} is too long (at most {MAX_NAME} characters).")
        if not _KEY.match(a.key) or a.key in _RESERVED:
            raise ValueError(f"The action {label} has an invalid key {a.key!r}: use lower-case letters, digits, "
                             "- and _.")
        if a.key in keys:
            raise ValueError(f"Two actions have the key {a.key!r}: keys must differ.")
        keys.add(a.key)
        if not a.instruction.strip():
            raise ValueError(f"The action {label} needs an instruction: say what to do with the text, "
                             "e.g. \"make it sound more confident\".")
        if a.effort not in REASONING_EFFORTS:
            raise ValueError(f"The action {label} has the reasoning effort {a.effort!r}; choose one of: "
                             f"{', '.join(REASONING_EFFORTS)}.")
        if a.result not in RESULTS:
            raise ValueError(f"The action {label} has the result {a.result!r}; choose one of: {', '.join(RESULTS)}.")
        if len(a.language) > 40 or "\n" in a.language:
            raise ValueError(f"The action {label} has an invalid language {a.language!r}.")
        other = names.get(_fold(a.name))
        if other is not None:
            raise ValueError(f"Two actions are named \"{a.name.strip()}\": names must differ "
                             "(upper and lower case count as the same).")
        names[_fold(a.name)] = a
        if a.shortcut.strip():
            other = shortcuts.get(_shortcut_fold(a.shortcut))
            if other is not None:
                raise ValueError(f"The shortcut {other.shortcut.strip()} is used by both \"{other.name.strip()}\" and "
                                 f"\"{a.name.strip()}\": each action needs its own.")
            shortcuts[_shortcut_fold(a.shortcut)] = a


# -- the file format -----------------------------------------------------------------------
_TYPES = {f.name: (bool if f.type in ("bool", bool) else str) for f in fields(Action)}


def _entry(action: Action) -> dict[str, Any]:
    if action.builtin:
        default = _defaults_by_key().get(action.key)
        if default is not None:
            changed = {k: v for k, v in asdict(action).items() if asdict(default)[k] != v}
            return {"key": action.key, "builtin": True, **changed}
    return {k: v for k, v in asdict(action).items() if k != "builtin"}


def _to_json(actions: Iterable[Action]) -> str:
    return json.dumps({"version": SCHEMA_VERSION, "actions": [_entry(a) for a in actions]},
                      indent=2, ensure_ascii=False) + "\n"


def _parse(text: str, where: str) -> tuple[list[Action], list[str]]:
    """Actions from a file's text (built-ins merged with their defaults), and notes on what was
    left out; ValueError for a file that is malformed, of the wrong types or from a newer version."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where} is not valid JSON ({exc}).") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("actions"), list):
        raise ValueError(f"{where} is not an action list: it needs a \"version\" and an \"actions\" list.")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError(f"{where} has no valid \"version\" number.")
    if version > SCHEMA_VERSION:
        raise ValueError(f"{where} was made by a newer version of Private Copilot (format {version}; this one "
                         f"reads format {SCHEMA_VERSION}): update the app to use it.")
    defaults = _defaults_by_key()
    actions: list[Action] = []
    notes: list[str] = []
    for n, item in enumerate(raw["actions"], 1):
        if not isinstance(item, dict):
            raise ValueError(f"{where}: entry {n} is not an object.")
        for k, v in item.items():
            if k in _TYPES and not isinstance(v, _TYPES[k]):
                raise ValueError(f"{where}: entry {n} has {k}={v!r}, which should be "
                                 f"{'true or false' if _TYPES[k] is bool else 'text'}.")
        values = {k: v for k, v in item.items() if k in _TYPES}
        if "key" not in values:
            raise ValueError(f"{where}: entry {n} has no \"key\".")
        if values.get("builtin"):
            default = defaults.get(values["key"])
            if default is None:
                notes.append(f"The built-in action {values['key']!r} no longer exists; it was left out.")
                continue
            actions.append(replace(default, **{k: v for k, v in values.items() if k != "builtin"}))
            continue
        missing = [k for k in ("name", "instruction") if k not in values]
        if missing:
            raise ValueError(f"{where}: entry {n} ({values['key']!r}) has no {' or '.join(missing)}.")
        actions.append(Action(**values))
    return actions, notes


def _with_missing_builtins(actions: list[Action]) -> list[Action]:
    """Built-ins a file does not mention (new in this app version) join at the end."""
    have = {a.key for a in actions}
    return actions + [a for a in default_actions() if a.key not in have]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "action"


class ActionLibrary:
    """The ordered actions; changes are in memory until ``save``."""

    def __init__(self, actions: Iterable[Action] | None = None, path: Path | None = None) -> None:
        items = _with_missing_builtins(list(actions)) if actions is not None else default_actions()
        validate(items)
        self._actions = items
        self.path = path

    @classmethod
    def load(cls, path: Path) -> tuple["ActionLibrary", list[str]]:
        """The library in ``path`` (defaults where there is none) and the warnings to show;
        never raises for a bad file: a damaged one means the defaults and a warning."""
        if not path.exists():
            return cls(path=path), []
        try:
            actions, notes = _parse(path.read_text(encoding="utf-8"), f"The action file {path}")
            return cls(actions, path=path), notes
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            return cls(path=path), [f"{str(exc).rstrip('.')}; using the built-in actions."
                                    if str(exc).startswith("The action file")
                                    else f"The action file {path} could not be read ({exc}); using the built-in "
                                         "actions."]

    @classmethod
    def for_paths(cls, paths) -> tuple["ActionLibrary", list[str]]:
        return cls.load(paths.config / FILE_NAME)

    def save(self, path: Path | None = None) -> None:
        """Write atomically: a crash mid-write leaves the old file intact."""
        target = path or self.path
        if target is None:
            raise ValueError("This action library has no file to save to.")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".actions-", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(_to_json(self._actions))
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)

    # -- reading ----------------------------------------------------------------------------
    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(self._actions)

    def ordered(self, visible_only: bool = True) -> list[Action]:
        return [a for a in self._actions if not (visible_only and a.hidden)]

    def get(self, key_or_name: str) -> Action | None:
        """By key, else by name (case-insensitive)."""
        for a in self._actions:
            if a.key == key_or_name:
                return a
        folded = _fold(key_or_name)
        return next((a for a in self._actions if _fold(a.name) == folded), None)

    def __getitem__(self, key: str) -> Action:
        action = self.get(key)
        if action is None:
            raise KeyError(key)
        return action

    def names(self) -> list[str]:
        return [a.name for a in self._actions]

    # -- changing ---------------------------------------------------------------------------
    def _commit(self, candidate: list[Action]) -> None:
        validate(candidate)
        self._actions = candidate

    def _index(self, key: str) -> int:
        for i, a in enumerate(self._actions):
            if a.key == key:
                return i
        raise ValueError(f"There is no action {key!r}.")

    def _new_key(self, name: str) -> str:
        base, taken = _slug(name), {a.key for a in self._actions} | set(BUILTIN_ACTIONS) | _RESERVED
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        return key

    def add(self, name: str, instruction: str, *, effort: str = "low", result: str = "replace",
            language: str = "", shortcut: str = "", index: int | None = None) -> Action:
        action = Action(self._new_key(name), name.strip(), instruction.strip(), effort, result, language.strip(),
                        shortcut.strip())
        candidate = list(self._actions)
        candidate.insert(len(candidate) if index is None else index, action)
        self._commit(candidate)
        return action

    def edit(self, key: str, **changes: Any) -> Action:
        """Change fields of an action (not its key, nor whether it is built in)."""
        bad = set(changes) - (set(_TYPES) - {"key", "builtin"})
        if bad:
            raise ValueError(f"These cannot be changed: {', '.join(sorted(bad))}.")
        i = self._index(key)
        changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
        edited = replace(self._actions[i], **changes)
        self._commit([*self._actions[:i], edited, *self._actions[i + 1:]])
        return edited

    def duplicate(self, key: str) -> Action:
        """A user action with the same instruction, just after the original (no shortcut: it must differ)."""
        i = self._index(key)
        src = self._actions[i]
        names = {_fold(a.name) for a in self._actions}
        name, n = f"{src.name} (copy)", 2
        while _fold(name) in names:
            name, n = f"{src.name} (copy {n})", n + 1
        copy = Action(self._new_key(name), name, src.instruction, src.effort, src.result, src.language)
        self._commit([*self._actions[:i + 1], copy, *self._actions[i + 1:]])
        return copy

    def move(self, key: str, index: int) -> None:
        """Put the action at ``index`` of the whole list (clamped)."""
        i = self._index(key)
        candidate = list(self._actions)
        action = candidate.pop(i)
        candidate.insert(max(0, min(index, len(candidate))), action)
        self._commit(candidate)

    def hide(self, key: str, hidden: bool = True) -> None:
        self.edit(key, hidden=hidden)

    def remove(self, key: str) -> None:
        i = self._index(key)
        if self._actions[i].builtin:
            raise ValueError(f"\"{self._actions[i].name}\" is built in: hide it instead.")
        self._commit([*self._actions[:i], *self._actions[i + 1:]])

    def reset(self, keep_user: bool = True) -> None:
        """The built-ins as shipped, in their order; the user's actions after them (or dropped)."""
        user = [a for a in self._actions if not a.builtin] if keep_user else []
        defaults = default_actions()
        names = {_fold(a.name) for a in defaults}
        kept = []
        for a in user:  # a user action may carry a name a renamed built-in gave up
            name, n = a.name, 2
            while _fold(name) in names:
                name, n = f"{a.name} ({n})", n + 1
            names.add(_fold(name))
            kept.append(replace(a, name=name))
        self._commit(defaults + kept)

    # -- files ------------------------------------------------------------------------------
    def export_json(self) -> str:
        return _to_json(self._actions)

    def import_json(self, text: str, *, replace_all: bool = False) -> list[Action]:
        """Actions from an exported file: with ``replace_all`` they become the library (built-ins
        the file leaves out keep their defaults); otherwise they are merged (same key: replaced,
        new: appended). Everything is checked first: on any error (ValueError) nothing changes.
        Returns the imported actions."""
        imported, _notes = _parse(text, "The imported file")
        if replace_all:
            candidate = _with_missing_builtins(imported)
        else:
            by_key = {a.key: a for a in imported}
            candidate = [by_key.pop(a.key, a) for a in self._actions]
            candidate += [a for a in imported if a.key in by_key]
        try:
            self._commit(candidate)
        except ValueError as exc:
            raise ValueError(f"The imported file cannot be used: {exc}") from None
        return imported
