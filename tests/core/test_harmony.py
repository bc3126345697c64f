import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copilot.core.events import Answer, Reasoning
from copilot.core.harmony import MARKERS, HarmonyParser, check_effort, split_channels

FULL = (
    "<|channel|>analysis<|message|>The user wants a greeting. Think <|about|> it.<|end|>"
    "<|start|>assistant<|channel|>final<|message|>¡Hola, Ana! Nos vemos el jueves.<|return|>"
)


def run(chunks):
    parser = HarmonyParser()
    events = [e for c in chunks for e in parser.feed(c)] + list(parser.close())
    reasoning = "".join(e.text for e in events if isinstance(e, Reasoning))
    answer = "".join(e.text for e in events if isinstance(e, Answer))
    return reasoning, answer, events


def test_full_message_splits_channels():
    reasoning, answer, _ = run([FULL])
    assert reasoning == "The user wants a greeting. Think <|about|> it."
    assert answer == "¡Hola, Ana! Nos vemos el jueves."


def test_token_by_token_stream():
    # what the engine feeds: one detokenized piece at a time, markers as whole pieces
    pieces = ["<|channel|>", "analysis", "<|message|>", "Hm", "m.", "<|end|>", "<|start|>", "assistant",
              "<|channel|>", "final", "<|message|>", "Yes", ".", "<|return|>"]
    assert run(pieces)[:2] == ("Hmm.", "Yes.")


def test_answer_streams_before_the_end():
    parser = HarmonyParser()
    list(parser.feed("<|channel|>final<|message|>"))
    assert list(parser.feed("Hello wor")) == [Answer("Hello wor")]
    assert parser.channel == "final"


def test_partial_marker_is_held_back_not_leaked():
    parser = HarmonyParser()
    out = list(parser.feed("<|channel|>final<|message|>Done<|re"))
    assert out == [Answer("Done")]
    assert list(parser.feed("turn|>")) == []


def test_commentary_constrain_and_unknown_channels_are_not_the_answer():
    text = ("<|channel|>commentary to=functions.lookup <|constrain|>json<|message|>{\"q\": 1}<|call|>"
            "<|start|>assistant<|channel|>weird<|message|>noise<|end|>"
            "<|start|>assistant<|channel|>final<|message|>ok<|return|>")
    reasoning, answer = split_channels(text)
    assert answer == "ok"
    assert reasoning == "{\"q\": 1}noise"


def test_missing_end_before_next_header():
    text = "<|channel|>analysis<|message|>thinking<|start|>assistant<|channel|>final<|message|>done"
    assert split_channels(text) == ("thinking", "done")
    text = "<|channel|>analysis<|message|>thinking<|channel|>final<|message|>done"
    assert split_channels(text) == ("thinking", "done")


def test_unterminated_analysis_never_becomes_answer():
    reasoning, answer = split_channels("<|channel|>analysis<|message|>I am still thin")
    assert (reasoning, answer) == ("I am still thin", "")


def test_text_without_any_marker_is_the_answer():
    assert split_channels("Just plain text.") == ("", "Just plain text.")


def test_header_text_is_never_shown():
    reasoning, answer = split_channels("assistant<|channel|>final<|message|>hi<|return|>")
    assert (reasoning, answer) == ("", "hi")


def test_lone_angle_and_pipe_text_passes_through():
    assert split_channels("<|channel|>final<|message|>a <b> c |> d <| e<|end|>") == ("", "a <b> c |> d <| e")


@pytest.mark.parametrize("effort", ["low", "medium", "high"])
def test_check_effort_accepts(effort):
    assert check_effort(effort) == effort


def test_check_effort_rejects():
    with pytest.raises(ValueError, match="low, medium, high"):
        check_effort("max")


def test_every_split_position_of_every_marker():
    for cut in range(1, len(FULL)):
        assert run([FULL[:cut], FULL[cut:]])[:2] == run([FULL])[:2], cut


_pieces = st.sampled_from(list(MARKERS) + ["analysis", "final", "commentary", "assistant", "hola", " ", "<", "|",
                                           ">", "<|", "|>", "ñ", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=40), st.data())
def test_chunking_never_changes_the_result(tokens, data):
    text = "".join(tokens)
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, len(text) - 1)), max_size=8)))
    chunks = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    whole = run([text])
    split = run(chunks)
    assert split[:2] == whole[:2]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="<"), max_size=60),
       st.text(alphabet=st.characters(blacklist_characters="<"), max_size=60), st.data())
def test_analysis_never_leaks_into_answer(thought, answer_text, data):
    text = f"<|channel|>analysis<|message|>{thought}<|end|><|start|>assistant<|channel|>final<|message|>{answer_text}<|return|>"
    cuts = sorted(data.draw(st.sets(st.integers(1, len(text) - 1), max_size=10)))
    chunks = [text[a:b] for a, b in zip([0] + cuts, cuts + [len(text)])]
    reasoning, answer, _ = run(chunks)
    assert answer == answer_text
    assert reasoning == thought
