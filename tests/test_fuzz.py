"""Fuzzing: random layouts, types and values in every column of every kind.

Whatever a workbook holds, validation must finish with located issues and exit code 0 or
1: no exception, no "program error" (F005). CI runs a short profile; the long one runs on
demand: ``WORKBOOK_TOOLS_FUZZ=10000 pytest tests/test_fuzz.py`` (examples per kind).
"""

import datetime as dt
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from workbook_tools.engine import validate_paths
from workbook_tools.kinds import KINDS
from workbook_tools.rules import RULES
from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

EXAMPLES = int(os.environ.get("WORKBOOK_TOOLS_FUZZ", "12"))
CELL = re.compile(r"[A-Z]{1,3}[1-9][0-9]*")

text = st.text(alphabet="aąbcćdeęfghijklłmnńoóprsśtuwyzźż AĄĆĘŁŃÓŚŹŻ0123456789-.,:/=+@%'\"",
               max_size=30)
pesels = st.builds(lambda d, s, i: make_pesel(d, s, i),
                   st.dates(dt.date(1901, 1, 1), dt.date(2099, 12, 31)),
                   st.sampled_from(list(Sex)), st.integers(0, 999))
values = st.one_of(
    st.none(), text, pesels, pesels.map(int),
    st.integers(-10 ** 12, 10 ** 12), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.sampled_from(["tak", "nie", "K", "M", "x", "nb", "u", "ob", "1 234,50 zł", "12,505",
                     "31.02.2009", "2009-13-01", "Razem", "Sporządził", "#DIV/0!",
                     "zasiłek celowy", "KIS", "PAL", "bezrobotny", "wyższe", "KS/1/2009",
                     "=SUM(A1:A3)", "", " ", "\u00a0"]),
)


def header_variants(kind_name: str) -> st.SearchStrategy[list[str]]:
    kind = KINDS[kind_name]
    names = [text for spec in kind.fields.values()
             for text in (spec.column.header, *spec.column.aliases)]
    names += [c.header for c in kind.computed]
    if kind_name == "attendance_grid":
        names += ["02.03.2009", "09.03.2009", "16.03.2009 r.", "Liczba godzin"]
    if kind_name == "budget":
        names += ["Wykonanie I półrocze 2009", "Wykonanie 2010"]
    cased = st.sampled_from(names).flatmap(lambda h: st.sampled_from(
        [h, h.upper(), h.lower() + ":", f" {h} ", h.replace(" ", "\n")]))
    return st.lists(st.one_of(cased, text), min_size=1, max_size=12)


@st.composite
def workbook_rows(draw, kind_name: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for _ in range(draw(st.integers(0, 3))):  # title rows
        rows.append([draw(text)])
    header = draw(header_variants(kind_name))
    rows.append(list(header))
    if draw(st.booleans()):  # a second header row under the first
        rows.append([draw(st.one_of(st.none(), text)) for _ in header])
    for _ in range(draw(st.integers(0, 15))):
        rows.append([draw(values) for _ in range(len(header) + draw(st.integers(-2, 2)))])
    return rows


def _save(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([v.replace("\x00", "") if isinstance(v, str) else v for v in row])
    book.save(path)


def _check(path):
    result = validate_paths([path])
    assert result.exit_code in (0, 1), [i.code for i in result.issues]
    for issue in result.issues:
        assert issue.code in RULES and issue.code != "F005"
        assert issue.cell is None or CELL.fullmatch(issue.cell), issue
        if issue.cell is not None:
            assert issue.sheet is not None and issue.row is not None
            assert issue.cell.endswith(str(issue.row)), issue
        issue.message()
        issue.message("en")


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_fuzz(kind_name, tmp_path_factory):
    """Every kind, the ones added later included, without editing this test."""

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=workbook_rows(kind_name))
    def run(rows):
        path = tmp_path_factory.mktemp("fuzz") / "f.xlsx"
        _save(path, rows)
        _check(path)

    run()


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_a_read_ahead_gives_the_same_issues(kind_name, tmp_path_factory):
    """The fast path of a run (the worker's first workbook read ahead in a thread, the
    records built into their __dict__) and the plain one (read where asked for) give the
    same issues on the fuzz corpus."""
    from workbook_tools import batch, read
    from workbook_tools.engine import validate_project

    compared = []

    @settings(max_examples=max(3, EXAMPLES // 3), deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(rows=workbook_rows(kind_name))
    def run(rows):
        path = tmp_path_factory.mktemp("ahead") / "f.xlsx"
        _save(path, rows)
        plain = validate_project(path.parent, [path])
        ahead = batch.check_project(path.parent, [path], None, None, failed={},
                                    on_file=lambda _path: None)
        assert read._AHEAD == {}
        assert [(i.code, i.cell, i.message()) for i in ahead.all_issues] == \
            [(i.code, i.cell, i.message()) for i in plain.all_issues]
        compared.extend(plain.all_issues)

    run()
    assert compared, "the fuzzed sheets must give issues to compare"
