"""Fill: computed columns (and, on request, issue marks) written into the workbook.

The workbook is the project's record, so writing it follows strict rules: a new file
beside the original unless ``--in-place`` (then a backup is kept and the original is
replaced atomically), never a file open in Excel, never one holding parts openpyxl would
drop (:mod:`workbook_tools.safety`) unless forced, ``keep_vba`` for .xlsm, and text from
the sheets never turned into formulas. A computed column goes where its header already
is, or after the last used column; filling twice gives the same workbook.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from . import annotate
from .annotate import put_text
from .checks import ProjectData, SheetData
from .engine import quiet_gc, validate_project
from .issues import Issue
from .marks import plan as plan_marks
from .names import OUTPUT_MARK, SUPPORTED
from .polish import plural_pl
from .project import display_path, is_regular, resolve_file
from .read import iter_sheets, open_zip
from .results import FileResult, ProjectResult
from .rules import Bilingual
from .safety import WriteRefused, check_writable, lock_file
from .schema import Computed
from .summary import to_excel
from .table import Table
from .values import normalise_header
from .writes import backup, claimed, fingerprint, may_replace, save_atomic, written_by_us

WRITABLE = (".xlsx", ".xlsm")


@dataclass
class SheetFill:
    sheet: str
    columns: list[str] = field(default_factory=list)  # headers written or refreshed
    cells: int = 0


@dataclass
class FillResult:
    source: Path
    target: Path | None = None
    sheets: list[SheetFill] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    marked: int = 0
    cleared: int = 0
    backup: Path | None = None
    notes: list[Bilingual] = field(default_factory=list)
    refused: Bilingual | None = None


# --- where the result goes ---------------------------------------------------------


def target_path(source: Path, output: Path | None, in_place: bool) -> tuple[Path, list[Bilingual]]:
    """Where a workbook is written, and what the user should be told about it."""
    notes: list[Bilingual] = []
    suffix = source.suffix.lower()
    if suffix not in WRITABLE:
        notes.append(Bilingual(
            f"plik {suffix} zapisano jako .xlsx (oryginał bez zmian; formatowanie i formuły "
            "nie zostały przeniesione, tylko wartości)",
            f"the {suffix} file was written as .xlsx (original untouched; formatting and "
            "formulas were not carried over, only values)"))
        suffix = ".xlsx"
        if output is None:
            return source.with_name(f"{source.stem}{OUTPUT_MARK}{suffix}"), notes
    if output is not None:
        if output.suffix.lower() != suffix:
            raise WriteRefused(Bilingual(
                f"plik wynikowy musi mieć rozszerzenie {suffix} (jak skoroszyt wejściowy)",
                f"the output file must have the {suffix} extension (as the input)"))
        return output, notes
    if in_place:
        return source, notes
    if OUTPUT_MARK in source.name:
        raise WriteRefused(Bilingual(
            "ten plik jest już wynikiem uzupełnienia; użyj --in-place albo -o PLIK",
            "this file is already a fill result; use --in-place or -o FILE"))
    return source.with_name(f"{source.stem}{OUTPUT_MARK}{source.suffix}"), notes


# --- opening -----------------------------------------------------------------------


def open_book(path: Path, force: bool) -> Workbook:
    """The workbook for writing; .xls and .ods are rebuilt from their values."""
    suffix = path.suffix.lower()
    if suffix not in WRITABLE:
        return _book_from_values(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = openpyxl.load_workbook(path, keep_vba=suffix == ".xlsm", rich_text=True,
                                          keep_links=True)
        except MemoryError:
            raise
        except Exception as error:  # openpyxl's many ways of saying "cannot parse this"
            raise WriteRefused(Bilingual(
                "openpyxl nie potrafi odczytać tego skoroszytu do zapisu (uszkodzone style "
                f"lub inna część pliku: {type(error).__name__}) — otwórz go w Excelu, zapisz "
                "ponownie i spróbuj jeszcze raz",
                "openpyxl cannot read this workbook for writing (damaged styles or another "
                f"part: {type(error).__name__}); open it in Excel, save it again and retry")
            ) from None
    # openpyxl drops extensions it does not know, and turns a number formatted as a date
    # that is no date into an error value: both would be lost on saving
    lost = sorted({str(w.message) for w in caught
                   if "will be removed" in str(w.message) or "treated as an error"
                   in str(w.message)})
    if lost and not force:
        raise WriteRefused(Bilingual(
            "openpyxl nie zachowa części skoroszytu (" + "; ".join(lost) + ") — użyj --force, "
            "aby zapisać mimo to", "openpyxl would not keep part of the workbook ("
            + "; ".join(lost) + "); use --force to write anyway"))
    return book


def _book_from_values(path: Path) -> Workbook:
    book = Workbook()
    first = book.active
    for raw in iter_sheets(path):
        sheet = book.create_sheet(raw.name)
        for index, row in enumerate([*raw.rows, *raw.more]):
            for column, value in enumerate(row):
                if value is not None and value != "":
                    put_text(sheet.cell(raw.first_row + index + 1, raw.first_col + column + 1),
                         value)
    if first is not None and len(book.worksheets) > 1:
        book.remove(first)
    return book


# --- computed columns --------------------------------------------------------------


def _last_header_column(sheet: Worksheet, top: int, bottom: int) -> int:
    last = 0
    for row in sheet.iter_rows(min_row=top, max_row=bottom):
        for cell in row:
            if cell.value is not None and cell.value != "":
                last = max(last, cell.column)
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= bottom and merged.max_row >= top:
            last = max(last, merged.max_col)
    return last


def _column_is_free(sheet: Worksheet, column: int, top: int) -> bool:
    return all(value is None or value == "" for (value,) in sheet.iter_rows(
        min_row=top, max_row=max(sheet.max_row, top), min_col=column, max_col=column,
        values_only=True))


@dataclass
class SheetPlan:
    """What fill writes into one sheet, computed before the workbook is opened for
    writing: the records can then be let go, and openpyxl gets the memory."""

    table: Table
    rows: list[int]  # sheet rows of the records (and of the totals row)
    columns: list[tuple[Computed, dict[int, Any]]]
    #: project-wide columns not written: a workbook of the project could not be read
    held: list[str] = field(default_factory=list)


def plan_sheet(data: SheetData, project: ProjectData, unread: Sequence[str] = ()
               ) -> SheetPlan:
    """The computed columns of one sheet and their values. With ``unread`` (other
    workbooks of the project that could not be read) the project-wide columns are held
    back: paid to date without the payments workbook would be 0, written as if true."""
    table = data.ctx.table
    rows = [record.row for record in data.records]
    if data.ctx.totals is not None:
        rows.append(data.ctx.totals.row)
    plan = SheetPlan(table, rows, [])
    for computed in table.kind.computed:
        if computed.project_wide and unread:
            plan.held.append(computed.header)
        else:
            plan.columns.append((computed, computed.values(project, data)))
    return plan


def held_note(plans: Sequence[SheetPlan], unread: Sequence[str]) -> Bilingual | None:
    """What the user is told of the columns held back, naming the files to blame."""
    held = [header for plan in plans for header in plan.held]
    if not held:
        return None
    files = ", ".join(unread)
    if len(unread) == 1:
        advice = Bilingual("napraw ten plik albo, jeśli nie należy do projektu, wpisz go",
                           "repair that file or, if it is no part of the project, give it")
    else:
        advice = Bilingual("napraw te pliki albo te, które nie należą do projektu, wpisz",
                           "repair those files or give those that are no part of the "
                           "project")
    return Bilingual(
        f"nie uzupełniono: {', '.join(held)} — liczone z całego projektu, a nie odczytano: "
        f"{files}; {advice.pl} w [arkusze] jako „pomin”",
        f"not filled: {', '.join(held)}: computed from the whole project, and "
        f"could not be read: {files}; {advice.en} as 'pomin' in [arkusze]")


def unread_others(project: ProjectResult, checked: FileResult) -> list[str]:
    """The project's other workbooks that could not be read, as shown."""
    return [shown for shown, _code in project.unread if shown != checked.display]


