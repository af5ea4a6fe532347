"""From a raw sheet to a located table, and from table rows to typed records.

Real workbooks have title rows ("Lista uczestników projektu ..."), headers over two or
three rows (a merged "Adres" over "Ulica | Nr domu | ..."), the header repeated on every
printed page, blank rows, a "Razem" line and a signature block. The header finder looks
at the first rows for the block of up to three rows whose cells name the most fields of a
kind; data is what follows, up to a totals or signature row. Every value keeps its sheet
row and column, so every issue can point at a cell.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from .issues import Issue, Personal
from .read import RawSheet
from .schema import Kind, Parser
from .values import ValueProblem, fold, is_empty, parse_text

MAX_HEADER_SCAN = 30
MAX_HEADER_DEPTH = 3
#: First words of a row that ends the data: a totals row (kept, budgets check it) ...
TOTAL_WORDS = ("razem", "suma", "ogolem", "lacznie")
#: ... or the signature block.
FOOTER_WORDS = ("sporzadzil", "podpis", "data sporzadzenia", "zatwierdzil", "sprawdzil")
END_WORDS = TOTAL_WORDS + FOOTER_WORDS

column_letter = functools.lru_cache(maxsize=None)(get_column_letter)


@dataclass
class Header:
    kind: Kind
    first: int  # index in RawSheet.rows of the first header row
    last: int  # ... and of the last one
    columns: dict[str, int]  # field -> index in a raw row
    texts: dict[str, str]  # field -> header as written in the sheet
    extra: dict[int, str]  # unknown columns: index -> header, kept and ignored
    duplicates: list[tuple[str, int, int, str]] = field(default_factory=list)
    #: columns named by a pattern (one per period, one per date): field -> [(index, label)]
    patterns: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    #: how many of the kind's computed columns the header already carries
    computed: int = 0

    @property
    def score(self) -> int:
        counted = min(self.kind.pattern_score, sum(len(c) for c in self.patterns.values()))
        return len(self.columns) + counted + self.computed


@dataclass
class Table:
    file: str
    sheet: str
    kind: Kind
    header: Header
    first_row: int  # 0-based sheet row of RawSheet.rows[0]
    first_col: int
    rows: Iterable[tuple[int, list[Any]]]  # (1-based sheet row, raw cells), read once
    source: Path | None = None  # the file itself (``file`` is how it is shown)
    #: the "Razem" row that ended the data, when there was one
    totals: tuple[int, list[Any]] | None = None
    #: texts above the header (the title: "Lista obecności — trening kompetencji ...")
    title: list[str] = field(default_factory=list)
    #: rows the kind's ``meta_row`` recognised (planned hours per session), as read
    meta: list[tuple[int, list[Any]]] = field(default_factory=list)

    def address(self, row: int, index: int) -> str:
        return f"{column_letter(self.first_col + index + 1)}{row}"

    def cell(self, row: int, field_name: str | None = None) -> str:
        """A1 of a field's cell in a sheet row; the row's first cell without a field."""
        index = self.header.columns.get(field_name, 0) if field_name else 0
        return self.address(row, index)

    @property
    def header_top(self) -> int:
        """Sheet row (1-based) of the header's first row."""
        return self.first_row + self.header.first + 1

    @property
    def header_bottom(self) -> int:
        """Sheet row (1-based) of the header's last row (the one over the data)."""
        return self.first_row + self.header.last + 1

    def header_cell(self, index: int) -> str:
        return self.address(self.header_top, index)


def _header_texts(raw: RawSheet, depth_rows: Iterable[int], index: int) -> str:
    parts = [str(raw.rows[r][index]).strip() for r in depth_rows
             if index < len(raw.rows[r]) and not is_empty(raw.rows[r][index])]
    return " / ".join(parts)


def _block(raw: RawSheet, kind: Kind, matches: list[list[str | None]],
           first: int, depth: int) -> Header:
    """The header a block of rows gives: per column, the deepest cell naming a field."""
    rows = range(first, first + depth)
    width = max(len(raw.rows[r]) for r in rows)
    columns: dict[str, int] = {}
    texts: dict[str, str] = {}
    extra: dict[int, str] = {}
    duplicates: list[tuple[str, int, int, str]] = []
    patterns: dict[str, list[tuple[int, str]]] = {}
    computed = 0
    for index in range(width):
        found: tuple[str, int] | None = None
        for r in reversed(rows):
            name = matches[r][index] if index < len(matches[r]) else None
            if name:
                found = (name, r)
                break
        if found is None:
            text = _header_texts(raw, rows, index)
            pattern = kind.match_pattern(raw.rows[first + depth - 1][index]
                                         if index < len(raw.rows[first + depth - 1]) else None)
            if pattern:
                patterns.setdefault(pattern[0], []).append((index, pattern[1]))
            elif text:
                extra[index] = text
                computed += any(kind.match_computed(raw.rows[r][index]) for r in rows
                                if index < len(raw.rows[r]))
            continue
        name, r = found
        text = str(raw.rows[r][index]).strip()
        if name in columns:
            duplicates.append((name, columns[name], index, text))
            continue
        columns[name] = index
        texts[name] = " ".join(text.split())
    return Header(kind, first, first + depth - 1, columns, texts, extra, duplicates, patterns,
                  computed)


