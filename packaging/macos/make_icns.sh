#!/usr/bin/env bash
# Draw resources/icons/private-copilot.icns from resources/icons/private-copilot.svg (macOS only:
# iconutil). The spec gives BUNDLE this file as the app's icon when it exists, so run this before
# `make dist` on a Mac. Uses the project's .venv (PySide6 renders the SVG).
#   packaging/macos/make_icns.sh [PYTHON]      (default PYTHON: .venv/bin/python)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${1:-$ROOT/.venv/bin/python}"
SVG="$ROOT/resources/icons/private-copilot.svg"
ICNS="$ROOT/resources/icons/private-copilot.icns"

[[ "$(uname -s)" == Darwin ]] || { echo "make_icns: macOS only (iconutil)" >&2; exit 1; }
[[ -x "$PYTHON" ]] || { echo "make_icns: $PYTHON not found: run 'make deps' first, or pass a Python with PySide6" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ICONSET="$WORK/private-copilot.iconset"
mkdir -p "$ICONSET"

# The names iconutil expects: icon_<points>x<points>[@2x].png
"$PYTHON" - "$SVG" "$ICONSET" <<'PY'
import sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

svg, iconset = Path(sys.argv[1]), Path(sys.argv[2])
app = QGuiApplication(["icon", "-platform", "offscreen"])
renderer = QSvgRenderer(str(svg))
if not renderer.isValid():
    sys.exit(f"cannot read {svg}")
for points in (16, 32, 128, 256, 512):
    for scale, suffix in ((1, ""), (2, "@2x")):
        size = points * scale
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        if not image.save(str(iconset / f"icon_{points}x{points}{suffix}.png"), "PNG"):
            sys.exit(f"cannot write the {size} px image")
PY

iconutil --convert icns --output "$ICNS" "$ICONSET"
echo "make_icns: wrote $ICNS"