@dataclass(frozen=True)
class Placement:
    computed: Computed
    values: dict[int, Any]
    column: int  # 1-based sheet column
    new: bool  # the header is to be written
    only_empty: bool  # a field of the kind: fill its empty cells only


def place(plan: SheetPlan, cell_value: Callable[[int, int], Any], last_used: int,
          column_is_free: Callable[[int], bool]) -> list[Placement]:
    """Where each computed column goes: the column carrying its header (or the field's
    own column), else the first free column after the last one used by the header.
    ``cell_value(row, column)`` reads the sheet (openpyxl or xlwings values)."""
    table = plan.table
    header = table.header
    top, header_row = table.header_top, table.header_bottom
    existing: dict[str, int] = {}
    for index, text in header.extra.items():
        column = table.first_col + index + 1
        existing.setdefault(normalise_header(text), column)
        for row in (top, header_row):
            own = cell_value(row, column)
            if isinstance(own, str):
                existing.setdefault(normalise_header(own), column)
    next_free = last_used + 1
    placed = []
    for computed, values in plan.columns:
        if computed.field and computed.field in header.columns:
            placed.append(Placement(computed, values,
                                    table.first_col + header.columns[computed.field] + 1,
                                    False, True))
            continue
        found = [existing[name] for name in computed.names() if name in existing]
        if found:
            placed.append(Placement(computed, values, found[0], False,
                                    computed.field is not None))
            continue
        column = next_free
        while not column_is_free(column):
            column += 1
        next_free = column + 1
        placed.append(Placement(computed, values, column, True, computed.field is not None))
    return placed


