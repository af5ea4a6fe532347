"""The coordinator's batch: a tree of projects, parallel workers, report, rule settings."""

import json
import os
import re
import signal
import zipfile
from pathlib import Path

import jsonschema
import pytest
import xlsxwriter
from openpyxl import load_workbook

from workbook_tools import batch

from .conftest import run, run_json, write_rows
from .people import ANNA, JAN

SCHEMA = Path(__file__).parent.parent / "workbook_tools" / "schemas" / "validate.schema.json"
PARTICIPANTS = [["Lp.", "Imię", "Nazwisko", "PESEL", "Data rozpoczęcia udziału w projekcie"],
                [1, "Anna", "Nowak", ANNA, "01.02.2009"]]
CONTRACTS = [["Nr kontraktu", "Nazwisko i imię", "PESEL", "Obowiązuje od", "Obowiązuje do",
              "Kwota przyznana"],
             ["KS/1", "Nowak Anna", ANNA, "01.03.2009", "30.09.2009", 500],
             ["KS/2", "Kowalski Jan", JAN, "01.03.2009", "30.09.2009", 500]]
SETTINGS = "poczatek = 2009-01-01\nkoniec = 2009-12-31\ndata_kontroli = 2009-06-30\n"


def tree(root: Path) -> Path:
    """Four projects: clean (with a subfolder), one corrupt file, one Excel lock file and
    a text file, cross-workbook mistakes; Jan is on the list only of the clean one."""
    clean = root / "mops-a"
    (clean / "kontrakty").mkdir(parents=True)
    (clean / "projekt.toml").write_text(SETTINGS, encoding="utf-8")
    write_rows(clean / "uczestnicy.xlsx", [*PARTICIPANTS, [2, "Jan", "Kowalski", JAN,
                                                           "01.02.2009"]])
    write_rows(clean / "kontrakty" / "kontrakty.xlsx", CONTRACTS, sheet="Kontrakty")
    corrupt = root / "mops-b"
    corrupt.mkdir()
    write_rows(corrupt / "uczestnicy.xlsx", PARTICIPANTS)
    (corrupt / "budzet.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    locked = root / "mops-c"
    locked.mkdir()
    write_rows(locked / "uczestnicy.xlsx", PARTICIPANTS)
    (locked / "~$uczestnicy.xlsx").write_bytes(b"\x00" * 165)
    (locked / "notatki.txt").write_text("spotkanie we wtorek", encoding="utf-8")
    mistakes = root / "mops-d"
    mistakes.mkdir()
    (mistakes / "projekt.toml").write_text(SETTINGS, encoding="utf-8")
    write_rows(mistakes / "uczestnicy.xlsx", PARTICIPANTS)
    write_rows(mistakes / "kontrakty.xlsx", CONTRACTS, sheet="Kontrakty")
    return root


def per_project(document):
    return {Path(p["project"]).name: (p["files"], p["errors"], p["warnings"], p["status"])
            for p in document["projects"]}


def test_tree_of_projects(tmp_path):
    root = tree(tmp_path / "drzewo")
    code, document = run_json(root, extra=["--jobs", "2"])
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert code == 2  # the corrupt file
    assert per_project(document) == {
        "mops-a": (2, 0, 0, "ok"),        # the subfolder's contracts belong to the project
        "mops-b": (2, 1, 0, "unreadable"),
        "mops-c": (1, 0, 0, "ok"),
        "mops-d": (2, 1, 0, "errors"),    # Jan is on mops-a's list, not on mops-d's
    }
    assert [(Path(i["file"]).parent.name, i["code"], i["cell"]) for i in document["issues"]] \
        == [("mops-b", "F001", None), ("mops-d", "K002", "C3")]
    assert document["summary"]["skipped"] == 2  # the lock file and the text file
    assert document["summary"]["files"] == 7


def test_the_computed_tables_cross_back_only_when_asked_for(tmp_path):
    """A plain run does not compute, send and receive the tables (a sixth of checking
    10 000 payments); --summary gets them, in text and JSON alike."""
    root = tree(tmp_path / "drzewo")
    plain = batch.run([root / "mops-a"], jobs=1)
    assert [p.tables for p in plain.projects] == [None]
    asked = batch.run([root / "mops-a"], jobs=1, tables=True)
    assert asked.projects[0].tables
    text = run("validate", "--summary", root / "mops-a")
    assert asked.projects[0].tables[0].title in text.output
    _, document = run_json(root / "mops-a", extra=["--summary"])
    assert [t["title"] for t in document["tables"]] == [t.title for t in asked.projects[0].tables]


def test_summary_table_and_report(tmp_path):
    root = tree(tmp_path / "drzewo")
    report = tmp_path / "raport.xlsx"
    result = run("validate", "--quiet", "--report", report, root)
    assert result.exit_code == 2
    assert "Projekty" in result.output and "nieczytelne" in result.output
    assert "Razem" in result.output
    book = load_workbook(report)
    assert book.sheetnames == ["Podsumowanie", "Uwagi", "Wykresy"]
    summary = list(book["Podsumowanie"].iter_rows(min_row=2, max_row=5, values_only=True))
    assert [(Path(r[0]).name, r[3], r[6]) for r in summary] == [
        ("mops-a", 0, "OK"), ("mops-b", 1, "nieczytelne pliki"), ("mops-c", 0, "OK"),
        ("mops-d", 1, "błędy")]
    assert book["Podsumowanie"].conditional_formatting
    issues = book["Uwagi"]
    assert issues.freeze_panes == "A2" and issues.auto_filter.ref
    link = issues["D3"].hyperlink
    assert (link.target, link.location) == (os.path.join("drzewo", "mops-d",
                                                         "kontrakty.xlsx").replace("/", "\\"),
                                            "'Kontrakty'!C3")
    texts = [str(v) for row in issues.iter_rows(values_only=True) for v in row if v]
    assert not any(ANNA in t or JAN in t for t in texts)  # no PESEL in the report
    with zipfile.ZipFile(report) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())
    # a later run over the tree skips the report it wrote there
    report_in_tree = root / "raport.xlsx"
    run("validate", "--quiet", "--report", report_in_tree, root)
    _, document = run_json(root, extra=["--jobs", "1"])
    assert "raport.xlsx" not in {Path(f["file"]).name for f in document["files"]}


