"""Socially useful work (PSU): the register in both layouts, the dated limits and rates,
and the reconciliation with the budget and the payments sheet. Project files are written
by LibreOffice, as staff's own workbooks are."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.engine import validate_paths
from workbook_tools.kinds.psu import TERMS, pay
from workbook_tools.sample import libreoffice_convert
from workbook_tools.values import ValueProblem, parse_month

from .conftest import needs_libreoffice, run, write_rows
from .people import ANNA, EWA, JAN

PARTICIPANTS = [
    ["Lista uczestników projektu"], [],
    ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Forma wsparcia",
     "Data rozpoczęcia udziału w projekcie", "Data zakończenia udziału w projekcie"],
    [1, "Anna", "Nowak", ANNA, "K", "PAL", dt.date(2019, 2, 1), dt.date(2019, 11, 30)],
    [2, "Jan", "Kowalski", JAN, "M", "PAL", dt.date(2019, 2, 1), dt.date(2019, 5, 31)],
]

#: One row per person and month, the month written the ways registers write it.
MONTHLY = [
    ["Ewidencja prac społecznie użytecznych — 2019"], [],
    ["Lp.", "Nazwisko i imię", "PESEL", "Miesiąc", "Liczba godzin", "Stawka za godzinę",
     "Kwota świadczenia", "Nr porozumienia"],
    [1, "Nowak Anna", ANNA, "marzec 2019", 40, 8.10, 324.00, "PSU/1/2019"],
    [2, "Nowak Anna", ANNA, "04.2019", 44, 8.10, 356.40, "PSU/1/2019"],  # U002 E5
    [3, "Kowalski Jan", JAN, "2019-03", 30, 7.50, 225.00, "PSU/1/2019"],  # U003 F6
    [4, "Kowalski Jan", JAN, "kwiecień 2019", 30, 8.10, 240.00, "PSU/1/2019"],  # U004 G7
    [5, "Kowalski Jan", JAN, "lipiec 2019", 10, 8.10, 81.00, "PSU/1/2019"],  # U007 E8
    [6, "Nowak Anna", ANNA, dt.date(2019, 3, 1), 5, 8.10, 40.50, "PSU/1/2019"],  # U008+U002 E9
    [7, "Wiśniewska Ewa", EWA, "V 2019", 10, 8.10, 81.00, "PSU/1/2019"],  # U006 C10
    [8, "Nowak Anna", ANNA, "maj 19", 10, 8.10, 81.00, "PSU/1/2019"],  # V012 D11
]

JUNE = [dt.date(2019, 6, day) for day in (3, 4, 5, 6, 7, 9, 10)]
#: One row per person, one column per day worked; a totals row under the people.
CARD = [
    ["Karta ewidencji czasu prac społecznie użytecznych — czerwiec 2019"], [],
    ["Lp.", "Nazwisko i imię", "PESEL", *JUNE, "Stawka za godzinę", "Kwota świadczenia"],
    # 3–7 June: 2+2+2+2+3 = 11 h > 10 (U001 at 7 June, H4); 9 June is Sunday and
    # Zielone Świątki (U005, I4)
    [1, "Nowak Anna", ANNA, 2, 2, 2, 2, 3, 4, 2, 8.10, 137.70],
    [2, "Kowalski Jan", JAN, None, None, None, None, None, None, None, 8.10, None],
    ["Razem", None, None, 2, 2, 2, 2, 3, 4, 2, None, 137.70],
]

BUDGET = [
    ["Budżet projektu"], [],
    ["Zadanie", "Kategoria kosztu", "Ogółem", "Dofinansowanie EFS", "Wkład własny",
     "Źródło wkładu własnego"],
    ["1", "Szkolenia zawodowe", 10000, 10000, 0, None],
    ["2", "Świadczenia za prace społecznie użyteczne", 1500, 0, 1500, "PSU"],
    ["Razem", None, 11500, 10000, 1500, None],
]

CONTRACTS = [
    ["Nr kontraktu socjalnego", "Nazwisko i imię", "PESEL", "Data zawarcia", "Obowiązuje od",
     "Obowiązuje do", "Kwota przyznana"],
    ["KS/1/2019", "Nowak Anna", ANNA, dt.date(2019, 2, 1), dt.date(2019, 2, 1),
     dt.date(2019, 11, 30), 5000],
]
PAYMENTS = [
    ["Nr kontraktu socjalnego", "Data wypłaty", "Kwota wypłaty", "Rodzaj świadczenia"],
    ["KS/1/2019", dt.date(2019, 4, 10), 364.50, "PSU"],
    ["KS/1/2019", dt.date(2019, 5, 10), 356.40, "PSU"],
    ["KS/1/2019", dt.date(2019, 5, 20), 200.00, "zasiłek celowy"],
]


def project(folder: Path, files: dict[str, tuple[str, list[list[Any]]]],
            extra: dict[str, dict[str, list[list[Any]]]] | None = None,
            settings: str = "") -> Path:
    """A project folder whose workbooks LibreOffice Calc wrote."""
    needs_libreoffice()
    drafts = folder.parent / f"{folder.name}-drafts"
    drafts.mkdir(parents=True, exist_ok=True)
    written = [write_rows(drafts / name, rows, sheet=sheet,
                          extra_sheets=(extra or {}).get(name))
               for name, (sheet, rows) in files.items()]
    libreoffice_convert(written, "xlsx", folder)
    (folder / "projekt.toml").write_text(
        'nazwa = "PSU"\npoczatek = 2019-01-01\nkoniec = 2019-12-31\n' + settings,
        encoding="utf-8")
    return folder


def found(folder: Path) -> list[tuple[str, str, str | None]]:
    return sorted((i.code, Path(i.file).name, i.cell) for i in validate_paths([folder]).issues)


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project(tmp_path_factory.mktemp("psu") / "projekt", {
        "uczestnicy.xlsx": ("Uczestnicy", PARTICIPANTS),
        "psu.xlsx": ("PSU", MONTHLY),
        "karta-czerwiec.xlsx": ("PSU czerwiec", CARD),
        "budzet.xlsx": ("Budżet", BUDGET),
        "kontrakty.xlsx": ("Kontrakty", CONTRACTS),
    }, extra={"kontrakty.xlsx": {"Wypłaty": PAYMENTS}})


def test_both_layouts_written_by_libreoffice_give_each_planted_mistake_at_its_cell(whole):
    assert found(whole) == sorted([
        ("U002", "psu.xlsx", "E5"),  # April: 44 h > 40
        ("U003", "psu.xlsx", "F6"),  # 7,50 zł < 8,10 zł in March 2019
        ("U004", "psu.xlsx", "G7"),  # 30 × 8,10 = 243,00, not 240,00
        ("U007", "psu.xlsx", "E8"),  # July, Jan took part until 31.05
        ("U008", "psu.xlsx", "E9"),  # Anna's March twice
        ("U002", "psu.xlsx", "E9"),  # ... which makes March 45 h
        ("U006", "psu.xlsx", "C10"),  # Ewa is not a participant
        ("V012", "psu.xlsx", "D11"),  # "maj 19": no year a month can be read with
        ("U001", "karta-czerwiec.xlsx", "H4"),  # 11 h in the week of 3 June
        ("U005", "karta-czerwiec.xlsx", "I4"),  # Sunday 9 June 2019, Zielone Świątki
        # the register pays 1 485,60 zł (the card 137,70 zł), the budget says 1 500 zł
        ("U009", "budzet.xlsx", "E5"),
        # the payments sheet paid 720,90 zł for PSU
        ("U010", "psu.xlsx", "G4"),
        ("B012", "budzet.xlsx", "E5"),
    ])


def test_the_reconciliation_names_both_sums_and_their_cells(whole):
    result = run("validate", "--format", "json", whole)
    issues = {i["code"]: i["message"] for i in json.loads(result.output)["issues"]}
    assert issues["U009"] == (
        "Wkład własny z PSU w budżecie 1 500,00 zł (komórki E5), a świadczenia w ewidencji "
        "PSU 1 485,60 zł (psu.xlsx: PSU!G4:G11; karta-czerwiec.xlsx: PSU czerwiec!L4:L5); "
        "różnica 14,40 zł.")
    assert issues["U010"] == (
        "Ewidencja PSU 1 485,60 zł (psu.xlsx: PSU!G4:G11; karta-czerwiec.xlsx: PSU "
        "czerwiec!L4:L5), a wypłaty za prace społecznie użyteczne 720,90 zł (kontrakty.xlsx: "
        "Wypłaty!C2, C3); różnica 764,70 zł.")


def test_the_sheets_are_read_as_the_two_psu_layouts(whole):
    result = run("explain", "--format", "json", whole)
    kinds = {(Path(f["file"]).name, s["sheet"]): s["layout"]["kind"]
             for f in json.loads(result.output)["files"] for s in f["sheets"]}
    assert kinds[("psu.xlsx", "PSU")] == "psu"
    assert kinds[("karta-czerwiec.xlsx", "PSU czerwiec")] == "psu_grid"


def test_summary_and_fill_count_hours_and_pay_per_person_and_month(whole, tmp_path):
    result = run("validate", "--summary", "--format", "json", whole)
    tables = {t["title"]: t["rows"] for t in json.loads(result.output)["tables"]}
    by_month = tables["Prace społecznie użyteczne według miesięcy"]
    assert by_month[0] == ["2019-03", 2, "75", "589.50"]  # Anna 40 + 5, Jan 30
    assert by_month[-1] == ["Razem", 3, "186", "1485.60"]
    filled = tmp_path / "wypelniony"
    filled.mkdir()
    target = filled / "psu.xlsx"
    assert run("fill", whole / "psu.xlsx", "-o", target).exit_code in (0, 1)
    from openpyxl import load_workbook

    sheet = load_workbook(target)["PSU"]
    header = [c.value for c in sheet[3]]
    column = {name: header.index(name) + 1 for name in (
        "Godziny osoby w miesiącu", "Kwota osoby w miesiącu", "Godziny narastająco",
        "Kwota narastająco")}
    row4 = {name: sheet.cell(4, col).value for name, col in column.items()}
    assert row4 == {"Godziny osoby w miesiącu": 45, "Kwota osoby w miesiącu": 364.5,
                    "Godziny narastająco": 40, "Kwota narastająco": 324}
    # the filled register reads back with the same issues as before
    before = [(c, cell) for c, f, cell in found(whole) if f == "psu.xlsx"]
    again = [(i.code, i.cell) for i in validate_paths([target]).issues]
    assert sorted(again) == sorted(
        (c, cell) for c, cell in before if not c.startswith(("U006", "U007", "U009", "U010")))


# --- the dated limits and rates --------------------------------------------------------


def _day_rows(rows: list[tuple[dt.date, float, float]]) -> list[list[Any]]:
    return [["Nazwisko i imię", "PESEL", "Data wykonywania prac", "Liczba godzin",
             "Stawka za godzinę", "Kwota świadczenia"]] + [
        ["Nowak Anna", ANNA, day, hours, rate, float(pay(Decimal(str(hours)),
                                                         Decimal(str(rate))))]
        for day, hours, rate in rows]


def test_the_rate_in_force_changes_on_its_day(tmp_path):
    folder = project(tmp_path / "stawki", {"psu.xlsx": ("PSU", _day_rows([
        (dt.date(2014, 5, 26), 2, 6.00),  # the old minimum, the day before the change
        (dt.date(2014, 5, 27), 2, 6.00),  # U003: 8,10 zł from this day (C3)
        (dt.date(2023, 5, 31), 2, 8.10),  # the last day of 8,10 zł
        (dt.date(2023, 6, 1), 2, 8.10),  # U003: 10,90 zł from 1 June 2023 (C5)
        (dt.date(2023, 6, 2), 2, 10.90),
    ]))}, settings="")
    (folder / "projekt.toml").write_text('nazwa = "PSU"\n', encoding="utf-8")
    assert found(folder) == [("U003", "psu.xlsx", "E3"), ("U003", "psu.xlsx", "E5")]


def test_a_month_row_is_judged_by_the_terms_of_its_first_day(tmp_path):
    rows = [["Nazwisko i imię", "PESEL", "Miesiąc", "Liczba godzin", "Stawka za godzinę"],
            ["Nowak Anna", ANNA, "05.2023", 40, 8.10],
            ["Nowak Anna", ANNA, "06.2023", 40, 8.10],  # U003 (E3)
            ["Nowak Anna", ANNA, "07.2023", 41, 10.90]]  # U002 (D4)
    folder = project(tmp_path / "miesiace", {"psu.xlsx": ("PSU", rows)})
    (folder / "projekt.toml").write_text('nazwa = "PSU"\n', encoding="utf-8")
    assert found(folder) == [("U002", "psu.xlsx", "D4"), ("U003", "psu.xlsx", "E3")]


def test_the_project_sets_its_own_rate_and_limits(tmp_path):
    rows = [["Nazwisko i imię", "PESEL", "Data wykonywania prac", "Liczba godzin",
             "Stawka za godzinę"],
            ["Nowak Anna", ANNA, dt.date(2024, 7, 1), 8, 10.90],
            ["Nowak Anna", ANNA, dt.date(2024, 7, 2), 8, 10.90]]
    folder = project(tmp_path / "wlasne", {"psu.xlsx": ("PSU", rows)})
    assert found(folder) == [("U001", "psu.xlsx", "D3")]  # 16 h in one week
    (folder / "projekt.toml").write_text(
        '[psu]\nstawka_minimalna = "12,14"\nlimit_tygodniowy = 20\n', encoding="utf-8")
    assert found(folder) == [("U003", "psu.xlsx", "E2"), ("U003", "psu.xlsx", "E3")]


def test_the_table_is_in_date_order_and_cites_a_source_for_every_entry():
    assert [t.since for t in TERMS] == sorted(t.since for t in TERMS)
    assert all(t.source and t.weekly_hours == 10 for t in TERMS)
    assert [t.min_rate for t in TERMS] == sorted(t.min_rate for t in TERMS)


def test_a_week_is_counted_across_the_end_of_a_month(tmp_path):
    days = [dt.date(2019, 7, 29), dt.date(2019, 7, 31), dt.date(2019, 8, 1),
            dt.date(2019, 8, 2)]
    card = [["Nazwisko i imię", "PESEL", *days, "Stawka za godzinę"],
            ["Nowak Anna", ANNA, 3, 3, 3, 3, 8.10]]
    folder = project(tmp_path / "tydzien", {"karta.xlsx": ("Karta PSU", card)})
    assert found(folder) == [("U001", "karta.xlsx", "F2")]


def test_the_same_day_twice_in_a_card(tmp_path):
    card = [["Lp.", "Nazwisko i imię", "PESEL", dt.date(2019, 3, 4), dt.date(2019, 3, 5),
             "Stawka za godzinę"],
            [1, "Nowak Anna", ANNA, 4, None, 8.10],
            [2, "Nowak Anna", ANNA, 2, 4, 8.10]]
    folder = project(tmp_path / "dwa", {"karta.xlsx": ("PSU", card)})
    assert found(folder) == [("U008", "karta.xlsx", "D3")]


# --- months as registers write them ----------------------------------------------------

POLISH_MONTHS = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec",
                 "sierpień", "wrzesień", "październik", "listopad", "grudzień")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_way_of_writing_a_month_reads_as_its_first_day(day):
    first = day.replace(day=1)
    for text in (f"{day:%m.%Y}", f"{day.month}.{day.year}", f"{day:%Y-%m}", f"{day:%m/%Y}",
                 f"{POLISH_MONTHS[day.month - 1]} {day.year}",
                 f"{POLISH_MONTHS[day.month - 1].upper()} {day.year} r.",
                 f"{ROMAN[day.month - 1]} {day.year}", f"{ROMAN[day.month - 1]}.{day.year}",
                 f"{day:%d.%m.%Y}", day, dt.datetime.combine(day, dt.time())):
        assert parse_month(text) == first, text


@pytest.mark.parametrize("text", ["13.2019", "maj", "2019", "maj 19", "Nowak", "0.2019"])
def test_what_is_not_a_month_is_v012(text):
    with pytest.raises(ValueProblem) as raised:
        parse_month(text)
    assert raised.value.code == "V012"


# --- the Excel buttons on a register (xlwings' remote engine: our logic, not Excel) -----


def test_the_buttons_mark_a_register_and_fill_its_columns(tmp_path):
    import xlwings as xw

    from workbook_tools import excel

    from .test_excel import actions, payload

    path = write_rows(tmp_path / "psu.xlsx", MONTHLY[:9], sheet="PSU")
    book = xw.Book(json=payload(path))
    excel.sprawdz(book)
    report = next(a for a in actions(book, "setValues") if a["values"][0][0] == "Lp.")
    assert sorted((row[2].split('"')[-2], row[3]) for row in report["values"][1:]) == sorted([
        ("E5", "U002"), ("F6", "U003"), ("G7", "U004"), ("E9", "U002"), ("E9", "U008")])
    book = xw.Book(json=payload(path))
    excel.uzupelnij(book)
    writes = actions(book, "setValues")
    headers = [a["values"][0][0] for a in writes if a["row_count"] == 1]
    assert headers[:4] == ["Godziny osoby w miesiącu", "Kwota osoby w miesiącu",
                           "Godziny narastająco", "Kwota narastająco"]
    hours = next(a for a in writes if a["start_column"] == 8 and a["row_count"] > 1)
    assert [row[0] for row in hours["values"]] == [45, 44, 30, 30, 10, 45]


def test_the_claim_tables_count_the_register_and_its_own_contribution(whole):
    result = run("zestawienie", "--format", "json", whole, "--od", "2019-06-01", "--do",
                 "2019-06-30")
    [project] = json.loads(result.output)["projects"]
    [aid] = [t for t in project["tables"] if t["key"] == "pomoc"]
    rows = {r["label"]: [c["value"] for c in r["cells"]] for r in aid["rows"]}
    # June: the card only (Anna, 17 h); to the end of June: March to June
    assert rows["Prace społecznie użyteczne (ewidencja PSU)"] == ["137.70", 1, "1404.60"]
    assert rows["Wkład własny z PSU w budżecie"][2] == "1500.00"
    assert rows["Różnica: wkład własny z PSU − wypłacono"][2] == "95.40"


def test_a_card_kept_by_weeks(tmp_path):
    """One column per week ("03.06–09.06.2019"): the weekly limit at the week's cell, the
    monthly one when June's five weeks add up to more than 40 h."""
    weeks = ["03.06–09.06.2019", "10.06–16.06.2019", "17.06–23.06.2019",
             "24.06–30.06.2019", "Tydzień 01.07.2019 - 07.07.2019"]
    card = [["Karta PSU — tygodnie"], [],
            ["Nazwisko i imię", "PESEL", *weeks, "Stawka za godzinę"],
            ["Nowak Anna", ANNA, 12, 10, 10, 10, 8, 8.10],  # 12 h: U001 (C4); June 42 h
            ["Kowalski Jan", JAN, 10, 10, 10, 10, 10, 8.10]]
    folder = project(tmp_path / "tygodnie", {"karta.xlsx": ("PSU", card)})
    assert found(folder) == [("U001", "karta.xlsx", "C4"), ("U002", "karta.xlsx", "F4")]
    result = run("explain", "--format", "json", folder / "karta.xlsx")
    [sheet] = json.loads(result.output)["files"][0]["sheets"]
    assert sheet["layout"]["kind"] == "psu_grid"


def test_a_card_with_a_workbook_of_the_project_unreadable(whole, tmp_path, monkeypatch):
    """A card's hours and pay per row are its own and are filled; hours and pay to date
    need every card and register of the project and are held back, naming the file."""
    folder = tmp_path / "projekt"
    shutil.copytree(whole, folder)
    monkeypatch.chdir(folder)  # paths shown as typed
    (folder / "kontrakty.xlsx").write_bytes(b"PK\x03\x04 uszkodzony")
    target = folder / "karta.wynik.xlsx"
    result = run("fill", folder / "karta-czerwiec.xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    assert "nie uzupełniono: Godziny narastająco, Kwota narastająco" in result.output
    assert "nie odczytano: kontrakty.xlsx; napraw ten plik" in result.output
    from openpyxl import load_workbook

    header = [c.value for c in load_workbook(target).worksheets[0][3]]
    assert "Godziny razem" in header and "Kwota (godziny × stawka)" in header
    assert "Godziny narastająco" not in header