def fill_sheet(sheet: Worksheet, plan: SheetPlan) -> SheetFill:
    """Write the kind's computed columns into one sheet (openpyxl)."""
    top, header_row = plan.table.header_top, plan.table.header_bottom
    result = SheetFill(sheet.title)
    placed = place(plan, lambda row, column: sheet.cell(row, column).value,
                   _last_header_column(sheet, top, header_row),
                   lambda column: _column_is_free(sheet, column, top))
    for item in placed:
        if item.new:
            _header_cell(sheet, top, header_row, item.column, item.computed)
        result.columns.append(item.computed.header)
        result.cells += _write_values(sheet, item.column, plan.rows, item.values,
                                      item.computed, item.only_empty)
    return result


def _header_cell(sheet: Worksheet, top: int, bottom: int, column: int, computed: Computed
                 ) -> None:
    """The header of a new column, over all rows of the sheet's header (merged), styled
    like its neighbour."""
    cell = sheet.cell(top, column)
    put_text(cell, computed.header)
    if bottom > top:
        sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    neighbour = sheet.cell(top, column - 1) if column > 1 else None
    if neighbour is not None and neighbour.has_style:
        cell.font, cell.border = copy(neighbour.font), copy(neighbour.border)
        cell.fill, cell.alignment = copy(neighbour.fill), copy(neighbour.alignment)
    sheet.column_dimensions[get_column_letter(column)].width = computed.width


def _write_values(sheet: Worksheet, column: int, rows: list[int], values: dict[int, Any],
                  computed: Computed, only_empty: bool) -> int:
    written = 0
    number_format = computed.number_format
    template: Any = None
    for row in rows:
        value = values.get(row)
        cell = sheet.cell(row, column)
        if only_empty:
            if value is None or (cell.value is not None and cell.value != ""):
                continue
        elif value is None:
            if cell.value is not None:
                cell.value = None  # a value of an earlier fill that no longer holds
            continue
        put_text(cell, to_excel(value))
        if number_format:
            if cell.has_style:  # styled by staff or an earlier fill: keep it, set the format
                cell.number_format = number_format
            elif template is not None:  # a new cell: the same style as the first one was given
                cell._style = copy(template)
            else:
                cell.number_format = number_format
                template = copy(cell._style)
        written += 1
    return written


# --- the commands ------------------------------------------------------------------


