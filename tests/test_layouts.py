"""End to end: the CLI on workbooks written by LibreOffice Calc, in the layouts staff keep."""

import datetime as dt
from pathlib import Path

import pytest

from workbook_tools.sample import libreoffice_convert

from .conftest import found, needs_libreoffice, run_json, write_rows
from .people import ANNA, BAD, EWA, JAN


def title_rows(path: Path) -> Path:
    """Title lines, PESEL typed as numbers, dates typed as text, a totals row, a signature."""
    return write_rows(path, [
        ["Lista uczestników projektu „Twoja Szansa”"],
        ["MOPS w Bartoszycach — PO KL 7.1.1"],
        [],
        ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Data rozpoczęcia udziału w projekcie",
         "Data zakończenia udziału w projekcie"],
        [1, "Anna", "Nowak", int(ANNA), "K", "02.03.2009", "30.09.2009"],
        [],
        [2, "Jan", "Kowalski", int(BAD), "M", "2009-03-02", dt.date(2009, 9, 30)],
        [3, "Ewa", "Zając", int(EWA), "K", dt.date(2009, 3, 2), "31.02.2009"],
        ["Razem", None, None, None, None, None, "3 osoby"],
        [],
        ["Sporządził: J. Kowalska", None, None, "niepoprawny tekst"],
    ])


def two_row_header(path: Path) -> Path:
    """Merged group headings over the name and address columns, PESEL merged over two rows."""
    return write_rows(path, [
        ["Lp.", "Dane uczestnika", None, "PESEL", "Płeć", "Adres", None],
        [None, "Imię", "Nazwisko", None, None, "Miejscowość", "Kod pocztowy"],
        [1, "Anna", "Nowak", ANNA, "Kobieta", "Bartoszyce", "11-200"],
        [2, "Jan", "Kowalski", JAN, "Kobieta", "Bartoszyce", "11200"],
    ], merges=["A1:A2", "B1:C1", "D1:D2", "E1:E2", "F1:G1"])


def one_name_column(path: Path) -> Path:
    """One "Nazwisko i imię" column, header variants, an unknown column, a repeated header."""
    header = ["L.p.", "Nazwisko i imię", "NR PESEL:", "Płeć (K/M)", "Uwagi",
              "Data rozpoczęcia\nudziału", "Wykształcenie"]
    return write_rows(path, [
        header,
        [1, "Nowak Anna", ANNA, "k", "dzwonić po 15", "02.03.2009", "Średnie"],
        header,  # printed again at the top of page 2
        [2, "Kowalski Jan", JAN, "m", None, "02.03.2009", "magisterskie"],
        [3, "Nowak Anna", ANNA, "k", None, "05.03.2009", "wyższe"],
    ], sheet="Uczestnicy 2009", extra_sheets={"Arkusz2": []})


EXPECTED = {
    "title_rows": [("P001", "D7", "Lista"), ("V001", "G8", "Lista")],
    "two_row_header": [("P004", "E4", "Lista"), ("P009", "G4", "Lista")],
    "one_name_column": [("P005", "C2", "Uczestnicy 2009"), ("V006", "G4", "Uczestnicy 2009"),
                        ("P005", "C5", "Uczestnicy 2009"), ("S001", None, "Arkusz2")],
}
BUILDERS = {"title_rows": title_rows, "two_row_header": two_row_header,
            "one_name_column": one_name_column}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Each layout as LibreOffice saves it: .xlsx, .xls, .ods, .xlsm; one folder per file."""
    needs_libreoffice()
    drafts_dir = tmp_path_factory.mktemp("drafts")
    drafts = [builder(drafts_dir / f"{name}.xlsx") for name, builder in BUILDERS.items()]
    out = tmp_path_factory.mktemp("lo")
    files: dict[str, Path] = {}
    for target in ("xlsx", "xls", "ods", "xlsm:Calc MS Excel 2007 VBA XML"):
        fmt = target.split(":")[0]
        for path in libreoffice_convert(drafts, target, out / fmt):
            folder = out / f"{path.stem}-{fmt}"
            folder.mkdir()
            files[f"{path.stem}.{fmt}"] = path.rename(folder / path.name)
    return files


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods", "xlsm"])
@pytest.mark.parametrize("layout", list(BUILDERS))
def test_layout_gives_exact_issues(written, layout, fmt):
    code, document = run_json(written[f"{layout}.{fmt}"])
    assert found(document) == EXPECTED[layout]
    assert code == 1


def test_title_rows_layout_reads_every_participant(written):
    _, document = run_json(written["title_rows.xlsx"])
    assert document["files"][0]["sheets"] == [{"sheet": "Lista", "kind": "participants",
                                               "rows": 3}]
    assert document["issues"][0]["message"] == (
        f"Nieprawidłowy PESEL „{BAD[:6]}*****”: błędna cyfra kontrolna.")


def test_several_files_in_one_run_each_keep_their_issues(written):
    _code, document = run_json(written["title_rows.xls"], written["two_row_header.ods"])
    assert [i["code"] for i in document["issues"]] == ["P001", "V001", "P004", "P009"]
    assert document["summary"]["files"] == 2


def test_clean_workbook_written_by_libreoffice_has_zero_issues(tmp_path):
    needs_libreoffice()
    draft = write_rows(tmp_path / "czysta.xlsx", [
        ["Imię", "Nazwisko", "PESEL", "Płeć", "Data rozpoczęcia udziału w projekcie"],
        ["Anna", "Nowak", ANNA, "K", dt.date(2009, 3, 2)],
        ["Jan", "Kowalski", JAN, "M", "02.03.2009"],
    ])
    [clean] = libreoffice_convert([draft], "ods", tmp_path / "out")
    code, document = run_json(clean)
    assert (code, document["issues"], document["summary"]["rows"]) == (0, [], 2)
