"""The usual head (up to NORMALISED_KEPT cells) is matched the fast way: its texts
normalised once for all kinds, each kind's answer a dictionary lookup, and a row
without a known header tried only where it may be a group title or carries a computed
column. The way every head was matched before — cell by cell, kind by kind, every row
with text tried as a group title — is still the way of a head too wide to keep its
texts (``_matched_in_chunks``); with NORMALISED_KEPT at 0 every head goes that way, and
it is the reference here: the same header, to the last field, from fuzzed heads of
every kind and from grouped participant heads.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fuzz import workbook_rows
from workbook_tools import table
from workbook_tools.kinds import KINDS
from workbook_tools.rawsheet import RawSheet
from workbook_tools.table import Header, find_header

EXAMPLES = int(os.environ.get("WORKBOOK_TOOLS_FUZZ", "40"))


def described(header: Header | None) -> Any:
    if header is None:
        return None
    runner_up = header.runner_up and (header.runner_up[0].name, header.runner_up[1])
    return (header.kind.name, header.first, header.last, header.columns, header.texts,
            header.extra, header.duplicates, header.patterns, header.computed,
            header.ignored, header.used, header.empty, runner_up, header.by_name)


def both_ways(rows: list[list[Any]], monkeypatch: pytest.MonkeyPatch,
              forced: str | None = None) -> tuple[Any, Any]:
    kind = KINDS[forced] if forced else None
    fast = find_header(RawSheet("Arkusz", rows, 0, 0, True), KINDS.values(), kind)
    with monkeypatch.context() as patched:
        patched.setattr(table, "NORMALISED_KEPT", 0)
        plain = find_header(RawSheet("Arkusz", rows, 0, 0, True), KINDS.values(), kind)
    return described(fast), described(plain)


#: group titles, sub-headers and computed headers, for heads of two and three rows
pieces = st.sampled_from([
    "Udział w projekcie", "Okres uczestnictwa", "od", "do", "Data od", "data do",
    "Imię", "Nazwisko", "PESEL", "Lp.", "Płeć", "Forma wsparcia", "Uwagi", "",
    None, "Wiek w dniu rozpoczęcia udziału", "Płeć z PESEL", "Data urodzenia z PESEL",
    "Kwota", "Nr kontraktu", "Data wypłaty", "Anna", "Nowak", 12.0])


#: what stands over a header row: nothing, a group title, a note, a computed header
over = st.sampled_from([None, None, "", "Udział w projekcie", "Okres uczestnictwa",
                        "Uwagi", "Status uczestnictwa", "Lista uczestników"])


@st.composite
def grouped_heads(draw: Any) -> list[list[Any]]:
    width = draw(st.integers(3, 10))
    rows = [[draw(over) for _ in range(width)] for _ in range(draw(st.integers(0, 2)))]
    rows += [[draw(pieces) for _ in range(width)] for _ in range(draw(st.integers(1, 2)))]
    rows += [[draw(st.sampled_from(["Anna", "Nowak", "44051401359", 1.0, None]))
              for _ in range(width)] for _ in range(draw(st.integers(0, 4)))]
    return rows


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_fuzzed_heads_give_the_same_header(kind_name: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    found: list[bool] = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=workbook_rows(kind_name), forced=st.booleans())
    def run(rows: list[list[Any]], forced: bool) -> None:
        fast, plain = both_ways(rows, monkeypatch, kind_name if forced else None)
        assert fast == plain
        found.append(fast is not None)

    run()
    assert any(found), "the fuzzed heads must hold headers"


def test_grouped_heads_give_the_same_header(monkeypatch: pytest.MonkeyPatch) -> None:
    found: list[bool] = []

    @settings(max_examples=EXAMPLES * 5, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(rows=grouped_heads())
    def run(rows: list[list[Any]]) -> None:
        fast, plain = both_ways(rows, monkeypatch)
        assert fast == plain
        found.append(fast is not None and "start" in fast[3])

    run()
    assert any(found), "some heads must be found with a grouped column"


def test_a_group_title_without_known_headers_is_still_found() -> None:
    """The title row holds nothing the aliases know, only the group title; the
    sub-headers and the other headers are one row down."""
    rows = [[None, None, None, None, None, "Udział w projekcie", None],
            ["Lp.", "Nazwisko", "Imię", "PESEL", "Płeć", "od", "do"],
            [1, "Nowak", "Anna", "44051401359", "K", "01.03.2020", "30.06.2020"]]
    header = find_header(RawSheet("Lista", rows, 0, 0, True), KINDS.values())
    assert header is not None and header.kind.name == "participants"
    assert (header.first, header.last) == (0, 1)
    assert (header.columns["start"], header.columns["end"]) == (5, 6)
