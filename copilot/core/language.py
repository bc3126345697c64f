"""A small stop-word language guess, good enough to answer an email in its own language.

Naming the language in the instruction ("Write the reply in Spanish") is far more
reliable with small and mid-size models than "answer in the same language".
"""

from __future__ import annotations

import re
from collections import Counter

LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
}

_STOPWORDS = {
    "en": "the and to of a in is you that it for on with this be are have we will your i not as at can please "
          "thanks would could our from".split(),
    "es": "el la de que y en los las un una por con para es se no del al lo le su como más pero muy "
          "gracias hola saludos usted nos estamos podemos quería reunión".split(),
    "fr": "le la les de des et en un une est que qui pour pas dans vous nous sur avec ce merci bonjour "
          "cordialement je au".split(),
    "de": "der die das und ist nicht ich sie wir mit zu den ein eine für auf dass es bitte danke "
          "grüße ihnen".split(),
    "pt": "o a os as de que e em um uma para com não do da no na você obrigado olá estamos "
          "podemos é são".split(),
    "it": "il lo la gli le di che e è un una per con non del della sono siamo grazie ciao saluti "
          "vorrei".split(),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SPANISH_MARKS = re.compile(r"[ñ¿¡]")


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the likeliest language among LANGUAGE_NAMES, or ``default``."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return default
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in set(stop)) for lang, stop in _STOPWORDS.items()}
    if _SPANISH_MARKS.search(text):
        scores["es"] += 3
    best = max(scores, key=lambda k: scores[k])
    # Too little evidence (a one-line "ok" or a list of names): keep the default.
    if scores[best] < 2 or list(scores.values()).count(scores[best]) > 1:
        return default
    return best


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
