"""From a raw sheet to a located table, and from table rows to typed records.

Real workbooks have title rows ("Lista uczestników projektu ..."), headers over two or
three rows (a merged "Adres" over "Ulica | Nr domu | ..."), the header repeated on every
printed page, blank rows, a "Razem" line and a signature block. The header finder looks
at the first rows for the block of up to three rows whose cells name the most fields of a
kind; data is what follows, up to a totals or signature row. Every value keeps its sheet
row and column, so every issue can point at a cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from .issues import Issue, Name, Personal
from .rawsheet import RawSheet
from .read import column_index, column_letter
from .rules import Bilingual
from .schema import Kind, Parser
from .settings import SKIP_COLUMN, field_named
from .values import NORMALISED_KEPT, ValueProblem, fold, is_empty, normalise_header, parse_text

MAX_HEADER_SCAN = 30
MAX_HEADER_DEPTH = 3
#: First words of a row that ends the data: a totals row (kept, budgets check it) ...
TOTAL_WORDS = ("razem", "suma", "ogolem", "lacznie")
#: ... or the signature block.
FOOTER_WORDS = ("sporzadzil", "podpis", "data sporzadzenia", "zatwierdzil", "sprawdzil")
END_WORDS = TOTAL_WORDS + FOOTER_WORDS



@dataclass(eq=False, repr=False)
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
    #: columns ``[kolumny]`` says to leave alone: index -> header
    ignored: dict[int, str] = field(default_factory=dict)
    #: ``[kolumny]`` keys this header used (the others name columns that are not there)
    used: set[str] = field(default_factory=set)
    #: same-named columns left unbound that hold nothing in the first data rows
    empty: set[int] = field(default_factory=set)
    #: the best header another kind found in the same rows: (kind, score), if any
    runner_up: tuple[Kind, int] | None = None
    #: whether the sheet's name or title decided between kinds that fit equally well
    by_name: bool = False

    @property
    def score(self) -> int:
        counted = min(self.kind.pattern_score, sum(len(c) for c in self.patterns.values()))
        return len(self.columns) + counted + self.computed


@dataclass(eq=False, repr=False)
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
    #: rows between the header and the end that are not records: (sheet row, why)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    #: the row that ended the data (a signature footer), if any
    ended: tuple[int, str] | None = None
    #: "Razem zadanie 1" rows between lines (kinds with subtotals), as read
    subtotals: list[tuple[int, list[Any]]] = field(default_factory=list)
    #: amounts typed as text (a SUM in Excel skips them): (sheet row, column index, raw)
    text_amounts: list[tuple[int, int, Any]] = field(default_factory=list)

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
           first: int, depth: int, computed_cells: list[list[bool]] | None = None,
           with_texts: bool = True) -> Header:
    """The header a block of rows gives: per column, the deepest cell naming a field.

    Trying every block of every kind is the cost of finding a header; the texts of the
    unknown columns (``Header.extra``) are only needed for the block chosen, so without
    ``with_texts`` they are left empty (:func:`_with_texts` fills them in)."""
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
        if found is None and depth > 1:
            group = _grouped(raw, kind, rows, index)
            if group is not None and group[0] not in columns:
                columns[group[0]] = index
                texts[group[0]] = group[1]
                continue
        if found is None:
            pattern = kind.match_pattern(raw.rows[first + depth - 1][index]
                                         if index < len(raw.rows[first + depth - 1]) else None)
            if pattern:
                patterns.setdefault(pattern[0], []).append((index, pattern[1]))
            elif any(index < len(raw.rows[r]) and not is_empty(raw.rows[r][index])
                     for r in rows):
                extra[index] = _header_texts(raw, rows, index) if with_texts else ""
                computed += any(
                    computed_cells[r][index] if computed_cells is not None
                    and index < len(computed_cells[r])
                    else kind.match_computed(raw.rows[r][index])
                    for r in rows if index < len(raw.rows[r]))
            continue
        name, r = found
        text = str(raw.rows[r][index]).strip()
        if name in columns:
            duplicates.append((name, columns[name], index, text))
            continue
        columns[name] = index
        texts[name] = " ".join(text.split())
    empty: set[int] = set()
    if duplicates:
        duplicates, empty = _bind_filled(raw, first + depth, columns, texts, duplicates)
    return Header(kind, first, first + depth - 1, columns, texts, extra, duplicates, patterns,
                  computed, empty=empty)


#: Data rows looked at to decide which of two same-named columns holds the data.
SAMPLE_ROWS = 200


def _bind_filled(raw: RawSheet, top: int, columns: dict[str, int], texts: dict[str, str],
                 duplicates: list[tuple[str, int, int, str]]
                 ) -> tuple[list[tuple[str, int, int, str]], set[int]]:
    """Bind each field to the same-named column that holds the data.

    Central-system exports repeat column names in blocks: SL2014's participant export
    starts with the institution's "Kraj", "Województwo", "Data rozpoczęcia udziału…",
    empty for an individual participant, and the person's own come later. The column
    with most values in the first data rows wins (the first on a tie); a losing column
    that is empty there is a block of another kind of participant, not a mistake."""
    sample = raw.rows[top:top + SAMPLE_ROWS]

    def filled(index: int) -> int:
        return sum(1 for row in sample if index < len(row) and not is_empty(row[index]))

    candidates: dict[str, list[tuple[int, str]]] = {}
    for name, _first, index, text in duplicates:
        candidates.setdefault(name, [(columns[name], texts[name])]).append((index, text))
    kept: list[tuple[str, int, int, str]] = []
    empty: set[int] = set()
    for name, found in candidates.items():
        counts = {index: filled(index) for index, _text in found}
        best_index, best_text = max(found, key=lambda item: (counts[item[0]], -item[0]))
        columns[name], texts[name] = best_index, " ".join(best_text.split())
        for index, text in found:
            if index != best_index:
                kept.append((name, best_index, index, text))
                if counts[index] == 0:
                    empty.add(index)
    return kept, empty


def _grouped(raw: RawSheet, kind: Kind, rows: range, index: int) -> tuple[str, str] | None:
    """A short sub-header under a group title ("od" under a merged "Udział w projekcie"):
    the field the pair names. The group title of a merged range stands in its first cell,
    so it is looked for to the left in the rows above the sub-header."""
    if not kind.grouped:
        return None
    bottom = rows[-1]
    cells = raw.rows[bottom]
    sub = cells[index] if index < len(cells) else None
    if not isinstance(sub, str) or not sub.strip():
        return None
    for r in reversed(range(rows[0], bottom)):
        above = raw.rows[r]
        for left in range(min(index, len(above) - 1), -1, -1):
            value = above[left]
            if isinstance(value, str) and value.strip():
                name = kind.match_group(value, sub)
                return (name, f"{' '.join(value.split())} / {' '.join(sub.split())}"
                        ) if name else None
            if left < index and left < len(cells) and isinstance(cells[left], str) and \
                    not cells[left].strip():
                break  # a column without a sub-header: the group ended before it
    return None


@dataclass(frozen=True, eq=False)
class Mapping:
    """``[kolumny]`` of one sheet: header texts and column letters named by the user."""

    texts: dict[str, str] = field(default_factory=dict)  # normalised header -> value
    letters: dict[int, str] = field(default_factory=dict)  # 0-based sheet column -> value
    keys: dict[str, str] = field(default_factory=dict)  # text or letter -> "target.key"

    @classmethod
    def of(cls, entries: Iterable[tuple[str, str, str]]) -> Mapping:
        mapping = cls()
        for target, key, value in entries:
            where = f'kolumny."{target}"."{key}"'
            if _LETTER.fullmatch(key.strip()):
                column = column_index(key.strip()) - 1
                mapping.letters[column] = value
                mapping.keys[key.strip()] = where
            else:
                mapping.texts[normalise_header(key)] = value
                mapping.keys[normalise_header(key)] = where
        return mapping


_LETTER = re.compile(r"[A-Z]{1,2}")


def _matcher(kind: Kind, mapping: Mapping | None) -> Callable[[Any], str | None]:
    if mapping is None or not mapping.texts:
        return kind.match_header
    texts = mapping.texts

    def match(text: Any) -> str | None:
        if isinstance(text, str) and text.strip():
            value = texts.get(normalise_header(text))
            if value is not None:
                return None if value == SKIP_COLUMN else field_named(kind, value)
        return kind.match_header(text)

    return match


#: cells of a wide head matched by every kind in turn (see _matched_in_chunks)
HEADER_CHUNK = 1024


def _matched_in_chunks(scan: list[list[Any]], kinds: list[Kind],
                       matchers: list[Callable[[Any], str | None]]
                       ) -> list[tuple[list[list[str | None]], list[list[bool]]]]:
    """Every kind's view of every cell of a head with more texts than
    normalise_header keeps: each chunk of cells is matched by all the kinds in turn,
    while its normalised texts are still kept. (Kind by kind over the whole head, a
    hostile sheet of 30 rows x 16 384 columns normalised each text once per kind and
    took 28 s to be found headerless; now 9.8 s.)"""
    grids: list[tuple[list[list[str | None]], list[list[bool]]]] = [
        ([], []) for _ in kinds]
    for row in scan:
        for matches, computed_cells in grids:
            matches.append([])
            computed_cells.append([])
        for start in range(0, len(row), HEADER_CHUNK):
            chunk = row[start:start + HEADER_CHUNK]
            for (matches, computed_cells), kind, match in zip(grids, kinds, matchers,
                                                              strict=True):
                matches[-1] += [match(v) for v in chunk]
                computed_cells[-1] += [kind.match_computed(v) for v in chunk]
    return grids


def find_header(raw: RawSheet, kinds: Iterable[Kind], forced: Kind | None = None,
                mapping: Mapping | None = None) -> Header | None:
    """The best header block in the first rows, for the forced kind or any known kind;
    ``mapping`` (the user's ``[kolumny]``) names columns the aliases do not know."""
    scan = raw.rows[:MAX_HEADER_SCAN]
    per_kind: dict[str, tuple[tuple[int, int, int], Header]] = {}
    candidates = [forced] if forced else list(kinds)
    usual = sum(map(len, scan)) <= NORMALISED_KEPT  # the usual head: its texts stay kept
    grids: list[tuple[list[list[str | None]], list[list[bool]]]]
    if usual and mapping is None:
        keys = {text: normalise_header(text) for text in {
            v for row in scan for v in row if isinstance(v, str)} if text.strip()}
        grids = []
        for kind in candidates:
            fields_named, computed = kind.match_keys(keys)
            grids.append(([list(map(fields_named.get, row)) for row in scan],
                          [list(map(computed.__contains__, row)) for row in scan]))
    elif usual:
        grids = [([[match(v) for v in row] for row in scan],
                  [[kind.match_computed(v) for v in row] for row in scan])
                 for kind in candidates for match in (_matcher(kind, mapping),)]
    else:
        grids = _matched_in_chunks(scan, candidates,
                                   [_matcher(kind, mapping) for kind in candidates])
    for kind, (matches, computed_cells) in zip(candidates, grids, strict=True):
        minimum = 1 if forced else kind.min_matches
        subheaded = _sub_header_rows(kind, scan) if usual else None
        for first in range(len(scan)):
            if not any(matches[first]) and not _may_group(kind, scan, first, subheaded,
                                                          computed_cells):
                continue
            for depth in range(1, MAX_HEADER_DEPTH + 1):
                if first + depth > len(scan):
                    break
                header = _block(raw, kind, matches, first, depth, computed_cells,
                                with_texts=mapping is not None)
                if mapping is not None:
                    _apply(raw, header, mapping)
                key = (header.score, -depth, -first)
                if header.score >= minimum and (
                        kind.name not in per_kind or key > per_kind[kind.name][0]):
                    per_kind[kind.name] = (key, header)
    if not per_kind:
        return None
    ranked = sorted(per_kind.values(), key=lambda found: found[0], reverse=True)
    for _key, header in ranked:
        _with_texts(raw, header)
    best = ranked[0][1]
    # a doubt is conflicting evidence: each kind recognises a column the other does not
    # (a name-and-PESEL sheet is a participant list by the kinds' order, silently)
    mine = set(best.columns.values())
    tied = [h for key, h in ranked if key[0] == best.score
            and h.kind.family != best.kind.family
            and not set(h.columns.values()) <= mine and not mine <= set(h.columns.values())]
    if tied:
        named = [h for h in [best, *tied] if _names_kind(raw, h)]
        if len(named) == 1:
            best = named[0]  # the sheet's name or title says which it is
            best.by_name = True
        else:
            best.runner_up = (tied[0].kind, tied[0].score)
    return best


def _with_texts(raw: RawSheet, header: Header) -> None:
    """The texts of the unknown columns, for the blocks that may be chosen."""
    rows = range(header.first, header.last + 1)
    for index, text in header.extra.items():
        if not text:
            header.extra[index] = _header_texts(raw, rows, index)


def _names_kind(raw: RawSheet, header: Header) -> bool:
    """Whether the sheet's name or the title above its header names the kind."""
    texts = [raw.name, *(v for row in raw.rows[:header.first] for v in row
                         if isinstance(v, str))]
    folded = fold(" ".join(texts))
    return any(word in folded for word in header.kind.words)


def _may_group(kind: Kind, scan: list[list[Any]], first: int, subheaded: set[int] | None,
               computed_cells: list[list[bool]]) -> bool:
    """Whether a row without any known header may still begin the best block: as the
    group title over a sub-header one or two rows below (``subheaded``: the rows that
    hold one; None: not looked for), or with a computed column's header. A block
    beginning there without either scores what the block beginning a row lower
    scores, and loses to it (every row of a participant list's head was tried three
    times: 90 blocks, 2 ms of its header's 3)."""
    if not kind.grouped or not any(isinstance(v, str) and v.strip() for v in scan[first]):
        return False
    return (subheaded is None or first + 1 in subheaded or first + 2 in subheaded
            or any(computed_cells[first]))


def _sub_header_rows(kind: Kind, scan: list[list[Any]]) -> set[int] | None:
    """The head rows holding a short sub-header one of the kind's groups knows ("od"
    under "Udział w projekcie"); None for a kind without groups."""
    if not kind.grouped:
        return None
    known = {short for _words, subs in kind.grouped for short in subs}
    return {r for r, row in enumerate(scan) if any(
        isinstance(v, str) and v.strip() and normalise_header(v) in known for v in row)}


def _apply(raw: RawSheet, header: Header, mapping: Mapping) -> None:
    """The user's ``[kolumny]``: columns to leave alone, columns named by letter."""
    rows = range(header.first, header.last + 1)
    for index in list(header.extra):
        text = header.extra[index]
        for part in [text, *text.split(" / ")]:
            if mapping.texts.get(normalise_header(part)) == SKIP_COLUMN:
                header.ignored[index] = header.extra.pop(index)
                header.used.add(mapping.keys[normalise_header(part)])
                break
    for name in header.columns:
        key = normalise_header(header.texts[name])
        if key in mapping.texts:
            header.used.add(mapping.keys[key])
    for column, value in mapping.letters.items():
        index = column - raw.first_col
        if index < 0:
            continue
        letter = column_letter(column + 1)
        header.used.add(mapping.keys[letter])
        text = _header_texts(raw, rows, index) or letter
        for name, at in list(header.columns.items()):
            if at == index:
                del header.columns[name]
                header.texts.pop(name, None)
        header.extra.pop(index, None)
        for cols in header.patterns.values():
            cols[:] = [(i, label) for i, label in cols if i != index]
        if value == SKIP_COLUMN:
            header.ignored[index] = text
            continue
        named = field_named(header.kind, value)
        if named is None:
            continue
        header.columns[named] = index
        header.texts[named] = " ".join(text.split())


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
#: every character ``str.isspace`` accepts (a test derives them from it: listing them
#: here saves the worker 2 ms of asking it about 12 289 characters at import)
WHITE_SPACE = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002"
                        "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"
                        "\u202f\u205f\u3000")