def find_header(raw: RawSheet, kinds: Iterable[Kind], forced: Kind | None = None
                ) -> Header | None:
    """The best header block in the first rows, for the forced kind or any known kind."""
    scan = raw.rows[:MAX_HEADER_SCAN]
    best: Header | None = None
    best_key: tuple[int, int, int] | None = None
    for kind in [forced] if forced else kinds:
        matches = [[kind.match_header(v) for v in row] for row in scan]
        for first in range(len(scan)):
            if not any(matches[first]):
                continue
            for depth in range(1, MAX_HEADER_DEPTH + 1):
                if first + depth > len(scan):
                    break
                header = _block(raw, kind, matches, first, depth)
                minimum = 1 if forced else kind.min_matches
                key = (header.score, -depth, -first)
                if header.score >= minimum and (best_key is None or key > best_key):
                    best, best_key = header, key
    return best


def _ends_data(cells: list[Any]) -> str | None:
    """"total" or "footer" when the row's first filled cell says the data has ended."""
    for value in cells:
        if is_empty(value):
            continue
        if not isinstance(value, str) or value.lstrip()[:1].lower() not in _END_INITIALS:
            return None
        folded = fold(value)
        if folded.startswith(TOTAL_WORDS):
            return "total"
        return "footer" if folded.startswith(FOOTER_WORDS) else None
    return None


_END_INITIALS = frozenset(word[0] for word in END_WORDS) | {"ł"}  # "Łącznie"
#: first characters after which _ends_data must look closer: an end word's initial, or
#: nothing yet (an empty cell, leading white space)
_MAYBE_END = _END_INITIALS | {""} | {c for c in map(chr, range(0x3001)) if c.isspace()}


def build_table(file: str, raw: RawSheet, header: Header, source: Path | None = None
                ) -> Table:
    """The table below a header; its rows are read lazily, once, by :func:`parse_records`
    (which also fills in ``totals`` when a "Razem" row ends the data)."""
    table = Table(file, raw.name, header.kind, header, raw.first_row, raw.first_col, (),
                  source)
    table.title = [" ".join(v.split()) for row in raw.rows[:header.first] for v in row
                   if isinstance(v, str) and v.strip()]
    meta_row = header.kind.meta_row
    if meta_row is not None:
        for index in range(max(0, header.first - 2), header.last):
            if meta_row(raw.rows[index], header):
                table.meta.append((raw.first_row + index + 1, raw.rows[index]))
    table.rows = _data_rows(raw, header, table)
    return table


def _data_rows(raw: RawSheet, header: Header, table: Table
               ) -> Iterator[tuple[int, list[Any]]]:
    mapped = sorted(header.columns.values())
    watched = mapped + sorted(i for cols in header.patterns.values() for i, _ in cols)
    probes = _header_probes(raw.rows[header.last], mapped)
    meta_row = header.kind.meta_row
    rows = itertools.chain(raw.rows[header.last + 1:], raw.more)
    for offset, cells in enumerate(rows, header.last + 1):
        width = len(cells)
        if meta_row is not None and meta_row(cells, header):
            table.meta.append((raw.first_row + offset + 1, cells))
            continue
        for i in watched:
            if i < width and cells[i] != "" and cells[i] is not None:
                break
        else:
            continue  # blank in every column we read
        head = cells[0]
        # a number in the first cell (the usual "Lp."), or text that starts with none of
        # the end words' letters, cannot start a totals or signature row
        end = None if head.__class__ in (int, float) or (
            head.__class__ is str and head[:1].lower() not in _MAYBE_END) else _ends_data(cells)
        if end == "total":
            table.totals = (raw.first_row + offset + 1, cells)
            if header.kind.subtotals:
                continue  # a subtotal, unless nothing but the footer follows
            break
        if end == "footer":
            break
        if table.totals is not None:
            table.totals = None  # what looked like the totals was a subtotal
        if (probes and probes[0][0] < width and cells[probes[0][0]] == probes[0][1]
                and all(i < width and cells[i] == text for i, text in probes)):
            continue  # the header printed again on a later page
        yield raw.first_row + offset + 1, cells


def _header_probes(header_cells: list[Any], mapped: list[int]) -> list[tuple[int, str]]:
    """Three header cells a repeated header row would carry again, same text, same place."""
    probes = [(i, header_cells[i]) for i in mapped
              if i < len(header_cells) and isinstance(header_cells[i], str) and header_cells[i]]
    return probes[:3] if len(probes) >= 3 else []


