"""Hostile and broken workbooks: each gets a clear, located message in bounded time and
memory; nothing reaches the user as a crash."""

import datetime as dt
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from workbook_tools.engine import validate_paths
from workbook_tools.project import resolve
from workbook_tools.read import MAX_DIRECTORY, directory_size, is_our_report
from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

from .conftest import run, write_rows
from .people import ANNA

ROWS = [["Imię", "Nazwisko", "PESEL"], ["Anna", "Nowak", ANNA]]
def _entity(level: int) -> str:
    inner = "&lol;" if level == 1 else f"&lol{level - 1};"
    return f'<!ENTITY lol{level} "{inner * 10}">'


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(_entity(level) for level in range(1, 10))
          + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')


def codes(path: Path) -> list[tuple[str, str | None]]:
    return [(i.code, i.sheet) for i in validate_paths([path]).issues]


def _replace_part(path: Path, name: str, data: bytes) -> Path:
    target = path.with_name("wrogi-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w",
                                                           zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, data if item.filename == name else source.read(item.filename))
        if name not in source.namelist():
            out.writestr(name, data)
    return target


def test_billion_laughs_in_any_part_is_refused(tmp_path):
    plain = write_rows(tmp_path / "lista.xlsx", ROWS)
    for part in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "docProps/core.xml"):
        hostile = _replace_part(plain, part, LAUGHS.encode())
        result = run("validate", hostile)
        assert result.exit_code == 2, part
        assert "definicje encji XML" in result.output and "Traceback" not in result.output


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    plain = write_rows(tmp_path / "lista.xlsx", ROWS)
    bomb = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w",
                                                           zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        with out.open("xl/media/zero.bin", "w") as part:
            block = bytes(1 << 20)
            for _ in range(100):  # 100 MB of zeros, about 100 KB packed
                part.write(block)
    result = run("validate", bomb)
    assert result.exit_code == 2 and "bomba zip" in result.output


