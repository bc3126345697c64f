import random

from hypothesis import given
from hypothesis import strategies as st

from copilot.core.textdiff import diff_stats, word_diff

KINDS = {"equal", "insert", "delete"}

# Texts built from a small vocabulary overlap a lot, which exercises matching; arbitrary
# unicode exercises tokenizing.
WORDS = ["el", "niño", "está", "esta", "año", "¿qué", "?", "¡sí!", ",", ".", "a", "b"]
SEPARATORS = [" ", "  ", "\n", "\n\n", "\t", ""]
wordy = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS))).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)
texts = st.one_of(wordy, st.text())


def check_invariants(original, revised):
    ops = word_diff(original, revised)
    assert "".join(t for k, t in ops if k != "insert") == original
    assert "".join(t for k, t in ops if k != "delete") == revised
    assert all(kind in KINDS and text for kind, text in ops)
    assert all(a[0] != b[0] for a, b in zip(ops, ops[1:]))
    # A change reads as "old, then new": an insert is never followed by its delete.
    assert not any(a[0] == "insert" and b[0] == "delete" for a, b in zip(ops, ops[1:]))
    return ops


@given(texts, texts)
def test_ops_rebuild_both_texts(original, revised):
    check_invariants(original, revised)


@given(texts)
def test_identical_texts_are_one_equal_op(text):
    assert word_diff(text, text) == ([("equal", text)] if text else [])


@given(wordy, wordy)
def test_stats_count_only_words(original, revised):
    def words(text):
        return diff_stats([("insert", text)])[0]

    inserted, deleted = diff_stats(word_diff(original, revised))
    assert 0 <= inserted <= words(revised) and 0 <= deleted <= words(original)
    # Ops split only between words, so every unchanged word is counted on neither side.
    assert inserted - deleted == words(revised) - words(original)


def test_spanish_word_replaced_keeps_accents_and_question_marks():
    ops = word_diff("¿Cómo estás?", "¿Cómo está usted?")
    assert ops == [("equal", "¿Cómo "), ("delete", "estás"), ("insert", "está usted"), ("equal", "?")]
    assert diff_stats(ops) == (2, 1)


def test_accent_change_replaces_the_whole_word():
    ops = word_diff("Creo que esta bien.", "Creo que está bien.")
    assert ops == [("equal", "Creo que "), ("delete", "esta"), ("insert", "está"), ("equal", " bien.")]


def test_enye_and_decomposed_accents_stay_inside_their_word():
    assert word_diff("El niño comió pan.", "La niña comió pan.") == [
        ("delete", "El niño"),
        ("insert", "La niña"),
        ("equal", " comió pan."),
    ]
    decomposed = "El nin\u0303o"
    assert word_diff(decomposed, "El nin\u0303a") == [
        ("equal", "El "),
        ("delete", "nin\u0303o"),
        ("insert", "nin\u0303a"),
    ]


def test_punctuation_and_line_breaks_are_their_own_changes():
    assert word_diff("¡Hola!", "¡Hola, amigos!") == [("equal", "¡Hola"), ("insert", ", amigos"), ("equal", "!")]
    ops = word_diff("Hola\nmundo", "Hola mundo")
    assert ops == [("equal", "Hola"), ("delete", "\n"), ("insert", " "), ("equal", "mundo")]
    assert diff_stats(ops) == (0, 0)


def test_empty_sides():
    assert word_diff("", "") == []
    assert word_diff("", "¿Sí?") == [("insert", "¿Sí?")]
    assert word_diff("Adiós.", "") == [("delete", "Adiós.")]


def test_five_thousand_words_with_scattered_edits():
    rng = random.Random(0)
    vocab = "el la de que en un una por con para año niño está qué cómo , . ¿ ? ¡ !".split()
    vocab += [f"palabra{i}" for i in range(400)]
    words = [rng.choice(vocab) for _ in range(5000)]
    original = " ".join(words)
    for i in rng.sample(range(len(words)), 600):
        words[i] = rng.choice(["cambiado", "", words[i] + " nuevo", words[i] + "\n"])
    revised = " ".join(words)
    ops = check_invariants(original, revised)
    inserted, deleted = diff_stats(ops)
    assert inserted > 0 and deleted > 0
