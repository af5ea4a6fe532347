"""What a workbook that could not be read becomes: one located issue, in Polish.

A reader's failure is an :class:`~workbook_tools.read.Unreadable` with a rule code and
a reason, a missing or irregular file, or anything a native reader raised. Every door
turns it into the file's single issue the same way, and a worker can read workbooks
whole and hand back their rows or that issue (:func:`read_whole`) without the engine:
on Windows the worker of the Excel buttons is a new Python, and this is all it imports
besides the reader.
"""

from __future__ import annotations

from pathlib import Path

from .issues import Issue
from .project import display_path, is_regular
from .rawsheet import RawSheet
from .read import HEAD_ROWS, NOT_A_REGULAR_FILE, Unreadable, iter_sheets
from .rules import RULES, Bilingual


def not_a_file(display: str, path: Path) -> Issue:
    """F001 for a path that is gone or is a pipe, a device or a link to one."""
    return Issue("F001", display, params={
        "detail": Bilingual("plik nie istnieje", "the file does not exist")
        if not path.exists() else Bilingual(*NOT_A_REGULAR_FILE)})


def read_failure(display: str, path: Path, error: BaseException) -> Issue:
    """The one issue of a file whose reading failed: what the reader refused (F001-F003)
    with its reason, anything else (a program error, a native panic) as F005."""
    if isinstance(error, Unreadable):
        return _unreadable_issue(display, path, error)
    return Issue("F005", display, params={"detail": f"{type(error).__name__}"})


def _unreadable_issue(display: str, path: Path, error: Unreadable) -> Issue:
    if error.code == "F003":
        return Issue("F003", display, params={"suffix": path.suffix or path.name})
    if "{detail}" not in RULES[error.code].message:
        return Issue(error.code, display)
    return Issue(error.code, display, params={"detail": Bilingual(error.detail, error.detail_en)})


def read_whole(path: Path) -> list[RawSheet] | Issue:
    """Every sheet of a workbook with all its rows in lists, or the issue that stopped
    the reading: what a worker hands back to a door that checks in its own process
    (a streamed sheet cannot cross a process boundary)."""
    display = display_path(path)
    if not is_regular(path):
        return not_a_file(display, path)
    try:
        sheets = []
        for raw in iter_sheets(path):
            rows = [*raw.rows, *raw.more]
            sheets.append(RawSheet(raw.name, rows[:HEAD_ROWS], raw.first_row, raw.first_col,
                                   raw.visible, iter(rows[HEAD_ROWS:]), raw.oversized))
        return sheets
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as error:  # the per-file boundary, as in validate_file
        return read_failure(display, path, error)
