"""Entry point: `selfcheck` opens the window; `selfcheck <command>` runs the command line."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        import multiprocessing

        # In the frozen Windows build, the district desk's verifying processes start this executable again:
        # this turns such a start into the worker instead of a second window. (Not frozen, it does nothing, and
        # importing multiprocessing would only slow the window's start.)
        multiprocessing.freeze_support()
    from selfcheck.cli.main import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
