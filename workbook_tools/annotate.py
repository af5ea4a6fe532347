"""Issue marks inside the workbook: coloured cells, comments, a "Wyniki kontroli" sheet.

Marks must come off again exactly (``clear``), restoring what the cell looked like
before — staff colour cells themselves, and comment them. So every mark first records
the cell's previous fill and comment in a very hidden sheet; clearing replays that
record and removes our two sheets. Marking again clears first, so the record always
holds the user's own formatting, never ours.

What to mark is computed once (:func:`plan`) from the issues; applying it is per door:
openpyxl here for files, xlwings for the live workbook.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring, tostring

from .marks import COLOURS, REPORT_WIDTHS, Marks
from .names import RECORD_SHEET, REPORT_HEADERS, REPORT_SHEET
from .record import MARKS, Entry, Record, free_name, is_report, parse
from .record import rows as record_rows

AUTHOR = "workbook-tools"


# --- applying to an openpyxl workbook ------------------------------------------------


def put_text(cell: Cell, value: Any) -> None:
    """Write a value; text stays text even when it starts with "=", "+", "-" or "@"."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _anchor(sheet: Worksheet, address: str) -> Cell:
    """The cell itself, or the top-left cell of the merged range it lies in."""
    cell = sheet[address]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if address in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def mark(book: Workbook, marks: Marks) -> int:
    """Colour and comment the cells, write the report sheet; returns the cells marked.

    The undo record is complete before the workbook is saved: a cell is changed only
    after its previous state is in the record."""
    clear(book, MARKS)  # an earlier check's marks; fixes stay
    report_name = free_name(REPORT_SHEET, book.sheetnames)
    undo = Record(report_name)
    record = book.create_sheet(free_name(RECORD_SHEET, [*book.sheetnames, report_name]))
    record.sheet_state = "veryHidden"
    marked = 0
    for item in marks.cells:
        if item.sheet not in book.sheetnames:
            continue
        cell = _anchor(book[item.sheet], item.cell)
        previous = cell.comment
        undo.entries.append(Entry(item.sheet, cell.coordinate,
                                  tostring(cell.fill.to_tree()).decode(),
                                  previous.text if previous else None,
                                  previous.author if previous else None, True))
        colour = COLOURS.get(item.severity)
        if colour:
            cell.fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        text = item.comment if previous is None else f"{previous.text}\n\n{item.comment}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 420, 160
        cell.comment = comment
        marked += 1
    for values in record_rows(undo):
        record.append([None] * len(values))
        for column, value in enumerate(values, 1):
            put_text(record.cell(record.max_row, column), value)
    _report(book, marks, report_name)
    return marked


def _report(book: Workbook, marks: Marks, name: str) -> None:
    sheet = book.create_sheet(name)
    sheet.append(list(REPORT_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, link in zip(marks.report, marks.links, strict=True):
        sheet.append([None] * len(row))
        number = sheet.max_row
        for column, value in enumerate(row, 1):
            put_text(sheet.cell(number, column), value)
        if link is not None and link[0] in book.sheetnames:
            target = sheet.cell(number, 3)
            quoted = link[0].replace("'", "''")
            target.hyperlink = Hyperlink(ref=target.coordinate, location=f"'{quoted}'!{link[1]}",
                                         display=str(target.value))
            target.font = Font(color="FF0563C1", underline="single")
    for column, width in enumerate(REPORT_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(REPORT_HEADERS))}{max(sheet.max_row, 2)}"


def find_records(book: Workbook) -> list[tuple[Worksheet, Record]]:
    """Our undo records in a workbook: hidden sheets that carry the record's marker."""
    found = []
    for sheet in book.worksheets:
        if sheet.sheet_state == "visible":
            continue
        head = [list(row) for row in sheet.iter_rows(max_row=2, values_only=True)]
        if parse(sheet.title, head) is not None:
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
            record = parse(sheet.title, rows)
            assert record is not None
            found.append((sheet, record))
    return found


def clear(book: Workbook, kind: str | None = None) -> int:
    """Remove our marks and sheets, restoring each cell's own fill and comment (and the
    value and number format a fix changed); returns the cells restored. Only sheets our
    record names are removed; ``kind`` limits it to one kind of record."""
    restored = 0
    for record_sheet, record in find_records(book):
        if kind is not None and record.kind != kind:
            continue
        for entry in record.entries:
            if entry.sheet not in book.sheetnames:
                continue
            cell = book[entry.sheet][entry.cell]
            if isinstance(cell, MergedCell):
                continue
            if entry.value_changed:
                put_text(cell, entry.value)
                cell.number_format = entry.number_format or "General"
                restored += 1
                continue
            cell.fill = _fill_from(entry.fill)
            if entry.comment is not None:
                cell.comment = Comment(entry.comment, entry.author or "")
            elif entry.comment_added:
                cell.comment = None
            restored += 1
        del book[record_sheet.title]
        report = record.report_sheet
        if report and report in book.sheetnames:
            head = [list(r) for r in book[report].iter_rows(max_row=1, values_only=True)]
            if is_report(head):
                del book[report]
    if book.worksheets and book.active is None:  # our report sheet was the active one
        book.active = 0
    return restored


def _fill_from(saved: str) -> Fill:
    """A fill as the record keeps it (see :mod:`workbook_tools.record`)."""
    if saved.startswith("<"):
        return Fill.from_tree(fromstring(saved)) or PatternFill()
    if saved.startswith("#") and len(saved) == 7:
        colour = "FF" + saved[1:].upper()
        return PatternFill("solid", fgColor=colour, bgColor=colour)
    return PatternFill()
