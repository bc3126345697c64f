"""Everything Qt: the runner, the main window, panes and widgets."""
