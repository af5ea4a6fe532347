"""fill and clear: computed columns, marks that come off exactly, and nothing lost."""

import csv
import datetime as dt
import os
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.xml.functions import tostring

from workbook_tools.fill import clear_file, fill_file

from .conftest import run, write_rows
from .people import ANNA, JAN

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"
HEADERS = ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Data rozpoczęcia udziału w projekcie",
           "Data zakończenia udziału w projekcie", "Uwagi"]


@pytest.fixture
def example(tmp_path):
    folder = tmp_path / "przyklad"
    shutil.copytree(EXAMPLE, folder)
    return folder


def cells(path, sheet=None):
    book = load_workbook(path)
    ws = book[sheet] if sheet else book.worksheets[0]
    return {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
            if c.value is not None}


def header_of(path, row, sheet=None):
    book = load_workbook(path)
    ws = book[sheet] if sheet else book.worksheets[0]
    return [c.value for c in ws[row]]


def test_fill_writes_computed_columns_beside_the_original(example):
    result = run("fill", example / "uczestnicy.xlsx", example / "kontrakty.xlsx")
    assert result.exit_code == 0, result.output
    assert "uczestnicy.uzupelniony.xlsx" in result.output
    filled = example / "uczestnicy.uzupelniony.xlsx"
    header = header_of(filled, 4)
    assert header[-1] == "Status uczestnictwa" and header.count("Status uczestnictwa") == 1
    book = load_workbook(filled)
    ws = book["Uczestnicy"]
    status = header.index("Status uczestnictwa") + 1
    # the example's first person took part 04.01.2009 - 04.07.2009 on the planned path
    assert ws.cell(5, status).value == "zakończył udział"
    assert ws.column_dimensions[ws.cell(4, status).column_letter].width == 20
    contracts = load_workbook(example / "kontrakty.uzupelniony.xlsx")
    sheet = contracts["Kontrakty"]
    names = [c.value for c in sheet[3]]
    paid = sheet.cell(4, names.index("Wypłacono do dnia") + 1)
    left = sheet.cell(4, names.index("Pozostało do wypłaty") + 1)
    granted = sheet.cell(4, names.index("Kwota przyznana") + 1).value
    assert paid.number_format == '#,##0.00 "zł"'
    assert Decimal(str(paid.value)) + Decimal(str(left.value)) == Decimal(str(granted))
    used = sheet.cell(4, names.index("% wykorzystania") + 1)
    assert used.number_format == "0.00%" and 0 <= used.value <= 1
    # the originals are untouched
    assert "Status uczestnictwa" not in header_of(example / "uczestnicy.xlsx", 4)


def test_fill_twice_is_fill_once(example):
    first = fill_file(example / "obecnosc.xlsx")
    assert first.refused is None
    once = cells(first.target)
    again = fill_file(first.target, in_place=True)
    assert again.refused is None and again.backup is not None
    assert cells(again.target) == once
    header = [v for (row, _c), v in sorted(once.items()) if row == 3]
    assert header.count("% obecności") == 1
    # the grid's own "Razem godzin" column is where the hours go
    assert "Godziny obecności razem" not in header


def test_grid_values_in_the_existing_total_column(example):
    result = fill_file(example / "obecnosc.xlsx")
    book = load_workbook(result.target)
    ws = book["KIS edycja I"]
    header = [c.value for c in ws[3]]
    total = header.index("Razem godzin") + 1
    percent = header.index("% obecności") + 1
    completed = header.index("Ukończył(a)") + 1
    # row 8: Zieliński Ryszard, 70 h of 100 h (pinned in test_example)
    assert (ws.cell(8, total).value, ws.cell(8, percent).value, ws.cell(8, completed).value) \
        == (70, 0.7, "nie")