def test_report_opens_in_libreoffice(tmp_path, libreoffice):
    root = tree(tmp_path / "drzewo")
    report = tmp_path / "raport.xlsx"
    run("validate", "--quiet", "--report", report, root)
    [exported] = libreoffice([report], "csv:Text - txt - csv (StarCalc):44,34,76",
                             tmp_path / "csv")
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Projekt,Pliki,Nieczytelne,Błędy")
    assert lines[-1].startswith("Razem,7,1,2,0,0")  # the SUM formulas, computed by Calc


def test_rule_settings_ignore_select_and_severity(tmp_path):
    root = tree(tmp_path / "drzewo")
    settings = root / "mops-d" / "projekt.toml"
    settings.write_text(SETTINGS + 'ignoruj = ["K002"]\n', encoding="utf-8")
    _, document = run_json(root / "mops-d")
    assert document["issues"] == []
    settings.write_text(SETTINGS + '[waga]\nK002 = "ostrzeżenie"\n', encoding="utf-8")
    code, document = run_json(root / "mops-d")
    assert [(i["code"], i["severity"]) for i in document["issues"]] == [("K002", "warning")]
    assert code == 0
    settings.write_text(SETTINGS + 'wybierz = ["P"]\n', encoding="utf-8")
    assert run_json(root / "mops-d")[1]["issues"] == []
    settings.write_text(SETTINGS + 'ignoruj = ["X123"]\n', encoding="utf-8")
    code, document = run_json(root / "mops-d")
    assert code == 2 and document["issues"][0]["code"] == "F004"
    assert "nieznany kod reguły „X123”" in document["issues"][0]["message"]


def test_root_settings_apply_to_every_project(tmp_path):
    root = tree(tmp_path / "drzewo")
    (root / "workbook-tools.toml").write_text('[waga]\nK002 = "informacja"\n', encoding="utf-8")
    _, document = run_json(root)
    [k002] = [i for i in document["issues"] if i["code"] == "K002"]
    assert k002["severity"] == "info"


def big_attendance(path: Path, rows: int) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Obecność")
    sheet.write_row(0, 0, ["Nazwisko i imię", "PESEL", "Forma wsparcia", "Data zajęć",
                           "Liczba godzin zajęć", "Liczba godzin obecności"])
    for row in range(1, rows + 1):
        sheet.write_row(row, 0, [f"Osoba {row % 500}", None, "KIS",
                                 f"{1 + row % 28:02d}.03.2009", 4, 4])
    book.close()
    return path


