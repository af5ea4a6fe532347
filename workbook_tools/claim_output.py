"""The claim tables rendered: a terminal, a JSON document, an Excel workbook.

The same :class:`~workbook_tools.claim.Claim` objects, three doors. The workbook has the
tables (one block per project, then the total) and "Źródła": for every table cell, the
rows of which workbook were counted in it, so an auditor can check any figure. The PESEL
of every source is masked unless the user asked to see it; text from the workbooks stays
text (XlsxWriter writes strings as strings, never as formulas).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import __version__
from .claim import SEX_COLUMNS, Cell, Claim, ClaimTable
from .issues import Issue, shown
from .polish import format_date
from .summary import Hours, Percent, show, to_json

#: The JSON layout of ``zestawienie --format json`` (``schemas/zestawienie.schema.json``).
SCHEMA_VERSION = 1


def _period(one: Claim) -> str:
    start = format_date(one.start) if one.start else "…"
    end = format_date(one.end) if one.end else "…"
    return f"{start} – {end}"


def _json_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    return to_json(value)


def _issue_json(issue: Issue, lang: str, show_personal: bool) -> dict[str, Any]:
    return {"file": shown(issue.file, show_personal), "sheet": issue.sheet and shown(
        issue.sheet, show_personal), "cell": issue.cell, "code": issue.code,
            "severity": issue.effective_severity.value,
            "message": issue.message(lang, show_personal)}


def claim_document(claims: list[Claim], grand: Claim | None, lang: str = "pl",
                   show_personal: bool = False, with_sources: bool = False
                   ) -> dict[str, Any]:
    """The claims as JSON data. Each cell says how many rows it counted; with
    ``with_sources`` it also lists them (a list of 50 000 people is counted in dozens of
    cells each: hundreds of MB of JSON, so only when asked)."""
    en = lang == "en"

    def cell_json(cell: Cell) -> dict[str, Any]:
        found: dict[str, Any] = {"value": _json_value(cell.value), "rows": len(cell.sources)}
        if with_sources:
            found["sources"] = [{"file": shown(s.file, show_personal),
                                 "sheet": shown(s.sheet, show_personal), "row": s.row,
                                 "person": shown(s.person, show_personal)}
                                for s in cell.sources]
        return found

    def one(c: Claim) -> dict[str, Any]:
        return {
            "project": shown(c.project, show_personal), "name": c.name and shown(
                c.name, show_personal), "programme": c.programme,
            "programme_why": c.programme_why[1 if en else 0],
            "from": c.start and c.start.isoformat(), "to": c.end and c.end.isoformat(),
            "tables": [{
                "key": t.key, "title": t.title_en if en else t.title,
                "columns": t.columns_en if en else t.columns,
                "rows": [{"label": row.label_en if en else row.label,
                          "cells": [cell_json(cell) for cell in row.cells]}
                         for row in t.rows]} for t in c.tables],
            "issues": [_issue_json(i, lang, show_personal) for i in c.issues]}

    return {"schema_version": SCHEMA_VERSION, "tool": f"workbook-tools {__version__}",
            "projects": [one(c) for c in claims],
            "total": one(grand) if grand is not None else None}


def claim_json(claims: list[Claim], grand: Claim | None, lang: str = "pl",
               show_personal: bool = False, with_sources: bool = False) -> str:
    return json.dumps(claim_document(claims, grand, lang, show_personal, with_sources),
                      ensure_ascii=False, indent=2)


def print_claims(claims: list[Claim], grand: Claim | None, console: Any, lang: str = "pl",
                 show_personal: bool = False) -> None:
    """Each project's tables, its counting issues, then the total (rich, inert text)."""
    from rich.table import Table as RichTable
    from rich.text import Text

    from .output import issue_line
    from .polish import severity_label
    from .rules import Severity

    en = lang == "en"
    labels = {s: severity_label(s, lang) for s in Severity}
    for c in [*claims, *([grand] if grand is not None else [])]:
        title = shown(c.name or c.project, show_personal)
        console.print(Text(f"{title} — {_period(c)} — {c.programme} "
                           f"({c.programme_why[1 if en else 0]})", style="bold"))
        for t in c.tables:
            table = RichTable(title=Text(t.title_en if en else t.title),
                              title_justify="left")
            table.add_column("", overflow="fold", min_width=16, ratio=3)
            for name in t.columns_en if en else t.columns:
                table.add_column(_short(name), justify="right", overflow="fold", min_width=5,
                                 ratio=1)
            for row in t.rows:
                table.add_row(Text(shown(row.label_en if en else row.label, show_personal)),
                              *(Text(show(cell.value)) for cell in row.cells))
            console.print(table)
        for issue in c.issues:
            console.out(issue_line(issue, labels, lang, show_personal), highlight=False)