#: first characters after which _ends_data must look closer: an end word's initial, or
#: nothing yet (an empty cell, leading white space)
_MAYBE_END = _END_INITIALS | {""} | WHITE_SPACE


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
        if offset <= header.last + 2 and is_numbering(cells):
            table.skipped.append((raw.first_row + offset + 1, "numbering"))
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
                table.skipped.append((raw.first_row + offset + 1, "subtotal"))
                table.subtotals.append((raw.first_row + offset + 1, cells))
                continue  # a subtotal, unless nothing but the footer follows
            table.ended = (raw.first_row + offset + 1, "total")
            break
        if end == "footer":
            table.ended = (raw.first_row + offset + 1, "footer")
            break
        if table.totals is not None:
            table.totals = None  # what looked like the totals was a subtotal
        if (probes and probes[0][0] < width and cells[probes[0][0]] == probes[0][1]
                and all(i < width and cells[i] == text for i, text in probes)):
            table.skipped.append((raw.first_row + offset + 1, "repeated header"))
            continue  # the header printed again on a later page
        yield raw.first_row + offset + 1, cells


def is_numbering(cells: list[Any]) -> bool:
    """A row of column numbers under the header ("1 2 3 … 14", or "1." "2." …, as Polish
    forms print them): at least three whole numbers rising by one, nothing else."""
    numbers = []
    for value in cells:
        if value is None or value == "":
            continue
        if value.__class__ is str:
            text = value.strip().rstrip(".")
            if not text:
                continue
            if not text.isdigit():
                return False
            value = int(text)
        if value.__class__ is float and value.is_integer():
            value = int(value)
        if value.__class__ is not int:
            return False
        numbers.append(value)
    return len(numbers) >= 3 and all(b == a + 1 for a, b in itertools.pairwise(numbers))


