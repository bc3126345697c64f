"""Entry point: `private-copilot` / `python -m copilot`. A command runs headless; none opens the app."""

from __future__ import annotations

import sys
from pathlib import Path

from copilot import cli


def main(argv: list[str] | None = None) -> int:
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    if args.smoke_test:
        from copilot import smoke

        return smoke.run()
    if args.command:
        return cli.run(args)
    if args.trigger is not None:
        from copilot.ui.application import trigger_running

        return trigger_running(args.basedir, args.trigger)
    from copilot.core.paths import app_paths

    paths = app_paths(args.basedir).ensure()
    cli.setup_logging(paths)
    from copilot.ui.application import run_gui  # Qt loads only for the GUI

    return run_gui(paths, model=Path(args.gui_model).expanduser() if args.gui_model else None, show=args.show)


if __name__ == "__main__":
    sys.exit(main())
