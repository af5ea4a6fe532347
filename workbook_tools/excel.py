"""The Excel door: what the buttons "Sprawdź", "Uzupełnij" and "Wyczyść oznaczenia" run.

Staff click a button (a VBA ``RunPython`` call, from the workbook's Panel or from the
add-in's ribbon tab); xlwings hands us the workbook the user is looking at — from the
add-in, the active workbook, never the add-in itself. Each sheet is read in one bulk
call, the same engine as the command line checks it (with the other workbooks and the
settings of its project, :mod:`workbook_tools.project`), and results go back in blocks.

Every call here crosses to Excel (COM on Windows, AppleScript on macOS), and a call
costs milliseconds, so the number of calls is bounded by the sheets and colours, not by
the cells marked: on Windows, cells of one colour are coloured through ranges of many
areas ("A5,C7,…", at most 255 characters each) and their previous fill is read the
same way (a range whose cells share one fill answers in one call; a mixed one is split
in halves); the report is one block write, its links ``HYPERLINK`` formulas; notes go
on the first :data:`NOTE_LIMIT` marked cells (all messages are in the report sheet).
The undo record (:mod:`workbook_tools.record`) is written before the first cell is
touched, so "Wyczyść oznaczenia" always restores what was there.

Only members of xlwings that its Windows and macOS engines implement are used
(``tests/test_excel_conformance.py`` reads the engines' own sources); the remote engine
(``xlwings.Book(json=...)``) runs the same code in the tests, where it cannot read
fills: there a previous fill is recorded as unknown ("?") and cleared to none.
"""

from __future__ import annotations

from . import dataclass_code

# First: the button's Python imports this module before anything else, and the engine's
# data classes below then get their methods' code from an earlier run instead of
# compiling them (see dataclass_code; xlwings starts Python with -B, so this process
# only reads what the command line's runs and ``excel install`` kept).
dataclass_code.install()

import contextlib
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import marks as annotate  # the openpyxl-free part of annotate
from .engine import validate_project
from .issues import Issue, count
from .names import CLAIM_MARK, CLAIM_SHEET, RECORD_SHEET, REPORT_HEADERS, REPORT_SHEET
from .pesel import mask_in_text
from .polish import plural_pl
from .project import display_path, resolve_file
from .rawsheet import RawSheet
from .read import HEAD_ROWS, cell_position, column_letter
from .record import FIXES, MARKS, Entry, Record, free_name, is_report, parse, rows
from .results import FileResult, ProjectResult
from .settings import ProjectSettings, SettingsError, load_settings
from .summary import to_excel

if TYPE_CHECKING:
    from .fill import SheetPlan

TITLE = "workbook-tools"
#: Hex colours of the marks (Excel's "bad" and "neutral" styles).
HEX = {severity: f"#{colour[2:]}" for severity, colour in annotate.COLOURS.items()}
#: Text that Excel would take for a formula is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@")
#: Marked cells that also get a note (one Excel call or two each); the rest are listed
#: in the report sheet only.
NOTE_LIMIT = 50
#: Excel's Range() takes an address of at most 255 characters.
MAX_ADDRESS = 255
#: The engines whose ranges may have many areas ("A1,C3"): Excel on Windows (COM).
MULTI_AREA_ENGINES = ("xlwings._xlwindows",)


class NoWorkbook(Exception):
    """A button clicked with no workbook of the user's in front (only the add-in)."""


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
        _clear(book)
        values = read_values(book)
        project, checked = _validate(book, values)
        issues = [i for i in project.all_issues if i.file == checked.display]
        marks = annotate.plan(issues)
        report = _mark(book, marks)
        totals = count(issues)
        book.app.alert(
            f"Sprawdzono: {plural_pl(totals['error'], 'błąd', 'błędy', 'błędów')}, "
            f"{plural_pl(totals['warning'], 'ostrzeżenie', 'ostrzeżenia', 'ostrzeżeń')}, "
            f"{plural_pl(totals['info'], 'informacja', 'informacje', 'informacji')}."
            + (f" Szczegóły w arkuszu „{report}”." if issues else ""), title=TITLE)


