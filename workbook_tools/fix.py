"""``workbook-tools fix``: repair what has exactly one right answer, as ``ruff --fix`` does.

A fix is offered only for the rules whose catalogue entry declares one (``Rule.fix``),
and only where the new value is certain: a PESEL whose restored zeros the checksum
confirms (P002), a postal code of exactly five digits (P009), an amount typed as text
that parses to one number (B014), the dates of a column whose values decided it is
written month first (V010). Anything that needs a person — which of two duplicates is
right, an invalid PESEL, an ambiguous day and month — is never touched.

The changes are data (:class:`Change`): ``--diff`` lists them and writes nothing;
otherwise they are written with the same safety as ``fill`` (new file by default,
atomic, refuses open files and parts openpyxl would drop, backups never overwritten).
A changed cell keeps its formatting, except that a PESEL becomes text ("@") and a date
a date ("dd.mm.yyyy") so that Excel does not break it again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fill import FillResult, _write, open_book, prepare
from .issues import Issue
from .read import cell_position
from .results import FileResult
from .rules import RULES, Bilingual
from .safety import WriteRefused
from .schema import DATE_FORMAT
from .settings import selected
from .table import SLASH_DATE
from .values import ValueProblem, parse_money
from .writes import claimed


@dataclass(frozen=True)
class Change:
    """One cell's repair: where, what it held, what it will hold, and why."""

    sheet: str
    cell: str
    old: Any
    new: Any
    code: str
    number_format: str | None = None  # set on the cell only where the type changes


@dataclass
class FixResult(FillResult):
    changes: list[Change] = field(default_factory=list)


def fixable(code: str) -> bool:
    return RULES[code].fix is not None


def planned(checked: FileResult, issues: list[Issue], book: Any,
            select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Change]:
    """The changes the file's issues call for, read against the workbook's cells."""
    changes: list[Change] = []
    for issue in issues:
        if not (fixable(issue.code) and issue.sheet and issue.cell
                and selected(issue.code, select, ignore)) or issue.sheet not in book:
            continue
        sheet = book[issue.sheet]
        old = sheet[issue.cell].value
        if issue.code == "P002":
            new = str(issue.params["pesel"])
            changes.append(Change(issue.sheet, issue.cell, old, new, "P002", "@"))
        elif issue.code == "P009":
            digits = str(old).strip() if old is not None else ""
            if isinstance(old, int | float) and not isinstance(old, bool):
                digits = str(int(old))
            if re.fullmatch(r"\d{5}", digits):
                changes.append(Change(issue.sheet, issue.cell, old,
                                      f"{digits[:2]}-{digits[2:]}", "P009"))
        elif issue.code == "B014" and isinstance(old, str):
            try:
                amount = parse_money(old)
            except ValueProblem:
                continue
            if amount is not None:
                changes.append(Change(issue.sheet, issue.cell, old, amount, "B014"))
        elif issue.code == "V010":
            changes += _month_first_column(checked, sheet, issue)
    return changes


def _month_first_column(checked: FileResult, sheet: Any, issue: Issue) -> list[Change]:
    """Every "2/14/2019" text of the column V010 decided, as the date it is."""
    if not issue.cell:
        return []
    column = cell_position(issue.cell)[1]
    layout = next((i.layout for i in checked.info if i.sheet == issue.sheet), None)
    top = layout.header_rows[1] + 1 if layout else 1
    changes = []
    for (cell,) in sheet.iter_rows(min_row=top, min_col=column, max_col=column):
        value = cell.value
        if not isinstance(value, str):
            continue
        parts = SLASH_DATE.fullmatch(value)
        if parts is None:
            continue
        try:
            day = dt.date(int(parts[3]), int(parts[1]), int(parts[2]))
        except ValueError:
            continue  # not a date either way: left to the person (V001)
        changes.append(Change(sheet.title, cell.coordinate, value, day, "V010", DATE_FORMAT))
    return changes


def fix_file(path: Path, *, output: Path | None = None, in_place: bool = False,
             force: bool = False, diff: bool = False, select: Iterable[str] = (),
             ignore: Iterable[str] = (), failed: dict[Path, Issue] | None = None,
             on_file: Callable[..., None] | None = None) -> FixResult:
    result = FixResult(path)
    try:
        target, before, _project, checked = prepare(
            path, result, output=output, in_place=in_place, force=force, failed=failed,
            on_file=on_file)
        book = open_book(path, force)
        result.changes = planned(checked, result.issues, book, select, ignore)
        if diff or not result.changes:
            book.close()
            return result
        with claimed(target):
            for change in result.changes:
                cell = book[change.sheet][change.cell]
                cell.value = change.new
                if change.number_format is not None:
                    cell.number_format = change.number_format
            _write(book, path, target, result, before)
    except WriteRefused as refused:
        result.refused = refused.reason
    return result


def describe_changes(result: FixResult, lang: str = "pl", show_personal: bool = False
                     ) -> list[str]:
    """One line per change: file, sheet!cell, old → new, rule."""
    from .issues import shown
    from .pesel import mask
    from .polish import format_date

    def text(value: Any) -> str:
        if isinstance(value, dt.date):
            return format_date(value)
        return "(pusta)" if value is None and lang != "en" else str(value)

    lines = []
    for change in result.changes:
        old, new = text(change.old), text(change.new)
        if change.code == "P002" and not show_personal:  # masked as everywhere else
            old, new = mask(old), mask(new)
        lines.append(f"{shown(str(result.source), show_personal)}:{change.sheet}!"
                     f"{change.cell}: {old} → {new} ({change.code})")
    return lines


def summary(result: FixResult, diff: bool, lang: str = "pl") -> Bilingual:
    from .polish import plural

    count_pl = plural(len(result.changes), "poprawka", "poprawki", "poprawek")
    count_en = plural(len(result.changes), "fix", "fixes", lang="en")
    if diff or result.target is None:
        return Bilingual(f"{count_pl} do zrobienia (nic nie zapisano)",
                         f"{count_en} to make (nothing written)")
    return Bilingual(f"zapisano {count_pl} w {result.target}",
                     f"{count_en} written to {result.target}")