def test_a_file_over_the_time_limit_is_stopped_and_the_rest_kept(tmp_path, monkeypatch):
    """Deterministic, whatever the machine's speed: reading this one file never ends
    (the forked workers inherit the patched reader), so the limit always stops it."""
    import threading

    from workbook_tools import contain, engine

    if contain._context().get_start_method() != "fork":
        pytest.skip("the patched reader reaches only forked workers")
    root = tree(tmp_path / "drzewo")
    slow = write_rows(root / "mops-c" / "obecnosc.xlsx", [
        ["Nazwisko i imię", "Forma wsparcia", "Data zajęć", "Liczba godzin obecności"]])
    reader = engine.iter_sheets

    def hanging(path, *args, **kwargs):
        if path == slow:
            threading.Event().wait()  # never set: the file "takes forever"
        return reader(path, *args, **kwargs)

    monkeypatch.setattr(engine, "iter_sheets", hanging)
    result = batch.run([root], jobs=2, time_limit=1.0)
    by_file = {Path(i.file).name: i for i in result.issues}
    assert by_file["obecnosc.xlsx"].code == "F006"
    assert "1 s" in by_file["obecnosc.xlsx"].message()
    assert by_file["kontrakty.xlsx"].code == "K002"  # mops-d still checked
    assert [f.display for f in result.files if f.path.name == "uczestnicy.xlsx"
            and f.path.parent.name == "mops-c"]  # the file beside the slow one: read again


def test_a_killed_worker_costs_only_its_file(tmp_path):
    root = tree(tmp_path / "drzewo")
    # a file that takes the worker a while to read, so that the signal, sent when the
    # worker announces the file, always finds it inside that file (a small file could
    # be done before the signal lands: the test failed now and then)
    victim = big_attendance(root / "mops-d" / "obecnosc.xlsx", 40_000)

    def kill(pid: int, path: Path) -> None:
        if path == victim:
            os.kill(pid, signal.SIGKILL)  # as a crash inside a native reader would

    result = batch.run([root], jobs=2, on_file=kill)
    by_file = {(f.path.parent.name, f.path.name): f for f in result.files}
    [crash] = by_file[("mops-d", "obecnosc.xlsx")].issues
    assert crash.code == "F007" and "sygnał 9" in crash.message()
    assert by_file[("mops-d", "uczestnicy.xlsx")].issues == []
    assert by_file[("mops-b", "budzet.xlsx")].issues[0].code == "F001"
    assert result.exit_code == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jobs_give_the_same_result(tmp_path, jobs):
    root = tree(tmp_path / "drzewo")
    _, serial = run_json(root, extra=["--jobs", "1"])
    _, parallel = run_json(root, extra=["--jobs", jobs])
    assert serial["issues"] == parallel["issues"] and serial["projects"] == parallel["projects"]


def test_the_report_prints_one_page_wide_with_its_header_on_every_page(tmp_path,
                                                                         libreoffice):
    """What the file declares for printing, and LibreOffice's own render of it."""
    root = tree(tmp_path / "drzewo")
    (root / "mops-a" / "projekt.toml").write_text('wiek_max = "64 lata"\n', encoding="utf-8")
    report = tmp_path / "raport.xlsx"
    run("validate", "--quiet", "--report", report, root)
    book = load_workbook(report)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        # fitToWidth 1 is the format's default, written as nothing
        assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["Uwagi"].print_title_rows == "$1:$1"
    summary = {Path(r[0]).name: r[6] for r in book["Podsumowanie"].iter_rows(
        min_row=2, max_row=5, values_only=True)}
    assert summary["mops-a"] == "błąd w projekt.toml"  # not "nieczytelne pliki"
    issues = book["Uwagi"]
    tall = [row for row in range(2, issues.max_row + 1)
            if len(str(issues.cell(row, 7).value)) > 95]
    assert all(issues.row_dimensions[row].height >= 30 for row in tall)
    values = [issues.cell(row, 8).value for row in range(2, issues.max_row + 1)]
    assert not any(isinstance(v, str) and re.fullmatch(r"-?\d+\.\d+", v) for v in values)
    [pdf] = libreoffice([report], "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    # landscape A4 pages: LibreOffice honoured the page setup
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf.read_bytes())
    assert boxes and all(float(w) > float(h) for w, h in boxes)


def test_report_links_survive_libreoffice_with_the_file_and_the_cell(tmp_path, libreoffice):
    """Excel opens the source workbook at the cell (the link's location, Excel's
    "'Sheet'!C3"); LibreOffice keeps file and anchor as they are — it opens the workbook,
    but its own anchors are written "Sheet.C3", so it does not move to the cell."""
    root = tree(tmp_path / "drzewo")
    report = tmp_path / "raport.xlsx"
    run("validate", "--quiet", "--report", report, root)
    [ods] = libreoffice([report], "ods", tmp_path / "ods")
    with zipfile.ZipFile(ods) as archive:
        content = archive.read("content.xml").decode()
    links = re.findall(r'xlink:href="([^"]+)"', content)
    assert any(link.endswith("mops-d/kontrakty.xlsx#&apos;Kontrakty&apos;!C3")
               for link in links), links[:5]
