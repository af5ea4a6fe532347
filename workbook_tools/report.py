"""The coordinator's Excel report: what an accountant opens, sorts and forwards.

Three sheets: "Podsumowanie" (a row per project, coloured by its state), "Uwagi" (a row
per issue, filterable, each with a link that opens the source workbook at the cell) and
"Wykresy" (native Excel charts: errors and warnings per project; budget plan against
execution per project). Written with XlsxWriter: text always as text (``write_string``),
PESEL masked as everywhere else.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from .issues import ordered, shown
from .names import WRITTEN_PROPERTY
from .output import STATUS_PL, project_lines
from .polish import format_date, severity_label
from .project import display_path
from .read import REPORT_MARK
from .results import RunResult
from .schema import MONEY_FORMAT

#: Excel allows this many hyperlinks on one sheet.
MAX_LINKS = 65_530
SUMMARY_HEADERS = ("Projekt", "Pliki", "Nieczytelne", "Błędy", "Ostrzeżenia", "Informacje",
                   "Stan")
ISSUE_HEADERS = ("Projekt", "Plik", "Arkusz", "Komórka", "Kod", "Waga", "Komunikat", "Wartość")


def link_target(report: Path, file: Path, sheet: str | None, cell: str | None) -> str:
    """An "external:" link from the report to a cell of another workbook, relative to the
    report so that the folder can be moved or zipped together."""
    try:
        relative = os.path.relpath(file.resolve(), report.resolve().parent)
    except ValueError:  # another drive on Windows
        relative = str(file.resolve())
    target = f"external:{relative}"
    if sheet:
        quoted = sheet.replace("'", "''")
        target += f"#'{quoted}'!{cell or 'A1'}"
    return target


def write_report(result: RunResult, path: Path, show_personal: bool = False) -> None:
    """The report at ``path``, put in place in one rename (:func:`writes.save_written`):
    a folder it cannot be written in is refused in the user's words (WriteRefused)."""
    from .writes import save_written

    save_written(lambda temporary, stamp: _write_report(result, path, temporary,
                                                        show_personal, stamp), path)


def _write_report(result: RunResult, path: Path, temporary: Path, show_personal: bool,
                  stamp: str) -> None:
    """Written to ``temporary``; links are made relative to ``path``'s folder."""
    book = xlsxwriter.Workbook(str(temporary), {"strings_to_formulas": False,
                                               "strings_to_urls": False})
    book.set_custom_property(REPORT_MARK, "raport")  # so that a later run skips it
    book.set_custom_property(WRITTEN_PROPERTY, stamp)
    try:
        formats = _formats(book)
        lines = project_lines(result)
        _summary_sheet(book, formats, lines, show_personal)
        _issues_sheet(book, formats, result, path, show_personal)
        _charts_sheet(book, formats, lines, result)
        if any(project.indicators for project in result.projects):
            _indicators_sheet(book, formats, result, show_personal)
    finally:
        book.close()