def uzupelnij(book: Any = None) -> None:
    """Write the computed columns (age, status, hours, paid to date, shares...)."""
    # openpyxl comes with it: only this button needs it
    from .fill import held_note, plan_sheet, unread_others

    book = _book(book)
    with _reported(book):
        values = read_values(book)
        project, checked = _validate(book, values)
        assert project.data is not None
        unread = unread_others(project, checked)
        plans = [plan_sheet(data, project.data, unread) for data in checked.sheets]
        written = 0
        for plan in plans:
            written += _fill_sheet(book.sheets[plan.table.sheet], values[plan.table.sheet],
                                   plan)
        note = held_note(plans, unread)
        book.app.alert("Uzupełniono kolumny wyliczane ("
                       f"{plural_pl(written, 'komórka', 'komórki', 'komórek')})."
                       + (f" Uwaga: {mask_in_text(note.pl)}." if note else ""), title=TITLE)


def popraw(book: Any = None) -> None:
    """Apply the safe fixes (``workbook-tools fix``) to the open workbook, the previous
    values and number formats recorded first, so that "Wyczyść oznaczenia" restores them."""
    from .fix import planned

    book = _book(book)
    with _reported(book):
        values = read_values(book)
        project, checked = _validate(book, values)
        issues = [i for i in project.all_issues if i.file == checked.display]
        changes = planned(checked, issues, _ValuesBook(values))
        if changes:
            names = [sheet.name for sheet in book.sheets]
            undo = Record(None, kind=FIXES)
            for change in changes:
                cell = book.sheets[change.sheet].range(change.cell)
                undo.entries.append(Entry(change.sheet, change.cell, "", None, None, False,
                                          change.old, _number_format(cell), True))
            record = book.sheets.add(free_name(RECORD_SHEET, names),
                                     after=book.sheets[len(book.sheets) - 1])
            record.range("A1").value = [
                [_as_typed(v) if n >= 2 and column == 6 else
                 cell_value(v) if v is not None else None for column, v in enumerate(row)]
                for n, row in enumerate(rows(undo))]  # the old values keep their type
            record.visible = False
            for change in changes:  # a handful of cells: one call each is fine
                cell = book.sheets[change.sheet].range(change.cell)
                if change.number_format is not None:
                    cell.number_format = change.number_format
                cell.value = _as_typed(change.new)
        book.app.alert(
            f"Poprawiono {plural_pl(len(changes), 'komórkę', 'komórki', 'komórek')}."
            + (" Poprzednie wartości przywraca „Wyczyść oznaczenia”." if changes else ""),
            title=TITLE)


def zestawienie(book: Any = None) -> None:
    """The claim tables of the workbook's project (``workbook-tools zestawienie``) for the
    period in projekt.toml, written into a "Zestawienie" sheet that replaces the last one."""
    from .claim import claim
    from .claim_output import claim_rows

    book = _book(book)
    with _reported(book):
        values = read_values(book)
        project, _checked = _validate(book, values)
        assert project.data is not None
        settings = project.settings
        found = claim(project.data, folder=display_path(project.folder),
                      start=settings.start, end=settings.end)
        found.issues[:0] = project.incomplete  # counted without an unreadable workbook
        for sheet in [s for s in book.sheets if s.name.startswith(CLAIM_SHEET)]:
            if sheet.range("A1").value == CLAIM_MARK:  # ours: replaced, never the user's
                sheet.delete()
        names = [sheet.name for sheet in book.sheets]
        target = book.sheets.add(free_name(CLAIM_SHEET, names),
                                 after=book.sheets[len(book.sheets) - 1])
        rows = claim_rows(found)
        width = max(len(row) for row in rows)
        target.range("A1").value = [[cell_value(v) for v in row] + [None] * (width - len(row))
                                    for row in rows]  # one write for every table
        target.range((1, 1)).column_width = 48
        period = (f"{settings.start:%d.%m.%Y} – {settings.end:%d.%m.%Y}"
                  if settings.start and settings.end else "cały projekt")
        book.app.alert(
            f"Zestawienie ({period}): "
            f"{plural_pl(len(found.tables), 'tabela', 'tabele', 'tabel')} w arkuszu "
            f"„{target.name}”"
            + (f"; {plural_pl(len(found.issues), 'uwaga', 'uwagi', 'uwag')} przy liczeniu "
               "na końcu arkusza." if found.issues else "."), title=TITLE)


