"""The hotkey popup, driven by the keyboard, with real SmolLM2 generations through the TaskRunner."""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from copilot.core.engine import ModelConfig
from copilot.core.events import Answer, Reasoning
from copilot.hotkey.popup import PANEL_ACTIONS, POPUP_ACTIONS, RewritePopup, streaming_original
from copilot.ui.runner import TaskRunner

DRAFT = "Ths is my frist draft of the email."
# The offscreen platform cannot raise a window; a real one can.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

LONG = " ".join(f"Sentence {i} of the report says the budget line {i} stays as it is." for i in range(40))


@pytest.fixture
def runner(qtbot, smol_path):
    r = TaskRunner()
    with qtbot.waitSignal(r.sig_loaded, timeout=60_000):
        r.load(ModelConfig(smol_path, n_ctx=2048, seed=7))
    yield r
    r.shutdown()


@pytest.fixture
def idle_runner():
    """A runner with no model: for what needs no generation (its jobs fail at once)."""
    r = TaskRunner()
    yield r
    r.shutdown()


def make_popup(qtbot, runner) -> RewritePopup:
    popup = RewritePopup(runner)
    popup.max_tokens = 24  # short runs: the tests check the plumbing, not the prose
    qtbot.addWidget(popup)
    return popup


@pytest.fixture
def popup(qtbot, runner):
    return make_popup(qtbot, runner)


@pytest.fixture
def idle_popup(qtbot, idle_runner):
    return make_popup(qtbot, idle_runner)


def focused(popup: QWidget) -> QWidget:
    """Where a key press goes: the popup's focus widget (the offscreen platform may not activate it)."""
    return popup.focusWidget() or popup


def press(qtbot, popup, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focused(popup), key, modifier)


def run_key(qtbot, popup, key, timeout=60_000):
    with qtbot.waitSignal(popup.runner.sig_finished, timeout=timeout,
                          check_params_cb=lambda rid: rid == popup.runner.latest_id):
        press(qtbot, popup, key)


def test_number_key_streams_and_enter_replaces_with_the_answer(qtbot, popup):
    seen = []
    popup.runner.sig_event.connect(lambda rid, ev: seen.append(ev))
    popup.open_for(DRAFT, QPoint(100, 100))
    assert popup.isVisible() and popup.focusWidget() is popup.actions
    run_key(qtbot, popup, Qt.Key.Key_1)
    assert popup._action == "proofread"
    assert popup.can_replace and popup.replace_button.isVisible() and not popup.continue_button.isVisible()
    answers = "".join(ev.text for ev in seen if isinstance(ev, Answer))
    assert popup.views.currentWidget() is popup.diff and popup.diff.toPlainText().strip()
    assert popup.focusWidget() is popup.replace_button
    with qtbot.waitSignal(popup.sig_replace) as replaced, qtbot.waitSignal(popup.sig_closed):
        press(qtbot, popup, Qt.Key.Key_Return)
    result = replaced.args[0]
    assert result.strip() and result == popup.answer_view.toPlainText()
    assert result == answers.rstrip()  # exactly the answer, after the job's preamble filter
    assert "<|" not in result
    assert not popup.isVisible()


def test_escape_during_a_run_stops_and_nothing_is_replaced(qtbot, popup):
    popup.max_tokens = 200
    popup.open_for(LONG, QPoint(100, 100))
    with qtbot.waitSignal(popup.runner.sig_event, timeout=60_000):
        press(qtbot, popup, Qt.Key.Key_2)  # Rewrite
    assert popup.busy and popup.stop_button.isVisible()
    with qtbot.waitSignal(popup.runner.sig_finished, timeout=10_000):
        press(qtbot, popup, Qt.Key.Key_Escape)
    assert not popup.busy and popup.isVisible()
    assert popup.message.text() == "Stopped."
    with qtbot.assertNotEmitted(popup.sig_replace):
        press(qtbot, popup, Qt.Key.Key_Return)
        qtbot.wait(50)
    assert not popup.can_replace and not popup.replace_button.isEnabled()
    with qtbot.waitSignal(popup.sig_closed):
        press(qtbot, popup, Qt.Key.Key_Escape)  # idle: Esc closes
    assert not popup.isVisible()


