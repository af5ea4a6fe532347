"""Files that are not (readable) workbooks: one clear message each, exit 2, others still read."""

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest

from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

from .conftest import found, run, run_json, write_rows

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"

GOOD_ROWS = [["Imię", "Nazwisko", "PESEL"],
             ["Anna", "Nowak", make_pesel(dt.date(1980, 4, 2), Sex.FEMALE, 12)],
             ["Anna", "Nowak", "12345"]]


def good(folder: Path) -> Path:
    return write_rows(folder / "dobry.xlsx", GOOD_ROWS)


def encrypted(path: Path) -> Path:
    plain = io.BytesIO()
    write_rows(path.with_suffix(".tmp.xlsx"), GOOD_ROWS)
    plain.write(path.with_suffix(".tmp.xlsx").read_bytes())
    path.with_suffix(".tmp.xlsx").unlink()
    plain.seek(0)
    with path.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("tajne", out)
    return path


def truncated(path: Path) -> Path:
    write_rows(path, GOOD_ROWS)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def writer(data: bytes):
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path
    return make


def not_a_workbook_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "to nie arkusz")
    return path


CASES = {
    "pusty.xlsx": (writer(b""), "F001", "plik jest pusty (0 bajtów)"),
    "obciety.xlsx": (truncated, "F001", "plik jest uszkodzony lub niekompletny (obcięty)"),
    "eksport.xlsx": (writer("Imię;Nazwisko;PESEL\nAnna;Nowak;1\n".encode("cp1250")),
                     "F001", "to plik tekstowy (np. CSV) z rozszerzeniem skoroszytu"),
    "skan.xls": (writer(b"%PDF-1.4\n%..."), "F001", "to plik PDF"),
    "haslo.xlsx": (encrypted, "F002", "chroniony hasłem"),
    "lista.csv": (writer(b"a;b\n"), "F003", "Nieobsługiwany typ pliku „.csv”"),
    "archiwum.xlsx": (not_a_workbook_zip, "F001", "plik uszkodzony lub nie jest skoroszytem"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_unreadable_file_is_one_clear_issue_and_exit_2(tmp_path, name):
    make, code, text = CASES[name]
    path = make(tmp_path / name)
    exit_code, document = run_json(path)
    assert exit_code == 2
    [issue] = document["issues"][:1]
    assert (issue["code"], issue["cell"], issue["sheet"]) == (code, None, None)
    assert text in issue["message"]
    assert issue["file"].endswith(name)


def test_other_files_in_the_run_are_still_validated(tmp_path):
    for name, (make, _code, _text) in CASES.items():
        make(tmp_path / name)
    good(tmp_path)
    exit_code, document = run_json(tmp_path)
    assert exit_code == 2
    codes = sorted(i["code"] for i in document["issues"])
    assert codes == sorted(["F001"] * 5 + ["F002", "P001"])  # the .csv is skipped in a folder
    assert document["summary"]["skipped"] == 1
    assert document["summary"]["unreadable"] == 6
    assert document["summary"]["rows"] == 2


def test_missing_path_is_reported_not_a_traceback(tmp_path):
    exit_code, document = run_json(tmp_path / "nie-ma.xlsx")
    assert exit_code == 2
    assert document["issues"][0]["message"] == "Nie można odczytać pliku: plik nie istnieje"


def test_sheet_without_recognisable_header_and_empty_sheet(tmp_path):
    path = write_rows(tmp_path / "notatki.xlsx", [["Spotkanie zespołu"], ["omówiono plan"]],
                      sheet="Notatki", extra_sheets={"Pusty": []})
    exit_code, document = run_json(path)
    assert found(document) == [("S002", None, "Notatki"), ("S001", None, "Pusty")]
    assert exit_code == 0


def test_xlsx_renamed_to_xls_is_still_read(tmp_path):
    path = good(tmp_path)
    renamed = path.rename(tmp_path / "dobry.xls")
    exit_code, document = run_json(renamed)
    assert found(document) == [("P001", "C3", "Lista")]
    assert exit_code == 1


def test_terminal_output_has_no_traceback(tmp_path):
    truncated(tmp_path / "obciety.xlsx")
    result = run("validate", tmp_path / "obciety.xlsx")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "obciety.xlsx" in result.output and "obcięty" in result.output


def test_unreadable_messages_in_english(tmp_path):
    path = not_a_workbook_zip(tmp_path / "archiwum.xlsx")
    _, document = run_json(path, tmp_path / "brak.xlsx", extra=["--lang", "en"])
    messages = [i["message"] for i in document["issues"]]
    assert messages[0].startswith("Cannot read the file: the file is damaged or not a workbook")
    assert messages[1] == "Cannot read the file: the file does not exist"


def test_a_program_error_on_one_file_is_an_issue_for_it_alone(tmp_path, monkeypatch):
    import dataclasses

    from workbook_tools.kinds import KINDS

    def broken(ctx, records):
        if ctx.table.file.endswith("zly.xlsx"):
            raise ZeroDivisionError("oops")
        return []

    kind = KINDS["participants"]
    monkeypatch.setitem(KINDS, "participants",
                        dataclasses.replace(kind, checks=(broken, *kind.checks)))
    write_rows(tmp_path / "zly.xlsx", GOOD_ROWS)
    good(tmp_path)
    exit_code, document = run_json(tmp_path)
    assert exit_code == 2
    assert [(i["code"], i["file"].rsplit("/", 1)[-1]) for i in document["issues"]] == [
        ("P001", "dobry.xlsx"), ("F005", "zly.xlsx")]
    assert "ZeroDivisionError" in document["issues"][1]["message"]


def test_an_unreadable_workbook_of_the_project_is_said_at_the_file_asked_about(tmp_path):
    """A file is checked with the other workbooks of its project, and only its own
    issues are reported: an unreadable participant list beside an attendance list would
    leave "on the attendance list but not on the participant list" (G001) unchecked,
    without a word. F008, at the file asked about, names it."""
    for name in ("obecnosc.xlsx", "uczestnicy.xlsx"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    code, document = run_json(tmp_path / "obecnosc.xlsx")
    assert "G001" in [i["code"] for i in document["issues"]]  # what the list is needed for
    assert "F008" not in [i["code"] for i in document["issues"]]
    truncated(tmp_path / "uczestnicy.xlsx")
    code, document = run_json(tmp_path / "obecnosc.xlsx")
    codes = [i["code"] for i in document["issues"]]
    assert "G001" not in codes and codes.count("F008") == 1
    [said] = [i for i in document["issues"] if i["code"] == "F008"]
    assert said["file"].endswith("obecnosc.xlsx") and said["severity"] == "warning"
    assert "uczestnicy.xlsx" in said["message"] and "(F001)" in said["message"]
    assert code == 1  # the attendance list's own errors; the warning does not change it
    code, document = run_json(tmp_path)  # the whole project: the list's own F001 instead
    assert code == 2 and "F008" not in [i["code"] for i in document["issues"]]


def test_a_claim_or_a_quiet_run_without_a_workbook_of_the_project_says_so(tmp_path):
    """zestawienie counted from a file whose payments workbook beside it is unreadable:
    the tables would hand in 'nothing paid'; F008 is listed with them and the exit code
    is 2. A quiet validate lists F008 too (it changes what the result means)."""
    for name in ("kontrakty.xlsx", "uczestnicy.xlsx"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    truncated(tmp_path / "wyplaty.xlsx")
    result = run("zestawienie", tmp_path / "kontrakty.xlsx")
    assert result.exit_code == 2
    assert "F008" in result.output and "wyplaty.xlsx z tego projektu (F001)" in result.output
    quiet = run("validate", "-q", tmp_path / "kontrakty.xlsx")
    assert [line.split(": ")[1][:4] for line in quiet.output.splitlines()[:-1]] == ["F008"]
    assert quiet.exit_code == 1  # the contracts' own errors; F008 is a warning here


def test_a_settings_key_naming_no_column_of_a_read_workbook_is_no_f008(tmp_path):
    """F004 at a file ("[kolumny] names no column of it") is about a file that was read:
    the checks across workbooks included it, so the file asked about gets no F008."""
    for name in ("kontrakty.xlsx", "uczestnicy.xlsx"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    (tmp_path / "projekt.toml").write_text(
        '[kolumny."kontrakty.xlsx"]\n"Kwota, której nie ma" = "Kwota przyznana"\n',
        encoding="utf-8")
    _code, whole = run_json(tmp_path)
    [key] = [i for i in whole["issues"] if i["code"] == "F004"]  # the key, at the file
    assert key["file"].endswith("kontrakty.xlsx") and "Kwota, której nie ma" in key["message"]
    _code, document = run_json(tmp_path / "uczestnicy.xlsx")
    assert "F008" not in [i["code"] for i in document["issues"]]


def test_a_file_named_pomin_in_arkusze_is_no_part_of_the_project(tmp_path):
    """A damaged or locked file kept in the folder, named "pomin" in [arkusze]: not read
    at all, so no F008 at the other files and fill writes the project-wide columns. Its
    own sheet named apart ("plik:arkusz") still makes it read."""
    from workbook_tools.settings import ProjectSettings

    shutil.copy(EXAMPLE / "kontrakty.xlsx", tmp_path / "kontrakty.xlsx")
    truncated(tmp_path / "hasla.xlsx")
    (tmp_path / "projekt.toml").write_text('[arkusze]\n"hasla.xlsx" = "pomin"\n',
                                           encoding="utf-8")
    code, document = run_json(tmp_path / "kontrakty.xlsx")
    assert not [i for i in document["issues"] if i["code"].startswith("F")]
    code, document = run_json(tmp_path)
    assert code != 2 and not [i for i in document["issues"] if i["code"].startswith("F")]
    assert run("fill", tmp_path / "kontrakty.xlsx").exit_code == 0
    settings = ProjectSettings(sheets={"a.xlsx": "pomin", "b.xlsx": "pomin",
                                       "b.xlsx:Lista": "uczestnicy"})
    assert settings.skips_file("a.xlsx") and not settings.skips_file("b.xlsx")
    assert not settings.skips_file("c.xlsx")
