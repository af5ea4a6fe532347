"""Records are built without validation; pydantic, in strict mode, proves it safe.

Kind.build_columns makes records column by column without the dataclass ``__init__``;
here every record built while parsing is also compared with ``model(**values)``.

``parse_records`` builds each record straight from its parsed values (validating every
row again was a third of reading a list). That is sound only while every field's parser
returns exactly the field's type: a ``Decimal`` field never gets an ``int``, a date
field never a ``datetime``, a pattern field's dict only its declared values. Here
pydantic checks every record and totals row of every kind, from fuzzed sheets of every
value a workbook cell can hold, in strict mode (no coercion), so a parser that strays
fails this test instead of a check downstream.
"""

import dataclasses
import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ConfigDict, ValidationError
from pydantic.dataclasses import dataclass as pydantic_dataclass

from tests.test_fuzz import values, workbook_rows
from workbook_tools.kinds import KINDS
from workbook_tools.rawsheet import RawSheet
from workbook_tools.table import build_table, find_header, parse_records, parse_totals

EXAMPLES = int(os.environ.get("WORKBOOK_TOOLS_FUZZ", "40"))

#: what python-calamine hands over besides the fuzz test's values: date-times and
#: times (a date cell with a time part, a time cell), whole floats
cells = st.one_of(values, st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)),
                  st.times(), st.integers(0, 10_000).map(float))


def strict(model: type) -> type:
    """The record's dataclass as a strict pydantic dataclass (the record type itself
    is left untouched)."""
    return pydantic_dataclass(model, config=ConfigDict(strict=True))


STRICT = {name: strict(kind.model) for name, kind in KINDS.items()}


def field_values(record: object, *, init_only: bool = False) -> dict[str, object]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)
            if f.init or not init_only}


def assert_typed(kind_name: str, record: object) -> None:
    values = field_values(record, init_only=True)
    try:
        STRICT[kind_name](**values)
    except ValidationError as error:
        raise AssertionError(f"{kind_name}: {error}") from None


def _compared(kind):
    """Kind.build_columns that also builds each record through the dataclass
    ``__init__`` (and its derived fields from their sources) and asserts both are the
    same."""
    real = kind.build_columns

    def build_columns(columns, count):
        records = real(columns, count)
        assert len(records) == count
        for at, record in enumerate(records):
            expected = kind.model(**{name: values[at] for name, values in columns.items()})
            for name, (source, derive) in kind.derived.items():
                if getattr(expected, source):
                    setattr(expected, name, derive(getattr(expected, source)))
            # records compare by identity (a row is not equal to another row with the
            # same values): compared here field by field
            assert type(record) is type(expected), (record, expected)
            assert field_values(record) == field_values(expected)
        return records

    return build_columns


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_every_record_has_its_fields_types(kind_name, monkeypatch):
    kind = KINDS[kind_name]
    monkeypatch.setitem(kind.__dict__, "build_columns", _compared(kind))
    checked = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=workbook_rows(kind_name), extra=st.lists(st.lists(cells, max_size=14),
                                                          max_size=6))
    def run(rows, extra):
        rows = rows + extra
        raw = RawSheet("Arkusz", rows, 1, 1, True)
        header = find_header(raw, [kind], kind, None)
        if header is None:
            return
        table = build_table("f.xlsx", raw, header)
        records, _issues = parse_records(table)
        for record in records:
            assert_typed(kind_name, record)
        checked.extend(records)
        totals, _issues = parse_totals(table)
        if totals is not None:
            assert_typed(kind_name, totals)

    run()
    assert len(checked) > EXAMPLES, "the fuzzed sheets must yield records to check"


def test_a_stray_type_is_caught():
    """The check can fail: a money field holding an int, a date field a datetime."""
    payment = KINDS["payments"]
    money = next(n for n, s in payment.fields.items() if s.base.__name__ == "Decimal")
    with pytest.raises(AssertionError, match=money):
        assert_typed("payments", payment.model(row=2, **{money: 5}))
    participants = KINDS["participants"]
    with pytest.raises(AssertionError, match="birth_date"):
        assert_typed("participants",
                     participants.model(row=2, birth_date=dt.datetime(2000, 1, 1, 8)))


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_only_row_has_no_default(kind_name):
    """Kind.build_columns leaves a field the sheet lacks to the class's default: every
    field but ``row`` (always given) must have one; no record may use slots, nor have a
    ``__post_init__`` (never run: what a record derives is ``Kind.derived``)."""
    model = KINDS[kind_name].model
    bare = [f.name for f in dataclasses.fields(model)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    assert bare == ["row"]
    assert not hasattr(model, "__slots__")
    assert not hasattr(model, "__post_init__")
