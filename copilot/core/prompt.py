"""Render a model's own chat template (from its GGUF) into prompt segments.

The user's text must never turn into control tokens: an email that happens to contain
``<|end|>`` or ``<|im_start|>`` would otherwise rewrite the conversation. So message
contents are rendered as sentinels and come back as separate segments, which the engine
tokenizes with special-token parsing off; only the template's own text is parsed for
special tokens.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

# Used when a GGUF carries no chat template: ChatML, the most common convention.
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

_SENTINEL_OPEN, _SENTINEL_CLOSE = "\ue000", "\ue001"
_SENTINEL_RE = re.compile(f"{_SENTINEL_OPEN}(\\d+){_SENTINEL_CLOSE}")


class TemplateError(ValueError):
    """The model's chat template could not be rendered for these messages."""


@dataclass(frozen=True)
class Segment:
    text: str
    special: bool  # True: template text, parse special tokens; False: user content, never


def _tojson(value: Any, indent: int | None = None, separators=None, sort_keys: bool = False,
            ensure_ascii: bool = False) -> str:
    # Hugging Face's semantics (templates are written against them), not jinja2's HTML-escaping one.
    return json.dumps(value, indent=indent, separators=separators, sort_keys=sort_keys,
                      ensure_ascii=ensure_ascii)


def _raise(message: str) -> None:
    raise TemplateError(message)


class ChatTemplate:
    def __init__(self, source: str | None, bos_token: str = "", eos_token: str = "") -> None:
        import jinja2  # here, not at import: 25 ms of the app's start-up for something used at model load
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        self.source = source or CHATML_TEMPLATE
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                            extensions=["jinja2.ext.loopcontrols"])
        env.filters["tojson"] = _tojson
        env.globals["raise_exception"] = _raise
        env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
        try:
            self._template = env.from_string(self.source)
        except jinja2.TemplateError as exc:
            raise TemplateError(f"the model's chat template does not parse: {exc}") from exc
        self.bos_token = bos_token
        self.eos_token = eos_token

    def render_text(self, messages: Sequence[dict], **variables: Any) -> str:
        try:
            return self._template.render(
                messages=list(messages), bos_token=self.bos_token, eos_token=self.eos_token,
                add_generation_prompt=True, **variables)
        except TemplateError:
            raise
        except Exception as exc:  # jinja2's errors, and what a broken template raises inside it
            raise TemplateError(f"the model's chat template failed: {exc}") from exc

    def render(self, messages: Sequence[dict], **variables: Any) -> list[Segment]:
        """Segments whose concatenation is the prompt; user contents are never ``special``."""
        contents = [_clean(m.get("content") or "") for m in messages]
        masked = [{**m, "content": f"{_SENTINEL_OPEN}{i}{_SENTINEL_CLOSE}"} for i, m in enumerate(messages)]
        text = self.render_text(masked, **variables)
        found = [int(i) for i in _SENTINEL_RE.findall(text)]
        if sorted(set(found)) != list(range(len(messages))):
            # The template transformed the contents (trimmed, split...): render them for real
            # and fall back to defusing marker-like text inside them.
            safe = [{**m, "content": _defuse(c)} for m, c in zip(messages, contents)]
            return [Segment(self.render_text(safe, **variables), True)]
        segments: list[Segment] = []
        pos = 0
        for match in _SENTINEL_RE.finditer(text):
            if match.start() > pos:
                segments.append(Segment(text[pos:match.start()], True))
            content = contents[int(match.group(1))]
            if content:
                segments.append(Segment(content, False))
            pos = match.end()
        if pos < len(text):
            segments.append(Segment(text[pos:], True))
        return segments


def _clean(text: str) -> str:
    return text.replace(_SENTINEL_OPEN, "").replace(_SENTINEL_CLOSE, "")


def _defuse(text: str) -> str:
    # A zero-width non-joiner between '<' and '|' keeps "<|end|>" from matching a special token.
    return _clean(text).replace("<|", "<\u200c|")
