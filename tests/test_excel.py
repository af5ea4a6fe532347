"""The Excel door: the buttons' Python run through xlwings' remote engine, and the
macro-enabled files we build read back by olevba and by LibreOffice."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
import xlwings as xw
from oletools.olevba import VBA_Parser

from workbook_tools import excel
from workbook_tools.addin import ADDIN_NAME, build_addin, build_all
from workbook_tools.vba import MACROS, compress, module_sources

from .conftest import write_rows

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"


def _json_value(value):
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    return "" if value is None else value


def payload(path: Path, extra: dict | None = None) -> dict:
    """What the xlwings VBA client sends: every sheet's values, dates as ISO strings."""
    book = calamine.CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=1)
        sheets.append({"name": name, "pictures": [], "tables": [],
                       "values": [[_json_value(v) for v in r] + [""] * (width - len(r))
                                  for r in rows] or [[""]]})
    for name, rows in (extra or {}).items():
        sheets.append({"name": name, "pictures": [], "tables": [], "values": rows})
    return {"client": "VBA", "version": xw.__version__, "names": [],
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "sheets": sheets}


def actions(book, func):
    return [a for a in book.json()["actions"] if a["func"] == func]


def test_sprawdz_marks_cells_writes_report_and_tells_the_user():
    book = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))
    excel.sprawdz(book)
    [colours] = actions(book, "setRangeColors")
    matrix = colours["args"][0]
    top, left = colours["start_row"], colours["start_column"]
    marked = {(top + r + 1, left + c + 1): v for r, row in enumerate(matrix)
              for c, v in enumerate(row) if v != "keep"}
    assert marked[(9, 4)] == "#ffc7ce"  # D9: the PESEL with a wrong check digit (P001)
    assert marked[(45, 13)] == "#ffeb9c"  # M45: postal code typed as a number (warning)
    assert len(marked) == 11
    # the undo record is written (and hidden) before any cell is coloured
    funcs = [a["func"] for a in book.json()["actions"]]
    assert funcs.index("setSheetVisibility") < funcs.index("setRangeColors")
    added = [a["args"][1] for a in actions(book, "addSheet")]
    assert added == ["_workbook_tools", "Wyniki kontroli"]
    record = next(a for a in actions(book, "setValues")
                  if a["values"][0][0] == "workbook-tools undo record")
    assert record["values"][0][1:3] == [3, "Wyniki kontroli"]
    assert len(record["values"]) == 2 + 11
    report = next(a for a in actions(book, "setValues") if a["values"][0][0] == "Lp.")
    assert len(report["values"]) == 1 + 11
    assert report["values"][1][3] == "P001"
    # links are HYPERLINK formulas written with the report, not one call per link
    assert report["values"][1][2] == '=HYPERLINK("#\'Uczestnicy\'!D9","D9")'
    assert not actions(book, "addHyperlink")
    assert "*****" in report["values"][1][5]  # PESEL masked in the message
    [hidden] = actions(book, "setSheetVisibility")
    assert hidden["args"] == ["Hidden"]
    [alert] = actions(book, "alert")
    assert alert["args"][0] == ("Sprawdzono: 9 błędów, 2 ostrzeżenia, 0 informacji. "
                                "Szczegóły w arkuszu „Wyniki kontroli”.")


class Saved:
    """A remote-engine book as a workbook saved on disk: Excel gives its full path as
    ``fullname`` (the remote engine knows only the name), and the buttons then check
    it with the other workbooks of its folder."""

    def __init__(self, book: xw.Book, path: Path) -> None:
        self._book, self.fullname = book, str(path)

    def __getattr__(self, name: str) -> object:
        return getattr(self._book, name)


def report_codes(book) -> list[str]:
    report = next(a for a in actions(book, "setValues") if a["values"][0][0] == "Lp.")
    return [row[3] for row in report["values"][1:]]


