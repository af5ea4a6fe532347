"""What to mark for a set of issues: the cells to colour and comment, and the report
rows. Computed once from the issues and applied by each door — openpyxl for files
(:mod:`workbook_tools.annotate`), Excel for the open workbook (:mod:`workbook_tools.excel`).
Kept apart from openpyxl so that an Excel button's Python does not import it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .issues import Issue, ordered
from .polish import severity_label
from .rules import Severity

__all__ = ["COLOURS", "REPORT_WIDTHS", "CellMark", "Marks", "plan"]

#: Excel's own "bad" and "neutral" cell-style colours: staff know what they mean.
COLOURS = {Severity.ERROR: "FFFFC7CE", Severity.WARNING: "FFFFEB9C"}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
REPORT_WIDTHS = (6, 22, 10, 7, 12, 90, 24)


@dataclass
class CellMark:
    sheet: str
    cell: str
    severity: Severity
    comment: str


@dataclass
class Marks:
    cells: list[CellMark] = field(default_factory=list)
    #: one row per issue, as the report sheet shows it
    report: list[tuple[Any, ...]] = field(default_factory=list)
    #: (sheet, cell) a report row links to, per row (None: the issue has no cell)
    links: list[tuple[str, str] | None] = field(default_factory=list)


def plan(issues: Iterable[Issue], lang: str = "pl", show_personal: bool = False) -> Marks:
    """What to colour and comment, and the report rows: one issue per row, each cell
    coloured by its worst issue and commented with all of them."""
    marks = Marks()
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for number, issue in enumerate(ordered(issues), 1):
        value = issue.shown_value(show_personal)
        place = issue.cell or ("(arkusz)" if issue.sheet else "(plik)")
        marks.report.append((number, issue.sheet or "", place, issue.code,
                             severity_label(issue.effective_severity, lang),
                             issue.message(lang, show_personal),
                             "" if value is None else str(value)))
        if issue.sheet and issue.cell:
            by_cell.setdefault((issue.sheet, issue.cell), []).append(issue)
            marks.links.append((issue.sheet, issue.cell))
        else:
            marks.links.append((issue.sheet, "A1") if issue.sheet else None)
    for (sheet, cell), group in by_cell.items():
        worst = min((i.effective_severity for i in group), key=_RANK.__getitem__)
        text = "\n".join(f"[{i.code}] {i.message(lang, show_personal)}" for i in group)
        marks.cells.append(CellMark(sheet, cell, worst, text))
    return marks
