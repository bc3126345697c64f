"""Reusable widgets for the task panes."""

from copilot.ui.widgets.context_meter import ContextMeter
from copilot.ui.widgets.diff_view import DiffView
from copilot.ui.widgets.output_view import OutputView

__all__ = ["ContextMeter", "DiffView", "OutputView"]