def test_a_second_open_cancels_the_first_run_and_only_its_result_is_replaced(qtbot, popup):
    events: dict[int, list] = {}
    popup.runner.sig_event.connect(lambda rid, ev: events.setdefault(rid, []).append(ev))
    popup.max_tokens = 200
    popup.open_for(LONG, QPoint(100, 100))
    with qtbot.waitSignal(popup.runner.sig_event, timeout=60_000):
        press(qtbot, popup, Qt.Key.Key_2)
    first = popup.runner.latest_id
    second_text = "Pleese send me the reprot by friday."
    popup.open_for(second_text, QPoint(300, 200))  # the hotkey again: latest wins
    assert not popup.busy and popup.pages.currentWidget() is popup.choose_page
    run_key(qtbot, popup, Qt.Key.Key_1)
    second = popup.runner.latest_id
    assert second != first and popup._run_text == second_text
    answers = "".join(ev.text for ev in events.get(second, []) if isinstance(ev, Answer))
    with qtbot.waitSignal(popup.sig_replace) as replaced:
        press(qtbot, popup, Qt.Key.Key_Return)
    assert replaced.args[0] == answers.rstrip() == popup.answer_view.toPlainText()
    assert replaced.args[0].strip()


def test_summarize_opens_a_panel_with_copy_and_continue_instead_of_replace(qtbot, popup):
    assert POPUP_ACTIONS[5] == "summarize" and "summarize" in PANEL_ACTIONS
    popup.open_for(LONG, QPoint(100, 100))
    run_key(qtbot, popup, Qt.Key.Key_6)
    result = popup.result_text()
    assert result
    assert popup.views.currentWidget() is popup.panel_view
    assert not popup.replace_button.isVisible() and not popup.can_replace
    assert popup.continue_button.isVisible() and popup.continue_button.isEnabled()
    with qtbot.assertNotEmitted(popup.sig_replace), qtbot.waitSignal(popup.sig_copy) as copied:
        press(qtbot, popup, Qt.Key.Key_Return)  # Enter on a panel copies
    assert copied.args == [result]
    with qtbot.waitSignal(popup.sig_copy) as copied:
        press(qtbot, popup, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert copied.args == [result]
    with qtbot.waitSignal(popup.sig_continue) as continued, qtbot.waitSignal(popup.sig_closed):
        qtbot.keyClick(popup.continue_button, Qt.Key.Key_Return)
    assert continued.args == [LONG, result]
    assert not popup.isVisible()


def test_retry_reruns_the_same_action(qtbot, popup):
    popup.open_for(DRAFT, QPoint(100, 100))
    run_key(qtbot, popup, Qt.Key.Key_3)  # Friendly
    first = popup.runner.latest_id
    run_key(qtbot, popup, Qt.Key.Key_R)
    assert popup.runner.latest_id == first + 1
    assert popup._action == "friendly" and popup._run_text == DRAFT


def test_empty_selection_shows_a_focused_input_box(qtbot, idle_popup):
    popup = idle_popup
    popup.open_for("")
    assert popup.input_box.isVisible() and not popup.preview.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is popup.input_box, timeout=5_000)
    qtbot.keyClick(popup.input_box, Qt.Key.Key_1)  # digits are text here, not actions
    assert popup.input_box.toPlainText() == "1" and not popup.busy
    popup.input_box.clear()
    qtbot.keyClick(popup.input_box, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert popup.message.text() == "Type or paste some text first." and not popup.busy


def test_typed_text_runs_and_a_failure_shows_its_message(qtbot, idle_popup):
    popup = idle_popup  # no model loaded: the runner answers with Failed
    popup.open_for("", QPoint(50, 50))
    qtbot.keyClicks(popup.input_box, "Some text")
    with qtbot.waitSignal(popup.runner.sig_finished, timeout=10_000):
        qtbot.keyClick(popup.input_box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert popup._run_text == "Some text"
    assert "No model is loaded" in popup.message.text()
    assert not popup.can_replace and not popup.copy_button.isEnabled()
    press(qtbot, popup, Qt.Key.Key_Backspace)  # back to the actions
    assert popup.pages.currentWidget() is popup.choose_page


def test_arrow_keys_and_enter_run_the_selected_action(qtbot, idle_popup):
    popup = idle_popup
    popup.open_for("Hello there")
    press(qtbot, popup, Qt.Key.Key_Down)
    press(qtbot, popup, Qt.Key.Key_Down)
    with qtbot.waitSignal(popup.runner.sig_finished, timeout=10_000):
        press(qtbot, popup, Qt.Key.Key_Return)
    assert popup._action == "friendly"


def test_custom_instruction_needs_text(qtbot, idle_popup):
    popup = idle_popup
    popup.open_for("Hello there")
    qtbot.keyClick(popup.instruction, Qt.Key.Key_Return)
    assert "Describe the change" in popup.message.text() and not popup.busy


@pytest.mark.parametrize("corner", ["bottomRight", "topLeft", "bottomLeft", "topRight"])
def test_geometry_stays_on_the_screen(qtbot, idle_popup, corner):
    area = QGuiApplication.primaryScreen().availableGeometry()
    pos = getattr(area, corner)()
    pos = QPoint(pos.x() + (2 if "Left" in corner else -2), pos.y() + (2 if "top" in corner else -2))
    idle_popup.open_for("Some text", pos)
    geometry = idle_popup.frameGeometry()
    assert area.contains(geometry), (area, geometry)
    assert not geometry.contains(pos)  # beside the cursor, not under it


def test_controls_have_accessible_names(idle_popup):
    idle_popup.open_for("Some text", QPoint(10, 10))
    unnamed = [w for w in idle_popup.findChildren(QWidget)
               if w.focusPolicy() != Qt.FocusPolicy.NoFocus and not w.accessibleName()
               and w.parent() is not None and not w.objectName().startswith("qt_")]
    assert not unnamed, unnamed


def test_streaming_diff_does_not_strike_the_unwritten_tail():
    assert streaming_original("I has a cat and a dog.", "I have") == "I "
    assert streaming_original("I has a cat and a dog.", "I have a cat") == "I has a cat"
    assert streaming_original("abc", "abc") == "abc"


def test_the_selection_is_read_while_the_action_is_chosen(qtbot, popup):
    from copilot.core.events import Finished

    ends = []
    popup.runner.sig_prefetched.connect(lambda pid, ready: ends.append(ready))
    stats = []
    popup.runner.sig_event.connect(lambda rid, ev: isinstance(ev, Finished) and stats.append(ev.stats))
    popup.open_for(LONG, QPoint(100, 100))
    qtbot.waitUntil(lambda: bool(ends), timeout=60_000)
    assert ends[0] > popup.runner._engine.local.count_text(LONG)  # instructions and selection
    run_key(qtbot, popup, Qt.Key.Key_2)  # Rewrite: another action than the popup's first
    assert stats and stats[-1].cached_tokens >= ends[0] - 2
    assert stats[-1].prompt_tokens - stats[-1].cached_tokens < 60  # only the task line (about 40) was read
    # Esc before any action: the reading ahead stops
    popup.open_for(LONG + " Again.", QPoint(100, 100))
    press(qtbot, popup, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: len(ends) == 2, timeout=60_000)
    assert ends[1] == -1 or ends[1] > 0  # cancelled, or it had already finished
    assert popup.runner._prefetch_gate.stale(popup.runner._prefetch_gate.latest)


def test_reopening_with_nothing_selected_drops_the_previous_read(qtbot, popup):
    popup.open_for(LONG, QPoint(100, 100))
    runner = popup.runner
    assert runner._holding()
    popup.open_for("", QPoint(100, 100))  # the next press found no selection
    assert not runner._holding() and popup._prefetch is None
    qtbot.waitUntil(lambda: not runner._prefetching, timeout=60_000)


def test_an_action_of_another_effort_does_not_wait_for_the_read(qtbot, popup):
    popup.effort = None  # each action's own effort: Summarize is "medium", the read was for "low"
    popup.open_for(LONG, QPoint(100, 100))
    runner = popup.runner
    assert runner._holding()
    press(qtbot, popup, Qt.Key.Key_6)  # Summarize
    assert popup._action == "summarize"
    assert not runner._holding()  # the read was cancelled, not waited for
    qtbot.waitUntil(lambda: not popup.busy, timeout=60_000)