def test_sprawdz_checks_the_workbook_with_the_rest_of_its_project(tmp_path):
    """The attendance list open in Excel is checked against the participant list saved
    beside it (read from disk by a worker): G001 for the person not on the list; with
    the list unreadable, F008 says the check ran without it."""
    for name in ("obecnosc.xlsx", "uczestnicy.xlsx"):
        (tmp_path / name).write_bytes((EXAMPLE / name).read_bytes())
    book = Saved(xw.Book(json=payload(tmp_path / "obecnosc.xlsx")), tmp_path / "obecnosc.xlsx")
    excel.sprawdz(book)
    assert "G001" in report_codes(book) and "F008" not in report_codes(book)
    (tmp_path / "uczestnicy.xlsx").write_bytes(b"PK\x03\x04 to nie jest skoroszyt")
    book = Saved(xw.Book(json=payload(tmp_path / "obecnosc.xlsx")), tmp_path / "obecnosc.xlsx")
    excel.sprawdz(book)
    codes = report_codes(book)
    assert "G001" not in codes and codes[0] == "F008"
    [alert] = actions(book, "alert")
    assert "1 ostrzeżenie" in alert["args"][0]


def contracts_without_payments(folder: Path) -> tuple[xw.Book, Saved]:
    """The example's contracts saved alone in ``folder``, beside a damaged payments
    workbook, open in "Excel"."""
    from openpyxl import load_workbook

    book = load_workbook(EXAMPLE / "kontrakty.xlsx")
    del book["Wypłaty"]
    book.save(folder / "kontrakty.xlsx")
    (folder / "wyplaty.xlsx").write_bytes(b"PK\x03\x04 uszkodzony")
    remote = xw.Book(json=payload(folder / "kontrakty.xlsx"))
    return remote, Saved(remote, folder / "kontrakty.xlsx")


def test_sprawdz_still_answers_where_no_worker_can_be_started(tmp_path, monkeypatch):
    """An embedded Python with nothing to spawn, or a policy against child processes:
    the other workbooks are read in the button's process, as before there were
    workers, and the check against them still happens."""
    from workbook_tools import contain

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError("child processes are not allowed here")

    monkeypatch.setattr(contain, "run", refused)
    for name in ("obecnosc.xlsx", "uczestnicy.xlsx"):
        (tmp_path / name).write_bytes((EXAMPLE / name).read_bytes())
    book = Saved(xw.Book(json=payload(tmp_path / "obecnosc.xlsx")), tmp_path / "obecnosc.xlsx")
    excel.sprawdz(book)
    assert "G001" in report_codes(book)


def test_a_file_named_pomin_is_not_even_read_by_the_buttons_worker(tmp_path, monkeypatch):
    """A file the project names "pomin" in [arkusze] is no part of it: the button's
    worker is not handed it (a hostile one would cost a worker and time), and the
    check against the other workbooks happens as usual."""
    from workbook_tools import batch

    for name in ("obecnosc.xlsx", "uczestnicy.xlsx"):
        (tmp_path / name).write_bytes((EXAMPLE / name).read_bytes())
    (tmp_path / "hasla.xlsx").write_bytes(b"PK\x03\x04 zaszyfrowany")
    (tmp_path / "projekt.toml").write_text('[arkusze]\n"hasla.xlsx" = "pomin"\n',
                                           encoding="utf-8")
    handed: list[list[Path]] = []
    read = batch.read_contained
    monkeypatch.setattr(batch, "read_contained",
                        lambda files: handed.append(files) or read(files))
    book = Saved(xw.Book(json=payload(tmp_path / "obecnosc.xlsx")), tmp_path / "obecnosc.xlsx")
    excel.sprawdz(book)
    assert handed == [[tmp_path / "uczestnicy.xlsx"]]
    codes = report_codes(book)
    assert "G001" in codes and "F008" not in codes


