"""Every participant rule, on small workbooks whose mistakes are known cell by cell."""

import datetime as dt
from pathlib import Path

import pytest

from workbook_tools.engine import validate_paths
from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

from .conftest import write_rows
from .people import ANNA, JAN

HEADERS = ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Data urodzenia",
           "Data rozpoczęcia udziału w projekcie", "Data zakończenia udziału w projekcie",
           "Forma wsparcia"]


def row(n, first, last, pesel, sex, born, start="01.03.2009", end="30.09.2009", form="KIS"):
    return [n, first, last, pesel, sex, born, start, end, form]


def clean_rows():
    return [
        row(1, "Anna", "Nowak", ANNA, "K", "02.04.1980"),
        row(2, "Jan", "Kowalski", JAN, "M", "30.11.1975", form="PAL"),
    ]


def issues_of(tmp_path: Path, rows, headers=HEADERS, settings: str | None = None):
    if settings is not None:
        (tmp_path / "projekt.toml").write_text(settings, encoding="utf-8")
    write_rows(tmp_path / "lista.xlsx", [headers, *rows])
    result = validate_paths([tmp_path])
    return [(i.code, i.cell) for i in result.issues], result


def test_clean_list_has_no_issues(tmp_path):
    found, result = issues_of(tmp_path, clean_rows())
    assert found == []
    assert result.exit_code == 0
    [sheet] = result.files[0].sheets
    assert [r.pesel for r in sheet.records] == [ANNA, JAN]


def test_invalid_pesel(tmp_path):
    rows = clean_rows()
    rows[1][3] = JAN[:-1] + str((int(JAN[-1]) + 1) % 10)
    found, result = issues_of(tmp_path, rows)
    assert found == [("P001", "D3")]
    assert result.exit_code == 1


def test_pesel_number_without_leading_zero_is_recovered_with_warning(tmp_path):
    young = make_pesel(dt.date(2005, 1, 13), Sex.MALE, 7)
    rows = clean_rows()
    rows[1][3:6] = [int(young), "M", "13.01.2005"]
    found, result = issues_of(tmp_path, rows, settings="wiek_min = 0\n")
    assert found == [("P002", "D3")]
    assert result.files[0].sheets[0].records[1].pesel == young
    assert result.exit_code == 0


def test_birth_date_and_sex_must_agree_with_pesel(tmp_path):
    rows = clean_rows()
    rows[0][4:6] = ["M", "03.04.1980"]
    found, _ = issues_of(tmp_path, rows)
    assert found == [("P004", "E2"), ("P003", "F2")]


def test_duplicate_pesel_names_both_rows(tmp_path):
    rows = [*clean_rows(), row(3, "Anna", "Nowak", ANNA, "K", "02.04.1980")]
    found, result = issues_of(tmp_path, rows)
    assert found == [("P005", "D2"), ("P005", "D4")]
    messages = [i.message() for i in result.issues]
    assert all("wiersze 2, 4" in m for m in messages)
    assert all(ANNA not in m and ANNA[:6] + "*****" in m for m in messages)


def test_duplicate_pesel_across_two_workbooks_of_one_project(tmp_path):
    write_rows(tmp_path / "a.xlsx", [HEADERS, *clean_rows()])
    write_rows(tmp_path / "b.xlsx", [HEADERS, row(1, "Anna", "Nowak", ANNA, "K", "02.04.1980")])
    result = validate_paths([tmp_path])
    found = sorted((i.code, i.file.rsplit("/", 1)[-1], i.cell) for i in result.issues)
    assert found == [("P005", "a.xlsx", "D2"), ("P005", "b.xlsx", "D2")]
    assert "b.xlsx:Lista!2" in next(i for i in result.issues if "a.xlsx" in i.file).message()


def test_end_before_start(tmp_path):
    rows = clean_rows()
    rows[0][6:8] = ["01.06.2009", "31.05.2009"]
    found, _ = issues_of(tmp_path, rows)
    assert found == [("P006", "H2")]


def test_dates_outside_project_period(tmp_path):
    rows = clean_rows()
    rows[0][6] = "15.12.2008"
    rows[1][7] = "05.01.2010"
    settings = "poczatek = 2009-01-01\nkoniec = \"31.12.2009\"\n"
    found, _ = issues_of(tmp_path, rows, settings=settings)
    assert found == [("P007", "G2"), ("P007", "H3")]


def test_age_at_entry_outside_range(tmp_path):
    old = make_pesel(dt.date(1940, 5, 14), Sex.MALE, 13)
    rows = [*clean_rows(), row(3, "Józef", "Mazur", old, "M", None)]
    found, result = issues_of(tmp_path, rows)
    assert found == [("P008", "D4")]
    assert result.issues[0].message() == (
        "Wiek w chwili przystąpienia do projektu: 68 lat — poza zakresem 15–64 lat.")
    found, _ = issues_of(tmp_path, rows, settings="wiek_max = 70\n")
    assert found == []


def test_age_uses_entry_date_not_today(tmp_path):
    # 64 on entry in 2009, well over 64 today: no issue
    born = dt.date(1945, 1, 10)
    rows = [row(1, "Jan", "Król", make_pesel(born, Sex.MALE, 1), "M", None, start="09.01.2009")]
    found, _ = issues_of(tmp_path, rows)
    assert found == []


