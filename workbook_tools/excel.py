"""The Excel door: what the buttons "Sprawdź", "Uzupełnij" and "Wyczyść oznaczenia" run.

Staff click a button (a VBA ``RunPython`` call, from the workbook or from the add-in's
ribbon tab); xlwings hands us the open workbook. Each sheet is read in one bulk call,
the same engine as the command line checks it (with the sibling workbooks and
projekt.toml of its folder when it has been saved), and results go back in blocks: one
write per computed column, one for the report sheet, one colour matrix per sheet. Any
failure reaches the user as a message box, never as a Python traceback.

Works with every xlwings engine: Excel itself (COM / AppleScript) in production, and the
remote engine in the tests (``xlwings.Book(json=...)``), which cannot read a cell's
fill or add notes from a VBA client; there a mark's previous fill is recorded as unknown
and cleared to none, and the messages are in the report sheet only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import annotate
from .engine import (
    RECORD_SHEET,
    REPORT_SHEET,
    FileResult,
    ProjectResult,
    is_candidate,
    validate_project,
)
from .fill import SheetPlan, place, plan_sheet
from .issues import count
from .output import plural_pl
from .pesel import mask_in_text
from .read import HEAD_ROWS, RawSheet
from .settings import ProjectSettings, SettingsError, load_settings
from .summary import to_excel

TITLE = "workbook-tools"
#: Hex colours of the marks (Excel's "bad" and "neutral" styles).
HEX = {severity: f"#{colour[2:]}" for severity, colour in annotate.COLOURS.items()}
#: Text that Excel would take for a formula is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class SheetValues:
    """A sheet's used range, read once: 1-based sheet coordinates of its first cell."""

    name: str
    first_row: int
    first_col: int
    rows: list[list[Any]]

    def value(self, row: int, column: int) -> Any:
        r, c = row - self.first_row, column - self.first_col
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def last_column(self, top: int, bottom: int) -> int:
        """The last column holding a value in rows ``top``..``bottom`` (0: none)."""
        rows = self.rows[max(0, top - self.first_row):max(0, bottom - self.first_row + 1)]
        return max((self.first_col + i for row in rows for i, v in enumerate(row)
                    if v not in (None, "")), default=0)

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1


# --- the buttons -------------------------------------------------------------------


def sprawdz(book: Any = None) -> None:
    """Check the workbook: colour the cells with issues, refresh "Wyniki kontroli"."""
    book = _book(book)
    with _reported(book):
        values = read_values(book)
        project, checked = _validate(book, values)
        issues = [i for i in project.all_issues if i.file == checked.display]
        _clear(book)
        marks = annotate.plan(issues)
        _mark(book, marks)
        totals = count(issues)
        book.app.alert(
            f"Sprawdzono: {plural_pl(totals['error'], 'błąd', 'błędy', 'błędów')}, "
            f"{plural_pl(totals['warning'], 'ostrzeżenie', 'ostrzeżenia', 'ostrzeżeń')}, "
            f"{plural_pl(totals['info'], 'informacja', 'informacje', 'informacji')}."
            + (f" Szczegóły w arkuszu „{REPORT_SHEET}”." if issues else ""), title=TITLE)


def uzupelnij(book: Any = None) -> None:
    """Write the computed columns (age, status, hours, paid to date, shares...)."""
    book = _book(book)
    with _reported(book):
        values = read_values(book)
        project, checked = _validate(book, values)
        assert project.data is not None
        written = 0
        for data in checked.sheets:
            plan = plan_sheet(data, project.data)
            written += _fill_sheet(book.sheets[plan.table.sheet], values[plan.table.sheet],
                                   plan)
        book.app.alert("Uzupełniono kolumny wyliczane ("
                       f"{plural_pl(written, 'komórka', 'komórki', 'komórek')}).", title=TITLE)


def wyczysc(book: Any = None) -> None:
    """Remove our marks: colours, notes, the report sheet; restore earlier fills."""
    book = _book(book)
    with _reported(book):
        restored = _clear(book)
        book.app.alert("Usunięto oznaczenia ("
                       f"{plural_pl(restored, 'komórka', 'komórki', 'komórek')}).", title=TITLE)


