"""Start at login, the way each desktop expects it: an XDG autostart entry, a Run key, a LaunchAgent."""

from __future__ import annotations

import os
import plistlib
import shlex
import sys
from pathlib import Path

ENTRY_NAME = "private-copilot"
MAC_LABEL = "org.privatecopilot.app"


def launch_command() -> list[str]:
    if getattr(sys, "frozen", False):  # the installed bundle
        return [sys.executable]
    return [sys.executable, "-m", "copilot"]


def _xdg_entry() -> Path:
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "autostart" / f"{ENTRY_NAME}.desktop"


def _mac_agent() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{MAC_LABEL}.plist"


def set_start_at_login(enabled: bool) -> None:
    command = launch_command()
    if sys.platform == "win32":
        import winreg

        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run", 0,
                            winreg.KEY_SET_VALUE) as key:
            if enabled:
                winreg.SetValueEx(key, "PrivateCopilot", 0, winreg.REG_SZ, " ".join(f'"{c}"' for c in command))
            else:
                try:
                    winreg.DeleteValue(key, "PrivateCopilot")
                except FileNotFoundError:
                    pass
        return
    path = _mac_agent() if sys.platform == "darwin" else _xdg_entry()
    if not enabled:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform == "darwin":
        path.write_bytes(plistlib.dumps({"Label": MAC_LABEL, "ProgramArguments": command, "RunAtLoad": True}))
    else:
        path.write_text(
            "[Desktop Entry]\nType=Application\nName=Private Copilot\n"
            f"Exec={shlex.join(command)}\nX-GNOME-Autostart-enabled=true\nTerminal=false\n",
            encoding="utf-8")


def start_at_login_enabled() -> bool:
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Microsoft\Windows\CurrentVersion\Run") as key:
                winreg.QueryValueEx(key, "PrivateCopilot")
            return True
        except FileNotFoundError:
            return False
    return (_mac_agent() if sys.platform == "darwin" else _xdg_entry()).exists()
