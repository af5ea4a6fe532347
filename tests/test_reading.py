"""The engine's fast paths give what the plain ones give: sheets read ahead in a thread
(columns parsed column by column: tests/test_parse_records.py)."""

import datetime as dt
import threading

import pytest
import python_calamine
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools import read
from workbook_tools.engine import validate_paths
from workbook_tools.read import iter_sheets

from .conftest import write_rows


def reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("workbook-tools-read")]


@pytest.fixture
def three_sheets(tmp_path, libreoffice):
    """Sheets of different sizes, one starting below and right of A1, saved by LibreOffice."""
    source = write_rows(tmp_path / "source.xlsx", [["a", 1], ["b", 2.5]], sheet="Pierwszy",
                        extra_sheets={
                            "Drugi": [[None, None, None], [None, "x", dt.date(2009, 3, 1)],
                                      *[[None, f"r{i}", i] for i in range(200)]],
                            "Trzeci": [["tylko", "to"]]})
    [written] = libreoffice([source], "xlsx", tmp_path / "lo")
    return written


def test_sheets_read_ahead_are_what_calamine_reads(three_sheets):
    book = python_calamine.CalamineWorkbook.from_path(str(three_sheets))
    expected = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=True)
                for name in book.sheet_names}
    got = {raw.name: raw.rows + list(raw.more) for raw in iter_sheets(three_sheets)}
    assert got == expected
    assert reader_threads() == []


def test_leaving_after_the_first_sheet_stops_the_reader(three_sheets):
    sheets = iter_sheets(three_sheets)
    first = next(sheets)
    assert first.name == "Pierwszy"
    sheets.close()  # what a consumer's exception or break does
    assert reader_threads() == []


def test_a_sheet_read_ahead_that_fails_is_reported_for_that_sheet(three_sheets, monkeypatch):
    class Flaky:
        """calamine failing on the second sheet only, as on a damaged part."""

        def __init__(self, book: python_calamine.CalamineWorkbook) -> None:
            self.book = book

        def __getattr__(self, name: str) -> object:
            return getattr(self.book, name)

        def get_sheet_by_name(self, name: str) -> python_calamine.CalamineSheet:
            if name == "Drugi":
                raise ValueError("zepsuty arkusz")
            return self.book.get_sheet_by_name(name)

    opened = read._open
    monkeypatch.setattr(read, "_open", lambda path: Flaky(opened(path)))
    result = validate_paths([three_sheets])
    [issue] = result.issues
    assert issue.code == "F001" and "„Drugi”" in issue.message()
    assert reader_threads() == []


@pytest.mark.parametrize("number, key", [
    ("KS/1/2009", "ks/1/2009"), ("ks / 1 / 2009", "ks/1/2009"),
    ("KS\u00a0/\u00a01", "ks/1"), ("Kś/Łódź/1", "ks/lodz/1"), ("", None), (None, None),
])
def test_contract_numbers_compare_without_case_spaces_or_diacritics(number, key):
    from workbook_tools.kinds.contracts import contract_key

    assert contract_key(number) == key


