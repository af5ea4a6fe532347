"""``parse_records`` runs column by column, each distinct value parsed once; here it must
give exactly what parsing cell by cell, row by row gives (the plain path below, the
specification): the same records, the same issues in the same order, the same amounts
typed as text and the same "2/4/2019" dates read.

The rows are drawn from a small pool per sheet, so values repeat down a column the way
towns and dates do, and equal values of different types meet in one column (1, 1.0 and
``True``; 0, 0.0, -0.0 and ``False``), as do empty cells, white space and slashed dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fuzz import header_variants, values
from workbook_tools.issues import Issue
from workbook_tools.kinds import KINDS
from workbook_tools.rawsheet import RawSheet
from workbook_tools.table import (
    SLASH_DATE,
    Table,
    _read_slashed,
    _Slashed,
    _value_issue,
    build_table,
    find_header,
    parse_pattern,
    parse_records,
)
from workbook_tools.values import ValueProblem

EXAMPLES = int(os.environ.get("WORKBOOK_TOOLS_FUZZ", "40"))


def plain_parse_records(table: Table, month_first: bool = False
                        ) -> tuple[list[Any], list[Issue]]:
    """Every cell through its field's parser, row by row, nothing remembered."""
    kind = table.kind
    records: list[Any] = []
    issues: list[Issue] = []
    slashed: dict[str, _Slashed] = {}
    for row, cells in table.rows:
        data: dict[str, Any] = {"row": row}
        missing: list[tuple[str, Issue]] = []
        found: list[Issue] = []
        for name, index in table.header.columns.items():
            spec = kind.fields[name]
            raw = cells[index] if index < len(cells) else None
            if raw is None or raw == "":
                result = None
            elif spec.base is dt.date and raw.__class__ is str and (
                    parts := SLASH_DATE.fullmatch(raw)):
                slashed.setdefault(name, _Slashed(index)).values.append(
                    (len(records), row, raw, int(parts[1]), int(parts[2]), int(parts[3])))
                continue
            else:
                try:
                    result = spec.parse(raw)
                except ValueProblem as problem:
                    found.append(_value_issue(table, row, index, name, raw, problem))
                    data[name] = problem.value
                    continue
            if result is None:
                if spec.column.value_required:
                    issue = Issue("V007", table.file, sheet=table.sheet,
                                  cell=table.address(row, index), row=row,
                                  params={"column": table.header.texts[name]})
                    found.append(issue)
                    missing.append((name, issue))
                continue
            if kind.formulas and spec.base is Decimal and raw.__class__ is str:
                table.text_amounts.append((row, index, raw))
            data[name] = result
        waived = [issue for name, issue in missing
                  if data.get(kind.required_unless.get(name, ""))]
        issues += [issue for issue in found if not any(issue is w for w in waived)]
        for name, cells_of in table.header.patterns.items():
            data[name] = parse_pattern(table, row, cells, name, kind.patterns[name][1],
                                       cells_of, issues)
        record = kind.model(**data)
        for name, (source, derive) in kind.derived.items():
            if getattr(record, source):
                setattr(record, name, derive(getattr(record, source)))
        records.append(record)
    for name, column in slashed.items():
        issues += _read_slashed(table, records, name, column, month_first)
    return records, issues


def seen(issue: Issue) -> tuple[Any, ...]:
    return (issue.code, issue.file, issue.sheet, issue.cell, issue.row, repr(issue.params),
            repr(issue.value))