def test_annotate_marks_and_clear_restores(example):
    source = example / "uczestnicy.xlsx"
    book = load_workbook(source)
    ws = book["Uczestnicy"]
    ws["D9"].fill = PatternFill("solid", fgColor="FF00B0F0")  # staff's own blue
    from openpyxl.comments import Comment
    ws["D9"].comment = Comment("sprawdzić w MOPS", "Anna")
    book.save(source)
    result = fill_file(source, annotate_issues=True)
    marked = load_workbook(result.target)
    cell = marked["Uczestnicy"]["D9"]
    assert cell.fill.fgColor.rgb == "FFFFC7CE"
    assert cell.comment.text.startswith("sprawdzić w MOPS\n\n[P001]")
    report = marked["Wyniki kontroli"]
    rows = list(report.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 13 and rows[1][2:4] == ("D9", "P001")
    assert report["C3"].hyperlink.location == "'Uczestnicy'!D9"
    assert marked["_workbook_tools"].sheet_state == "veryHidden"
    cleared = clear_file(result.target, in_place=True)
    assert cleared.cleared == 12
    back = load_workbook(cleared.target)
    assert back.sheetnames == ["Uczestnicy"]
    cell = back["Uczestnicy"]["D9"]
    assert cell.fill.fgColor.rgb == "FF00B0F0"
    assert (cell.comment.text, cell.comment.author) == ("sprawdzić w MOPS", "Anna")
    assert back["Uczestnicy"]["D14"].comment is None


def test_text_from_the_sheets_never_becomes_a_formula(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "Lista"
    for row in [HEADERS, [1, "Anna", "Nowak", ANNA, "K", "01.02.2009", None, None],
                [2, "Jan", "Kowalski", JAN, "=1+1", "01.02.2009", None, "=HYPERLINK(\"x\")"]]:
        ws.append(row)
    for address in ("E3", "H3"):  # typed as text ('=1+1), as Excel keeps it
        ws[address].data_type = "s"
    book.save(tmp_path / "lista.xlsx")
    result = fill_file(tmp_path / "lista.xlsx", annotate_issues=True)
    book = load_workbook(result.target)
    report = book["Wyniki kontroli"]
    values = [row for row in report.iter_rows(min_row=2, values_only=True)]
    assert values[0][3] == "V005" and values[0][6] == "=1+1"
    assert report.cell(2, 7).data_type == "s"
    with zipfile.ZipFile(result.target) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_refuses_a_workbook_open_in_excel(example):
    (example / "~$uczestnicy.xlsx").write_bytes(b"\x00" * 165)
    result = run("fill", example / "uczestnicy.xlsx")
    assert result.exit_code == 2
    assert "otwarty w Excelu" in result.output and "~$uczestnicy.xlsx" in result.output
    assert not (example / "uczestnicy.uzupelniony.xlsx").exists()


def test_refuses_a_libreoffice_workbook_with_a_chart(tmp_path, libreoffice):
    draft = tmp_path / "draft"
    draft.mkdir()
    book = Workbook()
    ws = book.active
    for row in [HEADERS, [1, "Anna", "Nowak", ANNA, "K", "01.02.2009", None, None]]:
        ws.append(row)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    ws.add_chart(chart, "J2")
    book.save(draft / "lista.xlsx")
    [real] = libreoffice([draft / "lista.xlsx"], "xlsx", tmp_path / "lo")
    result = run("fill", real)
    assert result.exit_code == 2
    assert "wykresy" in result.output and "--force" in result.output
    forced = run("fill", "--force", real)
    assert forced.exit_code == 0
    assert (tmp_path / "lo" / "lista.uzupelniony.xlsx").exists()


def test_xlsm_keeps_its_macros(tmp_path):
    plain = write_rows(tmp_path / "plain.xlsx", [
        HEADERS, [1, "Anna", "Nowak", ANNA, "K", "01.02.2009", None, None]])
    macro = tmp_path / "lista.xlsm"
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(macro, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/'
                    b'vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type='
                                    b'"http://schemas.microsoft.com/office/2006/relationships/'
                                    b'vbaProject" Target="vbaProject.bin"/></Relationships>')
            target.writestr(item, data)
        target.writestr("xl/vbaProject.bin", vba)
    result = fill_file(macro)
    assert result.target.name == "lista.uzupelniony.xlsm"
    with zipfile.ZipFile(result.target) as archive:
        assert archive.read("xl/vbaProject.bin") == vba


def test_xls_is_written_as_xlsx_beside_it(tmp_path, libreoffice):
    draft = write_rows(tmp_path / "lista.xlsx", [
        HEADERS, [1, "Anna", "Nowak", ANNA, None, "01.02.2009", None, None]])
    [xls] = libreoffice([draft], "xls", tmp_path / "stare")
    result = run("fill", xls)
    assert result.exit_code == 0
    assert "zapisano jako .xlsx" in result.output
    filled = tmp_path / "stare" / "lista.uzupelniony.xlsx"
    values = cells(filled)
    assert values[(2, 5)] == "K"  # sex filled in from the PESEL where it was empty


def test_libreoffice_reads_back_what_fill_wrote(example, libreoffice):
    result = fill_file(example / "uczestnicy.xlsx")
    [exported] = libreoffice([result.target], "csv:Text - txt - csv (StarCalc):44,34,76",
                            example / "csv")
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[3]
    status = header.index("Status uczestnictwa")
    ages = header.index("Wiek w chwili przystąpienia do projektu")
    ours = load_workbook(result.target)["Uczestnicy"]
    for index in range(4, 20):
        assert rows[index][status] == (ours.cell(index + 1, status + 1).value or "")
        assert rows[index][ages] == str(ours.cell(index + 1, ages + 1).value or "")


# --- nothing lost: a property over generated workbooks ------------------------------

FONTS = [Font(bold=True), Font(italic=True, color="FFFF0000"), Font(name="Arial", size=9)]
FILLS = [PatternFill("solid", fgColor="FFFFFF00"), PatternFill("solid", fgColor="FFD9D9D9"),
         PatternFill("lightGray")]
FORMATS = ["General", "0.00", "dd.mm.yyyy", "@"]
texts = st.text(alphabet="abcąęłóśź =+-@ABC123", min_size=0, max_size=12)
values = st.one_of(st.none(), texts, st.integers(-1000, 10 ** 11),
                   st.dates(dt.date(1940, 1, 1), dt.date(2012, 12, 31)))
rows = st.lists(st.tuples(st.lists(values, min_size=8, max_size=8),
                          st.lists(st.integers(0, 3), min_size=8, max_size=8)),
                min_size=1, max_size=12)


def _look(c):
    return c.value, c.number_format, tostring(c.font.to_tree()), tostring(c.fill.to_tree())


def snapshot(path, skip_columns, keys=None):
    """Value, number format, font and fill of every cell (or of the cells at ``keys``)."""
    ws = load_workbook(path)["Lista"]
    if keys is not None:
        return {key: _look(ws.cell(*key)) for key in keys}
    return {(c.row, c.column): _look(c) for row in ws.iter_rows() for c in row
            if c.column not in skip_columns}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=rows, title=st.booleans())
def test_every_user_cell_survives_fill_and_clear(tmp_path_factory, data, title):
    folder = tmp_path_factory.mktemp("prop")
    book = Workbook()
    ws = book.active
    ws.title = "Lista"
    if title:
        ws.append(["Lista uczestników — projekt testowy"])
    ws.append(HEADERS)
    for cells_, styles in data:
        ws.append(cells_)
        for cell, style in zip(ws[ws.max_row], styles, strict=True):
            if style:
                cell.font = FONTS[style - 1]
                cell.fill = FILLS[style - 1]
                cell.number_format = FORMATS[style]
    source = folder / "lista.xlsx"
    book.save(source)
    filled = fill_file(source, annotate_issues=True)
    if filled.refused is not None:  # only a number formatted as an impossible date
        assert "treated as an error" in filled.refused.pl
        return
    header = header_of(filled.target, 2 if title else 1)
    computed = {i + 1 for i, h in enumerate(header)
                if h in ("Status uczestnictwa", "Wiek w chwili przystąpienia do projektu",
                         "Data urodzenia")}
    before = snapshot(source, computed)

    def unchanged(after, marked=frozenset()):
        for key, (value, number_format, font, fill) in before.items():
            if key[1] == 5 and value is None:  # "Płeć": an empty cell is filled from PESEL
                continue
            got = after[key]
            if key in marked:  # coloured by --annotate: only its fill may differ
                assert got[:3] == (value, number_format, font), key
            else:
                assert got == (value, number_format, font, fill), key

    plain = fill_file(source, output=folder / "plain.xlsx")
    unchanged(snapshot(plain.target, computed, before))
    unchanged(snapshot(filled.target, computed, before),
              {(c.row, c.column) for c in _marked_cells(filled.target)})
    cleared = clear_file(filled.target, in_place=True)
    unchanged(snapshot(cleared.target, computed, before))
    again = fill_file(plain.target, output=folder / "again.xlsx")
    assert cells(again.target) == cells(plain.target)


def _marked_cells(path):
    from workbook_tools.annotate import find_records

    book = load_workbook(path)
    [(_sheet, record)] = find_records(book)
    sheet = book["Lista"]
    return [sheet[entry.cell] for entry in record.entries]


def test_refuses_what_openpyxl_would_turn_into_an_error(tmp_path):
    book = Workbook()
    ws = book.active
    ws.append(HEADERS)
    ws.append([1, "Anna", "Nowak", 80040201235, "K", "01.02.2009", None, None])
    ws["D2"].number_format = "dd.mm.yyyy"  # a PESEL typed into a date-formatted cell
    book.save(tmp_path / "lista.xlsx")
    result = run("fill", tmp_path / "lista.xlsx")
    assert result.exit_code == 2 and "--force" in result.output


def test_clear_command_and_folder_arguments(example):
    assert run("fill", "--annotate", example).exit_code == 0
    filled = sorted(p.name for p in example.glob("*.uzupelniony.xlsx"))
    assert filled == ["budzet.uzupelniony.xlsx", "kontrakty.uzupelniony.xlsx",
                      "obecnosc.uzupelniony.xlsx", "uczestnicy.uzupelniony.xlsx"]
    result = run("clear", "--in-place", example / "kontrakty.uzupelniony.xlsx")
    assert result.exit_code == 0 and "usunięto oznaczenia: 10" in result.output
    assert load_workbook(example / "kontrakty.uzupelniony.xlsx").sheetnames == [
        "Kontrakty", "Wypłaty"]
    # our own, unchanged fill result is cleared where it is (nothing of the user's in it)
    ours = run("clear", example / "obecnosc.uzupelniony.xlsx")
    assert ours.exit_code == 0 and "usunięto oznaczenia" in ours.output
    assert "kopia zapasowa" not in ours.output
    # a fill result somebody changed afterwards is the user's: not replaced by default
    assert run("fill", "--annotate", example / "obecnosc.xlsx").exit_code == 0
    changed = example / "obecnosc.uzupelniony.xlsx"
    os.utime(changed, (changed.stat().st_mtime + 60,) * 2)  # saved again in Excel
    refused = run("clear", changed)
    assert refused.exit_code == 2 and "--in-place" in refused.output


def test_clear_puts_back_what_the_popraw_button_changed(tmp_path):
    """The record the Excel door leaves after "Popraw" is undone by `clear` as well."""
    from workbook_tools.record import FIXES, Entry, Record, rows

    path = write_rows(tmp_path / "lista.xlsx", [["Imię", "Nazwisko", "Kod pocztowy"],
                                                ["Anna", "Nowak", "11-200"]])
    book = load_workbook(path)
    record = book.create_sheet("_workbook_tools")
    record.sheet_state = "veryHidden"
    for row in rows(Record(None, [Entry("Lista", "C2", "", None, None, False, "11200", "@",
                                        True)], kind=FIXES)):
        record.append(row)
    book.save(path)
    result = run("clear", "--in-place", path)
    assert result.exit_code == 0, result.output
    cleared = load_workbook(path)
    assert cleared.sheetnames == ["Lista"]
    assert (cleared["Lista"]["C2"].value, cleared["Lista"]["C2"].number_format) == (
        "11200", "@")


def _split_payments(folder: Path) -> Path:
    """The example's contracts workbook as two files: contracts, and payments beside it
    (as many centres keep them)."""
    book = load_workbook(folder / "kontrakty.xlsx")
    payments = load_workbook(folder / "kontrakty.xlsx")
    del book["Wypłaty"]
    del payments["Kontrakty"]
    book.save(folder / "kontrakty.xlsx")
    payments.save(folder / "wyplaty.xlsx")
    return folder / "wyplaty.xlsx"


def test_paid_to_date_is_not_written_without_the_payments_workbook(example, monkeypatch):
    """"Wypłacono do dnia" comes from the payments of the whole project: with the
    payments workbook unreadable it was written as 0 for every contract (and "Pozostało"
    as the whole amount), exit 0. Project-wide columns are held back and the file is
    named; a list whose columns need no other workbook is still filled."""
    monkeypatch.chdir(example)  # paths shown as typed: short enough to be shown whole
    payments = _split_payments(example)
    assert run("fill", example / "kontrakty.xlsx").exit_code == 0
    filled = cells(example / "kontrakty.uzupelniony.xlsx")
    header = {value: column for (row, column), value in filled.items() if row == 3}
    assert filled[(4, header["Wypłacono do dnia"])] == pytest.approx(246.64)
    (example / "kontrakty.uzupelniony.xlsx").unlink()
    payments.write_bytes(b"PK\x03\x04 uszkodzony")
    result = run("fill", example / "kontrakty.xlsx")
    assert result.exit_code == 2
    assert "nie uzupełniono: Wypłacono do dnia, Pozostało do wypłaty, % wykorzystania, " \
           "Liczba wypłat" in result.output
    assert "nie odczytano: wyplaty.xlsx; napraw ten plik" in result.output
    assert not (example / "kontrakty.uzupelniony.xlsx").exists()
    result = run("fill", example / "uczestnicy.xlsx")  # birth date, sex, age, status
    assert result.exit_code == 0 and "nie uzupełniono" not in result.output



def test_the_held_note_speaks_of_one_file_or_several():
    """Two unreadable workbooks are "te pliki", not "ten plik"."""
    from types import SimpleNamespace

    from workbook_tools.fill import held_note

    plans = [SimpleNamespace(held=["Wypłacono do dnia"])]
    one = held_note(plans, ["wyplaty.xlsx"])
    two = held_note(plans, ["wyplaty.xlsx", "wyplaty-2024.xlsx"])
    assert one is not None and two is not None
    assert one.pl.endswith("nie odczytano: wyplaty.xlsx; napraw ten plik albo, jeśli nie "
                           "należy do projektu, wpisz go w [arkusze] jako „pomin”")
    assert two.pl.endswith("nie odczytano: wyplaty.xlsx, wyplaty-2024.xlsx; napraw te pliki "
                           "albo te, które nie należą do projektu, wpisz w [arkusze] jako "
                           "„pomin”")
    assert two.en.endswith("could not be read: wyplaty.xlsx, wyplaty-2024.xlsx; repair "
                           "those files or give those that are no part of the project as "
                           "'pomin' in [arkusze]")
    assert held_note([SimpleNamespace(held=[])], ["wyplaty.xlsx"]) is None