class _ValuesBook:
    """The sheets read in one call each, as :func:`workbook_tools.fix.planned` reads a
    workbook (``book[sheet][cell].value``, ``iter_rows``)."""

    def __init__(self, values: dict[str, SheetValues]) -> None:
        self.values = values

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def __getitem__(self, name: str) -> _ValuesSheet:
        return _ValuesSheet(self.values[name])


@dataclass(frozen=True)
class _Cell:
    coordinate: str
    value: Any


class _ValuesSheet:
    def __init__(self, values: SheetValues) -> None:
        self.sheet = values
        self.title = values.name

    def __getitem__(self, address: str) -> _Cell:
        return _Cell(address, self.sheet.value(*cell_position(address)))

    def iter_rows(self, min_row: int, min_col: int, max_col: int) -> Iterator[tuple[_Cell]]:
        last = self.sheet.first_row + len(self.sheet.rows) - 1
        for row in range(min_row, last + 1):
            yield (_Cell(f"{column_letter(min_col)}{row}", self.sheet.value(row, min_col)),)


def _number_format(cell: Any) -> str:
    """The cell's number format; "?" where the engine cannot read it (the remote
    engine reads formats only asynchronously)."""
    try:
        return str(cell.number_format)
    except NotImplementedError:
        return "?"


def _as_typed(value: Any) -> Any:
    """Text stays text in Excel ("11200", "2/4/2009" would turn into a number or a
    date): written with the apostrophe Excel keeps as the cell's text prefix."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.startswith("'") else "'" + value
    return cell_value(value)


def _undo_fixes(book: Any, record_sheet: Any, record: Record) -> int:
    """The values and number formats the "Popraw" button changed, put back."""
    restored = 0
    for entry in record.entries:
        sheet = _sheet_named(book, entry.sheet)
        if sheet is None or not entry.value_changed:
            continue
        cell = sheet.range(entry.cell)
        if entry.number_format != "?":  # "?": the engine could not say; left as it is
            cell.number_format = entry.number_format or "General"
        cell.value = _as_typed(entry.value)
        restored += 1
    record_sheet.delete()
    return restored


def wyczysc(book: Any = None) -> None:
    """Remove our marks: colours, notes, the report sheet; restore earlier fills, and
    the values the "Popraw" button changed."""
    book = _book(book)
    with _reported(book):
        restored = _clear_all(book)
        book.app.alert("Usunięto oznaczenia ("
                       f"{plural_pl(restored, 'komórka', 'komórki', 'komórek')}).", title=TITLE)


def _is_addin(book: Any) -> bool:
    return str(book.name).lower().endswith(".xlam")


def _book(book: Any) -> Any:
    """The workbook the user is looking at. From the add-in's ribbon the caller is the
    add-in (Excel finds an open add-in by its name), so the active workbook is taken."""
    if book is None:
        import xlwings as xw

        try:
            book = xw.Book.caller()
        except Exception:  # no caller (e.g. run from a Python prompt): the one in front
            book = xw.books.active
    if _is_addin(book):
        active = book.app.books.active
        if active is None or _is_addin(active):
            raise NoWorkbook
        return active
    return book


@contextlib.contextmanager
def _reported(book: Any) -> Iterator[None]:
    """Any failure as a message box (PESEL masked), never a traceback."""
    try:
        yield
    except NoWorkbook:
        book.app.alert("Najpierw otwórz (albo kliknij) skoroszyt projektu, potem przycisk.",
                       title=TITLE)
    except Exception as error:
        text = mask_in_text(f"{type(error).__name__}: {error}")[:400]
        book.app.alert(f"Nie udało się wykonać polecenia.\n\n{text}",
                       title=f"{TITLE} — błąd")


# --- reading -----------------------------------------------------------------------


def read_values(book: Any) -> dict[str, SheetValues]:
    """Every sheet's used range, one bulk read per sheet (never cell by cell)."""
    found: dict[str, SheetValues] = {}
    for sheet in book.sheets:
        used = sheet.used_range
        cells = [list(row) for row in used.options(ndim=2).value or []]
        if (_hidden(sheet) and parse(sheet.name, cells[:1])) or is_report(cells):
            continue  # our undo record or report sheet
        found[sheet.name] = SheetValues(sheet.name, used.row, used.column, cells)
    return found


