"""The undo record: what a mark changed, so that clearing restores the user's workbook.

Both doors write it — ``fill --annotate`` through openpyxl, the "Sprawdź" button through
Excel — and both clear it, so it has one layout, read and written only here. It lives in
a very hidden sheet whose first cell carries our marker and the layout's version::

    A1 "workbook-tools undo record" | B1 3 | C1 <name of our report sheet> | D1 <kind>
    row 2: arkusz | komórka | wypełnienie | komentarz | autor komentarza | komentarz dodany
           | wartość | format liczby | wartość zmieniona
    row 3…: one changed cell each

A record is of one kind: "oznaczenia" (colours and notes of a check) or "poprawki" (the
values ``fix`` / the "Popraw" button changed, with each cell's previous value and number
format). Checking again clears only the marks; "Wyczyść oznaczenia" and ``clear``
restore both.

The marker is what makes a sheet ours: a user's own "Wyniki kontroli" sheet is never
removed, because the record names the report sheet we added. A cell's previous fill is
kept as "#rrggbb" (a plain colour, as Excel reports it), "" (none), "?" (the engine
could not say) or the fill's OOXML (openpyxl: patterns and theme colours survive).
Records of version 1 (two layouts, one per door, without marker) are still read.

>>> rec = Record("Wyniki kontroli", [Entry("Lista", "C2", "#00b0f0", None, None, True)])
>>> parse("_workbook_tools", rows(rec)) == rec
True
>>> parse("Moje uwagi", [["Uwaga"], ["x"]]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .names import CLAIM_MARK, RECORD_MARK, RECORD_SHEET, REPORT_HEADERS, REPORT_SHEET

VERSION = 3
HEADERS = ("arkusz", "komórka", "wypełnienie", "komentarz", "autor komentarza",
           "komentarz dodany", "wartość", "format liczby", "wartość zmieniona")
MARKS, FIXES = "oznaczenia", "poprawki"
#: The two headers version 1 wrote (openpyxl door, Excel door); no marker row.
_V1_FILE = ("arkusz", "komórka", "wypełnienie", "komentarz", "autor komentarza")
_V1_EXCEL = ("arkusz", "komórka", "poprzedni kolor", "notatka")


@dataclass(frozen=True)
class Entry:
    """One marked cell and what it held before the mark."""

    sheet: str
    cell: str
    #: the previous fill: "#rrggbb", "" (none), "?" (unknown) or the fill's OOXML
    fill: str
    #: the cell's own comment (note) before the mark, and its author
    comment: str | None
    author: str | None
    #: whether the mark put a comment on the cell (to remove on clearing)
    comment_added: bool
    #: the cell's previous value and number format, when a fix changed the value
    value: Any = None
    number_format: str | None = None
    value_changed: bool = False


@dataclass
class Record:
    report_sheet: str | None
    entries: list[Entry] = field(default_factory=list)
    version: int = VERSION
    kind: str = MARKS


def rows(record: Record) -> list[list[Any]]:
    """The record as sheet rows, all of one width (a block write needs a rectangle)."""
    width = len(HEADERS)
    found: list[list[Any]] = [[RECORD_MARK, VERSION, record.report_sheet or "", record.kind,
                               *[None] * (width - 4)], list(HEADERS)]
    for e in record.entries:
        found.append([e.sheet, e.cell, e.fill, e.comment, e.author,
                      "tak" if e.comment_added else "nie", e.value, e.number_format,
                      "tak" if e.value_changed else "nie"])
    return found


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def parse(name: str, sheet_rows: Sequence[Sequence[Any]]) -> Record | None:
    """The record a sheet holds, or None when the sheet is not a record of ours."""
    if not sheet_rows or not sheet_rows[0]:
        return None
    first = [_text(v) for v in sheet_rows[0]]
    if first[0] == RECORD_MARK:
        report = first[2] if len(first) > 2 else None
        kind = (first[3] if len(first) > 3 else None) or MARKS
        entries = []
        for row in sheet_rows[2:]:
            cells = [*row, *[None] * len(HEADERS)][:len(HEADERS)]
            if not cells[0] or not cells[1]:
                continue
            entries.append(Entry(str(cells[0]), str(cells[1]), _text(cells[2]) or "",
                                 _text(cells[3]), _text(cells[4]), _text(cells[5]) == "tak",
                                 cells[6], _text(cells[7]), _text(cells[8]) == "tak"))
        version = int(float(str(sheet_rows[0][1]))) if len(sheet_rows[0]) > 1 else VERSION
        return Record(report, entries, version, kind)
    if name != RECORD_SHEET:
        return None
    header = tuple(v for v in first if v is not None)
    if header == _V1_FILE:  # fill --annotate of version 1: fill XML, own comment
        return Record(REPORT_SHEET, [
            Entry(str(r[0]), str(r[1]), _text(r[2]) or "", _text(r[3]), _text(r[4]), True)
            for r in (list(row) + [None] * 5 for row in sheet_rows[1:]) if r[0] and r[1]],
            version=1)
    if header == _V1_EXCEL:  # the button of version 1: "#rrggbb", note added "tak"/"nie"
        return Record(REPORT_SHEET, [
            Entry(str(r[0]), str(r[1]), _text(r[2]) or "", None, None, _text(r[3]) == "tak")
            for r in (list(row) + [None] * 4 for row in sheet_rows[1:]) if r[0] and r[1]],
            version=1)
    return None


def free_name(wanted: str, taken: Iterable[str]) -> str:
    """``wanted``, or "wanted (2)", "wanted (3)"… when a sheet of the user has it
    (Excel compares sheet names without regard to case; 31 characters at most)."""
    names = {n.casefold() for n in taken}
    if wanted.casefold() not in names:
        return wanted
    number = 2
    while f"{wanted} ({number})".casefold() in names:
        number += 1
    return f"{wanted} ({number})"[:31]


def is_report(rows_head: Sequence[Sequence[Any]]) -> bool:
    """Whether a sheet's first row is our report's header, or our claim sheet's mark:
    a sheet we wrote, never data to check."""
    if not rows_head or not rows_head[0]:
        return False
    return tuple(_text(v) for v in rows_head[0][:len(REPORT_HEADERS)]) == REPORT_HEADERS \
        or _text(rows_head[0][0]) == CLAIM_MARK