def test_uzupelnij_holds_back_paid_to_date_without_the_payments_workbook(tmp_path):
    """"Uzupełnij" on contracts saved beside an unreadable payments workbook: paid to
    date would be 0 for every contract; it is not written, and the box says why."""
    from workbook_tools.project import display_path

    remote, saved = contracts_without_payments(tmp_path)
    excel.uzupelnij(saved)
    assert not [a for a in actions(remote, "setValues") if a["values"] == [["Wypłacono do dnia"]]]
    [alert] = actions(remote, "alert")
    assert alert["args"][0] == (
        "Uzupełniono kolumny wyliczane (0 komórek). Uwaga: nie uzupełniono: Wypłacono do dnia, "
        "Pozostało do wypłaty, % wykorzystania, Liczba wypłat — liczone z całego projektu, "
        f"a nie odczytano: {display_path(tmp_path / 'wyplaty.xlsx')}; napraw ten plik albo, "
        "jeśli nie należy do projektu, wpisz go w [arkusze] jako „pomin”.")


def test_zestawienie_counted_without_a_workbook_says_so_in_its_sheet(tmp_path):
    """The claim tables of contracts whose payments workbook beside them is unreadable
    carry F008 at the end of the sheet, and the box counts it."""
    remote, saved = contracts_without_payments(tmp_path)
    excel.zestawienie(saved)
    [sheet] = [a for a in actions(remote, "setValues") if a["values"][0][0].startswith(
        "Zestawienie do wniosku")]
    said = [row for row in sheet["values"] if "F008" in row]
    assert len(said) == 1 and "wyplaty.xlsx" in " ".join(map(str, said[0]))
    [alert] = actions(remote, "alert")
    assert "1 uwaga przy liczeniu" in alert["args"][0]


def test_uzupelnij_writes_columns_in_blocks_and_keeps_typed_values():
    book = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))
    excel.uzupelnij(book)
    writes = actions(book, "setValues")
    status = next(a for a in writes if a["values"] == [["Status uczestnictwa"]])
    column = status["start_column"]
    [block] = [a for a in writes if a["start_column"] == column and a["row_count"] > 1]
    assert (block["start_row"], block["row_count"]) == (4, 122)  # rows 5-126, one write
    assert block["values"][0] == ["zakończył udział"]
    # "Płeć" is staff's own column: only its empty cells would be written, and it has none
    assert not [a for a in writes if a["start_column"] == 4]
    assert actions(book, "alert")[0]["args"][0].startswith("Uzupełniono kolumny wyliczane")


REPORT_ROW = ["Lp.", "Arkusz", "Komórka", "Kod", "Waga", "Komunikat", "Wartość"]


def _restored(book):
    [colours] = actions(book, "setRangeColors")
    top, left = colours["start_row"], colours["start_column"]
    return {(top + r, left + c): v for r, row in enumerate(colours["args"][0])
            for c, v in enumerate(row) if v != "keep"}


def test_wyczysc_undoes_the_record_and_removes_our_sheets(tmp_path):
    source = write_rows(tmp_path / "lista.xlsx", [["Imię", "Nazwisko", "PESEL"],
                                                  ["Anna", "Nowak", "80040201230"]])
    record = [["workbook-tools undo record", 2, "Wyniki kontroli", "", "", ""],
              ["arkusz", "komórka", "wypełnienie", "komentarz", "autor komentarza",
               "komentarz dodany"],
              ["Lista", "C2", "#00b0f0", "", "", "nie"], ["Lista", "A2", "", "", "", "nie"]]
    book = xw.Book(json=payload(source, {"Wyniki kontroli": [REPORT_ROW],
                                         "_workbook_tools": record}))
    excel.wyczysc(book)
    assert _restored(book) == {(1, 2): "#00b0f0", (1, 0): None}
    assert len(actions(book, "sheetDelete")) == 2


def test_wyczysc_reads_the_record_of_version_1(tmp_path):
    source = write_rows(tmp_path / "lista.xlsx", [["Imię", "Nazwisko", "PESEL"],
                                                  ["Anna", "Nowak", "80040201230"]])
    record = [["arkusz", "komórka", "poprzedni kolor", "notatka"],
              ["Lista", "C2", "#00b0f0", "nie"], ["Lista", "A2", "", "nie"]]
    book = xw.Book(json=payload(source, {"Wyniki kontroli": [REPORT_ROW],
                                         "_workbook_tools": record}))
    excel.wyczysc(book)
    assert _restored(book) == {(1, 2): "#00b0f0", (1, 0): None}
    assert len(actions(book, "sheetDelete")) == 2