def _raw(values: SheetValues) -> RawSheet:
    rows = [["" if v is None else v for v in row] for row in values.rows]
    if not any(v != "" for row in rows for v in row):
        rows = []
    return RawSheet(values.name, rows[:HEAD_ROWS], values.first_row - 1, values.first_col - 1,
                    True, iter(rows[HEAD_ROWS:]))


def _validate(book: Any, values: dict[str, SheetValues]) -> tuple[ProjectResult, FileResult]:
    """The open workbook checked with its project, as the command line would check it."""
    raws = [_raw(v) for v in values.values()]
    full = Path(str(book.fullname))
    if full.parent != Path(".") and full.parent.is_dir():
        from .batch import read_contained

        project = resolve_file(full)
        try:
            settings: ProjectSettings | None = load_settings(project.folder, project.root)
        except SettingsError:
            settings = None  # validate_project reports it (F004)
        others = [p for p in project.files if p != full]
        # the other workbooks are read from disk by a worker under limits, as the
        # command line reads them: a file beside this one never takes the button down;
        # a file named "pomin" in [arkusze] is not even handed to it
        read = read_contained([p for p in others
                               if settings is None or not settings.skips_file(p.name)])
        live: dict[Path, Sequence[RawSheet]] = {
            path: sheets for path, sheets in read.items() if isinstance(sheets, list)}
        live[full] = raws
        failed = {path: issue for path, issue in read.items() if isinstance(issue, Issue)}
        result = validate_project(project.folder, [*others, full], project.root,
                                  failed=failed, live=live, settings=settings,
                                  targets={full})
    else:  # never saved, or a remote client: the workbook alone, default settings
        full = Path(str(book.name))
        result = validate_project(full.parent, [full], live={full: raws},
                                  settings=ProjectSettings())
    [checked] = [f for f in result.files if f.path == full]
    return result, checked


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
    from .fill import place

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


def _hidden(sheet: Any) -> bool:
    """Whether a sheet is hidden; True where the engine cannot say (xlwings' VBA client
    sends no visibility): the record's marker still has to be there."""
    try:
        return not sheet.visible
    except Exception:
        return True