def test_a_stray_value_far_away_is_a_sheet_issue_not_a_crash(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Lista"
    for row in ROWS:
        sheet.append(row)
    sheet["XFD1048576"] = "x"  # calamine would ask for 512 GB for this sheet
    book.create_sheet("Druga").append(["Imię", "Nazwisko", "PESEL"])
    book.save(tmp_path / "daleko.xlsx")
    result = validate_paths([tmp_path / "daleko.xlsx"])
    assert [(i.code, i.sheet) for i in result.issues] == [("S006", "Lista")]
    assert "XFD1048576" in result.issues[0].message()


def test_formatting_of_a_million_rows_and_whole_columns_costs_nothing(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(row)
    sheet.cell(1_000_000, 3).font = Font(bold=True)  # styled, empty: extent without content
    sheet.column_dimensions["D"].font = Font(italic=True)
    book.save(tmp_path / "formaty.xlsx")
    result = validate_paths([tmp_path / "formaty.xlsx"])
    assert result.issues == [] and result.files[0].info[0].rows == 1


def test_hundreds_of_sheets(tmp_path):
    book = Workbook()
    book.active.title = "Arkusz0"
    for row in ROWS:
        book.active.append(row)
    for number in range(1, 300):
        sheet = book.create_sheet(f"Arkusz{number}")
        sheet.append(ROWS[0])
        born = dt.date(1950, 1, 1) + dt.timedelta(days=number)
        sheet.append(["Anna", "Nowak", make_pesel(born, Sex.FEMALE, number)])
    book.save(tmp_path / "wiele.xlsx")
    result = validate_paths([tmp_path / "wiele.xlsx"])
    assert len(result.files[0].info) == 300 and result.issues == []


def test_long_strings_error_values_and_very_hidden_sheets(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Imię", "Nazwisko", "PESEL", "Data rozpoczęcia udziału w projekcie"])
    sheet.append(["Anna", "Nowak", "9" * 32_767, "=1/0"])
    hidden = book.create_sheet("Ukryty")
    hidden.sheet_state = "veryHidden"
    for row in ROWS:
        hidden.append(row)
    hidden.append(["Jan", "Kowalski", "123"])
    book.save(tmp_path / "dziwne.xlsx")
    result = run("validate", "--format", "json", tmp_path / "dziwne.xlsx")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    messages = re.findall(r'"message": "([^"]*)"', result.output)
    assert all(len(m) < 300 for m in messages)  # the 32 767 characters are cut short
    assert '"sheet": "Ukryty"' in result.output  # very hidden, still checked


def test_a_part_inflating_beyond_its_declared_size_is_refused(tmp_path):
    import struct

    source = write_rows(tmp_path / "lista.xlsx", ROWS + [["Anna", "Nowak", ANNA]] * 2000)
    data = bytearray(source.read_bytes())
    target = "xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(source).getinfo(target)
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # the local header lies
    entry = data.find(b"PK\x01\x02")
    while entry != -1:  # ... and so does the central directory
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if bytes(data[entry + 46:entry + 46 + length]) == target.encode():
            struct.pack_into("<I", data, entry + 24, 1000)
        entry = data.find(b"PK\x01\x02", entry + 4)
    liar = tmp_path / "klamca.xlsx"
    liar.write_bytes(bytes(data))
    result = run("validate", liar)
    assert result.exit_code == 2 and "uszkodzony" in result.output


def _long_directory(path: Path, entries: int, name_length: int) -> Path:
    """A real workbook whose central directory also lists ``entries`` empty parts with
    long names: what zipfile would make an object of each, on opening."""
    target = path.with_name("spis-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        for number in range(entries):
            out.writestr(f"x/{number:0{name_length}d}", b"")
    return target


def _crafted_zip64(path: Path, entries: int) -> Path:
    """A zip64 package of nothing but a central directory of minimal entries, whose
    classic end record says nothing of their number (zipfile reads the zip64 one)."""
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, 1, 0,
                        0, 0, 0, 0, 0) + b"a"
    directory = entry * entries
    zip64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries,
                        len(directory), 0)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, len(directory), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, 47, 0xFFFFFFFF, 0)
    path.write_bytes(directory + zip64 + locator + end)
    return path


def test_directory_size_is_what_zipfile_reads(tmp_path):
    """directory_size reads the end records as zipfile does (its private _EndRecData is
    the reference), for a plain workbook, a long directory and a zip64 one."""
    plain = write_rows(tmp_path / "lista.xlsx", ROWS)
    cases = [plain, _long_directory(plain, 40, 20), _crafted_zip64(tmp_path / "z.xlsx", 70000)]
    for case in cases:
        with case.open("rb") as handle:
            reference = zipfile._EndRecData(handle)  # type: ignore[attr-defined]
        assert directory_size(case) == reference[zipfile._ECD_SIZE], case  # type: ignore[attr-defined]
    assert directory_size(tmp_path / "z.xlsx") == 70000 * 47
    empty = tmp_path / "pusty.xlsx"
    empty.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert directory_size(empty) == 0


def test_a_directory_of_millions_of_parts_is_refused_unread(tmp_path, monkeypatch):
    """zipfile makes an object of every entry of a package's directory on opening, and
    the parent process opens .xlsx files while it lists a folder (are they our reports?):
    a 47 MB file of a million empty entries held it 5.7 s and 400 MB, uncontained. A
    directory beyond MAX_DIRECTORY is refused before zipfile sees it, in the parent
    (listing, ``fill``'s checks) and in the worker (a located F001)."""
    good = write_rows(tmp_path / "uczestnicy.xlsx", ROWS)
    hostile = _long_directory(tmp_path / "uczestnicy.xlsx", 3000, 1000)
    assert directory_size(hostile) > MAX_DIRECTORY
    opened: list[Path] = []
    original = zipfile.ZipFile.__init__

    def counting(self: zipfile.ZipFile, file: Any, *args: Any, **kwargs: Any) -> None:
        opened.append(Path(file) if isinstance(file, (str, Path)) else Path("?"))
        original(self, file, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    assert not is_our_report(hostile)
    resolved = resolve([good])
    assert hostile in resolved.projects[0].files
    assert hostile not in opened and opened  # the good one was looked into
    monkeypatch.undo()
    result = run("validate", hostile)
    assert result.exit_code == 2
    assert "spis-uczestnicy.xlsx: F001" in result.output
    assert "spis części pliku zajmuje" in result.output
    assert run("validate", good).exit_code == 0  # the sibling costs the good file nothing


def test_a_wide_head_normalises_each_text_once_not_once_per_kind():
    """30 rows of thousands of distinct texts (a hostile sheet, 16 384 columns wide,
    took 28 s to be found headerless): every kind is asked about a chunk of cells in
    turn, so each text is normalised once while it is still in the cache. Counted,
    not timed: the cache's misses are the distinct texts."""
    from workbook_tools.kinds import KINDS
    from workbook_tools.rawsheet import RawSheet
    from workbook_tools.table import find_header
    from workbook_tools.values import normalise_header

    rows = [[f"tekst {r} {c} żółć" for c in range(3000)] for r in range(30)]
    normalise_header.cache_clear()
    assert find_header(RawSheet("Szeroki", rows, 0, 0, True), KINDS.values()) is None
    distinct = 30 * 3000
    # once to match it against all the kinds (asked kind by kind: once per kind), about
    # once more as a possible sub-header under a group title (a block of 2 or 3 rows);
    # 1 782 544 misses (20x, 7 s) before, 177 397 (2x, 1.7 s) now
    assert normalise_header.cache_info().misses <= distinct * 2.2


def test_a_wide_head_matched_in_chunks_finds_what_the_plain_way_finds(monkeypatch):
    """The chunked matching (heads over NORMALISED_KEPT cells) gives the same header:
    a participant list two rows down, 250 columns wide (the 12 known among unknown
    ones), found both ways."""
    from workbook_tools import table
    from workbook_tools.kinds import KINDS
    from workbook_tools.rawsheet import RawSheet

    known = ["Lp.", "Nazwisko", "Imię", "PESEL", "Płeć", "Wiek", "Wykształcenie",
             "Miejscowość", "Ulica", "Kod pocztowy", "Telefon", "Data rozpoczęcia udziału"]
    header = known + [f"uwagi {c}" for c in range(250 - len(known))]
    rows = [["Lista uczestników projektu"], [], header,
            *[[n, "Nowak", "Anna", ANNA] + [None] * 246 for n in range(1, 25)]]
    assert sum(map(len, rows[:table.MAX_HEADER_SCAN])) > table.NORMALISED_KEPT
    chunked = table.find_header(RawSheet("Lista", rows, 0, 0, True), KINDS.values())
    monkeypatch.setattr(table, "NORMALISED_KEPT", 10 ** 9)
    plain = table.find_header(RawSheet("Lista", rows, 0, 0, True), KINDS.values())
    assert chunked is not None and plain is not None
    assert (chunked.kind, chunked.first, chunked.last, chunked.columns, chunked.extra) == (
        plain.kind, plain.first, plain.last, plain.columns, plain.extra)
    assert chunked.columns["pesel"] == 3 and len(chunked.extra) == 250 - len(known)
