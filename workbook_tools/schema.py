"""Field definitions: what a column of a workbook kind is called, holds and requires.

Each workbook kind is a dataclass whose fields carry a :class:`Column` in their
``Annotated`` metadata. That one declaration is read by the header finder (aliases), the
value parsers (by the field's type, or the column's own parser), the required-column and
required-value checks, ``[kolumny]`` in projekt.toml, ``explain``, the templates and the
fill step (canonical header, number format). Nothing about a column is said twice. A
:class:`Kind` holds the rest of what the doors need of a sheet kind: its names in
``[arkusze]``, the words of a sheet name that point to it, its checks and computed columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .values import (
    Sex,
    normalise_header,
    parse_date,
    parse_int,
    parse_money,
    parse_sex,
    parse_text,
    parse_yes_no,
    strip_parentheses,
)

if TYPE_CHECKING:
    from .checks import Check, ProjectCheck, ProjectData, SheetData
    from .summary import SummaryTable

    Summariser = Callable[[ProjectData], list[SummaryTable]]

Parser = Callable[[Any], Any]

#: Excel number formats (stored locale-free; Polish Excel shows "1 234,50 zł", "45,50%").
MONEY_FORMAT = '#,##0.00 "zł"'
DATE_FORMAT = "dd.mm.yyyy"
PERCENT_FORMAT = "0.00%"
HOURS_FORMAT = "0.##"
#: A header cell -> the label of a pattern column (one per period, one per date), or None.
HeaderMatcher = Callable[[Any], str | None]


def header_regex(pattern: str) -> HeaderMatcher:
    """A matcher for header texts whose normalised form matches ``pattern`` in full."""
    compiled = re.compile(pattern)

    def match(text: Any) -> str | None:
        if not isinstance(text, str) or not text.strip():
            return None
        return " ".join(text.split()) if compiled.fullmatch(normalise_header(text)) else None

    return match


@dataclass(frozen=True, eq=False)
class Column:
    """One column of a workbook kind, as declared next to its record field."""

    header: str
    aliases: tuple[str, ...] = ()
    value_required: bool = False
    personal: bool = False
    parser: Parser | None = None
    number_format: str | None = None


_PARSERS_BY_TYPE: dict[type, Parser] = {
    dt.date: parse_date,
    Decimal: parse_money,
    bool: parse_yes_no,
    Sex: parse_sex,
    int: parse_int,
    str: parse_text,
}


@dataclass(frozen=True, eq=False)
class FieldSpec:
    name: str
    column: Column
    parse: Parser
    base: Any = None  # the field's type without None

    @property
    def choices(self) -> tuple[str, ...]:
        """The closed list of values the column takes (for template dropdowns), if any."""
        if self.base is bool:
            return ("tak", "nie")
        if self.base is Sex:
            return tuple(s.value for s in Sex)
        return tuple(getattr(self.parse, "choices", ()))


def _base_type(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def fields_of(model: type[Any]) -> dict[str, FieldSpec]:
    """The columns of a record type: its dataclass fields annotated with a Column.

    The kinds' modules do without ``from __future__ import annotations``: their
    annotations are objects made as the module is imported (compiled with it), where
    from strings ``get_type_hints`` compiled each one again, 3-4 ms of every start of
    a worker (tests/test_structure.py holds them to it)."""
    specs: dict[str, FieldSpec] = {}
    hints = typing.get_type_hints(model, include_extras=True)
    for item in dataclasses.fields(model):
        hint = hints[item.name]
        if typing.get_origin(hint) is not typing.Annotated:
            continue
        annotation, *metadata = typing.get_args(hint)
        column = next((m for m in metadata if isinstance(m, Column)), None)
        if column is None:
            continue
        name = item.name
        base = _base_type(annotation)
        parse = column.parser or _PARSERS_BY_TYPE[base]
        specs[name] = FieldSpec(name, column, parse, base)
    return specs


@dataclass(frozen=True, eq=False)
class Computed:
    """A column the fill step writes: computed from the project, never typed by staff.

    ``values`` gives the value per sheet row (records, and the totals row where it has
    a meaning). With ``field`` the column is the kind's own field (birth date from the
    PESEL): only its empty cells are filled, what staff typed is left alone.
    ``project_wide``: computed from the records of every workbook of the project (paid
    to date from the payments, hours from every attendance list), so it is not written
    while one of them cannot be read — it would be wrong without a word.
    """

    header: str
    values: Callable[[ProjectData, SheetData], dict[int, Any]]
    _: KW_ONLY
    number_format: str | None = None
    width: float = 14
    aliases: tuple[str, ...] = ()
    field: str | None = None
    project_wide: bool = False

    def names(self) -> set[str]:
        return {normalise_header(text) for text in (self.header, *self.aliases)}


@dataclass(frozen=True, eq=False)
class Kind:
    """A workbook kind: its record model, the columns it cannot do without, its checks.

    ``required`` lists alternatives: the sheet is complete when every field of at least
    one group is present (e.g. "Imię" + "Nazwisko", or one "Nazwisko i imię" column).
    """

    name: str
    label: str
    label_en: str
    model: type[Any]  # a dataclass with ``row`` and Column-annotated fields
    required: tuple[tuple[str, ...], ...]
    checks: tuple[Check, ...] = ()
    project_checks: tuple[ProjectCheck, ...] = ()
    summaries: tuple[Summariser, ...] = ()
    min_matches: int = 3
    #: fields filled from every column whose header matches a pattern, e.g. one
    #: "Wykonanie <okres>" column per period, one column per session date: field ->
    #: (matcher, parser). The record's field maps each column's label to its value.
    patterns: dict[str, tuple[HeaderMatcher, Parser]] = field(default_factory=dict)
    #: pattern columns counted towards the header's score, at most (a grid of dates is
    #: recognised by its dates as much as by its names)
    pattern_score: int = 0
    #: rows that are not records but say something about the columns (the planned
    #: hours of each session above or below the dates): kept in ``Table.meta``
    meta_row: Callable[[list[Any], Any], bool] | None = None
    #: whether formulas without a cached value must be looked for (sums in budgets)
    formulas: bool = False
    #: whether "Razem ..." rows may stand between lines (subtotals per task): the data
    #: then ends only at the last totals row, and subtotals are not lines
    subtotals: bool = False
    #: whether the totals row is read as a record (for checks against the lines)
    totals_row: bool = False
    #: what ``fill`` writes into sheets of this kind
    computed: tuple[Computed, ...] = ()
    #: short sub-headers under a group title: (words one of which the folded title
    #: holds, {normalised sub-header: field}) — "od" / "do" under "Udział w projekcie"
    grouped: tuple[tuple[tuple[str, ...], dict[str, str]], ...] = ()
    #: fields a record derives from another of its fields when it is made: field ->
    #: (source field, function of the source's value; None where the source is empty).
    #: Several checks need a participant's birth date and sex from the PESEL.
    derived: dict[str, tuple[str, Callable[[Any], Any]]] = field(default_factory=dict)
    #: a required value waived by another column of the row: {"pesel": "no_pesel"} (a
    #: foreigner marked "Brak PESEL" has none)
    required_unless: dict[str, str] = field(default_factory=dict)
    #: folded word stems a sheet name or title uses for this kind ("kontrakt"): they
    #: decide between kinds whose headers fit equally well
    words: tuple[str, ...] = ()
    #: what ``[arkusze]`` in projekt.toml may call this kind, the Polish name first
    names: tuple[str, ...] = ()
    #: the plan and the execution of a budget kind's lines (the report's chart)
    plan_and_spent: Callable[[list[Any]], tuple[Decimal, Decimal]] | None = None
    #: kinds that are layouts of one workbook share a family (attendance long and grid)
    family_name: str | None = None

    @property
    def family(self) -> str:
        return self.family_name or self.name

    @cached_property
    def fields(self) -> dict[str, FieldSpec]:
        return fields_of(self.model)

    def prepare(self) -> None:
        """Build now what the first sheet read would build (the fields from the type
        hints, the header aliases, the fields made per record: 2-3 ms for all kinds): a worker
        does it while calamine, without the interpreter, still parses its file."""
        for name in ("fields", "aliases", "factories"):
            getattr(self, name)

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Normalised header text -> field name."""
        index: dict[str, str] = {}
        for spec in self.fields.values():
            for text in (spec.column.header, *spec.column.aliases):
                index.setdefault(normalise_header(text), spec.name)
        return index

    def build_columns(self, columns: dict[str, list[Any]], count: int) -> list[Any]:
        """``count`` records from their values column by column: ``columns`` holds
        ``row`` and any of the model's fields, each a list of ``count`` values (None:
        the field's default). What ``model(**values)`` makes of each row, plus the
        ``derived`` fields; a test proves it for every kind (tests/test_records.py).

        Each record is made without the dataclass ``__init__`` (it assigned all 57
        fields of a participant one by one, 2.4 µs a row, though a list fills a
        dozen), and each column set on all records by one ``map`` in C; the derived
        fields likewise, a column at a time (each record's ``__post_init__`` took 1.4
        µs a row)."""
        model = self.model
        records = list(map(object.__new__, itertools.repeat(model, count)))
        for name, values in columns.items():
            any(map(setattr, records, itertools.repeat(name), values))
        for name, factory in self.factories:
            if name not in columns:
                for record in records:
                    setattr(record, name, factory())
        for name, (source, derive) in self.derived.items():
            if source in columns:
                any(map(setattr, records, itertools.repeat(name),
                        [derive(value) if value else None for value in columns[source]]))
        return records

    @cached_property
    def factories(self) -> list[tuple[str, Callable[[], Any]]]:
        """The fields whose default is made for each record (a pattern field's dict)."""
        return [(f.name, f.default_factory) for f in dataclasses.fields(self.model)
                if f.default_factory is not dataclasses.MISSING]

    def match_header(self, text: Any) -> str | None:
        """The field a header cell names, if any."""
        if not isinstance(text, str) or not text.strip():
            return None
        return self._field_of(normalise_header(text))

    def _field_of(self, key: str) -> str | None:
        """The field a normalised header names, as written or without what it explains
        in parentheses ("plec (k/m)")."""
        found = self.aliases.get(key)
        return found if found is not None else self.aliases.get(strip_parentheses(key))

    def match_keys(self, keys: dict[str, str]) -> tuple[dict[str, str], set[str]]:
        """What :meth:`match_header` and :meth:`match_computed` say of texts already
        normalised (text -> ``normalise_header(text)``, blank texts left out): the fields
        they name, and the computed columns. Finding a header asks every kind about the
        same few hundred head cells; normalised once for all kinds, each answer is a
        dictionary lookup (3-4 ms of a list's header, cell by cell and kind by kind)."""
        named = {text: found for text, key in keys.items()
                 if (found := self._field_of(key)) is not None}
        computed = self.computed_headers
        return named, {text for text, key in keys.items() if key in computed}

    @cached_property
    def computed_headers(self) -> frozenset[str]:
        return frozenset(normalise_header(c.header) for c in self.computed)

    def match_computed(self, text: Any) -> bool:
        """Whether a header cell is one of the kind's computed columns: a sheet that
        already carries them (a template, a filled workbook) is surely of this kind."""
        return isinstance(text, str) and normalise_header(text) in self.computed_headers

    def match_pattern(self, text: Any) -> tuple[str, str] | None:
        """(field, label) when a header cell matches one of the kind's patterns."""
        if not self.patterns or text is None or text == "":
            return None
        for name, (match, _parse) in self.patterns.items():
            label = match(text)
            if label:
                return name, label
        return None

    def match_group(self, group: str, sub: str) -> str | None:
        """The field a sub-header names under its group title, if any."""
        short = normalise_header(sub)
        if not any(short in subs for _words, subs in self.grouped):
            return None  # the usual cell: its group title is not even looked at
        title = normalise_header(group)
        for words, subs in self.grouped:
            if short in subs and any(word in title for word in words):
                return subs[short]
        return None

    def missing_required(self, present: set[str]) -> list[str]:
        """Headers of the required columns absent from ``present`` (best alternative)."""
        best: list[str] | None = None
        for group in self.required:
            missing = [self.fields[f].column.header for f in group if f not in present]
            if best is None or len(missing) < len(best):
                best = missing
        return best or []

    def header_of(self, name: str) -> str:
        return self.fields[name].column.header

