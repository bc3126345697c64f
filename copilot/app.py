"""Entry point: `private-copilot` / `python -m copilot`. A command runs headless; none opens the app."""

from __future__ import annotations

import sys
from pathlib import Path

from copilot import cli


def _install_netaudit(args) -> None:
    """The network audit, before anything else runs: privacy mode and the team server from Settings
    (the GUI reconfigures it when settings change: netaudit.apply_settings)."""
    from copilot.core import netaudit
    from copilot.core.paths import app_paths
    from copilot.core.settings import load_settings

    netaudit.install()  # first: nothing below may connect unaudited
    settings, _warnings = load_settings(app_paths(args.basedir).settings_file)  # the GUI/CLI show the warnings
    privacy, allowed = netaudit.policy_for(settings)
    endpoint = getattr(args, "endpoint", None)  # a CLI command's --endpoint: the server the user named
    if isinstance(endpoint, str) and endpoint and not settings.local_only:
        from urllib.parse import urlsplit

        host = urlsplit(endpoint if "//" in endpoint else "//" + endpoint).hostname
        if host:
            allowed = (lambda base=allowed, host=host.lower(): {**base(), host: netaudit.TEAM_SERVER})
    netaudit.configure(privacy=privacy, allowed=allowed)


def main(argv: list[str] | None = None) -> int:
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    _install_netaudit(args)
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
