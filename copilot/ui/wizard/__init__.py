"""First-run wizard and model manager."""

from copilot.ui.wizard.wizard import ModelWizard

__all__ = ["ModelWizard"]
