import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QGuiApplication, QTextCursor

from copilot.ui.widgets import ContextMeter, DiffView, OutputView

REASONING = "The user wants a **short** reply. Reasoning secret."
ANSWER = ["# Title\n\n", "Hello ", "**world**", ", this is ", "the answer."]


@pytest.fixture(params=[True, False], ids=["markdown", "plain"])
def view(qtbot, request):
    widget = OutputView(markdown=request.param)
    qtbot.addWidget(widget)
    return widget


def stream(view, answer=ANSWER, reasoning=REASONING):
    view.set_busy(True)
    for piece in reasoning.split(" "):
        view.append_reasoning(piece + " ")
    for piece in answer:
        view.append_answer(piece)
    view.set_busy(False)


def test_reasoning_expands_while_streaming_then_the_answer_collapses_it(qtbot, view):
    assert view.reasoning_button.isHidden() and view.reasoning_edit.isHidden()
    view.set_busy(True)
    view.append_reasoning("Thinking ")
    assert not view.reasoning_button.isHidden()
    assert view.reasoning_button.isChecked() and not view.reasoning_edit.isHidden()
    view.append_reasoning("**hard**")
    view.append_answer("Done.")
    assert not view.reasoning_button.isChecked() and view.reasoning_edit.isHidden()
    assert not view.reasoning_button.isHidden()
    # Reasoning is shown as typed, never rendered as markdown.
    assert view.reasoning_edit.toPlainText() == view.reasoning_text() == "Thinking **hard**"
    view.reasoning_button.click()
    assert not view.reasoning_edit.isHidden()
    view.clear()
    assert view.reasoning_button.isHidden() and view.reasoning_text() == "" and view.answer_text() == ""


def test_answer_text_is_the_answer_only(qtbot, view):
    stream(view)
    assert view.answer_text() == "".join(ANSWER)
    assert "secret" not in view.answer_text()
    assert "secret" not in view.answer_edit.toPlainText()
    assert "Reasoning secret." in view.reasoning_text()


def test_copy_answer_leaves_reasoning_behind(qtbot, view):
    stream(view)
    view.copy_answer()
    text = QGuiApplication.clipboard().text()
    assert text == "".join(ANSWER)
    assert "secret" not in text


def test_throttled_rendering_catches_up(qtbot, view):
    view.set_busy(True)
    tokens = [f"word{i} " for i in range(400)]
    with qtbot.assertNotEmitted(view.sig_edited, wait=200):
        for token in tokens:
            view.append_answer(token)
        assert view.answer_text() == "".join(tokens)  # the source is complete before any render
        qtbot.waitUntil(lambda: "word399" in view.answer_edit.toPlainText())
    view.append_answer("last")
    assert view.answer_edit.isReadOnly()
    view.set_busy(False)
    assert not view.answer_edit.isReadOnly()
    assert view.answer_edit.toPlainText().rstrip().endswith("word399 last")


def test_set_answer_text_restores_without_sig_edited(qtbot, view):
    with qtbot.assertNotEmitted(view.sig_edited, wait=100):
        view.set_answer_text("Saved *draft*")
    assert view.answer_text() == "Saved *draft*"
    assert "Saved" in view.answer_edit.toPlainText()


def test_user_edit_emits_sig_edited_and_becomes_the_answer(qtbot, view):
    stream(view)
    view.answer_edit.moveCursor(QTextCursor.MoveOperation.End)
    with qtbot.waitSignal(view.sig_edited, timeout=1000):
        qtbot.keyClicks(view.answer_edit, " Bye")
    assert view.answer_text().rstrip().endswith("answer. Bye")
    assert "secret" not in view.answer_text()
    assert "Title" in view.answer_text()


def test_answer_is_read_only_while_busy(qtbot, view):
    view.set_busy(True)
    view.append_answer("Streaming")
    with qtbot.assertNotEmitted(view.sig_edited):
        qtbot.keyClicks(view.answer_edit, "typed")
    view.set_busy(False)
    assert view.answer_text() == "Streaming"


