"""Entry point: `private-copilot` / `python -m copilot`. A command runs headless; none opens the app."""

from __future__ import annotations

import sys

from copilot import cli


def main(argv: list[str] | None = None) -> int:
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    if args.command:
        return cli.run(args)
    print(
        "Private Copilot's desktop window is not part of this build yet.\n"
        "Use a command instead, for example:\n"
        "  private-copilot rewrite --action proofread --model PATH < text.txt\n"
        "  private-copilot reply --email thread.eml --points \"yes, Thursday works\" --model PATH\n"
        "  private-copilot summarize meeting.vtt --template standup --model PATH\n"
        "  private-copilot doctor\n"
        "See private-copilot --help.",
        file=sys.stderr,
    )
    return cli.EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