def _header_probes(header_cells: list[Any], mapped: list[int]) -> list[tuple[int, str]]:
    """Three header cells a repeated header row would carry again, same text, same place."""
    probes = [(i, header_cells[i]) for i in mapped
              if i < len(header_cells) and isinstance(header_cells[i], str) and header_cells[i]]
    return probes[:3] if len(probes) >= 3 else []


#: A date column's "2/4/2019" value: read once the whole column has been seen
#: (:func:`_read_slashed`), the record keeps the default until then.
_SLASHED = object()


SLASH_DATE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*(r\.?)?\s*")


@dataclass(eq=False, repr=False)
class _Slashed:
    """The "2/4/2019" values of one date column, read once the column has been seen."""

    index: int
    values: list[tuple[int, int, Any, int, int, int]] = field(default_factory=list)
    # (record position, sheet row, raw, first part, second part, year)


#: Rows parsed at a time, column by column: enough that the loops run in C, few enough
#: that a block's cells, once parsed, leave memory the next block's cells reuse (256:
#: 73.5 ms, 512: 69.5, 1 024: 70.4, 2 048: 71.7 for a 10 000-row list in a fresh
#: process, medians of 10).
BLOCK_ROWS = 512
#: Distinct values a column remembers from one block to the next. Towns, dates, forms
#: of support repeat endlessly and are parsed once; a column of unique values (PESEL,
#: amounts) stops being remembered at this size.
CACHE_LIMIT = 4096