def _formats(book: Any) -> dict[str, Any]:
    return {
        "header": book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1,
                                   "text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True}),
        "red": book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"}),
        "yellow": book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"}),
        "green": book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"}),
        "link": book.add_format({"font_color": "#0563C1", "underline": 1}),
        "money": book.add_format({"num_format": MONEY_FORMAT}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }


def _header(sheet: Any, headers: tuple[str, ...], fmt: Any, widths: tuple[int, ...]) -> None:
    for column, (name, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.write_string(0, column, name, fmt)
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    _printable(sheet)


def _printable(sheet: Any) -> None:
    """A4 landscape, one page wide, the header row on every page, page numbers: the
    report is printed and signed, not only read on screen."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&LRaport workbook-tools&RStrona &P z &N")


#: Characters of a message per line in the wrapped "Komunikat" column (width 90).
_LINE = 95


def _value(value: Any) -> str:
    """A value as a Polish reader writes it: dates dd.mm.rrrr, decimal commas."""
    if isinstance(value, dt.date):
        return format_date(value)
    text = str(value)
    if _DECIMAL.fullmatch(text):
        return text.replace(".", ",")
    return text


_DECIMAL = re.compile(r"-?\d+\.\d+")


INDICATOR_HEADERS = ("Projekt", "Wskaźnik", "Wartość docelowa", "Osiągnięto", "% celu")


def _indicators_sheet(book: Any, formats: dict[str, Any], result: RunResult,
                      show_personal: bool) -> None:
    """Each project's ``[wskazniki]`` counted to date (``workbook-tools zestawienie``
    gives them per reporting period, with the rows behind each figure)."""
    sheet = book.add_worksheet("Wskaźniki")
    _header(sheet, INDICATOR_HEADERS, formats["header"], (40, 40, 14, 14, 10))
    share = book.add_format({"num_format": "0.00%"})
    row = 0
    for project in result.projects:
        for name, target, achieved, percent in project.indicators:
            row += 1
            sheet.write_string(row, 0, shown(display_path(project.folder), show_personal))
            sheet.write_string(row, 1, shown(name, show_personal))
            for column, value in ((2, target), (3, achieved)):
                number = getattr(value, "value", value)  # hours keep their number
                sheet.write_number(row, column, float(number))
            if percent is not None:
                sheet.write_number(row, 4, float(percent / 100), share)
    sheet.conditional_format(1, 4, max(row, 1), 4, {
        "type": "cell", "criteria": "<", "value": 1, "format": formats["yellow"]})
    sheet.autofilter(0, 0, max(row, 1), len(INDICATOR_HEADERS) - 1)


def _summary_sheet(book: Any, formats: dict[str, Any], lines: list[Any],
                   show_personal: bool) -> None:
    sheet = book.add_worksheet("Podsumowanie")
    _header(sheet, SUMMARY_HEADERS, formats["header"], (48, 8, 12, 8, 12, 12, 22))
    counts = [(line.files, line.unreadable, line.errors, line.warnings, line.infos)
              for line in lines]  # columns B-F
    for row, (line, numbers) in enumerate(zip(lines, counts, strict=True), 1):
        sheet.write_string(row, 0, shown(line.folder, show_personal))
        for column, value in enumerate(numbers, 1):
            sheet.write_number(row, column, value)
        sheet.write_string(row, 6, STATUS_PL[line.status] if not line.settings_error
                           else "błąd w projekt.toml")
    last = len(lines)
    if last:
        area = f"A2:G{last + 1}"
        sheet.conditional_format(area, {"type": "formula", "criteria": "=OR($C2>0,$D2>0)",
                                        "format": formats["red"], "stop_if_true": True})
        sheet.conditional_format(area, {"type": "formula", "criteria": "=$E2>0",
                                        "format": formats["yellow"], "stop_if_true": True})
        sheet.conditional_format(area, {"type": "formula", "criteria": "=$E2=0",
                                        "format": formats["green"]})
        sheet.autofilter(0, 0, last, len(SUMMARY_HEADERS) - 1)
    total = last + 1
    sheet.write_string(total, 0, "Razem", formats["bold"])
    for column, letter in enumerate("BCDEF", 1):
        sheet.write_formula(total, column, f"=SUM({letter}2:{letter}{last + 1})",
                            formats["bold"], sum(numbers[column - 1] for numbers in counts))


def _issues_sheet(book: Any, formats: dict[str, Any], result: RunResult, report: Path,
                  show_personal: bool) -> None:
    sheet = book.add_worksheet("Uwagi")
    _header(sheet, ISSUE_HEADERS, formats["header"], (30, 34, 18, 10, 7, 12, 90, 20))
    paths = {f.display: f.path for project in result.projects for f in project.files}
    folder_of = {f.display: project.folder for project in result.projects
                 for f in project.files}
    row = 0
    links = 0
    for project in result.projects:
        for issue in ordered(project.all_issues):
            row += 1
            sheet.write_string(row, 0, shown(folder_of.get(issue.file, project.folder),
                                             show_personal))
            sheet.write_string(row, 1, shown(issue.file, show_personal))
            sheet.write_string(row, 2, shown(issue.sheet or "", show_personal))
            source = paths.get(issue.file)
            place = issue.cell or ""
            if source is not None and issue.sheet and links < MAX_LINKS:
                sheet.write_url(row, 3, link_target(report, source, issue.sheet, issue.cell),
                                formats["link"], place or "A1")
                links += 1
            else:
                sheet.write_string(row, 3, place)
            sheet.write_string(row, 4, issue.code)
            sheet.write_string(row, 5, severity_label(issue.effective_severity))
            message = issue.message("pl", show_personal)
            sheet.write_string(row, 6, message, formats["wrap"])
            lines = max(1, -(-len(message) // _LINE))
            if lines > 1:  # the row grows with the wrapped text (Excel does not on open)
                sheet.set_row(row, 15 * lines)
            value = issue.shown_value(show_personal)
            if value is not None:
                sheet.write_string(row, 7, _value(value))
    sheet.autofilter(0, 0, max(row, 1), len(ISSUE_HEADERS) - 1)


def _charts_sheet(book: Any, formats: dict[str, Any], lines: list[Any],
                  result: RunResult) -> None:
    sheet = book.add_worksheet("Wykresy")
    sheet.write_row(0, 0, ("Projekt", "Błędy", "Ostrzeżenia"), formats["header"])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 2, 18)  # amounts up to 999 999 999,99 zł without "###"
    _printable(sheet)
    for row, line in enumerate(lines, 1):
        sheet.write_string(row, 0, shown(line.folder))
        sheet.write_number(row, 1, line.errors)
        sheet.write_number(row, 2, line.warnings)
    count = len(lines)
    chart = book.add_chart({"type": "column"})
    for column, (_name, colour) in enumerate((("Błędy", "#C00000"), ("Ostrzeżenia", "#FFC000")),
                                            1):
        chart.add_series({"name": ["Wykresy", 0, column],
                          "categories": ["Wykresy", 1, 0, max(count, 1), 0],
                          "values": ["Wykresy", 1, column, max(count, 1), column],
                          "fill": {"color": colour}})
    chart.set_title({"name": "Błędy i ostrzeżenia według projektu"})
    chart.set_size({"width": 720, "height": 360})
    sheet.insert_chart("E2", chart)
    budgets = [(str(p.folder), p.budget) for p in result.projects if p.budget is not None]
    if not budgets:
        return
    first = count + 3
    sheet.write_row(first, 0, ("Projekt", "Plan budżetu", "Wykonanie"), formats["header"])
    for offset, (folder, (planned, executed)) in enumerate(budgets, 1):
        sheet.write_string(first + offset, 0, folder)
        sheet.write_number(first + offset, 1, _number(planned), formats["money"])
        sheet.write_number(first + offset, 2, _number(executed), formats["money"])
    money = book.add_chart({"type": "column"})
    for column, name in ((1, "Plan budżetu"), (2, "Wykonanie")):
        money.add_series({"name": name,
                          "categories": ["Wykresy", first + 1, 0, first + len(budgets), 0],
                          "values": ["Wykresy", first + 1, column, first + len(budgets),
                                     column]})
    money.set_title({"name": "Budżet: plan i wykonanie według projektu"})
    money.set_size({"width": 720, "height": 360})
    sheet.insert_chart("E22", money)


def _number(amount: Decimal) -> float:
    """Charts need numbers; the exact amounts are in the workbooks themselves."""
    return float(amount)
