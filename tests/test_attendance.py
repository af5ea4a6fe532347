"""Hours attended: long and grid layouts written by LibreOffice, every rule, completion."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from workbook_tools.engine import validate_paths
from workbook_tools.kinds.attendance import Mark, book, parse_attendance, session_header
from workbook_tools.rules import Severity
from workbook_tools.sample import libreoffice_convert, make_pesel
from workbook_tools.templates import session_dates
from workbook_tools.values import Sex, ValueProblem

from .conftest import needs_libreoffice, run_json, write_rows
from .people import ANNA, JAN

EWA = make_pesel(dt.date(1990, 1, 15), Sex.FEMALE, 77)
SETTINGS = """
poczatek = 2009-01-01
koniec = 2009-12-31
data_kontroli = 2010-01-31

[kursy."Trening kompetencji społecznych"]
godziny = 20
koniec = 2009-05-31
nazwy = ["TKS"]
"""
PARTICIPANTS = [
    ["Lista uczestników"], [],
    ["Lp.", "Imię", "Nazwisko", "PESEL", "Data rozpoczęcia udziału w projekcie",
     "Data zakończenia udziału w projekcie"],
    [1, "Anna", "Nowak", ANNA, "01.02.2009", None],
    [2, "Jan", "Kowalski", JAN, "09.03.2009", None],
    [3, "Ewa", "Mazur", EWA, "01.02.2009", None],
]
# A grid as staff draw it: a title naming the course, "Daty zajęć" merged over the
# dates, the other headers merged over two rows, dates typed both as dates and as text,
# and the hours of each session in a row under the dates.
GRID = [
    ["Lista obecności — Trening kompetencji społecznych"], [],
    ["Lp.", "Nazwisko i imię", "PESEL", "Daty zajęć", None, None, None, None, "Razem"],
    [None, None, None, dt.date(2009, 3, 2), dt.date(2009, 3, 9), "16.03.2009",
     "23.03.2009 r.", dt.date(2009, 5, 3), None],
    [None, "Liczba godzin", None, 4, 4, 4, 4, 4, None],
    [1, "Nowak Anna", ANNA, "x", "ob", 4, 4, "X"],
    [2, "Kowalski Jan", JAN, 4, 5, "zz", -1, "u"],
    [3, "Obca Osoba", None, "x", "nb", "x", "x", "x"],
    ["Razem"],
]
GRID_MERGES = ["D3:H3", "A3:A4", "B3:B4", "C3:C4", "I3:I4"]
LONG = [
    ["Ewidencja godzin — KIS"], [],
    ["Lp.", "Nazwisko i imię", "PESEL", "Forma wsparcia", "Data zajęć",
     "Liczba godzin zajęć", "Liczba godzin obecności"],
    [1, "Nowak Anna", ANNA, "KIS", dt.date(2009, 4, 4), 5, 5],
    [2, "Nowak Anna", ANNA, "KIS", "2009-04-04", 5, 5],        # the same session again
    [3, "Kowalski Jan", JAN, "KIS", "11.11.2009", 5, "ob"],    # Independence Day
    [4, "Kowalski Jan", JAN, "KIS", "15.01.2010", 5, 3],       # after the project
    [5, "Kowalski Jan", JAN, "KIS", "31.02.2009", 5, 2],       # no such date
    [6, "Nowak Anna", ANNA, "KIS", "18.04.2009", "pięć", "nb"],
]


def project(folder: Path, via: str | None = None) -> Path:
    """The three workbooks and projekt.toml; ``via`` has LibreOffice rewrite them."""
    folder.mkdir(parents=True, exist_ok=True)
    drafts = folder / "drafts" if via else folder
    drafts.mkdir(exist_ok=True)
    files = [write_rows(drafts / "uczestnicy.xlsx", PARTICIPANTS),
             write_rows(drafts / "obecnosc.xlsx", GRID, sheet="TKS", merges=GRID_MERGES),
             write_rows(drafts / "godziny.xlsx", LONG, sheet="KIS")]
    target = folder / "projekt"
    if via:
        libreoffice_convert(files, via, target)
    else:
        target.mkdir()
        for file in files:
            file.rename(target / file.name)
    (target / "projekt.toml").write_text(SETTINGS, encoding="utf-8")
    return target


EXPECTED = [
    ("godziny", "KIS", "C4", "G009", "warning"),   # Anna: 5 h of 15 h
    ("godziny", "KIS", "G5", "G006", "error"),     # 04.04.2009 twice
    ("godziny", "KIS", "C6", "G009", "warning"),   # Jan: 10 h of 15 h
    ("godziny", "KIS", "E6", "G007", "warning"),   # 11.11.2009
    ("godziny", "KIS", "E7", "G002", "error"),     # 15.01.2010
    ("godziny", "KIS", "E8", "V001", "error"),     # 31.02.2009
    ("godziny", "KIS", "F9", "V009", "error"),     # "pięć"
    ("obecnosc", "TKS", "H4", "G007", "warning"),  # 03.05.2009, a Sunday and a holiday
    ("obecnosc", "TKS", "C7", "G009", "warning"),  # Jan: 9 h of 20 h
    ("obecnosc", "TKS", "D7", "G003", "error"),    # before Jan joined on 09.03.2009
    ("obecnosc", "TKS", "E7", "G004", "error"),    # 5 h of a 4-hour session
    ("obecnosc", "TKS", "F7", "G008", "error"),    # "zz"
    ("obecnosc", "TKS", "G7", "G005", "error"),    # -1
    ("obecnosc", "TKS", "B8", "G001", "error"),    # not on the list
]


def located(document):
    return [(Path(i["file"]).stem, i["sheet"], i["cell"], i["code"], i["severity"])
            for i in document["issues"]]


@pytest.mark.parametrize("via", ["xlsx", "ods"])
def test_both_layouts_written_by_libreoffice(tmp_path, via):
    needs_libreoffice()
    folder = project(tmp_path, via)
    code, document = run_json(folder)
    assert located(document) == EXPECTED
    assert code == 1
    messages = {(Path(i["file"]).stem, i["cell"]): i["message"] for i in document["issues"]}
    assert messages[("obecnosc", "B8")] == (  # a name is personal data: its initials
        "O. O. — brak na liście uczestników (5 wpisów obecności w arkuszu).")
    assert messages[("obecnosc", "H4")] == (
        "Zajęcia 03.05.2009 — święto: Święto Narodowe Trzeciego Maja.")
    assert messages[("obecnosc", "C7")] == (
        "K. J.: „Trening kompetencji społecznych” — 9 h z 20 h (45 %), "
        "próg ukończenia 80 %.")
    assert messages[("godziny", "G5")] == (
        "N. A.: zajęcia „KIS” 04.04.2009 zapisane drugi raz (pierwszy wpis: G4).")


def test_computed_values(tmp_path):
    result = validate_paths([project(tmp_path)])
    progress = book(result.projects[0].data).progress
    hours = {(form, person): (p.attended, p.planned, p.percent and p.percent.value,
                              p.completed) for (form, person), p in progress.items()}
    tks = "Trening kompetencji społecznych"
    assert hours == {
        (tks, ANNA): (Decimal(20), Decimal(20), Decimal("100.00"), True),
        (tks, JAN): (Decimal(9), Decimal(20), Decimal("45.00"), False),
        (tks, "~obca osoba"): (Decimal(16), Decimal(20), Decimal("80.00"), True),
        # KIS has no plan: its sessions held are 04.04, 11.11.2009 and 15.01.2010, 5 h each
        ("KIS", ANNA): (Decimal(5), Decimal(15), Decimal("33.33"), False),
        ("KIS", JAN): (Decimal(10), Decimal(15), Decimal("66.67"), False),
    }
    _, document = run_json(tmp_path / "projekt", extra=["--summary"])
    tables = {t["title"]: t["rows"] for t in document["tables"]}
    assert tables["Obecność: ukończenie według formy wsparcia"] == [
        ["KIS", 2, 0], [tks, 3, 2], ["Razem", 5, 2]]
    assert ["KIS", "K. J.", "10", "15", "66.67", False] in (
        tables["Obecność: godziny uczestników"])  # names are personal data: initials
    _, shown = run_json(tmp_path / "projekt", extra=["--summary", "--show-personal-data"])
    assert ["KIS", "Kowalski Jan", "10", "15", "66.67", False] in {
        t["title"]: t["rows"] for t in shown["tables"]}["Obecność: godziny uczestników"]


def test_completion_is_info_while_the_course_runs(tmp_path):
    folder = project(tmp_path)
    (folder / "projekt.toml").write_text(
        SETTINGS.replace("data_kontroli = 2010-01-31", "data_kontroli = 2009-05-15"),
        encoding="utf-8")
    result = validate_paths([folder])
    completion = {(Path(i.file).stem, i.cell): i for i in result.issues if i.code == "G009"}
    assert completion[("obecnosc", "C7")].effective_severity is Severity.INFO
    assert "(zajęcia trwają)" in completion[("obecnosc", "C7")].message()
    # KIS has no end date of its own: it runs until the project ends (31.12.2009)
    assert completion[("godziny", "C4")].effective_severity is Severity.INFO


def test_clean_files_give_no_issues(tmp_path):
    dates = session_dates(dt.date(2009, 3, 2), 5)
    grid = [["Nazwisko i imię", "PESEL", *dates],
            ["Nowak Anna", ANNA, *(["x"] * 5)],
            ["Kowalski Jan", JAN, 4, 4, 4, 4, 4]]
    long = [["Nazwisko i imię", "Forma wsparcia", "Data zajęć", "Liczba godzin zajęć",
             "Obecność"]]
    long += [[name, "TKS", day, 4, 4] for day in dates for name in ("Anna Nowak", "Jan Kowalski")]
    folder = tmp_path / "czysty"
    folder.mkdir()
    write_rows(folder / "uczestnicy.xlsx", PARTICIPANTS)
    write_rows(folder / "siatka.xlsx", grid, sheet="Trening kompetencji społecznych")
    write_rows(folder / "dlugi.xlsx", long, sheet="Obecność")
    (folder / "projekt.toml").write_text(SETTINGS.replace("koniec = 2009-05-31\n", "")
                                         .replace("godziny = 20", "godziny = 20\n"
                                                  "godziny_na_zajecia = 4"), encoding="utf-8")
    # Jan joins on 09.03.2009: drop his first session from both sheets
    grid[2][2] = None
    write_rows(folder / "siatka.xlsx", grid, sheet="Trening kompetencji społecznych")
    write_rows(folder / "dlugi.xlsx", [r for r in long if r[:3] != ["Jan Kowalski", "TKS",
                                                                   dates[0]]], sheet="Obecność")
    code, document = run_json(folder)
    assert document["issues"] == [] and code == 0


def test_tychy_sixteen_participants_of_a_hundred_hour_training(tmp_path):
    """Tychy 2009: 16 unemployed, social-skills training of 100 h (25 sessions of 4 h).
    Participant i misses i // 2 sessions: 100 - 4 * (i // 2) hours; 80 h completes."""
    dates = session_dates(dt.date(2009, 3, 2), 25)
    people = [(f"Uczestnik{i:02d} Tychy", make_pesel(dt.date(1970 + i, 1, 5), Sex.MALE, i))
              for i in range(16)]
    rows = [["Lista obecności: trening kompetencji społecznych (100 h)"],
            ["Lp.", "Nazwisko i imię", "PESEL", *(f"{d:%d.%m.%Y}" for d in dates)]]
    for i, (name, pesel) in enumerate(people):
        missed = i // 2
        rows.append([i + 1, name, pesel, *(["nb"] * missed), *(["x"] * (25 - missed))])
    folder = tmp_path / "tychy"
    folder.mkdir()
    write_rows(folder / "obecnosc.xlsx", rows, sheet="Lista")
    (folder / "projekt.toml").write_text(
        'data_kontroli = 2009-10-01\n[kursy."Trening kompetencji społecznych"]\n'
        "godziny = 100\ngodziny_na_zajecia = 4\nkoniec = 2009-09-30\n", encoding="utf-8")
    result = validate_paths([folder])
    progress = book(result.projects[0].data).progress
    attended = {person: p.attended for (_form, person), p in progress.items()}
    assert attended == {pesel: Decimal(100 - 4 * (i // 2)) for i, (_n, pesel) in
                        enumerate(people)}
    assert sum(p.completed is True for p in progress.values()) == 12
    below = [i for i in result.issues if i.code == "G009"]
    assert [i.cell for i in below] == ["C15", "C16", "C17", "C18"]
    assert all(i.effective_severity is Severity.WARNING for i in below)
    assert [i.code for i in result.issues] == ["G009"] * 4


def test_marks_without_session_hours(tmp_path):
    write_rows(tmp_path / "obecnosc.xlsx", [
        ["Nazwisko i imię", "PESEL", "02.03.2009", "09.03.2009"],
        ["Nowak Anna", ANNA, "x", "x"]], sheet="PAL")
    result = validate_paths([tmp_path])
    assert [(i.code, i.sheet, i.cell) for i in result.issues] == [("G010", "PAL", None)]


@pytest.mark.parametrize(("cell", "expected"), [
    ("x", Mark.PRESENT), ("OB", Mark.PRESENT), ("ob.", Mark.PRESENT), ("nb", Mark.ABSENT),
    ("U", Mark.EXCUSED), ("nb (u)", Mark.EXCUSED), (4.0, Decimal(4)), ("3,5", Decimal("3.5")),
    ("2 h", Decimal(2)), ("", None), (None, None)])
def test_attendance_cells(cell, expected):
    assert parse_attendance(cell) == expected


@pytest.mark.parametrize(("cell", "code"), [("zz", "G008"), (True, "G008"), (-2, "G005"),
                                            ("-1,5", "G005")])
def test_bad_attendance_cells(cell, code):
    with pytest.raises(ValueProblem) as raised:
        parse_attendance(cell)
    assert raised.value.code == code


@pytest.mark.parametrize(("cell", "label"), [
    (dt.date(2009, 3, 2), "02.03.2009"), (dt.datetime(2009, 3, 2), "02.03.2009"),
    ("2.3.2009", "02.03.2009"), ("2009-03-02", "02.03.2009"), ("02.03.2009 r.", "02.03.2009"),
    (39874.0, "02.03.2009"), ("Razem", None), (12, None), ("31.02.2009", None)])
def test_session_headers(cell, label):
    assert session_header(cell) == label


def test_completion_without_an_end_date_does_not_claim_the_course_runs(tmp_path):
    """Without projekt.toml nothing says when a course ends: G009 says so, instead of
    "(zajęcia trwają)" for a course that may have ended long ago."""
    folder = project(tmp_path)
    (folder / "projekt.toml").unlink()
    completion = [i for i in validate_paths([folder]).issues if i.code == "G009"]
    assert completion
    assert all("koniec zajęć nieznany" in i.message() and "trwają" not in i.message()
               for i in completion)