#: Column names shortened for an 80-column terminal (the JSON and the workbook keep them).
_SHORT = (("W okresie: ", "okres\n"), ("Narastająco: ", "nar.\n"), ("Period: ", "per.\n"),
          ("To date: ", "to\ndate\n"), ("Wypłacono ", "wypłacono\n"), ("narastająco", "nar."),
          ("Rozpoczęli ", "rozp.\n"), ("Godziny ", "godz.\n"), ("Ukończyli ", "ukończ.\n"),
          ("women", "F"),
          ("men", "M"))


def _short(name: str) -> str:
    for long, short in _SHORT:
        name = name.replace(long, short)
    return name


_SOURCE_HEADERS = ("Projekt", "Tabela", "Wiersz tabeli", "Kolumna", "Plik", "Arkusz",
                   "Wiersz", "Osoba", "Płeć", "W okresie")
#: Data rows of one sheet (Excel's 1 048 576 rows less the header): more go on to
#: "Źródła (2)", "Źródła (3)"...
SOURCE_ROWS = 1_048_575


def _source_lines(claims: list[Claim], show_personal: bool) -> Iterator[list[Any]]:
    """Every counted row of every cell. In the tables split by sex and by period (flow,
    structure), each person is listed once per table row, under the to-date total,
    with the sex and whether they count in the period: every figure of the row is a
    filter away, and a list of 50 000 people stays a sheet, not six."""
    for c in claims:
        project = shown(c.name or c.project, show_personal)
        for table in c.tables:
            split = table.columns == list(SEX_COLUMNS[0])
            for table_row in table.rows:
                label = shown(table_row.label, show_personal)
                if split:
                    cells = table_row.cells
                    women = {id(s) for s in cells[3].sources}
                    now = {id(s) for s in cells[2].sources}
                    chosen = [(5, source, "K" if id(source) in women else "M",
                               "tak" if id(source) in now else "nie")
                              for source in cells[5].sources]
                else:
                    chosen = [(index, source, "", "") for index, cell in
                              enumerate(table_row.cells) for source in cell.sources]
                for index, source, sex, now_ in chosen:
                    yield [project, table.title, label, table.columns[index],
                           shown(source.file, show_personal),
                           shown(source.sheet, show_personal), source.row,
                           shown(source.person, show_personal), sex, now_]


def _sources_sheets(book: Any, head: Any, claims: list[Claim], show_personal: bool) -> None:
    sheet, line_no, number = None, SOURCE_ROWS + 1, 0
    for line in _source_lines(claims, show_personal):
        if line_no > SOURCE_ROWS:
            if sheet is not None:
                sheet.autofilter(0, 0, line_no - 1, len(_SOURCE_HEADERS) - 1)
            number += 1
            sheet = book.add_worksheet("Źródła" if number == 1 else f"Źródła ({number})")
            for column, name in enumerate(_SOURCE_HEADERS):
                sheet.write_string(0, column, name, head)
            sheet.set_column(0, 3, 22)
            sheet.set_column(4, 5, 18)
            sheet.freeze_panes(1, 0)
            line_no = 1
        assert sheet is not None
        for column, value in enumerate(line):
            if isinstance(value, int):
                sheet.write_number(line_no, column, value)
            else:
                sheet.write_string(line_no, column, value)
        line_no += 1
    if sheet is None:  # nothing counted: the sheet is still there, with its header
        sheet = book.add_worksheet("Źródła")
        for column, name in enumerate(_SOURCE_HEADERS):
            sheet.write_string(0, column, name, head)
    else:
        sheet.autofilter(0, 0, line_no - 1, len(_SOURCE_HEADERS) - 1)