def test_a_users_own_sheet_named_like_ours_is_kept(tmp_path):
    source = write_rows(tmp_path / "lista.xlsx", [["Imię", "Nazwisko", "PESEL"],
                                                  ["Anna", "Nowak", "80040201230"]])
    audit = [["Ustalenia kontroli IZ", ""], ["1.", "brak podpisu na liście"]]
    book = xw.Book(json=payload(source, {"Wyniki kontroli": audit}))
    excel.wyczysc(book)  # no record: nothing is ours
    assert not actions(book, "sheetDelete")
    book = xw.Book(json=payload(source, {"Wyniki kontroli": audit}))
    excel.sprawdz(book)
    added = [a["args"][1] for a in actions(book, "addSheet")]
    assert added == ["_workbook_tools", "Wyniki kontroli (2)"]
    assert not actions(book, "sheetDelete")


def test_failures_reach_the_user_as_a_message_box(monkeypatch):
    book = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))

    def broken(_book):
        raise ValueError("nie można odczytać 80040201230")

    monkeypatch.setattr(excel, "read_values", broken)
    excel.sprawdz(book)  # no exception escapes
    [alert] = actions(book, "alert")
    assert alert["args"][1] == "workbook-tools — błąd"
    assert "ValueError" in alert["args"][0] and "80040201230" not in alert["args"][0]


def test_text_that_looks_like_a_formula_stays_text():
    assert excel.cell_value("=SUMA(A1)") == "'=SUMA(A1)"
    assert excel.cell_value("-5 zł") == "'-5 zł"
    assert excel.cell_value(12) == 12


# --- the built files ---------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("excel")
    return {p.name: p for p in build_all(folder)}


def _code(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")
            if line.strip() and not line.startswith("Attribute ")]


def test_olevba_reads_back_every_module(built):

    for name, expected in (("uczestnicy.xlsm", {"WorkbookTools", "xlwings"}),
                           (ADDIN_NAME, {"WorkbookTools", "Ribbon", "xlwings"})):
        sources = dict(module_sources(addin=name == ADDIN_NAME))
        parser = VBA_Parser(str(built[name]))
        modules = {Path(vba_name).stem: code for _f, _s, vba_name, code
                   in parser.extract_macros()}
        assert expected <= set(modules), name
        for module in expected:
            assert _code(modules[module]) == _code(sources[module]), (name, module)


def test_packages_are_what_excel_expects(built):
    with zipfile.ZipFile(built["uczestnicy.xlsm"]) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
        assert "application/vnd.ms-office.vbaProject" in types
        assert 'Target="vbaProject.bin"' in rels and "relationships/vbaProject" in rels
        drawing = next(n for n in archive.namelist() if n.endswith(".vml"))
        macros = set(re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>",
                                archive.read(drawing).decode()))
    subs = set(re.findall(r"Public Sub (\w+)\(\)", (MACROS / "WorkbookTools.bas").read_text()))
    assert macros == subs == {"Sprawdz", "Uzupelnij", "Popraw", "Zestawienie",
                              "WyczyscOznaczenia"}
    with zipfile.ZipFile(built[ADDIN_NAME]) as archive:
        types = archive.read("[Content_Types].xml").decode()
        root = archive.read("_rels/.rels").decode()
        ribbon = archive.read("customUI/customUI14.xml").decode()
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types
    assert "ui/extensibility" in root and "customUI/customUI14.xml" in root
    assert 'label="Projekt EFS"' in ribbon
    callbacks = set(re.findall(r'onAction="(\w+)"', ribbon))
    handlers = set(re.findall(r"Public Sub (\w+)\(control As IRibbonControl\)",
                              (MACROS / "Ribbon.bas").read_text()))
    assert callbacks == handlers and len(callbacks) == 5


