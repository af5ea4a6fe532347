"""Layouts from the wild, each written by LibreOffice: central-system exports (PEFS 2007,
SL2014, SM EFS), numbering rows, grouped headers, month-first dates, column mapping,
budget subtotals, hours labels — with the exact issues asserted and the false alarms
they used to raise asserted absent."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from workbook_tools.engine import validate_paths
from workbook_tools.kinds import PARTICIPANTS
from workbook_tools.kinds.attendance import book
from workbook_tools.sample import (
    PARTICIPANT_HEADERS,
    export_rows,
    libreoffice_convert,
    participant_rows,
)

from .conftest import needs_libreoffice, run, write_rows
from .people import ANNA, EWA, JAN


def by_libreoffice(folder: Path, name: str, rows: list[list[Any]], **options: Any) -> Path:
    """The workbook as LibreOffice Calc saves it (xlsx), alone in ``folder``."""
    needs_libreoffice()
    drafts = folder.parent / f"{folder.name}-draft"
    drafts.mkdir(parents=True, exist_ok=True)
    draft = write_rows(drafts / name, rows, **options)
    folder.mkdir(parents=True, exist_ok=True)
    [written] = libreoffice_convert([draft], "xlsx", folder)
    return written


def issues(path: Path) -> list[tuple[str, str | None]]:
    return [(i.code, i.cell) for i in validate_paths([path]).issues]


def explained(path: Path) -> dict[str, Any]:
    result = run("explain", "--format", "json", path)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


# --- a row of column numbers ---------------------------------------------------------

NUMBERED = [
    ["Lista uczestników projektu"], [],
    ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Forma wsparcia",
     "Data rozpoczęcia udziału w projekcie", "Data zakończenia udziału w projekcie",
     "Zakończenie udziału zgodnie ze ścieżką"],
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, "Anna", "Nowak", ANNA, "K", "PAL", dt.date(2009, 3, 2), dt.date(2009, 9, 30), "tak"],
    [2, "Jan", "Kowalski", JAN, "M", "KIS", dt.date(2009, 3, 2), dt.date(2009, 9, 30), "tak"],
]


def test_a_numbering_row_under_the_header_is_not_a_participant(tmp_path):
    path = by_libreoffice(tmp_path / "lista", "lista.xlsx", NUMBERED)
    assert issues(path) == []  # it was nine false errors
    [sheet] = explained(path)["files"][0]["sheets"]
    assert sheet["layout"]["skipped"] == [{"row": 4, "why": "numbering"}]
    assert (sheet["layout"]["first_row"], sheet["layout"]["records"]) == (5, 2)
    result = run("validate", "--summary", tmp_path / "lista")
    assert "│ 10 " not in result.output  # no support form called "10"
    run("fill", path)
    filled = load_workbook(path.with_name("lista.uzupelniony.xlsx")).active
    assert [c.value for c in filled[4]][9:] == [None] * (filled.max_column - 9)


# --- grouped headers -----------------------------------------------------------------

def test_od_do_under_a_participation_group_are_the_dates(tmp_path):
    path = by_libreoffice(tmp_path / "grupy", "lista.xlsx", [
        ["Lp.", "Imię", "Nazwisko", "PESEL", "Udział w projekcie", None],
        [None, None, None, None, "od", "do"],
        [1, "Anna", "Nowak", ANNA, dt.date(2009, 3, 2), dt.date(2009, 9, 30)],
        [2, "Jan", "Kowalski", JAN, dt.date(2009, 10, 2), dt.date(2009, 9, 30)],
        [3, "Ewa", "Zając", EWA, dt.date(2009, 3, 5), dt.date(2009, 6, 30)],
    ], merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:F1"])
    # a participant list, not an attendance grid: no "unknown mark" on every date
    assert issues(path) == [("P006", "F4")]
    [sheet] = explained(path)["files"][0]["sheets"]
    columns = {c["cell"]: (c["header"], c["field"]) for c in sheet["layout"]["columns"]}
    assert columns["E2"] == ("Udział w projekcie / od", "Data rozpoczęcia udziału w projekcie")
    assert columns["F2"] == ("Udział w projekcie / do", "Data zakończenia udziału w projekcie")


# --- month-first dates ---------------------------------------------------------------

def _dates(path: Path) -> list[dt.date]:
    [sheet] = validate_paths([path]).projects[0].data.of_kind(PARTICIPANTS)
    return [r.start for r in sheet.records]


def dated(folder: Path, first: str, second: str) -> Path:
    return by_libreoffice(folder, "lista.xlsx", [
        ["Imię", "Nazwisko", "PESEL", "Data rozpoczęcia udziału w projekcie"],
        ["Anna", "Nowak", ANNA, first], ["Jan", "Kowalski", JAN, second]])


@pytest.mark.parametrize(("first", "second", "said", "read"), [
    # a second part over 12: the column is month first, read so and said (info)
    ("2/4/2009", "3/25/2009", [("V010", "D3")], [(2009, 2, 4), (2009, 3, 25)]),
    # a first part over 12: the Polish order, nothing to say
    ("25/3/2009", "2/4/2009", [], [(2009, 3, 25), (2009, 4, 2)]),
    # both orders in one column: each value its one reading, and a warning
    ("25/3/2009", "3/26/2009", [("V011", "D2")], [(2009, 3, 25), (2009, 3, 26)]),
])
def test_text_dates_are_read_in_the_order_their_column_shows(tmp_path, first, second, said,
                                                             read):
    path = dated(tmp_path / "daty", first, second)
    assert issues(path) == said
    assert _dates(path) == [dt.date(*day) for day in read]


def test_an_undecided_column_is_read_the_polish_way_with_a_warning(tmp_path):
    path = dated(tmp_path / "dm", "2/4/2009", "3/5/2009")
    found = validate_paths([path]).issues
    assert [(i.code, i.cell) for i in found] == [("V011", "D2")]
    assert 'kolejnosc_dat = "miesiac-dzien"' in found[0].message()
    assert _dates(path) == [dt.date(2009, 4, 2), dt.date(2009, 5, 3)]
    (path.parent / "projekt.toml").write_text('kolejnosc_dat = "miesiac-dzien"\n')
    assert issues(path) == []
    assert _dates(path) == [dt.date(2009, 2, 4), dt.date(2009, 3, 5)]


# --- column mapping --------------------------------------------------------------------

MAPPED = [["Imię", "Nazwisko", "Identyfikator osoby", "Uwagi opiekuna", "Start"],
          ["Anna", "Nowak", ANNA, "=1+1", dt.date(2009, 3, 2)],
          ["Jan", "Kowalski", "12345678901", "x", "bzdura"]]


def test_projekt_toml_names_columns_by_header_and_by_letter(tmp_path):
    path = by_libreoffice(tmp_path / "mapa", "lista.xlsx", MAPPED)
    (path.parent / "projekt.toml").write_text(
        '[kolumny."lista.xlsx:Lista"]\n"Identyfikator osoby" = "PESEL"\n'
        '"E" = "Data rozpoczęcia udziału w projekcie"\n"Uwagi opiekuna" = "pomiń"\n',
        encoding="utf-8")
    assert issues(path) == [("P001", "C3"), ("V001", "E3")]
    [sheet] = explained(path)["files"][0]["sheets"]
    how = {c["cell"]: c["how"] for c in sheet["layout"]["columns"]}
    assert how == {"A1": "field", "B1": "field", "C1": "mapped", "D1": "ignored",
                   "E1": "mapped"}


def test_a_mapping_key_that_names_no_column_is_f004_naming_it(tmp_path):
    path = by_libreoffice(tmp_path / "mapa", "lista.xlsx", MAPPED)
    (path.parent / "projekt.toml").write_text(
        '[kolumny."lista.xlsx"]\n"Identyfikator osoby" = "PESEL"\n"Nr ewid." = "Lp."\n',
        encoding="utf-8")
    result = validate_paths([path])
    [f004] = [i for i in result.issues if i.code == "F004"]
    assert 'kolumny."lista.xlsx"."Nr ewid."' in f004.message()
    assert result.exit_code == 2


def test_a_mapping_to_an_unknown_field_is_f004_naming_the_key(tmp_path):
    path = by_libreoffice(tmp_path / "mapa", "lista.xlsx", MAPPED)
    (path.parent / "projekt.toml").write_text(
        '[kolumny."*"]\n"Start" = "Data urodzin"\n', encoding="utf-8")
    [f004] = validate_paths([path]).issues
    assert f004.code == "F004"
    assert 'kolumny."*"."Start": nieznane pole „Data urodzin”' in str(f004.params["detail"])


# --- kind decisions ------------------------------------------------------------------

def test_conflicting_headers_are_decided_by_the_sheet_name_or_said(tmp_path):
    rows = [["Nazwisko i imię", "PESEL", "Forma wsparcia", "Nr kontraktu socjalnego",
             "Kwota przyznana"],
            ["Nowak Anna", ANNA, "PAL", "KS/1/2009", 500]]
    neutral = by_libreoffice(tmp_path / "neutralny", "dane.xlsx", rows, sheet="Arkusz1")
    found = validate_paths([neutral]).issues
    assert [i.code for i in found] == ["S007"]
    assert '[arkusze] "dane.xlsx:Arkusz1" =' in found[0].message()
    named = by_libreoffice(tmp_path / "nazwany", "dane.xlsx", rows, sheet="Kontrakty")
    assert validate_paths([named]).files[0].info[0].kind == "contracts"
    assert "S007" not in [i.code for i in validate_paths([named]).issues]


# --- central-system exports --------------------------------------------------------------

PEOPLE = participant_rows({"PAL": 6, "KIS": 5}, dt.date(2016, 3, 1), dt.date(2017, 12, 31),
                          seed=3)


def export(tmp_path: Path, layout: str, change=None) -> Path:
    headers, rows = export_rows(layout, PEOPLE)
    if change is not None:
        change(headers, rows)
    return by_libreoffice(tmp_path / layout, "eksport.xlsx", [list(headers), *rows],
                          sheet="Uczestnicy")


@pytest.mark.parametrize("layout", ["pefs2007", "sl2014", "smefs"])
def test_a_clean_export_of_each_central_system_passes(tmp_path, layout):
    path = export(tmp_path, layout)
    assert issues(path) == []
    [sheet] = validate_paths([path]).projects[0].data.of_kind(PARTICIPANTS)
    first = sheet.records[0]
    assert first.start == PEOPLE[0]["Data rozpoczęcia udziału w projekcie"]
    assert first.education == PEOPLE[0]["Wykształcenie"]  # read through its ISCED level
    assert first.labour_status == PEOPLE[0]["Status na rynku pracy"]


def test_sl2014_binds_the_individual_block_not_the_empty_institution_block(tmp_path):
    path = export(tmp_path, "sl2014")
    [sheet] = explained(path)["files"][0]["sheets"]
    fields = {c["field"]: c["cell"] for c in sheet["layout"]["columns"] if c["field"]}
    # the institution block (B..S) repeats these names; the person's are further right
    assert fields["Data rozpoczęcia udziału w projekcie"] == "AO1"
    assert fields["Kraj"] == "T1"
    assert fields["Obszar wg stopnia urbanizacji (DEGURBA)"] == "AL1"


def test_sl2014_foreigners_refusals_and_closed_lists(tmp_path):
    def plant(headers, rows):
        column = {h: i for i, h in enumerate(headers) if i >= 19}  # the person's block
        rows[0][column["PESEL"]] = None  # a foreigner: no PESEL, and none required
        rows[0][column["Brak PESEL"]] = "Tak"
        rows[0][column["Kraj"]] = "Ukraina"
        rows[1][column["Brak PESEL"]] = "Tak"  # but a PESEL is there
        rows[2][column["PESEL"]] = None
        rows[2][column["Brak PESEL"]] = "Tak"  # and the country is Poland
        rows[3][column["Obszar wg stopnia urbanizacji (DEGURBA)"]] = "4"
        rows[4][column["Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"]] = (
            "Może")
        rows[5][column["Osoba z niepełnosprawnościami"]] = "Odmowa podania informacji"
        rows[6][column["Status osoby na rynku pracy w chwili przystąpienia do projektu"]] = (
            "Osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy; w tym osoba "
            "długotrwale bezrobotna")

    path = export(tmp_path, "sl2014", plant)
    assert issues(path) == [("P013", "Z3"), ("P013", "T4"), ("V006", "AL5"),
                            ("V006", "BD6")]
    [sheet] = validate_paths([path]).projects[0].data.of_kind(PARTICIPANTS)
    assert sheet.records[6].labour_status == "długotrwale bezrobotny"
    assert sheet.records[5].disability is None  # refused: no answer, not a mistake


def test_pefs2007_age_wording_is_the_age_column_so_fill_adds_none(tmp_path):
    path = export(tmp_path, "pefs2007")
    run("fill", path)
    header = [c.value for c in load_workbook(path.with_name("eksport.uzupelniony.xlsx"))
              .active[1]]
    assert sum(1 for h in header if h and str(h).lower().startswith("wiek")) == 1


# --- attendance: hours rows and titles ---------------------------------------------------

@pytest.mark.parametrize("label", ["Ilość godzin", "Liczba godz.", "Wymiar zajęć", "Czas"])
def test_hours_rows_under_common_labels_and_plan_hours_in_the_title(tmp_path, label):
    days = [dt.date(2009, 3, 2) + dt.timedelta(days=7 * n) for n in range(5)]
    path = by_libreoffice(tmp_path / "siatka", "obecnosc.xlsx", [
        ["Lista obecności — Trening kompetencji społecznych (40 godz.)"],
        ["Lp.", "Nazwisko i imię", "PESEL", *days],
        [None, label, None, 4, 4, 4, 4, 4],
        [1, "Nowak Anna", ANNA, "x", "x", "x", "x", "x"],
        [2, "Kowalski Jan", JAN, "x", "nb", "x", "nb", "x"],
    ])
    result = validate_paths([path])
    progress = book(result.projects[0].data).progress
    assert {p.planned for p in progress.values()} == {Decimal(40)}
    assert sorted(p.attended for p in progress.values()) == [Decimal(12), Decimal(20)]


# --- budget: subtotals, text amounts, corrections ----------------------------------------

BUDGET_HEADER = ["Zadanie", "Kategoria kosztu", "Ogółem", "Dofinansowanie EFS", "Wkład własny",
                 "Plan", "Wykonanie"]


def test_each_subtotal_is_checked_against_its_own_lines(tmp_path):
    path = by_libreoffice(tmp_path / "budzet", "budzet.xlsx", [
        ["Budżet projektu"], [], BUDGET_HEADER,
        ["Zadanie 1", "KIS", 100, 100, 0, 100, 90],
        ["Zadanie 1", "PAL", 50, 50, 0, 50, 50],
        ["Razem zadanie 1", None, 160, 160, 0, 150, 140],  # 150 150 0 150 140
        ["Zadanie 2", "Kursy", 200, 180, 20, 200, 200],
        ["Korekta", "Zwrot niewykorzystanej zaliczki", -20, -20, 0, -20, -15],
        ["Razem zadanie 2", None, 180, 160, 20, 170, 185],  # 180 160 20 180 185
        ["Razem", None, 340, 320, 20, 320, 325],  # = the subtotals: said by B013 only
    ], sheet="Budżet")
    found = validate_paths([path]).issues
    assert [(i.code, i.cell) for i in found] == [
        ("B013", "C6"), ("B013", "D6"), ("B013", "F9")]
    assert found[0].message() == ("Suma częściowa w kolumnie „Ogółem”: 160,00 zł, a wiersze "
                                  "4–5 dają 150,00 zł; różnica 10,00 zł.")


def test_a_grand_total_that_matches_neither_is_b002(tmp_path):
    path = by_libreoffice(tmp_path / "budzet", "budzet.xlsx", [
        BUDGET_HEADER,
        ["Zadanie 1", "KIS", 100, 100, 0, 100, 90],
        ["Razem zadanie 1", None, 100, 100, 0, 100, 90],
        ["Zadanie 2", "Kursy", 200, 180, 20, 200, 200],
        ["Razem zadanie 2", None, 200, 180, 20, 200, 200],
        ["Razem", None, 310, 280, 20, 300, 290],
    ], sheet="Budżet")
    assert issues(path) == [("B002", "C6")]


# --- any template layout, with rows staff add ---------------------------------------------

def _write(path: Path, header: list[str], rows: list[list[Any]], *, titles: int,
           numbering: bool, group: bool) -> int:
    """The rows under a header, with extra title rows, a group-title row over the header
    and a numbering row under it; returns the sheet row of the first data row."""
    book_ = Workbook()
    sheet = book_.active
    for number in range(titles):
        sheet.append([f"Tytuł {number + 1}: lista uczestników"])
    if group:
        sheet.append(["Dane uczestnika", *([None] * (len(header) - 1))])
    sheet.append(header)
    if numbering:
        sheet.append(list(range(1, len(header) + 1)))
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    book_.save(path)
    return first


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(titles=st.integers(0, 4), numbering=st.booleans(), group=st.booleans(),
       seed=st.integers(0, 10_000))
def test_extra_title_numbering_and_group_rows_give_the_same_issues(
        tmp_path_factory, titles, numbering, group, seed):
    people = participant_rows({"PAL": 4, "KIS": 3}, dt.date(2009, 3, 1),
                              dt.date(2009, 12, 31), seed=seed)
    header = list(PARTICIPANT_HEADERS)
    rows = [[p.get(h) for h in header] for p in people]
    rows[1][header.index("PESEL")] = "12345678901"
    rows[2][header.index("Kod pocztowy")] = "11200"
    rows[3][header.index("Data zakończenia udziału w projekcie")] = dt.date(2009, 1, 5)
    folder = tmp_path_factory.mktemp("uklad")
    plain = _write(folder / "prosty.xlsx", header, rows, titles=0, numbering=False,
                   group=False)
    other = _write(folder / "inny.xlsx", header, rows, titles=titles, numbering=numbering,
                   group=group)

    def relative(name: str, first: int) -> list[tuple[str, str | None]]:
        found = validate_paths([folder / name]).issues
        return [(i.code, None if i.row is None else f"{i.cell[:-len(str(i.row))]}"
                 f"{i.row - first}") for i in found if i.file.endswith(name)]

    expected = relative("prosty.xlsx", plain)
    assert {code for code, _ in expected} >= {"P001", "P006", "P009"}
    assert relative("inny.xlsx", other) == expected