def _sheet_named(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def _multi_area(book: Any) -> bool:
    return type(book.impl).__module__ in MULTI_AREA_ENGINES


#: A rectangle of cells in one column: (column letters, first row, last row).
Area = tuple[str, int, int]


def _area_text(area: Area) -> str:
    column, first, last = area
    return f"{column}{first}" if first == last else f"{column}{first}:{column}{last}"


def _to_areas(addresses: Sequence[str]) -> list[Area]:
    """Cells merged into column runs: D5, D6, D7, F2 -> D5:D7, F2."""
    by_column: dict[str, list[int]] = {}
    for address in addresses:
        match = re.fullmatch(r"([A-Z]{1,3})(\d+)", address)
        if match:
            by_column.setdefault(match.group(1), []).append(int(match.group(2)))
    areas: list[Area] = []
    for column, numbers in by_column.items():
        for first, last in _runs(sorted(set(numbers))):
            areas.append((column, first, last))
    return areas


def _cells(area: Area) -> list[str]:
    column, first, last = area
    return [f"{column}{row}" for row in range(first, last + 1)]


def _groups(areas: Sequence[Area]) -> Iterator[list[Area]]:
    """Areas in groups whose joined address fits Excel's Range()."""
    group: list[Area] = []
    length = 0
    for area in areas:
        text = _area_text(area)
        if group and length + 1 + len(text) > MAX_ADDRESS:
            yield group
            group, length = [], 0
        group.append(area)
        length += len(text) + (1 if length else 0)
    if group:
        yield group


def _address(group: Sequence[Area]) -> str:
    return ",".join(_area_text(area) for area in group)


def _hex(colour: Any) -> str:
    """A colour as the record keeps it: "#rrggbb", "" for none."""
    if colour is None:
        return ""
    if isinstance(colour, tuple):
        return "#{:02x}{:02x}{:02x}".format(*colour)
    return str(colour)


def _fills(sheet: Any, addresses: list[str], multi: bool) -> dict[str, str]:
    """The current fill of each cell, in as few calls as the engine allows."""
    found: dict[str, str] = {}
    if not multi:
        for address in addresses:
            try:
                found[address] = _hex(sheet.range(address).color)
            except NotImplementedError:  # the remote engine cannot read fills
                found[address] = "?"
        return found
    pending = list(_groups(_to_areas(addresses)))
    while pending:
        group = pending.pop()
        try:  # cells sharing one fill answer at once; mixed fills raise
            colour = sheet.range(_address(group)).color
        except Exception:
            if len(group) > 1:
                half = len(group) // 2
                pending += [group[:half], group[half:]]
            elif group[0][1] < group[0][2]:  # one run of rows: split it
                column, first, last = group[0]
                middle = (first + last) // 2
                pending += [[(column, first, middle)], [(column, middle + 1, last)]]
            else:
                found[_area_text(group[0])] = "?"
            continue
        for area in group:
            for address in _cells(area):
                found[address] = _hex(colour)
    return found


def _paint(book: Any, sheet: Any, by_colour: dict[str | None, list[str]]) -> None:
    """Give cells their colours: one call per colour and group of areas on Windows;
    on the remote engine one colour matrix per sheet; elsewhere cell by cell."""
    if _multi_area(book):
        for colour, addresses in by_colour.items():
            for group in _groups(_to_areas(addresses)):
                sheet.range(_address(group)).color = colour
        return
    cells = [(sheet.range(a), colour) for colour, group in by_colour.items() for a in group]
    if type(book.impl).__module__.endswith("_xlremote") and cells:
        top = min(c.row for c, _ in cells)
        left = min(c.column for c, _ in cells)
        bottom = max(c.row for c, _ in cells)
        right = max(c.column for c, _ in cells)
        if (bottom - top + 1) * (right - left + 1) <= 10_000:
            matrix: list[list[Any]] = [[...] * (right - left + 1)
                                       for _ in range(bottom - top + 1)]
            for cell, colour in cells:
                matrix[cell.row - top][cell.column - left] = colour
            sheet.range((top, left), (bottom, right)).set_colors(matrix)
            return
    for cell, colour in cells:
        cell.color = colour


def _mark(book: Any, marks: annotate.Marks) -> str:
    """The undo record first, then colours and notes on the cells, then the report
    sheet; returns the report sheet's name."""
    names = [sheet.name for sheet in book.sheets]
    report_name = free_name(REPORT_SHEET, names)
    record_name = free_name(RECORD_SHEET, [*names, report_name])
    multi = _multi_area(book)
    by_sheet: dict[str, list[annotate.CellMark]] = {}
    for item in marks.cells:
        if item.sheet in names:
            by_sheet.setdefault(item.sheet, []).append(item)
    undo = Record(report_name)
    noted: list[tuple[Any, annotate.CellMark]] = []
    sheets = {name: _sheet_named(book, name) for name in by_sheet}
    for name, items in by_sheet.items():
        sheet = sheets[name]
        fills = _fills(sheet, [i.cell for i in items], multi)
        for item in items:
            note = len(noted) < NOTE_LIMIT
            if note:
                noted.append((sheet, item))
            undo.entries.append(Entry(name, item.cell, fills[item.cell], None, None, note))
    # the record is complete and saved in the workbook before any cell changes
    record = book.sheets.add(record_name, after=book.sheets[len(book.sheets) - 1])
    record.range("A1").value = [[cell_value(v) if v is not None else None for v in row]
                                for row in rows(undo)]
    record.visible = False
    kept: set[tuple[str, str]] = set()
    for sheet, item in noted:
        if not _add_note(sheet.range(item.cell), item):
            kept.add((item.sheet, item.cell))
    if kept:  # a cell with its own note keeps it: the record must not delete it
        undo.entries = [e if (e.sheet, e.cell) not in kept else
                        Entry(e.sheet, e.cell, e.fill, None, None, False)
                        for e in undo.entries]
        record.range("A1").value = [[cell_value(v) if v is not None else None for v in row]
                                    for row in rows(undo)]
    for name, items in by_sheet.items():
        by_colour: dict[str | None, list[str]] = {}
        for item in items:
            colour = HEX.get(item.severity)
            if colour:
                by_colour.setdefault(colour, []).append(item.cell)
        _paint(book, sheets[name], by_colour)
    _report(book, marks, report_name, record)
    return report_name


def _link(sheet: str, cell: str, text: str) -> str:
    """A HYPERLINK formula to a cell (sheet names quoted for Excel, then for the
    formula's string): one block write instead of one call per link."""
    target = "#'" + sheet.replace("'", "''") + "'!" + cell
    return f'=HYPERLINK("{target.replace(chr(34), chr(34) * 2)}","{text}")'


def _report(book: Any, marks: annotate.Marks, name: str, before: Any) -> None:
    report = book.sheets.add(name, before=before)
    table = [list(REPORT_HEADERS)]
    for row, link in zip(marks.report, marks.links, strict=True):
        values = [cell_value(v) for v in row]
        if link is not None and re.fullmatch(r"[A-Z]{1,3}\d{1,7}", link[1]):
            values[2] = _link(link[0], link[1], str(row[2]))
        table.append(values)
    report.range("A1").value = table  # one write for the whole report
    for column, width in enumerate(annotate.REPORT_WIDTHS, 1):
        report.range((1, column)).column_width = width
    report.range((1, 1), (1, len(REPORT_HEADERS))).font.bold = True


def _add_note(cell: Any, item: annotate.CellMark) -> bool:
    """Our note on the cell (True when added); a cell with its own note keeps it."""
    try:
        if cell.note is not None:
            return False
        cell.add_note(item.comment)
    except (NotImplementedError, ValueError, AttributeError):
        return False
    return True


def _colour_of(saved: str) -> str | None:
    """The colour to restore from a record's fill ("#rrggbb", "", "?" or OOXML)."""
    if saved.startswith("#") and len(saved) == 7:
        return saved
    if saved.startswith("<") and 'patternType="solid"' in saved:
        match = re.search(r'fgColor rgb="[0-9A-Fa-f]{2}([0-9A-Fa-f]{6})"', saved)
        return f"#{match.group(1).lower()}" if match else None
    return None


def find_record(book: Any, kind: str | None = None) -> tuple[Any, Record] | None:
    """Our undo record (of one kind, or any) among the workbook's hidden sheets."""
    return next(((sheet, record) for sheet, record in _records(book)
                 if kind is None or record.kind == kind), None)


def _records(book: Any) -> list[tuple[Any, Record]]:
    """Every undo record among the workbook's hidden sheets."""
    found = []
    for sheet in book.sheets:
        if _hidden(sheet):
            cells = [list(r) for r in sheet.used_range.options(ndim=2).value or []]
            record = parse(sheet.name, cells)
            if record is not None:
                found.append((sheet, record))
    return found


def _clear_all(book: Any) -> int:
    """Every record undone: marks and fixes ("Wyczyść oznaczenia")."""
    return sum(_clear(book, found=found) for found in _records(book))


def _clear(book: Any, kind: str | None = MARKS,
           found: tuple[Any, Record] | None = None) -> int:
    """Undo what a record lists (the marks, by default); remove the record and the
    report it names."""
    found = found or find_record(book, kind)
    if found is None:
        return 0
    record_sheet, record = found
    if record.kind == FIXES:
        return _undo_fixes(book, record_sheet, record)
    by_sheet: dict[str, dict[str | None, list[str]]] = {}
    notes: list[tuple[str, str]] = []
    for entry in record.entries:
        by_sheet.setdefault(entry.sheet, {}).setdefault(_colour_of(entry.fill), []).append(
            entry.cell)
        if entry.comment_added:
            notes.append((entry.sheet, entry.cell))
    restored = 0
    for name, by_colour in by_sheet.items():
        sheet = _sheet_named(book, name)
        if sheet is None:
            continue
        _paint(book, sheet, by_colour)
        restored += sum(len(cells) for cells in by_colour.values())
        for sheet_name, address in notes:
            if sheet_name == name:
                with contextlib.suppress(NotImplementedError, AttributeError):
                    note = sheet.range(address).note
                    if note is not None:
                        note.delete()
    record_sheet.delete()
    report = _sheet_named(book, record.report_sheet) if record.report_sheet else None
    if report is not None:
        head = report.range((1, 1), (1, len(REPORT_HEADERS))).options(ndim=2).value
        if is_report(head):
            report.delete()
    return restored