_MISSING = object()
#: Rows validated by pydantic in one call: a list is validated in Rust, far faster than
#: one call per record, and a chunk bounds the memory held by the raw dicts.
CHUNK_ROWS = 2048
#: Distinct values remembered per column. Towns, forms of support, dates and yes/no
#: repeat endlessly and are parsed once; a column's cache stops growing at this size.
#: A column that fills it within twice as many rows holds mostly unique values (PESEL
#: on a participant list, amounts): its lookups would nearly all miss, so it stops
#: being looked up. (An attendance list repeats each PESEL once per session and keeps
#: its cache: deciding on fewer values would misjudge one sorted by date.)
CACHE_LIMIT = 4096


def parse_records(table: Table) -> tuple[list[Any], list[Issue]]:
    """Typed records of a table; every value that does not parse becomes a located issue.

    This is the hot loop of the whole tool (rows x columns): empty cells skip the parser,
    each column remembers the result for its repeated values, and records are validated
    by pydantic a chunk at a time.
    """
    kind = table.kind
    plan: list[tuple[str, int, Parser, dict[Any, Any] | None, bool]] = [
        (name, index, kind.fields[name].parse, {}, kind.fields[name].column.value_required)
        for name, index in table.header.columns.items()]  # cache None: not cached
    patterns = [(name, kind.patterns[name][1], cols)
                for name, cols in table.header.patterns.items()]
    records: list[Any] = []
    issues: list[Issue] = []
    chunk: list[dict[str, Any]] = []
    validate = kind.validate_records
    for row, cells in table.rows:
        data: dict[str, Any] = {"row": row}
        width = len(cells)
        for name, index, parse, cache, required in plan:
            raw = cells[index] if index < width else None
            if not raw and (raw is None or raw == ""):  # `not raw` first: cheap when filled
                result = None
            elif cache is None or raw.__class__ is bool:  # True == 1.0 as a dict key
                try:
                    result = parse(raw)
                except ValueProblem as problem:
                    result = problem
            else:
                result = cache.get(raw, _MISSING)
                if result is _MISSING:
                    try:
                        result = parse(raw)
                    except ValueProblem as problem:
                        result = problem
                    if len(cache) < CACHE_LIMIT:
                        cache[raw] = result
                    elif len(records) + len(chunk) < 2 * CACHE_LIMIT:
                        # mostly unique values: stop looking them up
                        at = next(i for i, column in enumerate(plan) if column[0] == name)
                        plan[at] = (name, index, parse, None, required)
            if result.__class__ is ValueProblem:
                issues.append(_value_issue(table, row, index, name, raw, result))
                data[name] = result.value
                continue
            if result is None:  # empty, or only white space
                if required:
                    issues.append(Issue("V007", table.file, table.sheet,
                                        table.address(row, index), row,
                                        {"column": table.header.texts[name]}))
                continue
            data[name] = result
        if patterns:
            for pattern_name, parse, cells_of in patterns:
                data[pattern_name] = parse_pattern(table, row, cells, pattern_name, parse,
                                                    cells_of, issues)
        chunk.append(data)
        if len(chunk) >= CHUNK_ROWS:
            records += validate(chunk)
            chunk = []
    records += validate(chunk)
    return records, issues


def parse_pattern(table: Table, row: int, cells: list[Any], name: str, parse: Parser,
                   columns: list[tuple[int, str]], issues: list[Issue]) -> dict[str, Any]:
    """The cells of a pattern field (one per period or date), by their header label."""
    values: dict[str, Any] = {}
    for index, label in columns:
        raw = cells[index] if index < len(cells) else None
        try:
            value = parse(raw)
        except ValueProblem as problem:
            issues.append(Issue(problem.code, table.file, table.sheet, table.address(row, index),
                                row, {"column": label, **problem.params}, raw))
            value = problem.value
        if value is not None:
            values[label] = value
    return values


def parse_totals(table: Table) -> tuple[Any | None, list[Issue]]:
    """The "Razem" row as a record of the sheet's kind (no value is required in it)."""
    if table.totals is None:
        return None, []
    row, cells = table.totals
    kind = table.kind
    data: dict[str, Any] = {"row": row}
    issues: list[Issue] = []
    for name, index in table.header.columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            value = kind.fields[name].parse(raw)
        except ValueProblem as problem:
            issues.append(_value_issue(table, row, index, name, raw, problem))
            value = problem.value
        if value is not None:
            data[name] = value
    for name, columns in table.header.patterns.items():
        data[name] = parse_pattern(table, row, cells, name, kind.patterns[name][1], columns,
                                    issues)
    return kind.validate_records([data])[0], issues


def _value_issue(table: Table, row: int, index: int, name: str, raw: Any,
                 problem: ValueProblem) -> Issue:
    personal = table.kind.fields[name].column.personal
    params = {"column": table.header.texts[name], **problem.params}
    if personal:
        params = {k: Personal(v) if k in ("text", "pesel") else v for k, v in params.items()}
        raw = Personal(parse_text(raw) or "")
    return Issue(problem.code, table.file, table.sheet, table.address(row, index), row,
                 params, raw)
