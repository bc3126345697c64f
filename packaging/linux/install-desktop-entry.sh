#!/bin/sh
# Add Private Copilot to the desktop's application menu, for the current user only.
#   Unpacked bundle:  ./install-desktop-entry.sh            (run from the unpacked folder)
#   Source install:   make desktop-entry                    (points at .venv/bin/private-copilot)
# Usage: install-desktop-entry.sh [EXECUTABLE] [ICON.svg] [TEMPLATE.desktop]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exe=${1:-"$here/private-copilot"}
icon=${2:-"$here/private-copilot.svg"}
template=${3:-"$here/private-copilot.desktop"}
[ -x "$exe" ] || { echo "no executable at $exe" >&2; exit 1; }
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/scalable/apps"
mkdir -p "$apps" "$icons"
cp "$icon" "$icons/private-copilot.svg"
sed "s|^Exec=private-copilot|Exec=\"$exe\"|" "$template" > "$apps/private-copilot.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "Installed $apps/private-copilot.desktop (runs $exe)"