def usable(path: Path) -> None:
    """Refuse, with a reason, a path that is no workbook we could rewrite."""
    if not path.exists():
        raise WriteRefused(Bilingual("plik nie istnieje", "the file does not exist"))
    if path.is_dir():
        raise WriteRefused(Bilingual("to folder, nie plik", "this is a folder, not a file"))
    if not is_regular(path):
        raise WriteRefused(Bilingual("to nie jest zwykły plik (potok, urządzenie)",
                                     "not a regular file (a pipe, a device)"))
    if path.suffix.lower() not in SUPPORTED:
        raise WriteRefused(Bilingual(
            f"rozszerzenie {path.suffix or '(brak)'} — to nie jest skoroszyt",
            f"extension {path.suffix or '(none)'}: not a workbook"))


def project_of(path: Path, failed: dict[Path, Issue] | None = None,
               on_file: Callable[[Path], None] | None = None) -> ProjectResult:
    """The file validated with its project (siblings and settings, as
    :func:`workbook_tools.project.resolve` decides), so that cross-workbook values (paid
    to date from the payments workbook) are right; only its own issues are kept."""
    project = resolve_file(path)
    return validate_project(project.folder, project.files, project.root, failed,
                            on_file=on_file, targets={path})


def _writing(on_file: Callable[..., None] | None, path: Path) -> None:
    """Tell the worker (if any) that reading is over and openpyxl writes now."""
    if on_file is not None:
        on_file(path, writing=True)


def fill_file(path: Path, *, output: Path | None = None, in_place: bool = False,
              annotate_issues: bool = False, force: bool = False,
              failed: dict[Path, Issue] | None = None,
              on_file: Callable[..., None] | None = None) -> FillResult:
    result = FillResult(path)
    try:
        target, before, project, checked = prepare(path, result, output=output,
                                                   in_place=in_place, force=force,
                                                   failed=failed, on_file=on_file)
        assert project.data is not None
        unread = unread_others(project, checked)
        plans = [plan_sheet(data, project.data, unread) for data in checked.sheets]
        if (note := held_note(plans, unread)) is not None:
            if not annotate_issues and not any(plan.columns for plan in plans):
                raise WriteRefused(note)  # every column held back: nothing to write
            result.notes.append(note)
        del project, checked  # records and ledgers are no longer needed: free them
        gc.collect()
        _writing(on_file, path)
        with claimed(target), quiet_gc():
            book = open_book(path, force)
            for plan in plans:
                result.sheets.append(fill_sheet(book[plan.table.sheet], plan))
            if annotate_issues:  # marks of an earlier run are cleared first, then redone
                result.marked = annotate.mark(book, plan_marks(result.issues))
            _write(book, path, target, result, before)
    except WriteRefused as refused:
        result.refused = refused.reason
    return result


def prepare(path: Path, result: FillResult, *, output: Path | None, in_place: bool,
            force: bool, failed: dict[Path, Issue] | None,
            on_file: Callable[..., None] | None
            ) -> tuple[Path, tuple[int, int, int], ProjectResult, FileResult]:
    """What every rewrite of a workbook (fill, fix) checks before touching it: the file
    is ours to write, the output may be replaced, the project's settings can be used and
    the file was read. Returns the target, the source's fingerprint, the project and the
    file's own result; raises :class:`WriteRefused` otherwise."""
    usable(path)
    target, result.notes = target_path(path, output, in_place)
    check_writable(path, force)
    if target != path:
        if lock_file(target) is not None:
            raise WriteRefused(Bilingual(
                f"plik wynikowy {target.name} jest otwarty w Excelu",
                f"the output file {target.name} is open in Excel"))
        may_replace(target, force=force)
    before = fingerprint(path)
    project = project_of(path, failed, on_file)
    broken = [i for i in project.issues if i.code == "F004"]
    if broken:  # projekt.toml cannot be used: nothing is computed without it
        raise WriteRefused(Bilingual(broken[0].message(), broken[0].message("en")))
    [checked] = [f for f in project.files if f.path == path]
    result.issues = [i for i in project.issues + checked.issues
                     if i.file == checked.display]
    if checked.unreadable:
        raise WriteRefused(Bilingual("pliku nie da się odczytać — " + checked.issues[0]
                                     .message(), "the file cannot be read: "
                                     + checked.issues[0].message("en")))
    return target, before, project, checked


