"""The console command's entry point: the workbook named on the command line starts
being read before the command line itself is imported (see :mod:`workbook_tools.spare`:
a worker forked first reads it while this process imports click, resolves the project
and hands the worker its job)."""

from __future__ import annotations

import sys


def main() -> None:
    from . import spare

    guessed = spare.guess(sys.argv[1:])
    if guessed is not None:
        spare.start_reading(guessed)
    # after the fork: the worker reads at once, and installs this itself
    import atexit

    from . import dataclass_code

    dataclass_code.install()
    atexit.register(dataclass_code.save)
    from .cli import main as command_line

    command_line()
