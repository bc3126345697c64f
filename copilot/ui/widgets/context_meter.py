"""How much of the model's context window the current input takes."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

TIGHT_FRACTION = 0.8

# Mid-saturation colours read on both light and dark bases.
_COLORS = {"ok": "#2e9d5b", "tight": "#d08a0c", "over": "#d2403a"}

_BAR_STYLE = """
QProgressBar {{ border: 1px solid palette(mid); border-radius: 3px; background: palette(base); }}
QProgressBar::chunk {{ background-color: {color}; border-radius: 2px; }}
"""


class ContextMeter(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = ""
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.bar.setAccessibleName(self.tr("Context usage"))
        self.setAccessibleName(self.tr("Context usage"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        self.clear()

    def set_usage(self, used: int, n_ctx: int, reserve: int = 0) -> None:
        if n_ctx <= 0:
            self.clear()
            return
        needed = used + reserve
        if needed > n_ctx:
            state = "over"
            tip = self.tr(
                "The text is longer than the model can read at once. Long meeting input "
                "will be summarized in parts; a text this long is too long to rewrite, "
                "so shorten it or split it."
            )
        elif needed >= TIGHT_FRACTION * n_ctx:
            state = "tight"
            tip = self.tr(
                "The text fits, but it almost fills the model's memory for this task. "
                "Adding more may make it too long."
            )
        else:
            state = "ok"
            tip = self.tr("The text fits comfortably in the model's memory for this task.")
        locale = QLocale()
        # The C locale omits thousands separators by default; "8192" is harder to read.
        locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
        if reserve > 0:
            tip += " " + self.tr("{reserve} tokens are kept free for the answer.").format(
                reserve=locale.toString(reserve)
            )
        text = self.tr("{used} / {n_ctx} tokens").format(
            used=locale.toString(used), n_ctx=locale.toString(n_ctx)
        )
        self._state = state
        self.label.setText(text)
        self.bar.setRange(0, n_ctx)
        self.bar.setValue(min(needed, n_ctx))
        self.bar.setStyleSheet(_BAR_STYLE.format(color=_COLORS[state]))
        self.setToolTip(tip)
        self.setAccessibleDescription(f"{text}. {tip}")

    def state(self) -> str:
        """One of "ok", "tight", "over"; empty when no usage is shown."""
        return self._state

    def clear(self) -> None:
        self._state = ""
        self.label.clear()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setStyleSheet("")
        self.setToolTip("")
        self.setAccessibleDescription("")
