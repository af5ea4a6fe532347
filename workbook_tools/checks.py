"""What every check receives, and how it names a place.

A check is a plain function: ``check(ctx, records) -> Iterable[Issue]`` for one sheet, or
``check(project) -> Iterable[Issue]`` across all sheets of a project (duplicates between
two participant workbooks, attendance of people who are not on the list, ...). Rule codes
live in the catalogue (:mod:`workbook_tools.rules`); ``tests/test_catalogue.py`` checks
both ways that every code is raised and every raised code is catalogued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .issues import Issue
from .rules import Severity
from .schema import Kind
from .settings import ProjectSettings
from .table import Table

T = TypeVar("T")


@dataclass(eq=False, repr=False)
class SheetContext:
    table: Table
    settings: ProjectSettings
    totals: Any = None  # the "Razem" row as a record, when the sheet has one
    uncached: set[str] = field(default_factory=set)  # formulas saved without a value
    #: "Razem zadanie 1" rows between the lines, as records (kinds with subtotals)
    subtotals: list[Any] = field(default_factory=list)

    def issue(self, code: str, record: Any = None, field_name: str | None = None,
              *, value: Any = None, severity: Severity | None = None, **params: Any) -> Issue:
        """An issue at a record's cell (its row's first cell without a field, or the sheet)."""
        table = self.table
        if record is None:
            return Issue(code, table.file, sheet=table.sheet, params=params, value=value,
                         severity=severity)
        row: int = record.row
        return Issue(code, table.file, sheet=table.sheet, cell=table.cell(row, field_name), row=row,
                     params=params, value=value, severity=severity)

    def header(self, field_name: str) -> str:
        """The column's header as the sheet writes it (staff recognise their own words)."""
        return self.table.header.texts.get(field_name) or self.table.kind.header_of(field_name)

    def has(self, field_name: str) -> bool:
        return field_name in self.table.header.columns


@dataclass(eq=False, repr=False)
class SheetData:
    ctx: SheetContext
    records: list[Any]


@dataclass(eq=False, repr=False)
class ProjectData:
    """All parsed sheets of one project folder, by kind name."""

    settings: ProjectSettings
    sheets: dict[str, list[SheetData]] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def of_kind(self, kind: Kind) -> list[SheetData]:
        """The sheets of a kind: named by the kind itself, so a misspelt name cannot
        silently find nothing."""
        return self.sheets.get(kind.name, [])

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Something several checks need (a ledger, an index), computed once."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[no-any-return]


Check = Callable[[SheetContext, list[Any]], Iterable[Issue]]
ProjectCheck = Callable[[ProjectData], Iterable[Issue]]