def test_age_column_must_match_computed_age(tmp_path):
    headers = [*HEADERS, "Wiek"]
    rows = [[*r, age] for r, age in zip(clean_rows(), (28, 40), strict=True)]
    found, result = issues_of(tmp_path, rows, headers=headers)
    assert found == [("P012", "J3")]  # Jan is 33 on 1.03.2009
    assert "wychodzi 33" in result.issues[0].message()


def test_values_from_closed_lists(tmp_path):
    headers = [*HEADERS, "Wykształcenie", "Status na rynku pracy", "Niepełnosprawność",
               "Obszar"]
    rows = clean_rows()
    rows[0] += ["średnie", "Osoba długotrwale bezrobotna", "tak", "miasto"]
    rows[1] += ["doktorat", "emeryt", "chyba", "wieś"]
    found, result = issues_of(tmp_path, rows, headers=headers)
    assert found == [("V006", "J3"), ("V006", "K3"), ("V004", "L3")]
    records = result.files[0].sheets[0].records
    assert (records[0].education, records[0].labour_status, records[0].disability,
            records[0].area) == ("ponadgimnazjalne", "długotrwale bezrobotny", True, "miejski")


def test_postal_code_format(tmp_path):
    headers = [*HEADERS, "Kod pocztowy"]
    rows = clean_rows()
    rows[0].append("11-200")
    rows[1].append(11200)
    found, _ = issues_of(tmp_path, rows, headers=headers)
    assert found == [("P009", "J3")]


def test_dropout_needs_a_reason(tmp_path):
    headers = [*HEADERS, "Zakończenie zgodnie ze ścieżką", "Powód przerwania"]
    rows = clean_rows()
    rows[0] += ["nie", "podjęcie pracy"]
    rows[1] += ["nie", None]
    found, _ = issues_of(tmp_path, rows, headers=headers)
    assert found == [("P011", "K3")]


def test_unparseable_values_and_missing_required_values(tmp_path):
    rows = clean_rows()
    rows[0][6] = "31.02.2009"
    rows[1][3] = None
    rows[1][4] = "F"
    found, _ = issues_of(tmp_path, rows)
    assert found == [("V001", "G2"), ("V007", "D3"), ("V005", "E3")]


@pytest.mark.parametrize("plan, expected", [
    ("KIS = 1\nPAL = 1\n", []),
    ("KIS = 2\nPAL = 1\n", [("P010", None)]),
    ("KIS = 1\n", [("P010", None)]),  # PAL not planned at all
])
def test_plan_per_form_of_support(tmp_path, plan, expected):
    settings = "[plan_uczestnikow.forma_wsparcia]\n" + plan
    found, _result = issues_of(tmp_path, clean_rows(), settings=settings)
    assert found == expected


def test_plan_mismatch_message_states_both_numbers(tmp_path):
    settings = "[plan_uczestnikow.forma_wsparcia]\nkis = 28\nPAL = 1\n"
    _, result = issues_of(tmp_path, clean_rows(), settings=settings)
    [issue] = result.issues
    assert issue.message() == "Forma wsparcia „kis”: 1 uczestnik, plan 28."
    assert issue.sheet == "Lista"


def test_missing_required_column_is_one_sheet_issue(tmp_path):
    headers = ["Lp.", "Imię", "Nazwisko", "Płeć", "Data urodzenia"]
    found, result = issues_of(tmp_path, [[1, "Anna", "Nowak", "K", "02.04.1980"]],
                              headers=headers)
    assert found == [("S003", None)]
    assert result.issues[0].message() == (
        "Brak wymaganej kolumny: PESEL (arkusz rozpoznany jako: lista uczestników). "
        "Jeśli ma ona inny nagłówek, wpisz w projekt.toml: "
        '[kolumny."lista.xlsx:Lista"] "<nagłówek>" = "PESEL".')
    assert result.exit_code == 1


def test_duplicate_header_uses_first_column(tmp_path):
    headers = [*HEADERS, "Nr PESEL"]
    rows = [[*r, "bzdura"] for r in clean_rows()]
    found, _ = issues_of(tmp_path, rows, headers=headers)
    assert found == [("S004", "J1")]


def test_true_and_one_in_one_column_are_parsed_each_on_its_own(tmp_path):
    headers = [*HEADERS, "Lp. w grupie"]  # not a known header: kept and ignored
    rows = clean_rows()
    rows[0][0] = 1.0
    rows[1][0] = True  # a boolean in the Lp. column is not a number
    found, _ = issues_of(tmp_path, [[*r, "x"] for r in rows], headers=headers)
    assert found == [("V008", "A3")]


def test_the_usual_abbreviations_of_the_birth_date_header_are_read():
    """Clerks shorten the header: "Data ur." must not leave the column unread."""
    from workbook_tools.kinds import PARTICIPANTS

    for header in ("Data ur.", "Data urodz.", "ur."):
        assert PARTICIPANTS.match_header(header) == "birth_date", header