def fields_of(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


#: what repeats down a column besides the fuzz values: equal numbers of three types,
#: slashed dates either way round, blanks
pooled = st.one_of(values, st.sampled_from(
    [1, 1.0, True, 0, 0.0, -0.0, False, 2, 2.0, "1", "0", "2/4/2019", "13/4/2019",
     "4/13/2019", "31/2/2019", " 2/4/2019 r.", "", " ", None, "12,50", "12.5", 12.5,
     "88122012259", 88122012259, "tak", "Tak", "TAK"]))


@st.composite
def sheets(draw: Any, kind_name: str) -> list[list[Any]]:
    header = draw(header_variants(kind_name))
    pool = draw(st.lists(pooled, min_size=1, max_size=8))
    width = len(header)
    lines = [list(header)]
    for _ in range(draw(st.integers(0, 25))):
        lines.append([draw(st.sampled_from(pool)) for _ in range(width + draw(
            st.integers(-2, 1)))])
    return lines


def both(kind_name: str, lines: list[list[Any]], month_first: bool) -> int:
    """Parse the sheet both ways and compare; how many records there were."""
    kind = KINDS[kind_name]
    tables = []
    for _ in range(2):
        raw = RawSheet("Arkusz", [list(line) for line in lines], 1, 1, True)
        header = find_header(raw, [kind], kind, None)
        if header is None:
            return 0
        tables.append(build_table("f.xlsx", raw, header))
    fast, plain = tables
    records, issues = parse_records(fast, month_first)
    expected_records, expected_issues = plain_parse_records(plain, month_first)
    assert [seen(i) for i in issues] == [seen(i) for i in expected_issues]
    assert [fields_of(r) for r in records] == [fields_of(r) for r in expected_records]
    assert fast.text_amounts == plain.text_amounts
    assert (fast.totals, fast.ended, fast.skipped) == (plain.totals, plain.ended,
                                                      plain.skipped)
    return len(records)


@pytest.mark.parametrize("block, remembered", [(512, 4096), (3, 4)])
@pytest.mark.parametrize("kind_name", list(KINDS))
def test_column_by_column_is_cell_by_cell(kind_name: str, block: int, remembered: int,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Also in blocks of three rows, each column remembering four values: a value seen
    in one block and met again in the next, a column that stops remembering."""
    from workbook_tools import table

    monkeypatch.setattr(table, "BLOCK_ROWS", block)
    monkeypatch.setattr(table, "CACHE_LIMIT", remembered)
    compared: list[int] = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(lines=sheets(kind_name), month_first=st.booleans())
    def run(lines: list[list[Any]], month_first: bool) -> None:
        compared.append(both(kind_name, lines, month_first))

    run()
    assert sum(compared) > EXAMPLES, "the drawn sheets must yield records to compare"


@pytest.mark.parametrize("column", [
    [1.0, True, 1, 1.0, True],  # a logical cell among equal numbers: parsed cell by cell
    [True, 1.0, False, 0.0, None],
    ["2/4/2019", "13/4/2019", "2/4/2019", "", "02.04.2019"],
    ["4/13/2019", "2/4/2019", None, "4/13/2019"],
    ["tak", "", "nie", " ", "tak", None],
])
@pytest.mark.parametrize("kind_name", ["participants", "payments", "contracts"])
def test_columns_with_repeats_of_every_sort(kind_name: str, column: list[Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Each mapped column of the kind's template header filled with ``column`` (shifted
    by one per column, so each column meets the values in another order), in blocks of
    four rows."""
    from workbook_tools import table

    monkeypatch.setattr(table, "BLOCK_ROWS", 4)
    kind = KINDS[kind_name]
    header = [spec.column.header for spec in kind.fields.values()]
    lines: list[list[Any]] = [header]
    for row in range(len(column) * 3):
        lines.append([column[(row + shift) % len(column)] for shift in range(len(header))])
    assert both(kind_name, lines, month_first=False) == len(lines) - 1


def test_the_comparison_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fast path that lost a column's issues, or gave a row its neighbour's value,
    fails the comparison."""
    from workbook_tools import table

    kind = KINDS["payments"]
    header = [spec.column.header for spec in kind.fields.values()]
    lines: list[list[Any]] = [header, ["x"] * len(header), ["KS/1"] * len(header),
                              ["KS/2"] * len(header)]
    assert both("payments", lines, month_first=False) == 3
    real = table._Column.parse

    def quiet(column: Any, cells: Any, rows: Any, start: int, found: Any) -> list[Any]:
        return real(column, cells, rows, start, [])

    def shifted(column: Any, cells: Any, rows: Any, start: int, found: Any) -> list[Any]:
        results = real(column, cells, rows, start, found)
        return results[1:] + results[:1]

    for wrong in (quiet, shifted):
        monkeypatch.setattr(table._Column, "parse", wrong)
        with pytest.raises(AssertionError):
            both("payments", lines, month_first=False)