def parse_records(table: Table, month_first: bool = False
                  ) -> tuple[list[Any], list[Issue]]:
    """Typed records of a table; every value that does not parse becomes a located issue.

    This is the hot loop of the whole tool (rows x columns), so it runs column by
    column over blocks of rows (:class:`_Column`): each distinct value of a block's
    column is parsed once (or found among those its column remembers), every cell
    gets its value by one lookup in C (``map``), and only a column holding an empty
    required cell, a value that does not parse or a "2/4/2019" date is walked cell by
    cell for its issues. Records are built directly from the parsed values
    (:meth:`Kind.build_columns`): each comes from its field's parser, which returns the
    field's type; that every parser keeps to its field's type is proven by pydantic in
    strict mode on every kind's fuzzed rows (tests/test_records.py), and that this
    gives the issues and records of parsing cell by cell, row by row, on the same rows
    (tests/test_parse_records.py).

    Row by row, with a cache per column, this loop was 78 ms of a fresh process's
    10 000-row list of 12 columns (the parsers themselves: 14 ms); column by column,
    in blocks, with the PESEL's birth date and sex derived a column at a time, 63 ms
    (a workbook of contracts and payments: 60 ms). The whole sheet's columns at once made it
    slower: a fresh process pays for every page of memory it touches first, and all
    the cells alive at once were 1 700 more pages.
    """
    kind = table.kind
    plan = list(table.header.columns.items())
    columns = [_Column(table, order, name, index) for order, (name, index) in enumerate(plan)]
    needed = max((index for _name, index in plan), default=-1) + 1
    # a column's place -> the places of the columns whose value waives its V007
    waived = {order: [other for other, (name, _index) in enumerate(plan)
                      if name == kind.required_unless[plan[order][0]]]
              for order in range(len(plan)) if plan[order][0] in kind.required_unless}
    patterns = [(name, kind.patterns[name][1], cells_of)
                for name, cells_of in table.header.patterns.items()]
    after = len(plan)  # a row's pattern issues follow its columns'
    names = ["row", *(name for name, _index in plan)]
    records: list[Any] = []
    # (record position, column's place in the plan, issue): sorted into row order
    found: list[tuple[int, int, Issue]] = []
    lines = iter(table.rows)  # reading them finds the totals and the end of the data
    while block := list(itertools.islice(lines, BLOCK_ROWS)):
        start = len(records)
        rows: list[int] = list(map(_first, block))
        cells: list[list[Any]] = list(map(_second, block))
        if min(map(len, cells)) < needed:
            cells = [line if len(line) >= needed else [*line, *[None] * (needed - len(line))]
                     for line in cells]
        first = len(found)
        stored = [column.parse(cells, rows, start, found) for column in columns]
        if waived and len(found) > first:
            found[first:] = [entry for entry in found[first:] if not (
                entry[2].code == "V007" and any(
                    stored[other][entry[0] - start] for other in waived.get(entry[1], ())))]
        built = kind.build_columns(dict(zip(names, [rows, *stored], strict=True)),
                                   len(rows))
        if patterns:
            for position, (row, record, line) in enumerate(zip(rows, built, cells,
                                                               strict=True), start):
                issues: list[Issue] = []
                for pattern_name, parse, cells_of in patterns:
                    setattr(record, pattern_name, parse_pattern(
                        table, row, line, pattern_name, parse, cells_of, issues))
                found.extend((position, after, issue) for issue in issues)
        records += built
    found.sort(key=_position_and_order)
    result = [issue for _position, _order, issue in found]
    amounts = sorted((entry for column in columns for entry in column.amounts),
                     key=_position_and_order)
    table.text_amounts.extend(amount for _position, _order, amount in amounts)
    # the columns in the order their first "2/4/2019" value came, row by row
    for column in sorted((c for c in columns if c.slashed.values),
                         key=lambda c: (c.slashed.values[0][0], c.order)):
        result += _read_slashed(table, records, column.name, column.slashed, month_first)
    return records, result