def write_claims_xlsx(claims: list[Claim], grand: Claim | None, path: Path,
                      show_personal: bool = False, stamp: str | None = None) -> None:
    """"Zestawienie" (the tables) and "Źródła" (every counted row of every cell);
    ``stamp``: our mark that we wrote the file (see :func:`writes.save_written`)."""
    import xlsxwriter

    from .names import REPORT_PROPERTY, WRITTEN_PROPERTY

    # constant memory: rows go to disk as they are written (a sheet of a million
    # sources must not be held in memory); every sheet is written top to bottom
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                          "strings_to_urls": False,
                                          "constant_memory": True})
    if stamp is not None:
        book.set_custom_property(WRITTEN_PROPERTY, stamp)
    # like the coordinator's report: a run over the folder skips it, never reads it as data
    book.set_custom_property(REPORT_PROPERTY, "zestawienie")
    try:
        bold = book.add_format({"bold": True})
        head = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#D9E1F2",
                                "border": 1, "valign": "top"})
        money = book.add_format({"num_format": '#,##0.00 "zł"'})
        share = book.add_format({"num_format": "0.00%"})
        hours = book.add_format({"num_format": '0.## "h"'})
        sheet = book.add_worksheet("Zestawienie")
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, 8, 14)
        row = 0
        everything = [*claims, *([grand] if grand is not None else [])]
        for c in everything:
            sheet.write_string(row, 0, shown(f"{c.name or c.project} — {_period(c)} — "
                                             f"{c.programme}", show_personal), bold)
            row += 2
            for t in c.tables:
                sheet.write_string(row, 0, t.title, bold)
                row += 1
                sheet.write_string(row, 0, "", head)
                for column, name in enumerate(t.columns, 1):
                    sheet.write_string(row, column, name, head)
                row += 1
                for line in t.rows:
                    sheet.write_string(row, 0, shown(line.label, show_personal))
                    for column, cell in enumerate(line.cells, 1):
                        _write_cell(sheet, row, column, cell, money, share, hours)
                    row += 1
                row += 1
            row += 1
        _sources_sheets(book, head, claims, show_personal)
    finally:
        book.close()


def _write_cell(sheet: Any, row: int, column: int, cell: Cell, money: Any, share: Any,
                hours: Any) -> None:
    value = cell.value
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_string(row, column, "tak" if value else "nie")
    elif isinstance(value, Percent):
        sheet.write_number(row, column, float(value.value / 100), share)
    elif isinstance(value, Hours):
        sheet.write_number(row, column, float(value.value), hours)
    elif isinstance(value, Decimal):
        sheet.write_number(row, column, float(value), money)
    else:
        sheet.write_number(row, column, value)


def table_rows(table: ClaimTable, lang: str = "pl") -> list[list[Any]]:
    """A table as rows of plain values, header first (the Excel door writes these)."""
    en = lang == "en"
    rows: list[list[Any]] = [["", *(table.columns_en if en else table.columns)]]
    for row in table.rows:
        rows.append([row.label_en if en else row.label,
                     *(_plain(cell.value) for cell in row.cells)])
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, Percent):
        return value.value / 100
    if isinstance(value, Hours):
        return value.value
    return value


def claim_rows(one: Claim, lang: str = "pl", show_personal: bool = False) -> list[list[Any]]:
    """The claim as one block of rows for a sheet (the Excel button writes it in one
    call): our mark in A1, the project and period, each table, then the issues."""
    from .names import CLAIM_MARK

    en = lang == "en"
    rows: list[list[Any]] = [[CLAIM_MARK], [shown(
        f"{one.name or one.project} — {_period(one)} — {one.programme} "
        f"({one.programme_why[1 if en else 0]})", show_personal)], []]
    for table in one.tables:
        rows.append([table.title_en if en else table.title])
        rows += table_rows(table, lang)
        rows.append([])
    if one.issues:
        rows.append(["Issues" if en else "Uwagi"])
        for issue in one.issues:
            rows.append([issue.cell or "", issue.code, issue.message(lang, show_personal)])
    return rows