def has_hidden_sheets(path: Path) -> bool:
    """Whether a workbook has a hidden sheet (where our undo record lives), read from
    workbook.xml alone: a file without one is not opened to be "cleared"."""
    import zipfile

    if path.suffix.lower() not in WRITABLE:
        return False
    try:
        with open_zip(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 16 << 20:
                return True
            text = archive.read(info)
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return True  # let openpyxl give its reason
    return b'state="hidden"' in text or b'state="veryHidden"' in text


def clear_file(path: Path, *, output: Path | None = None, in_place: bool = False,
               force: bool = False, failed: dict[Path, Issue] | None = None,
               on_file: Callable[..., None] | None = None) -> FillResult:
    """Remove exactly what ``fill --annotate`` or the "Sprawdź" button added: our
    colours, comments and sheets. A workbook without our record is not written."""
    del failed  # nothing is read but the file itself
    result = FillResult(path)
    try:
        usable(path)
        ours = written_by_us(path)
        if in_place or (ours and output is None):
            target = path
        else:
            target, result.notes = target_path(path, output, in_place)
        check_writable(path, force)
        if not has_hidden_sheets(path):
            result.notes.append(Bilingual("brak oznaczeń workbook-tools — nic nie zapisano",
                                          "no workbook-tools marks; nothing written"))
            return result
        if target != path:
            may_replace(target, force=force)
        before = fingerprint(path)
        _writing(on_file, path)
        with claimed(target):
            book = open_book(path, force)
            if not annotate.find_records(book):
                result.notes.append(Bilingual(
                    "brak oznaczeń workbook-tools — nic nie zapisano",
                    "no workbook-tools marks; nothing written"))
                _close(book)
                return result
            result.cleared = annotate.clear(book)
            _write(book, path, target, result, before, keep_backup=not ours)
    except WriteRefused as refused:
        result.refused = refused.reason
    return result


def _close(book: Workbook) -> None:
    # openpyxl keeps an .xlsm's macros in a zip over a BytesIO and never closes it;
    # left to the garbage collector, which may close the BytesIO first, the zip
    # fails to write its directory ("I/O operation on closed file")
    if book.vba_archive is not None:
        book.vba_archive.close()


def _write(book: Workbook, source: Path, target: Path, result: FillResult,
           before: tuple[int, int, int], keep_backup: bool = True) -> None:
    try:
        if target == source and keep_backup:
            result.backup = backup(source)
        save_atomic(book, target, unchanged=before if target == source else None)
        result.target = target
    finally:
        _close(book)


def describe(result: FillResult, lang: str = "pl") -> list[str]:
    """What happened to one file, in a few lines for the terminal."""
    en = lang == "en"
    shown = display_path(result.source)
    if result.refused is not None:
        reason = result.refused.en if en else result.refused.pl
        return [f"{shown}: {'not written' if en else 'nie zapisano'} — {reason}"]
    if result.target is None:
        return [f"{shown}: {note.en if en else note.pl}" for note in result.notes]
    lines = [f"{shown} → {display_path(result.target)}"]
    for sheet in result.sheets:
        if not sheet.columns:
            continue
        cells = (f"{sheet.cells} cells" if en
                 else plural_pl(sheet.cells, "komórka", "komórki", "komórek"))
        lines.append(f"  {'sheet' if en else 'arkusz'} „{sheet.sheet}”: "
                     f"{', '.join(sheet.columns)} ({cells})")
    if result.marked:
        issues = (f"{len(result.issues)} issues" if en
                  else plural_pl(len(result.issues), "uwaga", "uwagi", "uwag"))
        lines.append(f"  {'marked cells' if en else 'oznaczone komórki'}: {result.marked}; "
                     f"{'report sheet' if en else 'arkusz wyników'}: {issues}")
    if result.cleared:
        lines.append(f"  {'marks removed' if en else 'usunięto oznaczenia'}: {result.cleared}")
    if result.backup:
        lines.append(f"  {'backup' if en else 'kopia zapasowa'}: {display_path(result.backup)}")
    lines += [f"  {note.en if en else note.pl}" for note in result.notes]
    return lines