_first = itemgetter(0)
_second = itemgetter(1)
_position_and_order = itemgetter(0, 1)


class _Column:
    """One column of a table being parsed: its parser, what it remembers of the values
    it has parsed, and what it found that is read once the column has been seen (text
    amounts, "2/4/2019" dates). A plain class with slots: its attributes are read in
    every block."""

    __slots__ = ("amount", "amounts", "date", "get", "index", "known", "name", "order",
                 "parser", "required", "slashed", "table")

    def __init__(self, table: Table, order: int, name: str, index: int) -> None:
        spec = table.kind.fields[name]
        self.table = table
        self.order = order
        self.name = name
        self.index = index
        self.get = itemgetter(index)
        self.parser = spec.parse
        self.date = spec.base is dt.date
        self.required = spec.column.value_required
        self.amount = table.kind.formulas and spec.base is Decimal
        self.known: dict[Any, Any] = {None: None, "": None}
        self.slashed = _Slashed(index)
        # (record position, column's place, (sheet row, column index, raw))
        self.amounts: list[tuple[int, int, tuple[int, int, Any]]] = []

    def parse(self, cells: list[list[Any]], rows: list[int], start: int,
              found: list[tuple[int, int, Issue]]) -> list[Any]:
        """The values this column gives a block's records (None: empty, the field's
        default), its issues added to ``found``. Each distinct value is parsed once;
        ``True`` equals 1, so a block holding a logical cell in this column is parsed
        cell by cell instead, nothing looked up or remembered."""
        raws = list(map(self.get, cells))
        local: dict[Any, Any] = dict.fromkeys(raws)
        each = (True in local or False in local) and bool in set(map(type, raws))
        known = {} if each else self.known
        remember = not each and len(known) < CACHE_LIMIT
        parser, date = self.parser, self.date
        empty = problems = False
        results: list[Any] = []
        # what a cell gives: None (empty), a value, a ValueProblem, or _SLASHED (never
        # remembered, so it also marks a value not yet seen)
        for raw in raws if each else local:
            result = known.get(raw, _SLASHED)
            if result is _SLASHED:
                if raw is None or raw == "":
                    result = None
                elif date and raw.__class__ is str and "/" in raw and SLASH_DATE.fullmatch(raw):
                    result = _SLASHED
                else:
                    try:
                        result = parser(raw)
                    except ValueProblem as problem:
                        # kept (remembered, in the issue): its traceback's frames would
                        # keep the block's cells alive
                        result = problem.with_traceback(None)
                    if remember:
                        known[raw] = result
            if result is None:
                empty = True
            elif result is _SLASHED or result.__class__ is ValueProblem:
                problems = True
            if each:
                results.append(result)
            else:
                local[raw] = result
        if not each:
            results = list(map(local.__getitem__, raws))
        table = self.table
        if empty and self.required:
            text = table.header.texts[self.name]
            found.extend((start + position, self.order, Issue(
                "V007", table.file, sheet=table.sheet,
                cell=table.address(rows[position], self.index), row=rows[position],
                params={"column": text}))
                for position, result in enumerate(results) if result is None)
        if self.amount and str in set(map(type, raws)):
            self.amounts.extend(
                (start + position, self.order, (rows[position], self.index, raw))
                for position, (raw, result) in enumerate(zip(raws, results, strict=True))
                if raw.__class__ is str and result is not None
                and result.__class__ is not ValueProblem)
        if not problems:
            return results
        for position, result in enumerate(results):
            if result.__class__ is ValueProblem:
                found.append((start + position, self.order, _value_issue(
                    table, rows[position], self.index, self.name, raws[position], result)))
            elif result is _SLASHED:
                raw = raws[position]
                parts = SLASH_DATE.fullmatch(raw)
                assert parts is not None
                self.slashed.values.append((start + position, rows[position], raw,
                                            int(parts[1]), int(parts[2]), int(parts[3])))
        return [None if result is _SLASHED else
                result.value if result.__class__ is ValueProblem else result
                for result in results]


