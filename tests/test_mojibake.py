"""Polish letters read in the wrong encoding (workbook_tools.mojibake): a CSV saved in
one encoding and opened as another gets S008 (what was meant, in which encoding to open
it again) or S009 (letters lost for good) in place of a misleading S002/S003 — the
workbooks written by LibreOffice opening the CSV as a user's Excel or Calc would."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.mojibake import MISREADINGS, likely_misreadings, undone
from workbook_tools.sample import export_rows, libreoffice_convert, participant_rows

from .conftest import needs_libreoffice, run, run_json, write_rows
from .people import ANNA, JAN

HEADERS = ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Miejscowość"]
ROWS = [[1, "Anna", "Świątek", ANNA, "K", "Łódź"], [2, "Jan", "Żółć", JAN, "M", "Gdańsk"]]
#: LibreOffice's numbers for the character sets it opens a CSV with
CHARSET = {"utf-8": 76, "cp1250": 33, "cp1252": 1, "latin-1": 12}


@pytest.mark.parametrize(("written", "read"), MISREADINGS)
@pytest.mark.parametrize("text", ["Imię", "Płeć", "Miejscowość", "Wykształcenie"])
def test_each_misreading_is_undone(written, read, text):
    garbled = text.encode(written).decode(read)
    assert garbled != text
    assert undone(garbled, written, read) == text


@pytest.mark.parametrize("kept", [lambda byte: chr(0xF100 + byte), chr],
                         ids=["LibreOffice", "Windows"])
def test_bytes_the_reader_had_no_letter_for_are_recovered(kept):
    """"Ł" in UTF-8 is C5 81; Windows-1250 defines no 0x81 (nor 0x83 of "Ń", 0x98 of
    "Ę"): readers keep such a byte as a private-use or a control character."""
    text = "ŁĄCZNIE: Łódź, Ńemno, Ęwa"
    garbled = "".join(chr(b) if b < 0x80 else _as_cp1250(b, kept)
                      for b in text.encode("utf-8"))
    assert undone(garbled, "utf-8", "cp1250") == text


def _as_cp1250(byte: int, kept: Callable[[int], str]) -> str:
    try:
        return bytes([byte]).decode("cp1250")
    except UnicodeDecodeError:
        return kept(byte)


POLISH = "aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄBCĆDEĘFGHIJKLŁMNŃOÓPRSŚTUWYZŹŻ 0123456789.,:;()-/"


@given(text=st.text(alphabet=POLISH, min_size=1, max_size=40),
       misreading=st.sampled_from(MISREADINGS),
       undefined=st.sampled_from(["LibreOffice", "Windows"]))
def test_any_polish_text_garbled_any_way_is_undone(text, misreading, undefined):
    """Whatever the letters, a text written as one encoding and read as another (a byte
    the reader does not define kept as LibreOffice or Windows keeps it) reads back."""
    written, read = misreading
    kept = (lambda byte: chr(0xF100 + byte)) if undefined == "LibreOffice" else chr
    garbled = "".join(_read_as(byte, read, kept) for byte in text.encode(written))
    assert undone(garbled, written, read) == (text if garbled != text else None)


def _read_as(byte: int, encoding: str, kept: Callable[[int], str]) -> str:
    try:
        return bytes([byte]).decode(encoding)
    except UnicodeDecodeError:
        return kept(byte)


def test_text_that_cannot_have_been_garbled_is_left():
    assert undone("PESEL", "utf-8", "cp1250") is None  # nothing to undo
    assert undone("Imię", "utf-8", "cp1252") is None  # "ę" has no Western Windows byte
    assert undone("Imię", "utf-8", "cp1250") is None  # b"Imi\xea" is not UTF-8


def test_the_misreading_that_explains_most_comes_first():
    """UTF-8 read as Western Windows: "ImiÄ™" also reads back through Polish Windows,
    "PÅ‚eÄ‡" does not — the Western reading explains both."""
    rows = [[t.encode("utf-8").decode("cp1252") for t in HEADERS]]
    written, read, fixed = likely_misreadings(rows)[0]
    assert (written, read) == ("utf-8", "cp1252")
    assert fixed == [HEADERS]


def _csv(folder: Path, encoding: str, rows: list[list[object]]) -> Path:
    path = folder / "eksport.csv"
    text = "\n".join(";".join(str(v) for v in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def _opened(folder: Path, written: str, read: str, rows: list[list[object]]) -> Path:
    """The CSV written in ``written``, opened by LibreOffice as ``read``, saved as xlsx."""
    needs_libreoffice()
    source = _csv(folder, written, rows)
    [book] = libreoffice_convert([source], "xlsx", folder / "out",
                                 infilter=f"CSV:59,34,{CHARSET[read]}")
    return book


def _issues(path: Path) -> list[dict[str, object]]:
    _code, document = run_json(path)
    return list(document["issues"])


@pytest.mark.parametrize(("written", "read", "seen"), [
    ("utf-8", "cp1250", "ImiÄ™"),  # a UTF-8 export opened by a double click in Excel
    ("utf-8", "cp1252", "ImiÄ™"),
    ("cp1250", "cp1252", "Imiê"),  # a Polish Windows file opened as Western
    ("cp1250", "latin-1", "Imiê"),
])
def test_a_misread_export_is_told_with_the_encoding_to_open_it_in(tmp_path, written, read,
                                                                   seen):
    book = _opened(tmp_path, written, read, [HEADERS, *ROWS])
    issues = _issues(book)
    assert [i["code"] for i in issues] == ["S008"]  # not S003 "no column Imię"
    issue = issues[0]
    assert issue["cell"] == "B1"
    names = {"utf-8": "UTF-8", "cp1250": "Windows-1250", "cp1252": "Windows-1252",
             "latin-1": "ISO-8859-1"}
    assert f"„{seen}” to „Imię”" in issue["message"]
    assert f"zapisany jako {names[written]}, a otwarty jako {names[read]}" in issue["message"]
    assert f"z kodowaniem {names[written]}" in issue["message"]


def test_letters_lost_reading_a_windows_file_as_utf8(tmp_path):
    book = _opened(tmp_path, "cp1250", "utf-8", [HEADERS, *ROWS])
    issues = _issues(book)
    assert [(i["code"], i["cell"]) for i in issues] == [("S009", "B1")]
    assert "Imi\ufffd" in issues[0]["message"] and "Windows-1250" in issues[0]["message"]


def test_the_same_export_opened_right_is_checked(tmp_path):
    book = _opened(tmp_path, "utf-8", "utf-8", [HEADERS, *ROWS])
    _code, document = run_json(book)
    assert not [i for i in document["issues"] if str(i["code"]).startswith("S")]
    assert document["files"][0]["sheets"][0]["rows"] == 2


def test_a_header_with_nothing_known_before_repair_is_s008_not_s002(tmp_path):
    """Only letters outside ASCII name these columns: unrepaired, no header at all."""
    rows = [["Imię i nazwisko", "PESEL", "Płeć", "Miejscowość", "Wykształcenie"],
            ["Anna Świątek", ANNA, "K", "Łódź", "wyższe"]]
    path = write_rows(tmp_path / "lista.xlsx", rows)
    assert not [i for i in _issues(path) if str(i["code"]).startswith("S")]  # readable
    garbled = [[t.encode("utf-8").decode("cp1250", "replace") for t in row] for row in rows]
    path = write_rows(tmp_path / "lista.xlsx", garbled)
    issues = _issues(path)
    assert [i["code"] for i in issues] == ["S008"]
    assert "„Imię i nazwisko”" in str(issues[0]["message"])


def test_a_sheet_of_notes_with_garbled_letters_is_still_no_project_sheet(tmp_path):
    notes = [["ZaĹ‚Ä…cznik do umowy"], ["Uwagi: zmiana osoby kontaktowej"]]
    path = write_rows(tmp_path / "notatki.xlsx", notes)
    assert [i["code"] for i in _issues(path)] == ["S002"]


def test_explain_says_why_the_sheet_was_not_read(tmp_path):
    """S008 points at a cell, yet it is why the whole sheet was skipped: explain shows
    it, not "not read (a sheet of the tool …)"."""
    rows = [[t.encode("utf-8").decode("cp1250", "replace") for t in HEADERS]]
    path = write_rows(tmp_path / "lista.xlsx", rows)
    text = run("explain", path).output
    assert "[S008]" in text and "nie czytany" not in text
    document = json.loads(run("explain", "--format", "json", path).output)
    [sheet] = document["files"][0]["sheets"]
    assert sheet["layout"] is None and [i["code"] for i in sheet["issues"]] == ["S008"]


@pytest.mark.parametrize("layout", ["sl2014", "smefs"])
def test_a_central_system_export_opened_by_a_double_click(tmp_path, layout):
    """The SL2014 and SM EFS layouts (sample.export_rows: their public field lists,
    synthetic people) as a UTF-8 CSV, opened as Excel on a Polish Windows opens it."""
    needs_libreoffice()
    people = participant_rows({"A": 12}, dt.date(2019, 1, 1), dt.date(2020, 12, 31))
    headers, rows = export_rows(layout, people)
    source = tmp_path / f"{layout}.csv"
    with source.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, delimiter=";").writerows([headers, *rows])
    for read, folder in (("cp1250", "dwuklik"), ("utf-8", "dobrze")):
        [book] = libreoffice_convert([source], "xlsx", tmp_path / folder,
                                     infilter=f"CSV:59,34,{CHARSET[read]}")
        _code, document = run_json(book)
        sheet_codes = [i["code"] for i in document["issues"]
                       if str(i["code"]).startswith("S")]
        if read == "utf-8":
            assert sheet_codes == []
            assert document["files"][0]["sheets"][0]["rows"] == 12
        else:
            assert sheet_codes == ["S008"]
            assert "zapisany jako UTF-8, a otwarty jako Windows-1250" in str(
                document["issues"][0]["message"])


def test_a_sheet_read_without_its_garbled_columns_says_so(tmp_path):
    """Contracts need only ASCII-named columns (number, amount): the sheet is read, and
    S010 says which columns it was read without, and why."""
    rows = [["Nr kontraktu socjalnego", "Nazwisko", "Imię", "PESEL", "Obowiązuje od",
             "Obowiązuje do", "Kwota przyznana"],
            ["KS/1/2019", "Nowak", "Anna", ANNA, "2019-02-01", "2019-06-30", 1200]]
    garbled = [[t.encode("utf-8").decode("cp1250") if isinstance(t, str) else t
                for t in row] for row in rows]
    path = write_rows(tmp_path / "kontrakty.xlsx", garbled, sheet="Kontrakty")
    issues = _issues(path)
    assert [(i["code"], i["cell"]) for i in issues if str(i["code"]).startswith("S")] == [
        ("S010", "C1")]
    assert "„ImiÄ™” to „Imię”" in str(issues[0]["message"])
    path = write_rows(tmp_path / "kontrakty.xlsx", rows, sheet="Kontrakty")
    assert not [i for i in _issues(path) if str(i["code"]).startswith("S")]


def test_a_sheet_too_wide_for_any_export_is_not_asked(tmp_path):
    """Finding a header again in a hostile sheet of thousands of columns costs seconds
    for each misreading: past MISREAD_CELLS head cells the sheet keeps what it had
    (here S003: Lp., Nazwisko and PESEL are read, Imię is not)."""
    from workbook_tools.engine import MISREAD_CELLS

    width = MISREAD_CELLS // 2 + 1  # two rows
    header = [t.encode("utf-8").decode("cp1250") for t in HEADERS]
    rows = [header + ["ZaĹ‚Ä…cznik"] * (width - len(header)), ["x"] * width]
    path = write_rows(tmp_path / "szeroki.xlsx", rows)
    assert [i["code"] for i in _issues(path)] == ["S003"]
    narrow = write_rows(tmp_path / "waski.xlsx", [row[:len(HEADERS)] for row in rows])
    assert [i["code"] for i in _issues(narrow)] == ["S008"]


def test_a_garbled_list_read_as_another_kind_is_skipped_not_checked(tmp_path):
    """A hand-kept list (title, blank row, a name in one column) saved as UTF-8 CSV and
    opened as Windows-1250, then kept as .xls: garbled, only "Lp." and "PESEL" over a
    date in the first data row are known, which made it an attendance grid checked
    for attendance marks (G008 on names and dates). Repaired, it is a participant list:
    S008, the sheet skipped, nothing else."""
    rows = [["Lista uczestników projektu — stan na 31.03.2020", "", "", "", "", ""],
            ["", "", "", "", "", ""],
            ["Lp.", "Nazwisko i imię", "PESEL", "Płeć",
             "Data rozpoczęcia udziału w projekcie", "Miejscowość"],
            [1, "Świątek Anna", ANNA, "K", "2/4/2019", "Łódź"],
            [2, "Żółć Jan", JAN, "M", "31.02.2019", "Gdańsk"]]
    needs_libreoffice()
    [book] = libreoffice_convert([_csv(tmp_path, "utf-8", rows)], "xls", tmp_path / "out",
                                 infilter=f"CSV:59,34,{CHARSET['cp1250']}")
    issues = _issues(book)
    assert [(i["code"], i["cell"]) for i in issues] == [("S008", "B3")]
    assert "zapisany jako UTF-8, a otwarty jako Windows-1250" in str(issues[0]["message"])
