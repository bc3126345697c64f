"""Global hotkey: capture the selection in another app, rewrite it in a popup, paste it back."""