def _read_slashed(table: Table, records: list[Any], name: str, column: _Slashed,
                  month_first: bool) -> list[Issue]:
    """Day or month first for a column of "2/4/2019" dates: a value whose first part
    is over 12 says day first, one whose second part is over 12 says month first.
    Undecided, the Polish order is kept (or ``kolejnosc_dat``), and the user is told;
    never a silent swap."""
    issues: list[Issue] = []
    header = table.header.texts[name]
    day_first = next((v for v in column.values if v[3] > 12), None)
    month = next((v for v in column.values if v[4] > 12), None)
    where = table.address
    if month is not None and day_first is None:
        order = "md"
        issues.append(Issue("V010", table.file, sheet=table.sheet,
                            cell=where(month[1], column.index), row=month[1], params={
                                "column": header, "text": month[2], "why": Bilingual(
                                    f"{month[4]} nie może być miesiącem",
                                    f"{month[4]} cannot be a month")}))
    elif day_first is not None and month is None:
        order = "dm"
    elif month_first and day_first is None:
        order = "md"
    else:
        order = "dm"
        first = column.values[0]
        why = (Bilingual("w tej samej kolumnie są oba zapisy "
                         f"(„{day_first[2]}” i „{month[2]}”)",
                         f"the column holds both orders ('{day_first[2]}' and "
                         f"'{month[2]}')") if day_first is not None and month is not None
               else Bilingual("żadna data w kolumnie nie rozstrzyga tego",
                              "no date in the column decides it"))
        issues.append(Issue("V011", table.file, sheet=table.sheet,
                            cell=where(first[1], column.index), row=first[1],
                            params={"column": header, "text": first[2], "why": why}))
    for position, row, raw, a, b, year in column.values:
        day, month_no = (a, b) if order == "dm" else (b, a)
        if order == "dm" and a <= 12 < b:  # a mixed column: each value its one reading
            day, month_no = b, a
        try:
            value = dt.date(year, month_no, day)
        except ValueError:
            issues.append(Issue("V001", table.file, sheet=table.sheet,
                                cell=where(row, column.index), row=row,
                                params={"column": header, "text": raw}, value=raw))
            continue
        setattr(records[position], name, value)
    return issues


