"""What the UI shows of the commitment check and the length cap: marks in the answer, the
findings bar, Continue after a cut, and the popup's second Enter; with real (tiny) models."""

from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from copilot.core.engine import ModelConfig
from copilot.core.events import Findings, Finished
from copilot.hotkey.popup import RewritePopup
from copilot.ui.panes import writing as writing_module
from copilot.ui.panes.email import EmailPane
from copilot.ui.panes.writing import WritingPane
from copilot.ui.runner import TaskRunner
from copilot.ui.widgets.output_view import Mark, OutputView
from tiny_gpt_oss import _byte_vocab, write_tiny_gpt_oss

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

INVENTED = "Pagaremos 15.000 € el viernes."
_BYTES = _byte_vocab()


def _token(word: str) -> str:
    """A word as the tiny model's byte-level vocabulary spells it ("Ġ" for the space)."""
    return "".join(_BYTES[b] for b in word.encode("utf-8"))


def _final(words: list[str], end: bool = True) -> tuple[str, ...]:
    """A script: the final channel, then ``words`` (one token each), then the end of the answer."""
    return ("<|channel|>", "final", "<|message|>", *(_token(w) for w in words), *(("<|return|>",) if end else ()))


def _runner(qtbot, model) -> TaskRunner:
    runner = TaskRunner()
    with qtbot.waitSignal(runner.sig_loaded, timeout=60_000):
        runner.load(ModelConfig(model, n_ctx=4096, seed=1))
    return runner


@pytest.fixture
def invented_runner(qtbot, tmp_path):
    """A model whose answer is always INVENTED: an amount, a date and a promise."""
    model = write_tiny_gpt_oss(tmp_path / "invented.gguf", script=_final(["Pagaremos", " 15.000", " €", " el",
                                                                          " viernes."]))
    runner = _runner(qtbot, model)
    yield runner
    runner.shutdown()


@pytest.fixture
def endless_runner(qtbot, tmp_path):
    """A model that writes forever (a cycle too long for the loop guard): every run is cut at its cap."""
    cycle = [f" Palabra{i:02d}abcdefghijk" for i in range(25)]
    script = _final(cycle, end=False) + (_token(cycle[0]),)
    runner = _runner(qtbot, write_tiny_gpt_oss(tmp_path / "endless.gguf", script=script))
    yield runner
    runner.shutdown()


def run(qtbot, pane, start, timeout=60_000):
    with qtbot.waitSignal(pane.runner.sig_finished, timeout=timeout):
        start()


def _point_of(view: OutputView, text: str, offset: int = 1) -> QPoint:
    """A point in the answer's viewport over character ``offset`` of the first ``text``."""
    found = view.answer_edit.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(view.answer_edit.document())
    cursor.setPosition(found.selectionStart() + offset)
    rect = view.answer_edit.cursorRect(cursor)
    return QPoint(rect.x() + 1, rect.center().y())


# -- OutputView marks ---------------------------------------------------------------------------
SOURCE = "We will pay **15.000 €** on Friday [3].\n\nThe rest: 15.000 € again."


