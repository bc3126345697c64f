"""The meeting pane's evidence: citations as links to the transcript, hover quotes, cue times in the export."""

import pytest
from PySide6.QtCore import Qt

from test_cli import MINUTES, VTT, _minutes_model
from ui.test_main_window import make_window, run_pane


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path, _minutes_model(tmp_path))
    with qtbot.waitSignal(w.runner.sig_loaded, timeout=60_000):
        w.load_model()
    yield w
    w.runner.shutdown()
    w.store.close()


def _minutes_pane(qtbot, window, tmp_path):
    vtt = tmp_path / "standup.vtt"
    vtt.write_text(VTT)
    pane = window.show_pane("meeting")
    pane.open_document(vtt)
    pane.effort.setCurrentIndex(pane.effort.findData("low"))
    assert run_pane(qtbot, pane) == MINUTES.replace("|", "")
    return pane


def test_citations_link_to_the_transcript_lines_with_the_quote_on_hover(qtbot, window, tmp_path):
    pane = _minutes_pane(qtbot, window, tmp_path)
    cited = pane._cited
    assert cited is not None and len(cited.unverified) == 1
    assert "1 of 3 items have no verified source" in pane.message.text()
    marks = {m.text: m for m in pane.output.marks()}
    assert marks["[1]"].href == "cite:1-1" and marks["[1]"].tooltip == "1 (00:01): Ana: We ship on Friday."
    assert marks["[2]"].kind == "citation" and "Luis: I will update the release notes" in marks["[2]"].tooltip
    assert marks["[7]"].kind == "finding" and marks["[7]"].href is None

    pane.output.sig_link_activated.emit("cite:2-2")  # what a click on [2] sends
    (selection,) = pane.notes.extraSelections()
    assert selection.cursor.selectedText() == "Luis: I will update the release notes by Thursday."
    assert pane.notes.textCursor().blockNumber() == 1


def test_export_keeps_citations_as_cue_times_and_marks_what_has_no_source(qtbot, window, tmp_path):
    pane = _minutes_pane(qtbot, window, tmp_path)
    exported = pane.minutes_markdown()
    assert "- Ship on Friday [00:01]\n" in exported
    assert "(due: Thursday) [00:04]\n" in exported
    assert "buy a boat [7] _(line 7 does not exist)_" in exported
    # each line keeps its time through edits (a name fixed, a line added): the next minutes too
    pane.notes.appendPlainText("Ana: One more thing.")
    assert pane.notes.starts() == [1.0, 4.0, None]
    assert run_pane(qtbot, pane)
    assert "- Ship on Friday [00:01]\n" in pane.minutes_markdown()
    # notes with no times at all: the minutes cite line numbers
    pane.notes.setPlainText(pane.notes.toPlainText())
    assert not pane.notes.timed()
    assert run_pane(qtbot, pane)
    assert "- Ship on Friday [1]\n" in pane.minutes_markdown()


def test_the_cue_times_survive_a_restart_of_the_draft(qtbot, window, tmp_path):
    pane = _minutes_pane(qtbot, window, tmp_path)
    state = pane.draft_state()
    assert state["starts"] == [1.0, 4.0]
    pane.restore_draft({**state, "starts": []})
    assert pane.notes.starts() == [None, None] and not pane.notes.timed()
    pane.restore_draft(state)
    assert pane.notes.starts() == [1.0, 4.0] and pane.notes.gutter_width() > 0
