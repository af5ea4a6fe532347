"""Payment-claim statistics (``zestawienie``): a population written by LibreOffice whose
tables were counted by hand, asserted cell by cell, with the counting rules' edge cases;
the example project's Bartoszyce figures; the JSON schema; the workbook and the button."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from workbook_tools.sample import libreoffice_convert, make_pesel
from workbook_tools.values import Sex

from .conftest import needs_libreoffice, run, write_rows


def libreoffice(folder: Path, path: Path) -> list[Path]:
    needs_libreoffice()
    return libreoffice_convert([path], "ods", folder / "lo")

PACKAGE = Path(__file__).parent.parent / "workbook_tools"
SCHEMA = json.loads((PACKAGE / "schemas" / "zestawienie.schema.json").read_text("utf-8"))
EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"
F, M = Sex.FEMALE, Sex.MALE
D = dt.date

ANNA = make_pesel(D(1995, 8, 10), F, 1)
JAN = make_pesel(D(1994, 7, 20), M, 2)  # turns 25 the day after he starts
EWA = make_pesel(D(1960, 3, 1), F, 3)
PIOTR = make_pesel(D(1980, 1, 1), M, 4)
TOMASZ = make_pesel(D(1985, 2, 2), M, 5)
ZOFIA = make_pesel(D(1970, 6, 6), F, 6)  # 49 at entry, 50 only in 2020
ADAM = make_pesel(D(2001, 1, 1), M, 7)

HEADER = ["Lp.", "Imię", "Nazwisko", "PESEL", "Brak PESEL", "Płeć", "Data urodzenia",
          "Wykształcenie", "Obszar", "Status na rynku pracy", "Niepełnosprawność",
          "Grupa docelowa", "Forma wsparcia", "Data rozpoczęcia udziału w projekcie",
          "Data zakończenia udziału w projekcie", "Zakończenie udziału zgodnie ze ścieżką",
          "Powód przerwania udziału", "Zatrudnienie po zakończeniu udziału",
          "Postęp w integracji społecznej"]
GROUP = "osoby zagrożone wykluczeniem społecznym"


def person(lp: int, first: str, last: str, pesel: str | None, sex: str, born: dt.date,
           education: str, area: str, status: str, disabled: str, form: str,
           start: dt.date | None, end: dt.date | None = None, path: str | None = None,
           reason: str | None = None, employed: str | None = None,
           social: str | None = None) -> list[Any]:
    return [lp, first, last, pesel, None if pesel else "tak", sex, born, education, area,
            status, disabled, GROUP, form, start, end, path, reason, employed, social]


LIST_A = [["Lista uczestników projektu „Razem 2019”"], [], HEADER,
          # started in the period, ended along the path, employed and socially better
          person(1, "Anna", "Nowak", ANNA, "K", D(1995, 8, 10), "ponadgimnazjalne", "miejski",
                 "długotrwale bezrobotny", "nie", "KIS", D(2019, 7, 15), D(2019, 11, 30),
                 "tak", None, "tak", "tak"),
          # 24 on his first day; dropped out (path "nie") with a reason, employed
          person(2, "Jan", "Kowalski", JAN, "M", D(1994, 7, 20), "gimnazjalne", "wiejski",
                 "bezrobotny", "tak", "KIS", D(2019, 7, 19), D(2019, 12, 20), "nie",
                 "podjęcie pracy", "tak", "nie"),
          # started before the period, ended in it: ended, not started
          person(3, "Ewa", "Wiśniewska", EWA, "K", D(1960, 3, 1), "wyższe", "miejski",
                 "nieaktywny zawodowo", "nie", "PAL", D(2019, 3, 1), D(2019, 9, 30), "tak",
                 None, "nie", "tak"),
          # dropped out without an end date: Z002, "to be explained"
          person(4, "Piotr", "Zieliński", PIOTR, "M", D(1980, 1, 1), "podstawowe", "miejski",
                 "bezrobotny", "nie", "PAL", D(2019, 8, 1), None, None, "rezygnacja"),
          # no PESEL (a foreigner): counted by name and birth date; in education; an
          # outcome while still taking part: Z003
          person(5, "Maria", "Iwanowa", None, "K", D(1990, 5, 5), "ponadgimnazjalne",
                 "miejski", "uczący się", "nie", "KIS", D(2019, 9, 1), None, None, None,
                 "tak"),
          # no start date: Z001, not counted
          person(6, "Tomasz", "Lis", TOMASZ, "M", D(1985, 2, 2), "podstawowe", "miejski",
                 "bezrobotny", "nie", "PAL", None),
          person(7, "Zofia", "Wójcik", ZOFIA, "K", D(1970, 6, 6), "ponadgimnazjalne",
                 "wiejski", "bezrobotny", "nie", "PAL", D(2019, 12, 15)),
          # starts after the period: in no column
          person(8, "Adam", "Mazur", ADAM, "M", D(2001, 1, 1), "gimnazjalne", "miejski",
                 "bezrobotny", "nie", "KIS", D(2020, 1, 10))]
#: A second list: Anna (same PESEL) and Maria (no PESEL, same name and birth date) again.
LIST_B = [HEADER,
          person(1, "Anna", "Nowak", ANNA, "K", D(1995, 8, 10), "ponadgimnazjalne",
                 "miejski", "długotrwale bezrobotny", "nie", "Szkolenia zawodowe",
                 D(2019, 10, 1), D(2019, 11, 15), "tak"),
          person(2, "Maria", "Iwanowa", None, "K", D(1990, 5, 5), "ponadgimnazjalne",
                 "miejski", "uczący się", "nie", "Szkolenia zawodowe", D(2019, 10, 1))]
KIS = [["Lista obecności — KIS"], [],
       ["Lp.", "Nazwisko i imię", "PESEL", D(2019, 7, 22), D(2019, 7, 29)],
       [None, "Liczba godzin", None, 5, 5],
       [1, "Nowak Anna", ANNA, "x", "x"],
       [2, "Kowalski Jan", JAN, "x", "nb"]]
SETTINGS = '''nazwa = "Razem 2019"
poczatek = 2019-01-01
koniec = 2020-06-30
okres_programowania = "efs-2014-2020"

[kursy.KIS]
godziny = 10

[wskazniki."Uczestnicy"]
cel = 10
licz = "uczestnicy"

[wskazniki."Kobiety"]
cel = 4
licz = "uczestnicy"
warunek = { "Płeć" = "Kobieta" }

[wskazniki."Ukończyli KIS"]
cel = 2
licz = "ukonczyli"
forma = "KIS"

[wskazniki."Zatrudnieni po projekcie"]
cel = 1
licz = "zatrudnieni"

[wskazniki."Niebieskoocy"]
cel = 1
licz = "uczestnicy"
warunek = { "Kolor oczu" = "niebieski" }
'''


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs_libreoffice()
    root = tmp_path_factory.mktemp("zestawienie")
    drafts, folder = root / "drafts", root / "razem-2019"
    drafts.mkdir()
    written = [write_rows(drafts / "uczestnicy.xlsx", LIST_A, sheet="Uczestnicy"),
               write_rows(drafts / "lista-szkolenia.xlsx", LIST_B, sheet="Szkolenia"),
               write_rows(drafts / "obecnosc-kis.xlsx", KIS, sheet="KIS")]
    libreoffice_convert(written, "xlsx", folder)
    (folder / "projekt.toml").write_text(SETTINGS, encoding="utf-8")
    return folder


def document(*args: Any) -> tuple[int, dict[str, Any]]:
    result = run("zestawienie", "--format", "json", *args)
    found: dict[str, Any] = json.loads(result.output)
    jsonschema.validate(found, SCHEMA)
    return result.exit_code, found


def values(project: dict[str, Any], key: str) -> dict[str, list[Any]]:
    [table] = [t for t in project["tables"] if t["key"] == key]
    return {row["label"]: [c["value"] for c in row["cells"]] for row in table["rows"]}


@pytest.fixture(scope="module")
def claimed(population: Path) -> tuple[int, dict[str, Any]]:
    return document(population, "--od", "2019-07-01", "--do", "31.12.2019", "--zrodla")


def test_the_flow_counts_each_person_once_by_the_rules(claimed):
    code, found = claimed
    [project] = found["projects"]
    #                                      period K, M, all | to date K, M, all
    assert values(project, "przeplyw") == {
        "Rozpoczęli udział w projekcie": [3, 2, 5, 4, 2, 6],  # Anna, Jan, Piotr, Maria,
        # Zofia; Ewa started in March; Anna and Maria once though on two lists
        "Zakończyli udział": [2, 1, 3, 2, 1, 3],  # Anna, Jan, Ewa
        "w tym zgodnie ze ścieżką": [2, 0, 2, 2, 0, 2],
        "w tym przerwali udział": [0, 1, 1, 0, 1, 1],  # Jan
        "Przerwali bez daty zakończenia (do wyjaśnienia)": [0, 1, 1, 0, 1, 1],  # Piotr
        "Kontynuują udział na koniec okresu": [2, 0, 2, 2, 0, 2],  # Maria, Zofia
    }
    assert found["projects"][0]["programme"] == "efs-2014-2020"
    assert code == 1  # Z004 is an error: an indicator could not be counted


def test_the_structure_on_entry_uses_the_programmes_categories(claimed):
    structure = values(claimed[1]["projects"][0], "struktura")
    expected = {
        "Rozpoczęli udział (razem)": [3, 2, 5, 4, 2, 6],
        "Bezrobotni": [2, 2, 4, 2, 2, 4],
        "w tym długotrwale bezrobotni": [1, 0, 1, 1, 0, 1],
        "Nieaktywni zawodowo": [1, 0, 1, 2, 0, 2],
        "w tym uczący się lub kształcący": [1, 0, 1, 1, 0, 1],
        "Zatrudnieni": [0, 0, 0, 0, 0, 0],
        "Status na rynku pracy nieznany": [0, 0, 0, 0, 0, 0],
        "Wiek: poniżej 25 lat": [1, 1, 2, 1, 1, 2],  # Jan: 24 on his first day
        "Wiek: 25–49 lat": [2, 1, 3, 2, 1, 3],  # Zofia: 49
        "Wiek: 50 lat i więcej": [0, 0, 0, 1, 0, 1],
        "Wiek: w tym powyżej 54 lat": [0, 0, 0, 1, 0, 1],
        "Wiek nieznany": [0, 0, 0, 0, 0, 0],
        "Wykształcenie: brak (ISCED 0)": [0, 0, 0, 0, 0, 0],
        "Wykształcenie: podstawowe lub gimnazjalne (ISCED 1–2)": [0, 2, 2, 0, 2, 2],
        "Wykształcenie: ponadgimnazjalne lub policealne (ISCED 3–4)": [3, 0, 3, 3, 0, 3],
        "Wykształcenie: wyższe (ISCED 5–8)": [0, 0, 0, 1, 0, 1],
        "Wykształcenie nieznane": [0, 0, 0, 0, 0, 0],
        "Osoby z niepełnosprawnością": [0, 1, 1, 0, 1, 1],
        "Obszar miejski": [2, 1, 3, 3, 1, 4],
        "Obszar wiejski": [1, 1, 2, 1, 1, 2],
        f"Grupa docelowa: {GROUP}": [3, 2, 5, 4, 2, 6],
    }
    assert structure == expected


def test_forms_indicators_and_effectiveness(claimed):
    project = claimed[1]["projects"][0]
    assert values(project, "formy") == {
        # started in the period, to date, completed 80 % of 10 h, hours in it, to date
        "KIS": [3, 3, 1, "15", "15"],
        "PAL": [2, 3, 0, "0", "0"],
        "Szkolenia zawodowe": [2, 2, 0, "0", "0"],  # Anna and Maria on the second list
    }
    assert values(project, "wskazniki") == {
        "Uczestnicy": [10, 6, 5, "60.00"],
        "Kobiety": [4, 4, 3, "100.00"],
        "Ukończyli KIS": [2, 1, 1, "50.00"],
        "Zatrudnieni po projekcie": [1, 2, 2, "200.00"],
    }
    assert values(project, "efektywnosc") == {
        # ended, with the outcome, %, minimum (2014-2020 guidelines), met
        "Efektywność społeczna": [3, 2, "66.67", "34", True],
        "Efektywność zatrudnieniowa": [3, 2, "66.67", "22", True],
        "w tym osoby z niepełnosprawnością": [1, 1, "100.00", "12", True],
    }


def test_counting_issues_are_located(claimed):
    issues = [(i["code"], Path(i["file"]).name, i["cell"])
              for i in claimed[1]["projects"][0]["issues"]]
    assert sorted(issues) == [
        ("Z001", "uczestnicy.xlsx", "N9"),  # Tomasz: no start date
        ("Z002", "uczestnicy.xlsx", "O7"),  # Piotr: a reason, no end date
        ("Z003", "uczestnicy.xlsx", "R8"),  # Maria: employed while still taking part
        ("Z004", "projekt.toml", None),  # "Kolor oczu" is no column of the list
    ]
    [z004] = [i for i in claimed[1]["projects"][0]["issues"] if i["code"] == "Z004"]
    assert "Niebieskoocy" in z004["message"] and "warunek.Kolor oczu" in z004["message"]


def test_without_zrodla_a_cell_says_only_how_many_rows_it_counted(population):
    _code, found = document(population, "--od", "2019-07-01", "--do", "2019-12-31")
    [flow] = [t for t in found["projects"][0]["tables"] if t["key"] == "przeplyw"]
    assert flow["rows"][0]["cells"][2] == {"value": 5, "rows": 5}


def test_every_cell_lists_the_rows_it_counted_with_the_pesel_masked(claimed):
    project = claimed[1]["projects"][0]
    [flow] = [t for t in project["tables"] if t["key"] == "przeplyw"]
    started = flow["rows"][0]["cells"][2]
    assert sorted((s["file"], s["row"]) for s in started["sources"]) == [
        ("uczestnicy.xlsx", 4), ("uczestnicy.xlsx", 5), ("uczestnicy.xlsx", 7),
        ("uczestnicy.xlsx", 8), ("uczestnicy.xlsx", 10)]
    people = {s["person"] for s in started["sources"]}
    assert ANNA not in people and ANNA[:6] + "*****" in people
    assert "I. M." in people  # no PESEL: named, by initials unless asked


def test_the_workbook_has_the_tables_and_their_sources(population, tmp_path):
    target = tmp_path / "zestawienie.xlsx"
    result = run("zestawienie", population, "--od", "2019-07-01", "--do", "2019-12-31",
                 "--xlsx", target)
    assert result.exit_code == 1 and target.exists()
    # LibreOffice opens it and saves it again: every source row survives the trip
    import python_calamine

    [ods] = libreoffice(target.parent, target)
    book = python_calamine.CalamineWorkbook.from_path(str(ods))
    sources = book.get_sheet_by_name("Źródła").to_python()
    assert sources[0][:6] == ["Projekt", "Tabela", "Wiersz tabeli", "Kolumna", "Plik",
                              "Arkusz"]
    _code, found = document(population, "--od", "2019-07-01", "--do", "2019-12-31",
                            "--zrodla")
    # the tables split by sex and period list each person once per row, under the
    # to-date total, with the sex and "in the period" to filter by; the others per cell
    counted = sum(len(r["cells"][5]["sources"]) if t["key"] in ("przeplyw", "struktura")
                  else sum(len(c["sources"]) for c in r["cells"])
                  for t in found["projects"][0]["tables"] for r in t["rows"])
    assert len(sources) - 1 == counted
    started = [line for line in sources if line[2] == "Rozpoczęli udział w projekcie"]
    assert sorted((line[8], line[9]) for line in started) == [
        ("K", "nie"), ("K", "tak"), ("K", "tak"), ("K", "tak"), ("M", "tak"), ("M", "tak")]
    assert not any(ANNA in str(cell) for line in sources for cell in line)
    # saved into the project's folder, it is not read as data by the next run
    inside = population / "zestawienie-test.xlsx"
    assert run("zestawienie", population, "--xlsx", inside).exit_code == 1
    try:
        again = run("validate", "--format", "json", population)
        assert "zestawienie-test.xlsx" not in again.output
    finally:
        inside.unlink()
    # run again: our own file is replaced; a file of the user's is not
    assert run("zestawienie", population, "--xlsx", target).exit_code == 1
    theirs = tmp_path / "ich.xlsx"
    theirs.write_bytes(b"not ours")
    refused = run("zestawienie", population, "--xlsx", theirs)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert theirs.read_bytes() == b"not ours"


def test_a_tree_of_projects_gives_one_table_each_and_the_total(population, tmp_path):
    import shutil

    tree = tmp_path / "drzewo"
    shutil.copytree(population, tree / "a")
    shutil.copytree(population, tree / "b")
    _code, found = document(tree, "--od", "2019-07-01", "--do", "2019-12-31")
    assert len(found["projects"]) == 2
    total = values(found["total"], "przeplyw")
    assert total["Rozpoczęli udział w projekcie"] == [6, 4, 10, 8, 4, 12]
    assert values(found["total"], "formy")["KIS"] == [6, 6, 2, "30", "30"]


def test_the_bartoszyce_example_counts_121_as_44_28_49():
    """The example project: 121 people on the list (one without a start date, Z001),
    44 PAL + 28 KIS + 49 vocational, as the seed page of MOPS Bartoszyce says."""
    code, found = document(EXAMPLE)
    [project] = found["projects"]
    started = values(project, "przeplyw")["Rozpoczęli udział w projekcie"][5]
    uncounted = [i for i in project["issues"] if i["code"] == "Z001"]
    assert started + len(uncounted) == 121
    forms = {form: cells[1] for form, cells in values(project, "formy").items()}
    assert forms == {"PAL": 44, "KIS": 27, "Szkolenia zawodowe": 49}
    assert len(uncounted) == 1  # the KIS participant without a start date
    assert project["programme"] == "po-kl-2007-2013"
    aid = values(project, "pomoc")
    assert aid["Razem"][2] == aid["Wkład własny ze świadczeń w budżecie"][2] == "29807.67"
    assert aid["Różnica: wkład własny ze świadczeń − wypłacono"][2] == "0.00"
    assert code == 0


def test_bad_periods_and_paths_are_polish_usage_errors(tmp_path):
    result = run("zestawienie", EXAMPLE, "--od", "2009-12-31", "--do", "2009-01-01")
    assert result.exit_code == 2 and "--od jest późniejsze niż --do" in result.output
    result = run("zestawienie", EXAMPLE, "--od", "31-12-2009")
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = run("zestawienie", tmp_path)
    assert result.exit_code == 2 and "nie ma skoroszytów" in result.output


def test_the_button_writes_the_tables_into_one_sheet_and_replaces_it():
    import xlwings as xw

    from workbook_tools import excel
    from workbook_tools.names import CLAIM_MARK

    from .test_excel import actions, payload

    book = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))
    excel.zestawienie(book)
    [added] = actions(book, "addSheet")
    assert added["args"][1] == "Zestawienie"
    [block] = [a for a in actions(book, "setValues") if a["values"][0][0] == CLAIM_MARK]
    labels = [row[0] for row in block["values"]]
    assert "Przepływ uczestników" in labels and "Rozpoczęli udział w projekcie" in labels
    [alert] = actions(book, "alert")  # the remote engine's book has no folder, no period
    assert alert["args"][0].startswith("Zestawienie (cały projekt): 3 tabele w arkuszu "
                                       "„Zestawienie”; 1 uwaga")
    # a second click on a book that already has our sheet deletes it first
    again = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx",
                                 extra={"Zestawienie": [[CLAIM_MARK], ["stare"]]}))
    excel.zestawienie(again)
    assert actions(again, "sheetDelete")
    assert [a["args"][1] for a in actions(again, "addSheet")] == ["Zestawienie"]
    # the calls a real Excel would receive: the same five whatever the tables hold
    assert [a["func"] for a in again.json()["actions"]] == [
        "sheetDelete", "addSheet", "setValues", "setColumnWidth", "alert"]


def test_the_coordinators_report_has_the_indicators_of_each_project(population, tmp_path):
    from openpyxl import load_workbook

    report = tmp_path / "raport.xlsx"
    run("validate", population, "--report", report, "-q")
    sheet = load_workbook(report)["Wskaźniki"]
    rows = [[c.value for c in row][1:] for row in sheet.iter_rows(min_row=2)]
    # to the last data: Adam (starts 10.01.2020) is a participant too
    assert rows == [["Uczestnicy", 10, 7, 0.7], ["Kobiety", 4, 4, 1],
                    ["Ukończyli KIS", 2, 1, 0.5], ["Zatrudnieni po projekcie", 1, 2, 2]]


def test_the_central_systems_exports_of_one_population_count_alike(tmp_path):
    """The same people exported as PEFS 2007, SL2014 and SM EFS (LibreOffice-written):
    the same flow and structure; SM EFS has no path column, so its "of which" rows are
    empty (not said), not zero; the period comes from the first start (no projekt.toml)."""
    from .test_wild_layouts import export

    counted = {}
    for layout in ("pefs2007", "sl2014", "smefs"):
        path = export(tmp_path, layout)
        _code, found = document(path.parent)
        [project] = found["projects"]
        counted[layout] = (values(project, "przeplyw"), values(project, "struktura"))
        assert project["programme"] == "efs-2014-2020", layout
        assert project["issues"] == [], layout
    flow, structure = counted["sl2014"]
    assert counted["pefs2007"][0] == flow
    assert flow["Rozpoczęli udział w projekcie"][5] == 11
    assert flow["w tym zgodnie ze ścieżką"][5] + flow["w tym przerwali udział"][5] == 11
    smefs_flow, smefs_structure = counted["smefs"]
    assert smefs_flow["w tym zgodnie ze ścieżką"] == [None] * 6
    assert smefs_flow["Rozpoczęli udział w projekcie"] == flow["Rozpoczęli udział w projekcie"]
    for label in ("Bezrobotni", "w tym długotrwale bezrobotni", "Nieaktywni zawodowo",
                  "Osoby z niepełnosprawnością"):
        assert counted["pefs2007"][1][label] == structure[label] == smefs_structure[label]