def test_libreoffice_opens_the_templates_and_reads_their_macros(built, libreoffice,
                                                                tmp_path):
    [ods] = libreoffice([built["uczestnicy.xlsm"]], "ods", tmp_path)
    with zipfile.ZipFile(ods) as archive:
        names = archive.namelist()
        content = archive.read("content.xml").decode()
        module = archive.read("Basic/VBAProject/WorkbookTools.xml").decode()
        xlwings_module = archive.read("Basic/VBAProject/xlwings.xml").decode()
    assert "Basic/VBAProject/xlwings.xml" in names
    assert "Public Sub Sprawdz()" in module
    assert "Function RunPython" in xlwings_module
    for sub in ("Sprawdz", "Uzupelnij", "WyczyscOznaczenia"):
        assert f"vnd.sun.star.script:VBAProject.WorkbookTools.{sub}?" in content


def test_the_committed_templates_read_as_their_kinds():
    from workbook_tools.engine import validate_paths

    result = validate_paths([Path(__file__).parent.parent / "workbooks" / "excel"])
    kinds = sorted(s.kind for f in result.files for s in f.info)
    assert kinds == ["attendance", "attendance_grid", "budget", "contracts", "participants",
                     "payments", "psu", "psu_grid"]
    assert result.issues == []


def test_vba_compression_round_trips():
    from oletools.olevba import decompress_stream

    text = (MACROS / "WorkbookTools.bas").read_bytes() * 20
    assert bytes(decompress_stream(bytearray(compress(text)))) == text


def test_addin_builds_without_the_repository_tree(tmp_path):
    assert build_addin(tmp_path / ADDIN_NAME).stat().st_size > 10_000


def test_popraw_records_the_old_values_then_fixes_and_says_how_many():
    """The fix of `workbook-tools fix`, in the open workbook: the undo record (kind
    "poprawki", the old value) is written and hidden before any cell changes."""
    book = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))
    excel.popraw(book)
    funcs = [a["func"] for a in book.json()["actions"]]
    record = next(a for a in actions(book, "setValues")
                  if a["values"][0][0] == "workbook-tools undo record")
    assert record["values"][0][3] == "poprawki"
    assert record["values"][2][:2] == ["Uczestnicy", "M45"]
    assert record["values"][2][6] == 11200  # the number staff typed, to put back
    assert record["values"][2][8] == "tak"
    fixed = next(a for a in actions(book, "setValues") if a["values"] == [["'11-200"]])
    assert (fixed["start_row"], fixed["start_column"]) == (44, 12)  # M45
    assert funcs.index("setSheetVisibility") < book.json()["actions"].index(fixed)
    [alert] = actions(book, "alert")
    assert alert["args"][0] == ("Poprawiono 1 komórkę. Poprzednie wartości przywraca "
                                "„Wyczyść oznaczenia”.")


def test_wyczysc_puts_back_the_values_popraw_changed_and_keeps_marks_apart(tmp_path):
    source = write_rows(tmp_path / "lista.xlsx", [["Imię", "Nazwisko", "Kod pocztowy"],
                                                  ["Anna", "Nowak", "11-200"]])
    fixes = [["workbook-tools undo record", 3, "", "poprawki", "", "", "", "", ""],
             ["arkusz", "komórka", "wypełnienie", "komentarz", "autor komentarza",
              "komentarz dodany", "wartość", "format liczby", "wartość zmieniona"],
             ["Lista", "C2", "", "", "", "nie", "11200", "@", "tak"]]
    book = xw.Book(json=payload(source, {"_workbook_tools": fixes}))
    excel.sprawdz(book)  # a check clears earlier marks only: the fix is not undone
    assert not [a for a in actions(book, "setValues") if a["values"] == [["'11200"]]]
    book = xw.Book(json=payload(source, {"_workbook_tools": fixes}))
    excel.wyczysc(book)
    restored = next(a for a in actions(book, "setValues") if a["values"] == [["'11200"]])
    assert (restored["start_row"], restored["start_column"]) == (1, 2)
    [number_format] = actions(book, "setNumberFormat")  # the cell's own format, first
    assert number_format["args"] == ["@"]
    funcs = [a["func"] for a in book.json()["actions"]]
    assert funcs.index("setNumberFormat") < funcs.index("setValues")
    assert actions(book, "sheetDelete")
