"""`private-copilot diagnostics -o FILE.zip`: the diagnostics bundle, from the command line.

The summary of what is inside goes to stderr; ``--print`` lists it (and writes nothing).
Exit 0 when written, 4 when the destination cannot be written, 2 without -o or --print.
"""

from __future__ import annotations

import argparse
from typing import TextIO

EXIT_OK, EXIT_USAGE, EXIT_DESTINATION = 0, 2, 4


def add_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser("diagnostics", help="save a diagnostics bundle (.zip) for a bug report: no text of yours",
                       description="Writes versions, llama.cpp's system info, hardware, settings (secrets and home "
                                   "paths redacted), the logs (the last 2 MB of each), the last benchmark and fit "
                                   "plan, the network audit and the figures of past runs into a zip. Nothing you "
                                   "typed or the model wrote goes in. The summary goes to stderr.")
    p.add_argument("-o", "--output", metavar="FILE.zip", help="where to write the bundle")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="list what the bundle would hold, and write nothing")
    return p


def run(args: argparse.Namespace, settings, paths, stdout: TextIO, stderr: TextIO) -> int:
    from copilot.core.diagnostics import DiagnosticsError, collect

    if not args.output and not args.print_only:
        print("private-copilot: diagnostics needs -o FILE.zip (or --print to list what it would hold)", file=stderr)
        return EXIT_USAGE
    bundle = collect(paths, settings)
    if args.print_only:
        print(bundle.summary(), file=stdout)
        return EXIT_OK
    print(bundle.summary(), file=stderr)
    try:
        written = bundle.write(args.output)
    except DiagnosticsError as exc:
        print(f"private-copilot: {exc}", file=stderr)
        return EXIT_DESTINATION
    print(f"Saved {written}", file=stderr)
    return EXIT_OK