def _book(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    try:
        return xw.Book.caller()
    except Exception:  # called from the add-in's ribbon: the workbook in front
        return xw.books.active


@contextlib.contextmanager
def _reported(book: Any) -> Iterator[None]:
    """Any failure as a message box (PESEL masked), never a traceback."""
    try:
        yield
    except Exception as error:
        text = mask_in_text(f"{type(error).__name__}: {error}")[:400]
        book.app.alert(f"Nie udało się wykonać polecenia.\n\n{text}",
                       title=f"{TITLE} — błąd")


# --- reading -----------------------------------------------------------------------


def read_values(book: Any) -> dict[str, SheetValues]:
    """Every sheet's used range, one bulk read per sheet (never cell by cell)."""
    found: dict[str, SheetValues] = {}
    for sheet in book.sheets:
        if sheet.name in (REPORT_SHEET, RECORD_SHEET):
            continue
        used = sheet.used_range
        rows = used.options(ndim=2).value or []
        found[sheet.name] = SheetValues(sheet.name, used.row, used.column,
                                        [list(row) for row in rows])
    return found


def _raw(values: SheetValues) -> RawSheet:
    rows = [["" if v is None else v for v in row] for row in values.rows]
    if not any(v != "" for row in rows for v in row):
        rows = []
    return RawSheet(values.name, rows[:HEAD_ROWS], values.first_row - 1, values.first_col - 1,
                    True, iter(rows[HEAD_ROWS:]))


def _validate(book: Any, values: dict[str, SheetValues]) -> tuple[ProjectResult, FileResult]:
    """The open workbook checked with its project folder, when it has one on disk."""
    raws = [_raw(v) for v in values.values()]
    full = Path(str(book.fullname))
    if full.parent != Path(".") and full.parent.is_dir():
        folder = full.parent
        files = [p for p in sorted(folder.iterdir()) if p.is_file() and is_candidate(p)
                 and p != full]
        try:
            settings = load_settings(folder)
        except SettingsError:
            settings = None  # validate_project reports it (F004)
        project = validate_project(folder, [*files, full], live={full: raws},
                                   settings=settings)
    else:  # never saved, or a remote client: the workbook alone, default settings
        full = Path(str(book.name))
        project = validate_project(full.parent, [full], live={full: raws},
                                   settings=ProjectSettings())
    [checked] = [f for f in project.files if f.path == full]
    return project, checked


# --- writing -----------------------------------------------------------------------


def cell_value(value: Any) -> Any:
    """A value as xlwings sends it to Excel: numbers as floats, text never a formula."""
    value = to_excel(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _fill_sheet(sheet: Any, values: SheetValues, plan: SheetPlan) -> int:
    top, header_row = plan.table.header_top, plan.table.header_bottom
    last_used = values.last_column(top, header_row)

    def free(column: int) -> bool:
        return all(values.value(r, column) in (None, "")
                   for r in range(top, values.last_row + 1))

    if not plan.rows:
        return 0
    first, last = min(plan.rows), max(plan.rows)
    rows = set(plan.rows)
    written = 0
    for item in place(plan, values.value, last_used, free):
        if item.only_empty:  # staff's own column: only its empty cells, run by run
            runs = _runs([row for row in sorted(item.values) if row in rows
                          and values.value(row, item.column) in (None, "")])
        else:  # our column: the whole block in one write
            runs = [(first, last)]
        for start, end in runs:
            block = []
            for row in range(start, end + 1):
                new = item.values.get(row) if row in rows else None
                block.append([values.value(row, item.column) if row not in rows else
                              None if new is None else cell_value(new)])
                written += new is not None
            target = sheet.range((start, item.column), (end, item.column))
            target.value = block
            if item.computed.number_format:
                target.number_format = item.computed.number_format
        if item.new:
            sheet.range((top, item.column)).value = item.computed.header
            sheet.range((top, item.column)).column_width = item.computed.width
    return written


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last) runs: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _sheet_named(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _mark(book: Any, marks: annotate.Marks) -> None:
    """Colours and notes on the cells, the report sheet, and the record to undo them."""
    record_rows: list[list[Any]] = [["arkusz", "komórka", "poprzedni kolor", "notatka"]]
    by_sheet: dict[str, list[annotate.CellMark]] = {}
    for item in marks.cells:
        by_sheet.setdefault(item.sheet, []).append(item)
    for name, items in by_sheet.items():
        sheet = _sheet_named(book, name)
        if sheet is None:
            continue
        for item in items:
            cell = sheet.range(item.cell)
            record_rows.append([name, item.cell, _previous_colour(cell), _add_note(cell, item)])
        _colour(sheet, items)
    last = book.sheets[len(book.sheets) - 1]
    report = book.sheets.add(REPORT_SHEET, after=last)
    rows = [list(annotate.REPORT_HEADERS)] + [[cell_value(v) for v in row]
                                              for row in marks.report]
    report.range("A1").value = rows  # one write for the whole report
    for number, link in enumerate(marks.links, 2):
        if link is not None:
            quoted = link[0].replace("'", "''")
            report.range((number, 3)).add_hyperlink(f"#'{quoted}'!{link[1]}",
                                                    text_to_display=rows[number - 1][2])
    for column, width in enumerate(annotate.REPORT_WIDTHS, 1):
        report.range((1, column)).column_width = width
    report.range("A1:G1").font.bold = True
    report.freeze_panes.freeze_at("A2")
    record = book.sheets.add(RECORD_SHEET, after=report)
    record.range("A1").value = record_rows
    record.visible = False


def _previous_colour(cell: Any) -> str:
    """The cell's own fill as "#rrggbb", "" for none, "?" when the engine cannot say."""
    try:
        colour = cell.color
    except NotImplementedError:
        return "?"
    if colour is None:
        return ""
    return "#{:02x}{:02x}{:02x}".format(*colour) if isinstance(colour, tuple) else str(colour)


def _add_note(cell: Any, item: annotate.CellMark) -> str:
    """Our note on the cell ("tak" when added); a cell with its own note keeps it."""
    try:
        if cell.note is not None:
            return "nie"
        cell.add_note(item.comment)
    except (NotImplementedError, ValueError, AttributeError):
        return "nie"
    return "tak"


def _colour(sheet: Any, items: Sequence[annotate.CellMark]) -> None:
    """All marks of a sheet in one colour matrix when they fit (``...`` keeps a cell)."""
    cells = [(sheet.range(i.cell), HEX.get(i.severity)) for i in items]
    cells = [(c, colour) for c, colour in cells if colour]
    if not cells:
        return
    top = min(c.row for c, _ in cells)
    left = min(c.column for c, _ in cells)
    bottom = max(c.row for c, _ in cells)
    right = max(c.column for c, _ in cells)
    if (bottom - top + 1) * (right - left + 1) > 10_000:
        for cell, colour in cells:
            cell.color = colour
        return
    matrix: list[list[Any]] = [[...] * (right - left + 1) for _ in range(bottom - top + 1)]
    for cell, colour in cells:
        matrix[cell.row - top][cell.column - left] = colour
    sheet.range((top, left), (bottom, right)).set_colors(matrix)


def _clear(book: Any) -> int:
    """Undo the marks the record sheet lists; remove our two sheets."""
    restored = 0
    record = _sheet_named(book, RECORD_SHEET)
    if record is not None:
        rows = record.used_range.options(ndim=2).value or []
        for name, address, colour, note in rows[1:]:
            sheet = _sheet_named(book, str(name))
            if sheet is None or not address:
                continue
            cell = sheet.range(str(address))
            cell.color = None if colour in (None, "", "?") else str(colour)
            if note == "tak":
                with contextlib.suppress(NotImplementedError, AttributeError):
                    if cell.note is not None:
                        cell.note.delete()
            restored += 1
        record.delete()
    report = _sheet_named(book, REPORT_SHEET)
    if report is not None:
        report.delete()
    return restored