@pytest.mark.parametrize("markdown", [True, False])
def test_marks_format_the_spans_with_tooltips_and_links(qtbot, markdown):
    view = OutputView(markdown=markdown)
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    view.set_answer_text(SOURCE)
    edited = []
    view.sig_edited.connect(lambda: edited.append(True))
    second = SOURCE.rindex("15.000 €")
    view.set_marks([Mark("15.000 €", second, second + 8, "again, not in the email"),
                    Mark("15.000 €", SOURCE.index("15.000"), SOURCE.index("15.000") + 8, "not in the email"),
                    Mark("[3]", SOURCE.index("[3]"), SOURCE.index("[3]") + 3, "3: Ana: we pay", href="cite:3-3",
                         kind="citation"),
                    Mark("nowhere", 0, 7, "skipped")])
    assert not edited  # marks are not the user's edits
    doc = view.answer_edit.document()
    first = doc.find("15.000 €")
    cursor = QTextCursor(doc)
    cursor.setPosition(first.selectionStart() + 1)
    assert cursor.charFormat().toolTip() == "not in the email"  # in order: the first mark, the first span
    assert cursor.charFormat().background().color().alpha() > 0
    last = doc.find("15.000 €", first.selectionEnd())
    cursor.setPosition(last.selectionStart() + 1)
    assert cursor.charFormat().toolTip() == "again, not in the email"
    cursor.setPosition(doc.find("[3]").selectionStart() + 1)
    assert cursor.charFormat().isAnchor() and cursor.charFormat().anchorHref() == "cite:3-3"
    cursor.setPosition(doc.find("Friday").selectionStart() + 1)
    assert not cursor.charFormat().toolTip()

    # hovering shows the reason; a click on a link emits its href
    pos = _point_of(view, "15.000 €", 2)
    assert view.format_at(pos).toolTip() == "not in the email"
    viewport = view.answer_edit.viewport()
    QToolTip.hideText()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    assert QToolTip.text() == "not in the email"
    QToolTip.hideText()
    with qtbot.waitSignal(view.sig_link_activated) as clicked:
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _point_of(view, "[3]"))
    assert clicked.args == ["cite:3-3"]
    with qtbot.assertNotEmitted(view.sig_link_activated):
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         _point_of(view, "Friday"))

    # the text read back never carries the marks, also after the user edited the answer
    assert view.answer_text() == SOURCE
    end = QTextCursor(doc)
    end.movePosition(QTextCursor.MoveOperation.End)
    view.answer_edit.setTextCursor(end)
    QTest.keyClicks(view.answer_edit, " Bye.")
    text = view.answer_text()
    assert text.rstrip().endswith("again. Bye.") and "cite:" not in text and "](" not in text
    assert "not in the email" not in text

    # a new answer drops them
    view.set_answer_text("Fresh 15.000 € text")
    assert view.marks() == []
    cursor = QTextCursor(view.answer_edit.document())
    cursor.setPosition(8)
    assert not cursor.charFormat().toolTip()


def test_removing_marks_restores_the_plain_look_and_keeps_undo_clean(qtbot):
    view = OutputView(markdown=True)
    qtbot.addWidget(view)
    view.set_answer_text(SOURCE)
    view.set_marks([Mark("[3]", 0, 3, "tip", href="cite:3-3")])
    assert not view.answer_edit.document().isUndoAvailable()  # Ctrl+Z cannot take a mark away
    view.set_marks([])
    assert "cite:" not in view.answer_edit.toMarkdown()
    cursor = QTextCursor(view.answer_edit.document())
    cursor.setPosition(view.answer_edit.document().find("[3]").selectionStart() + 1)
    assert not cursor.charFormat().isAnchor() and not cursor.charFormat().toolTip()


# -- the findings bar ---------------------------------------------------------------------------
def test_writing_pane_shows_what_the_answer_invents_and_hides_it_on_the_next_run(qtbot, invented_runner):
    pane = WritingPane(invented_runner)
    qtbot.addWidget(pane)
    events = []
    invented_runner.sig_event.connect(lambda rid, ev: events.append(ev))
    pane.editor.setPlainText("¿Cuándo pagamos la factura de marzo?")
    assert pane.trust_bar.isHidden() and pane.findings_bar.isHidden()
    run(qtbot, pane, lambda: pane.run_action("rewrite"))
    assert pane.output.answer_text() == INVENTED
    found = next(ev for ev in events if isinstance(ev, Findings))
    assert found.findings and found.summary
    assert not pane.trust_bar.isHidden() and not pane.findings_bar.isHidden()
    assert pane.findings_bar.text() == found.summary and "15.000 €" in pane.findings_bar.text()
    assert pane.findings_bar.accessibleName()
    # the spans are marked in the result, each with its reason
    doc = pane.output.answer_edit.document()
    cursor = QTextCursor(doc)
    cursor.setPosition(doc.find("15.000").selectionStart() + 1)
    amount = next(f for f in found.findings if f.kind == "amount")
    # in the language of the bar's summary: the text is Spanish
    assert found.language == "es" and cursor.charFormat().toolTip() == "15.000 € no está en el texto original"
    assert pane.results.currentWidget() is pane.diff and pane.accept_button.isEnabled()

    # a faithful run: the bar goes when it starts, and stays hidden
    pane.reject_result()
    pane.editor.setPlainText(INVENTED)
    with qtbot.waitSignal(invented_runner.sig_finished, timeout=60_000):
        pane.run_action("rewrite")
        assert pane.trust_bar.isHidden()
    assert pane.trust_bar.isHidden() and pane.output.marks() == []