@given(st.integers(1, 18278))
def test_column_letters_agree_with_openpyxl(index):
    """read.column_letter / column_index stand in for openpyxl's (not imported on the
    validate path): they must agree over every column a sheet can have."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    from workbook_tools.read import column_index, column_letter

    assert column_letter(index) == get_column_letter(index)
    assert column_index(column_letter(index)) == index == column_index_from_string(
        get_column_letter(index))


def test_a_workbook_read_ahead_is_what_calamine_reads(three_sheets):
    """read_ahead parses the first sheet in a thread (a worker imports the engine
    meanwhile); iter_sheets then gives exactly what it reads by itself."""
    book = python_calamine.CalamineWorkbook.from_path(str(three_sheets))
    expected = {name: book.get_sheet_by_name(name).to_python(skip_empty_area=True)
                for name in book.sheet_names}
    read.read_ahead(three_sheets)
    got = {raw.name: raw.rows + list(raw.more) for raw in iter_sheets(three_sheets)}
    assert got == expected
    assert read._AHEAD == {} and reader_threads() == []


def test_the_read_ahead_thread_loads_the_second_sheet_too(three_sheets):
    """The thread hands the first sheet over and goes on to the second (a payments
    sheet behind the contracts): iter_sheets takes both from it, and a caller that
    stops after the first sheet leaves no thread and a closed workbook behind."""
    read.read_ahead(three_sheets)
    read.wait_ahead()
    second = read._AHEAD[three_sheets][1][0].second
    assert second is not None and second.done.is_set() and second.loaded.error is None
    names = [raw.name for raw in iter_sheets(three_sheets)]
    assert names == ["Pierwszy", "Drugi", "Trzeci"]
    read.read_ahead(three_sheets)
    sheets = iter_sheets(three_sheets)
    assert next(sheets).name == "Pierwszy"
    sheets.close()  # the thread may still be loading "Drugi": joined before the close
    assert read._AHEAD == {} and reader_threads() == []


def test_the_read_ahead_event_comes_once_only_calamines_parse_is_left(three_sheets,
                                                                      monkeypatch):
    """A spare worker imports the engine once the event is set: each call into calamine
    and back takes the GIL, so the workbook is opened (its sheet names and metadata
    read) before, and opening it no longer waits behind the import."""
    import threading

    original = read._open
    go, told = threading.Event(), []
    native: list[threading.Event] = []

    def opening(path):
        go.wait(5)
        told.append(native[0].is_set())
        return original(path)

    monkeypatch.setattr(read, "_open", opening)
    native.append(read.read_ahead(three_sheets))
    go.set()
    assert native[0].wait(5)
    assert told == [False]
    assert [raw.name for raw in iter_sheets(three_sheets)] == ["Pierwszy", "Drugi", "Trzeci"]
    assert read._AHEAD == {} and reader_threads() == []


def test_the_reader_itself_opens_only_a_regular_file(tmp_path):
    """A FIFO named .xlsx (a reader that opened it would wait for a writer for good) is
    refused by the reader's own sniff, whoever called it: the spare worker reads the
    file named on the command line before anything else has looked at it."""
    import os

    fifo = tmp_path / "potok.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(read.Unreadable) as refused:
        read.sniff(fifo)
    assert refused.value.code == "F001" and "zwykły plik" in refused.value.detail
    read.read_ahead(fifo)
    with pytest.raises(read.Unreadable):
        next(iter_sheets(fifo))
    assert read._AHEAD == {} and reader_threads() == []


def test_a_read_ahead_that_fails_fails_where_the_file_is_asked_for(tmp_path):
    """A text file named .xlsx: the same located reason read ahead or not, raised by
    iter_sheets (inside the per-file boundary), never in the thread."""
    fake = tmp_path / "lista.xlsx"
    fake.write_text("Lp.;Imię;Nazwisko\n1;Anna;Nowak\n", encoding="utf-8")
    with pytest.raises(read.Unreadable) as direct:
        next(iter_sheets(fake))
    read.read_ahead(fake)
    with pytest.raises(read.Unreadable) as ahead:
        next(iter_sheets(fake))
    assert (ahead.value.code, ahead.value.detail) == (direct.value.code, direct.value.detail)
    assert read._AHEAD == {} and reader_threads() == []


def test_a_read_ahead_never_asked_for_is_dropped(three_sheets):
    """A project stopped before its files are read (broken projekt.toml): the worker
    closes the workbook read ahead and holds nothing into its next job."""
    read.read_ahead(three_sheets)
    read.drop_ahead()
    assert read._AHEAD == {} and reader_threads() == []


def test_the_white_space_listed_is_what_python_calls_white_space():
    """The table's list of white-space characters (written out: deriving it at import
    cost 2 ms of every run) is exactly ``str.isspace`` over all of Unicode."""
    import sys

    from workbook_tools.table import WHITE_SPACE

    assert {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()} == WHITE_SPACE
