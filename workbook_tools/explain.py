"""What the reader understood of a sheet, said to the user (``workbook-tools explain``).

Staff cannot fix what they cannot see: when a sheet is misread, the floods of false
errors are the symptom and the layout is the cause. For every sheet the engine keeps
a :class:`Layout`: which kind and why, the header rows, each column and the field it
was read as (or why not), the data rows and the rows between them that were skipped.
It is data, built once by the engine and rendered at the edge (text or JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .polish import plural_pl
from .read import column_letter
from .values import normalise_header

if TYPE_CHECKING:  # the engine's, passed in: a received result needs only Layout
    from .table import Header, Mapping, Table

#: Why a column is (not) read.
FIELD, MAPPED, IGNORED, UNKNOWN, PATTERN, DUPLICATE = (
    "field", "mapped", "ignored", "unknown", "pattern", "duplicate")
#: Why the kind was chosen.
BY_HEADERS, BY_SETTINGS, BY_NAME = "headers", "settings", "name"

_COLUMN_NOTES = {
    "pl": {FIELD: "", MAPPED: "wg [kolumny] w projekt.toml",
           IGNORED: "pominięta wg [kolumny] w projekt.toml",
           UNKNOWN: "nieznany nagłówek — kolumna nie jest czytana",
           PATTERN: "kolumna z serii (okres / data zajęć)",
           DUPLICATE: "powtarza pole innej kolumny — nie jest czytana"},
    "en": {FIELD: "", MAPPED: "by [kolumny] in projekt.toml",
           IGNORED: "ignored by [kolumny] in projekt.toml",
           UNKNOWN: "unknown header: the column is not read",
           PATTERN: "a column of a series (period / session date)",
           DUPLICATE: "repeats the field of another column: not read"},
}
_SKIPPED = {
    "pl": {"numbering": "wiersz numeracji kolumn", "repeated header": "powtórzony nagłówek",
           "total": "wiersz sumy (koniec danych)", "footer": "stopka z podpisami (koniec danych)",
           "subtotal": "suma częściowa"},
    "en": {"numbering": "column numbering row", "repeated header": "header repeated",
           "total": "totals row (end of data)", "footer": "signature footer (end of data)",
           "subtotal": "subtotal"},
}


@dataclass(frozen=True)
class ColumnRead:
    cell: str  # the header cell (its bottom row)
    header: str
    field: str | None  # the field's header as the templates write it
    how: str


@dataclass(frozen=True)
class Layout:
    kind: str
    why: str
    score: int
    runner_up: tuple[str, int] | None
    header_rows: tuple[int, int]
    columns: list[ColumnRead] = field(default_factory=list)
    first_row: int | None = None
    last_row: int | None = None
    records: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)


def layout(table: Table, header: Header, mapping: Mapping | None, forced: bool,
           records: list[Any]) -> Layout:
    """The layout of a read sheet, from the engine's own header and table."""
    kind = header.kind
    by_index: dict[int, ColumnRead] = {}
    bottom = table.header_bottom
    mapped_texts = set(mapping.texts) if mapping else set()
    mapped_letters = {c - table.first_col for c in mapping.letters} if mapping else set()

    def cell(index: int) -> str:
        return f"{column_letter(table.first_col + index + 1)}{bottom}"

    for name, index in header.columns.items():
        text = header.texts[name]
        how = MAPPED if (index in mapped_letters or normalise_header(text) in mapped_texts
                         or any(normalise_header(p) in mapped_texts
                                for p in text.split(" / "))) else FIELD
        by_index[index] = ColumnRead(cell(index), text, kind.header_of(name), how)
    for columns in header.patterns.values():
        for index, label in columns:
            by_index[index] = ColumnRead(cell(index), label, None, PATTERN)
    for _name, _first, index, text in header.duplicates:
        by_index[index] = ColumnRead(cell(index), text, None, DUPLICATE)
    for index, text in header.extra.items():
        by_index.setdefault(index, ColumnRead(cell(index), text, None, UNKNOWN))
    for index, text in header.ignored.items():
        by_index[index] = ColumnRead(cell(index), text, None, IGNORED)
    skipped = list(table.skipped)
    if table.ended is not None:
        skipped.append(table.ended)
    why = BY_SETTINGS if forced else BY_NAME if header.by_name else BY_HEADERS
    runner = (header.runner_up[0].label, header.runner_up[1]) if header.runner_up else None
    return Layout(kind.name, why, header.score, runner, (table.header_top, bottom),
                  [by_index[i] for i in sorted(by_index)],
                  records[0].row if records else None, records[-1].row if records else None,
                  len(records), sorted(skipped), table.title[:3])


def describe(layout: Layout, label: str, lang: str = "pl") -> list[str]:
    """Lines for the terminal."""
    en = lang == "en"
    notes = _COLUMN_NOTES["en" if en else "pl"]
    why = {BY_SETTINGS: ("wskazany w projekt.toml ([arkusze])", "set in projekt.toml"),
           BY_NAME: ("nagłówki pasują też do innego rodzaju; rozstrzygnęła nazwa arkusza "
                     "lub tytuł", "headers fit another kind too; the sheet name or title "
                     "decided"),
           BY_HEADERS: (f"rozpoznane kolumny: {layout.score}",
                        f"columns recognised: {layout.score}")}[layout.why][en]
    lines = [f"  {'kind' if en else 'rodzaj'}: {label} ({why})"]
    if layout.runner_up:
        other, score = layout.runner_up
        lines.append(f"    {'also fits' if en else 'pasuje też'}: {other} ({score})")
    if layout.title:
        lines.append(f"  {'title' if en else 'tytuł'}: {' | '.join(layout.title)}")
    top, bottom = layout.header_rows
    rows = f"{top}" if top == bottom else f"{top}–{bottom}"
    lines.append(f"  {'header rows' if en else 'wiersze nagłówka'}: {rows}")
    lines.append(f"  {'columns' if en else 'kolumny'}:")
    for column in layout.columns:
        target = f" → {column.field}" if column.field and column.field != column.header \
            else " ✓" if column.field else ""
        note = notes[column.how]
        lines.append(f"    {column.cell:<6} „{column.header}”{target}"
                     + (f"  ({note})" if note else ""))
    if layout.records:
        count = (f"{layout.records} records" if en else
                 plural_pl(layout.records, "rekord", "rekordy", "rekordów"))
        lines.append(f"  {'data' if en else 'dane'}: "
                     f"{'rows' if en else 'wiersze'} {layout.first_row}–{layout.last_row} "
                     f"({count})")
    else:
        lines.append(f"  {'data: none' if en else 'dane: brak wierszy danych'}")
    skipped = _SKIPPED["en" if en else "pl"]
    for row, reason in layout.skipped:
        lines.append(f"  {'row' if en else 'wiersz'} {row}: {skipped.get(reason, reason)}"
                     f" — {'skipped' if en else 'pominięty'}")
    return lines


def to_dict(layout: Layout) -> dict[str, Any]:
    return {
        "kind": layout.kind, "why": layout.why, "score": layout.score,
        "also_fits": None if layout.runner_up is None else {
            "kind": layout.runner_up[0], "score": layout.runner_up[1]},
        "header_rows": list(layout.header_rows),
        "columns": [{"cell": c.cell, "header": c.header, "field": c.field, "how": c.how}
                    for c in layout.columns],
        "first_row": layout.first_row, "last_row": layout.last_row,
        "records": layout.records,
        "skipped": [{"row": row, "why": reason} for row, reason in layout.skipped],
        "title": layout.title,
    }