def test_email_pane_checks_the_reply_against_the_thread(qtbot, invented_runner):
    pane = EmailPane(invented_runner)
    qtbot.addWidget(pane)
    pane.thread_edit.setPlainText("From: Lucía <lucia@example.es>\nSubject: Factura\n\n"
                                  "Hola, ¿cuándo podéis pagar la factura?\nGracias, Lucía")
    pane.points.setPlainText("pagamos pronto")
    run(qtbot, pane, pane.generate)
    assert pane.output.answer_text() == INVENTED
    assert not pane.findings_bar.isHidden()
    text = pane.findings_bar.text()
    assert "15.000 €" in text and text.startswith("3 cosas que revisar")  # the email is Spanish
    assert pane.output.marks()
    pane.output.clear()  # e.g. a draft restored: the bar goes with the answer
    assert pane.trust_bar.isHidden()


# -- Continue after the length cap ------------------------------------------------------------
def test_a_cut_answer_offers_continue_and_the_rest_is_appended(qtbot, endless_runner, monkeypatch):
    original = writing_module.writing_prompt
    monkeypatch.setattr(writing_module, "writing_prompt", lambda *a, **kw: replace(original(*a, **kw), max_tokens=8))
    pane = WritingPane(endless_runner)
    qtbot.addWidget(pane)
    finished = []
    endless_runner.sig_event.connect(lambda rid, ev: isinstance(ev, Finished) and finished.append(ev))
    pane.editor.setPlainText("Once upon a time")
    run(qtbot, pane, lambda: pane.run_action("continue"))
    assert finished[-1].stats.stop_reason == "length"
    first = pane.output.answer_text()
    assert first.strip().startswith("Palabra00")
    assert not pane.trust_bar.isHidden() and not pane.continue_button.isHidden()
    assert "length limit" in pane.cut_label.text() and pane.continue_button.accessibleName()
    # the keyboard shortcut continues too
    pane.show()
    pane.activateWindow()
    assert QTest.qWaitForWindowActive(pane)
    pane.editor.setFocus()
    with qtbot.waitSignal(endless_runner.sig_finished, timeout=60_000):
        QTest.keyClick(pane.editor, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert pane.continue_button.isHidden()  # while the rest is written
    second = pane.output.answer_text()
    assert second.startswith(first) and len(second) > len(first)  # appended, not replaced
    assert finished[-1].stats.stop_reason == "length" and not pane.continue_button.isHidden()
    assert pane.results.currentWidget() is pane.diff  # the diff of the whole answer
    # a new run starts over: no Continue until it is cut again
    with qtbot.waitSignal(endless_runner.sig_finished, timeout=60_000):
        pane.run_action("continue")
        assert pane.continue_button.isHidden()
    assert pane.output.answer_text() == first


def test_without_a_continuation_the_cut_is_only_a_message(qtbot, endless_runner, monkeypatch):
    original = writing_module.writing_prompt
    monkeypatch.setattr(writing_module, "writing_prompt", lambda *a, **kw: replace(original(*a, **kw), max_tokens=8))
    monkeypatch.setattr(WritingPane, "continue_job", lambda self, answer: None)
    pane = WritingPane(endless_runner)
    qtbot.addWidget(pane)
    pane.editor.setPlainText("Once upon a time")
    run(qtbot, pane, lambda: pane.run_action("continue"))
    assert pane.continue_button.isHidden() and pane.cut_label.isHidden()
    assert "length limit" in pane.message.text()


# -- the hotkey popup ---------------------------------------------------------------------------
def _popup(qtbot, runner) -> RewritePopup:
    popup = RewritePopup(runner)
    qtbot.addWidget(popup)
    return popup


def _press(qtbot, popup, key):
    qtbot.keyClick(popup.focusWidget() or popup, key)


def test_popup_asks_for_a_second_enter_when_the_result_invents_facts(qtbot, invented_runner):
    popup = _popup(qtbot, invented_runner)
    popup.open_for("¿Cuándo pagamos la factura de marzo?", QPoint(100, 100))
    with qtbot.waitSignal(invented_runner.sig_finished, timeout=60_000,
                          check_params_cb=lambda rid: rid == invented_runner.latest_id):
        _press(qtbot, popup, Qt.Key.Key_2)  # Rewrite
    assert popup.result_text() == INVENTED and popup.can_replace
    assert not popup.findings_label.isHidden() and "15.000 €" in popup.findings_label.text()
    replaced = []
    popup.sig_replace.connect(replaced.append)
    _press(qtbot, popup, Qt.Key.Key_Return)
    assert replaced == [] and "again" in popup.message.text()
    assert popup.focusWidget() is popup.replace_button
    with qtbot.waitSignal(popup.sig_replace) as done:
        _press(qtbot, popup, Qt.Key.Key_Return)
    assert done.args == [INVENTED]


def test_popup_replaces_at_once_when_nothing_is_found(qtbot, invented_runner):
    popup = _popup(qtbot, invented_runner)
    popup.open_for(INVENTED, QPoint(100, 100))
    with qtbot.waitSignal(invented_runner.sig_finished, timeout=60_000,
                          check_params_cb=lambda rid: rid == invented_runner.latest_id):
        _press(qtbot, popup, Qt.Key.Key_1)  # Proofread
    assert popup.findings_label.isHidden()
    with qtbot.waitSignal(popup.sig_replace) as done:
        _press(qtbot, popup, Qt.Key.Key_Return)
    assert done.args == [INVENTED]


# -- a loop is stopped, and said so -----------------------------------------------------------
@pytest.fixture
def looping_runner(qtbot, tmp_path):
    model = write_tiny_gpt_oss(tmp_path / "loop.gguf",
                               script=("<|channel|>", "final", "<|message|>", "ĠWe", "Ġagree", "ĠWe"))
    runner = _runner(qtbot, model)
    yield runner
    runner.shutdown()


def test_a_loop_stops_with_the_notice_and_keeps_the_text(qtbot, looping_runner):
    from copilot.core.limits import REPETITION_MESSAGE

    pane = WritingPane(looping_runner)
    qtbot.addWidget(pane)
    pane.editor.setPlainText("Once upon a time")
    run(qtbot, pane, lambda: pane.run_action("continue"))
    assert pane.message.text() == REPETITION_MESSAGE and not pane.message.isHidden()
    assert pane.output.answer_text().startswith(" We agree We agree")

    popup = _popup(qtbot, looping_runner)
    popup.open_for("We agree on the plan.", QPoint(100, 100))
    with qtbot.waitSignal(looping_runner.sig_finished, timeout=60_000,
                          check_params_cb=lambda rid: rid == looping_runner.latest_id):
        _press(qtbot, popup, Qt.Key.Key_2)
    assert popup.message.text() == REPETITION_MESSAGE and popup.result_text().startswith(" We agree We agree")