def parse_pattern(table: Table, row: int, cells: list[Any], name: str, parse: Parser,
                   columns: list[tuple[int, str]], issues: list[Issue]) -> dict[str, Any]:
    """The cells of a pattern field (one per period or date), by their header label."""
    values: dict[str, Any] = {}
    for index, label in columns:
        raw = cells[index] if index < len(cells) else None
        try:
            value = parse(raw)
        except ValueProblem as problem:
            issues.append(Issue(problem.code, table.file, sheet=table.sheet,
                                cell=table.address(row, index), row=row,
                                params={"column": label, **problem.params}, value=raw))
            value = problem.value
        if value is not None:
            values[label] = value
    return values


def parse_totals(table: Table, line: tuple[int, list[Any]] | None = None
                 ) -> tuple[Any | None, list[Issue]]:
    """The "Razem" row (or the given sum row) as a record of the sheet's kind (no value
    is required in it)."""
    line = line or table.totals
    if line is None:
        return None, []
    row, cells = line
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
    return kind.build_columns({name: [value] for name, value in data.items()}, 1)[0], issues


def _value_issue(table: Table, row: int, index: int, name: str, raw: Any,
                 problem: ValueProblem) -> Issue:
    personal = table.kind.fields[name].column.personal
    params = {"column": table.header.texts[name], **problem.params}
    if personal:  # a name shows as initials, anything else as a masked text
        hide = Name if name in ("first_name", "last_name", "full_name") else Personal
        params = {k: hide(v) if k in ("text", "pesel") else v for k, v in params.items()}
        raw = hide(parse_text(raw) or "")
    return Issue(problem.code, table.file, sheet=table.sheet, cell=table.address(row, index),
                 row=row, params=params, value=raw)