# Showing a window on the offscreen platform warns about size hints it cannot pass on.
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_stream_follows_the_bottom_unless_the_user_scrolled_up(qtbot, view):
    view.resize(300, 200)
    view.show()
    qtbot.waitExposed(view)
    bar = view.answer_edit.verticalScrollBar()
    view.set_busy(True)
    for i in range(60):
        view.append_answer(f"Line {i}\n\n")
    qtbot.waitUntil(lambda: "Line 59" in view.answer_edit.toPlainText())
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum())
    bar.setValue(0)  # the user scrolls up to reread
    for i in range(60, 120):
        view.append_answer(f"Line {i}\n\n")
    view.set_busy(False)
    assert "Line 119" in view.answer_edit.toPlainText()
    assert bar.value() == 0


def test_diff_view_marks_deletions_and_insertions(qtbot):
    diff = DiffView()
    qtbot.addWidget(diff)
    diff.set_texts("¿Cómo estás? <b>tú</b>\nAdiós", "¿Cómo está usted? <b>tú</b>\nAdiós")
    formats = {}
    block = diff.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            formats[fragment.text()] = fragment.charFormat()
            it += 1
        block = block.next()
    deleted, inserted = formats["estás"], formats["está usted"]
    assert deleted.fontStrikeOut() and not deleted.fontUnderline()
    assert inserted.fontUnderline() and not inserted.fontStrikeOut()
    red, green = deleted.background().color(), inserted.background().color()
    assert red.red() > red.green() and green.green() > green.red()
    assert 0 < red.alpha() < 255 and 0 < green.alpha() < 255  # translucent: readable on dark themes
    plain = diff.toPlainText()
    assert "<b>tú</b>" in plain  # escaped, not rendered
    assert plain.endswith("<b>tú</b>\nAdiós")
    assert diff.stats_text() == "2 words added, 1 removed"
    assert diff.accessibleName()
    diff.clear()
    assert diff.toPlainText() == "" and diff.stats_text() == "0 words added, 0 removed"


def test_diff_view_marks_a_changed_line_break(qtbot):
    diff = DiffView()
    qtbot.addWidget(diff)
    diff.set_texts("Hola\nmundo", "Hola mundo")
    assert "\u21b5" in diff.toPlainText()
    assert diff.stats_text() == "0 words added, 0 removed"


@pytest.fixture
def english_locale():
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


@pytest.mark.parametrize(
    ("used", "reserve", "state"),
    [(4096, 0, "ok"), (6000, 1373, "tight"), (8192, 0, "tight"), (8000, 1012, "over")],
)
def test_context_meter_states(qtbot, english_locale, used, reserve, state):
    meter = ContextMeter()
    qtbot.addWidget(meter)
    meter.set_usage(used, 8192, reserve)
    assert meter.state() == state
    assert meter.label.text() == f"{used:,} / 8,192 tokens"
    assert meter.toolTip()
    assert meter.bar.value() == min(used + reserve, 8192)


def test_context_meter_states_look_and_read_differently(qtbot):
    meter = ContextMeter()
    qtbot.addWidget(meter)
    looks = {}
    for used in (4096, 7400, 9000):  # about 50%, 90% and 110% of the window
        meter.set_usage(used, 8192)
        looks[meter.state()] = (meter.bar.styleSheet(), meter.toolTip())
    assert set(looks) == {"ok", "tight", "over"}
    assert len({sheet for sheet, _ in looks.values()}) == 3
    assert len({tip for _, tip in looks.values()}) == 3
    assert "in parts" in looks["over"][1]
    meter.set_usage(100, 1000, reserve=200)
    assert "200" in meter.toolTip()
    meter.clear()
    assert meter.state() == "" and meter.label.text() == "" and meter.toolTip() == ""


def test_controls_have_accessible_names(qtbot):
    view = OutputView()
    meter = ContextMeter()
    diff = DiffView()
    for widget in (view, meter, diff):
        qtbot.addWidget(widget)
    for control in (view.reasoning_button, view.reasoning_edit, view.answer_edit, meter, meter.bar, diff):
        assert control.accessibleName(), control
