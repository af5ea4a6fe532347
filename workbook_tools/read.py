"""Opening workbook files for reading: the only module that talks to python-calamine.

Before a file reaches calamine it is sniffed: staff rename CSV exports to .xlsx, save
password-protected copies, and mail truncated attachments. Those get a plain Polish
reason (:class:`Unreadable`, with a rule code) instead of a parser's stack trace. Sheets
come out one at a time (:func:`iter_sheets`) so a large workbook is never held whole.
"""

from __future__ import annotations

import functools
import itertools
import re
import stat
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import python_calamine as calamine

from .names import REPORT_PROPERTY, SUPPORTED

#: not ``typing``'s: a worker forked to read a file imports this module before it
#: begins, and typing would cost it 2 ms (type checkers take any ``TYPE_CHECKING``)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor
    from typing import Any

    from .rawsheet import RawSheet

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: An OOXML file encrypted with a password is an OLE container holding this stream.
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: Declared inflated size of all parts above which a zip is refused as a bomb.
MAX_INFLATED = 1 << 30
MAX_RATIO = 200


#: Bytes of a zip's central directory (its list of parts) we let zipfile read. Python's
#: zipfile makes an object of every entry the directory holds, at 46 bytes an entry: a
#: 47 MB file of empty entries cost 5.7 s and 400 MB before anything else looked at it.
#: A workbook of a thousand sheets with drawings and comments lists a few thousand
#: parts in under 1 MB.
MAX_DIRECTORY = 2 << 20

#: Custom document property our own reports carry: a batch run over a tree skips them.
REPORT_MARK = REPORT_PROPERTY


class OversizedDirectory(zipfile.BadZipFile):
    """A zip whose central directory is larger than :data:`MAX_DIRECTORY` (a
    ``BadZipFile``, so every reader that refuses a damaged package refuses it too)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"central directory of {size} bytes")
        self.size = size


def directory_size(path: Path) -> int:
    """The size of the central directory a zip's end record declares (0: no end record;
    zipfile then refuses the file itself). Read as zipfile reads it: the last end record
    in the file's final 64 KB, and the zip64 end record its locator points to, if the
    20 bytes before the end record are one."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(max(0, size - (1 << 16) - 22))
        tail = handle.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return 0
        (declared,) = struct.unpack_from("<L", tail, at + 12)
        if at >= 20 and tail[at - 20:at - 16] == b"PK\x06\x07":
            (offset,) = struct.unpack_from("<Q", tail, at - 12)
            if offset < size:
                handle.seek(offset)
                record = handle.read(56)
                if len(record) == 56 and record[:4] == b"PK\x06\x06":
                    (declared,) = struct.unpack_from("<Q", record, 40)
    return int(declared)


def open_zip(path: Path) -> zipfile.ZipFile:
    """A workbook package opened by zipfile, once its central directory is known to be
    of a workbook's size (:class:`OversizedDirectory` otherwise). Every look into a
    user's .xlsx goes through here, the parent process's own (``is_our_report`` while a
    folder is listed) included: zipfile reads the whole directory on opening, and that
    read is not in a worker."""
    size = directory_size(path)
    if size > MAX_DIRECTORY:
        raise OversizedDirectory(size)
    return zipfile.ZipFile(path)


def is_our_report(path: Path) -> bool:
    """Whether an .xlsx is a report this tool wrote (``validate --report``, ``zestawienie
    --xlsx``)."""
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        with open_zip(path) as archive:
            info = archive.getinfo("docProps/custom.xml")
            return info.file_size < 65536 and REPORT_MARK.encode() in archive.read(info)
    except (KeyError, OSError, zipfile.BadZipFile):
        return False


class Unreadable(Exception):
    """A file that cannot be read; ``code`` is F001/F002/F003 and ``detail`` is Polish."""

    def __init__(self, code: str, detail: str = "", detail_en: str = "") -> None:
        super().__init__(detail_en or detail)
        self.code = code
        self.detail = detail
        self.detail_en = detail_en or detail


#: Rows read ahead of the rest: where the header is looked for.
HEAD_ROWS = 30



# --- cell addresses ------------------------------------------------------------------
# openpyxl's get_column_letter / column_index_from_string, without importing openpyxl
# (60 ms, paid by every run and every Excel button click); tests/test_reading.py proves
# they agree with openpyxl's over every column Excel has.

@functools.cache
def column_letter(index: int) -> str:
    """1 -> "A", 27 -> "AA", 16384 -> "XFD"."""
    if not 1 <= index <= 18278:
        raise ValueError(f"column index {index} out of range")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_position(address: str) -> tuple[int, int]:
    """"C12" -> (12, 3): the 1-based row and column of an A1 address."""
    letters = address.rstrip("0123456789")
    if not letters or letters == address:
        raise ValueError(f"{address!r} is not a cell address")
    return int(address[len(letters):]), column_index(letters)


def column_index(letters: str) -> int:
    """"A" -> 1, "AA" -> 27, "XFD" -> 16384."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a column letter")
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index

#: Why a path that is a pipe, a device or a link to one is not read (Polish, English).
NOT_A_REGULAR_FILE = ("to nie jest zwykły plik (np. potok lub urządzenie)",
                      "not a regular file (a pipe or a device)")


def sniff(path: Path) -> None:
    """Refuse what is not a workbook, before any parser sees it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise Unreadable("F003")
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):  # a FIFO would block its reader for good
        raise Unreadable("F001", *NOT_A_REGULAR_FILE)
    size = status.st_size
    if size == 0:
        raise Unreadable("F001", "plik jest pusty (0 bajtów)", "the file is empty (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE_MAGIC):
        if _holds_encrypted_package(path):
            raise Unreadable("F002")
        return
    if head.startswith(ZIP_MAGIC):
        _check_zip(path)
        return
    if head.startswith(b"%PDF"):
        raise Unreadable("F001", "to plik PDF, nie skoroszyt", "this is a PDF, not a workbook")
    if _looks_like_text(path):
        raise Unreadable(
            "F001",
            "to plik tekstowy (np. CSV) z rozszerzeniem skoroszytu — otwórz go w Excelu "
            "i zapisz jako .xlsx",
            "this is a text file (e.g. CSV) named like a workbook; open it in Excel and "
            "save it as .xlsx")
    raise Unreadable("F001", "nieznany format pliku — to nie jest skoroszyt",
                     "unknown file format: not a workbook")


def _damaged() -> Unreadable:
    return Unreadable("F001", "plik jest uszkodzony lub niekompletny (obcięty)",
                      "the file is damaged or incomplete (truncated)")


def _holds_encrypted_package(path: Path) -> bool:
    with path.open("rb") as handle:
        return ENCRYPTED_STREAM in handle.read(64 << 20)


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "cp1250"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _check_zip(path: Path) -> None:
    try:
        archive = open_zip(path)
    except OversizedDirectory as oversized:
        raise Unreadable(
            "F001",
            f"spis części pliku zajmuje {oversized.size >> 10} KB (w skoroszycie zwykle "
            "kilka KB) — odrzucono, to nie jest zwykły skoroszyt",
            f"the file's list of parts takes {oversized.size >> 10} KB (a workbook's, "
            "usually a few KB); refused, this is not an ordinary workbook") from None
    except (zipfile.BadZipFile, OSError):
        raise _damaged() from None
    with archive:
        infos = archive.infolist()
        if any(info.flag_bits & 0x1 for info in infos):
            raise Unreadable("F002")  # a zip password (not Excel's own encryption)
        unknown = {info.compress_type for info in infos} - {zipfile.ZIP_STORED,
                                                            zipfile.ZIP_DEFLATED}
        if unknown:
            raise Unreadable("F001", f"nieobsługiwana metoda kompresji ({min(unknown)}) — "
                             "zapisz plik ponownie w Excelu",
                             f"unsupported compression method ({min(unknown)}); save the "
                             "file again in Excel")
        inflated = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if inflated > MAX_INFLATED or (inflated > (64 << 20) and inflated / packed > MAX_RATIO):
            raise Unreadable(
                "F001",
                f"po rozpakowaniu plik miałby {inflated >> 20} MB — odrzucono (bomba zip?)",
                f"the file would inflate to {inflated >> 20} MB; refused (zip bomb?)")
        _check_xml_heads(archive, infos)


#: XML parts declare entities only in a DOCTYPE, which must come before the root element.
_XML_PARTS = (".xml", ".rels", ".vml")


def _check_xml_heads(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse XML with a DOCTYPE: workbooks never need one, and entity definitions are
    how an "XML bomb" (billion laughs) makes a parser expand a few bytes into gigabytes."""
    try:
        for info in infos:
            if not info.filename.lower().endswith(_XML_PARTS) or not info.file_size:
                continue
            with archive.open(info) as part:
                declared = _declares_entities(part)
            if declared:
                raise Unreadable(
                    "F001",
                    f"część {info.filename} zawiera definicje encji XML (DOCTYPE) — "
                    "odrzucono (możliwa „bomba XML”)",
                    f"part {info.filename} holds XML entity definitions (DOCTYPE); "
                    "refused (possible XML bomb)")
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise _damaged() from None


#: The prolog (declaration, comments, processing instructions) is read in pieces this
#: large; a DOCTYPE can stand only there, before the root element.
_PROLOG_CHUNK = 1 << 16
_DECLARES = (b"<!DOCTYPE", b"<!ENTITY")


def _declares_entities(part: Any) -> bool:
    """Whether an XML part has a DOCTYPE before its root element, however long the
    comments and processing instructions before it (one chunk in memory at a time)."""
    buffer = b""
    closing: bytes | None = None  # inside a comment ("-->") or instruction ("?>")
    first = True
    while True:
        chunk = part.read(_PROLOG_CHUNK)
        buffer += chunk
        if first:
            buffer, first = buffer.removeprefix(b"\xef\xbb\xbf"), False
        while True:
            if closing is not None:
                end = buffer.find(closing)
                if end < 0:
                    buffer = buffer[-2:]  # keep what may begin the closing mark
                    break
                buffer, closing = buffer[end + len(closing):], None
                continue
            buffer = buffer.lstrip()
            if buffer.startswith(b"<!--"):
                buffer, closing = buffer[4:], b"-->"
            elif buffer.startswith(b"<?"):
                buffer, closing = buffer[2:], b"?>"
            elif len(buffer) < len(_DECLARES[0]) and chunk:
                break  # too short to tell: read on
            else:
                return bool(buffer.startswith(_DECLARES))
        if not chunk:
            return False


#: A sheet's used area the reader may hold (cells): calamine keeps it dense, ~32 bytes a
#: cell, so a stray value at XFD1048576 would ask for 512 GB and abort the process.
MAX_CELLS = 16_000_000
_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


def _column_number(letters: bytes) -> int:
    return column_index(letters.decode("ascii"))


def oversized_sheets(path: Path) -> dict[str, tuple[int, int]]:
    """Sheets of an .xlsx/.xlsm whose used area exceeds :data:`MAX_CELLS`: name ->
    (last row, last column) of their farthest filled cell.

    The ``<dimension>`` at the head of each sheet settles it for files from Excel,
    LibreOffice and openpyxl; only a missing or huge one makes the sheet be scanned.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    found: dict[str, tuple[int, int]] = {}
    with open_zip(path) as archive:
        for name, part in _sheet_parts(archive).items():
            with archive.open(part) as stream:
                head = stream.read(2048)
            match = _DIMENSION.search(head)
            if match and match.group(3):
                rows = int(match.group(4)) - int(match.group(2)) + 1
                columns = _column_number(match.group(3)) - _column_number(match.group(1)) + 1
                if rows * columns <= MAX_CELLS:
                    continue
            elif match:
                continue  # a one-cell dimension
            last = _scan_extent(archive, part)
            if last[0] * last[1] > MAX_CELLS:
                found[name] = last
    return found


#: filled cells whose column has two or three letters (beyond Z, beyond ZZ)
_WIDE_CELL = {width: re.compile(rb'<c r="([A-Z]{%d})\d+"[^>]*?(?<!/)>' % width)
              for width in (2, 3)}
_CELL_REF = re.compile(rb'<c r="[A-Z]{1,3}(\d+)"')
#: any cell beyond column Z, filled or not: most sheets have none, and one search of
#: the chunk settles that (the two exact patterns each read all of it)
_ANY_WIDE = re.compile(rb'<c r="[A-Z]{2}')


def _scan_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(last row, last column) of the filled cells, without looking at each cell in
    Python: rows come in order, so the last filled cell of the part has the last row;
    the columns need a look only at cells beyond column Z."""
    last_row = 0
    widest = b"A"
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 22):
            text = tail + chunk
            for width in (3, 2) if len(widest) == 3 or _ANY_WIDE.search(text) else ():
                if len(widest) > width:
                    break
                found = _WIDE_CELL[width].findall(text)
                if found:
                    widest = max(widest, max(found)) if len(widest) == width else max(found)
                    break
            end = text.rfind(b"</c>")
            if end >= 0:
                start = text.rfind(b'<c r="', 0, end)
                match = _CELL_REF.match(text, start) if start >= 0 else None
                if match:
                    last_row = max(last_row, int(match.group(1)))
            tail = text[-256:]
    columns = _column_number(widest) if len(widest) > 1 else 26
    return last_row, columns


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the package, from workbook.xml and its relationships."""
    from defusedxml import ElementTree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{main}sheet"):
        target = targets.get(sheet.get(f"{rel}id"), "")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        if target in archive.namelist():
            parts[sheet.get("name", "")] = target
    return parts


def _open(path: Path) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise Unreadable("F002") from None
    except Exception:  # calamine raises several types, all meaning "unreadable"
        if path.suffix.lower() in (".xls", ".xlsx", ".xlsm") and _content_differs(path):
            try:
                with path.open("rb") as handle:
                    return calamine.CalamineWorkbook.from_filelike(handle)
            except Exception:
                pass
        raise Unreadable("F001", _describe(), _describe("en")) from None


def _content_differs(path: Path) -> bool:
    """An .xls that is really .xlsx (or the reverse): Excel itself opens those."""
    with path.open("rb") as handle:
        head = handle.read(8)
    is_zip = head.startswith(ZIP_MAGIC)
    return is_zip == (path.suffix.lower() == ".xls")


def _describe(lang: str = "pl") -> str:
    """What a reader's failure means to the user. The library's own words (English,
    "'mimetype' file not found in archive") are not shown: they name its internals."""
    if lang == "en":
        return "the file is damaged or not a workbook"
    return "plik uszkodzony lub nie jest skoroszytem"


def _rows_from(rows: Iterator[list[Any]], first_row: int) -> Iterator[list[Any]]:
    """calamine's ``iter_rows`` starts at row 0 (columns at the used area's first):
    skip to the used area."""
    return itertools.islice(rows, first_row, None)


class _Loaded:
    """A sheet loaded (or failed to load) before it was asked for: what a Future's
    ``result`` gives, without concurrent.futures (and its logging) to import."""

    def __init__(self, book: calamine.CalamineWorkbook, name: str) -> None:
        self.sheet: calamine.CalamineSheet | None = None
        self.error: BaseException | None = None
        try:
            self.sheet = book.get_sheet_by_name(name)
        except BaseException as error:  # raised where the sheet is asked for
            self.error = error

    def result(self) -> calamine.CalamineSheet:
        if self.error is not None:
            raise self.error
        assert self.sheet is not None
        return self.sheet


class _Later:
    """The second sheet of a workbook read ahead: the read-ahead thread loads it once the
    first is handed over (while the worker still imports the engine, or checks the
    first sheet), so that a contracts-and-payments workbook does not wait for its
    payments sheet; taken like a Future."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.loaded: _Loaded | None = None

    def load(self, book: calamine.CalamineWorkbook, name: str) -> None:
        try:
            self.loaded = _Loaded(book, name)
        finally:
            self.done.set()

    def result(self) -> calamine.CalamineSheet:
        self.done.wait()
        assert self.loaded is not None
        return self.loaded.result()


class _Opened:
    """A workbook sniffed, measured and opened, with what the sheets' loop needs of it
    (taken before any thread borrows the workbook to load a sheet). A plain class: this
    module is imported by a worker that begins reading at once, and the dataclasses
    module (with inspect) costs 8-11 ms before the read can start."""

    __slots__ = ("book", "first", "names", "oversized", "readable", "second", "visible")

    def __init__(self, book: calamine.CalamineWorkbook, names: list[str],
                 visible: dict[str, bool], oversized: dict[str, tuple[int, int]],
                 readable: list[str], first: _Loaded | None = None) -> None:
        self.book = book
        self.names = names
        self.visible = visible
        self.oversized = oversized
        self.readable = readable
        self.first = first
        self.second: _Later | None = None


def _opened(path: Path, native: threading.Event | None = None) -> _Opened:
    """Sniffed, measured, opened, and its first readable sheet parsed; ``native`` is
    set once what remains is calamine's parse of that sheet, without the interpreter.
    (Not before the workbook is opened: each call into calamine and back takes the
    GIL, and with a caller importing meanwhile, opening it waited 4 ms for it.)"""
    sniff(path)
    try:
        oversized = oversized_sheets(path)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise _damaged() from None
    book = _open(path)
    try:
        names = list(book.sheet_names)
        visible = {m.name: m.visible == calamine.SheetVisibleEnum.Visible
                   for m in book.sheets_metadata}
    except BaseException:
        book.close()
        raise
    readable = [n for n in names if n not in oversized]
    if native is not None:
        native.set()
    return _Opened(book, names, visible, oversized, readable,
                   _Loaded(book, readable[0]) if readable else None)


#: Reads begun before they were asked for: path -> (thread, [what _opened gave or
#: raised], set once it is there). Only the worker process that started one reads it.
_AHEAD: dict[Path, tuple[threading.Thread, list[Any], threading.Event]] = {}


def read_ahead(path: Path) -> threading.Event:
    """Begin reading a workbook (up to its first sheet, parsed, then its second) in a
    thread; the event returned is set once the thread is in calamine's code, or done.

    calamine parses a sheet with the GIL released, so whatever the caller does meanwhile
    (a worker forked before the engine was imported imports it: 0.15 s) costs no time.
    Not so the checks before it (sniffing, the zip's directory, the sheets' extent), in
    Python: a caller that imports meanwhile takes the interpreter from them in turns of
    5 ms, and the read begins that much later; a caller with nothing more urgent to do
    waits for the event first. :func:`iter_sheets` then takes what the thread read,
    errors included, exactly as if it had read the file itself."""
    box: list[Any] = []
    ready = threading.Event()
    native = threading.Event()

    def work() -> None:
        try:
            opened = _opened(path, native)
        except BaseException as error:  # raised by iter_sheets, where a read fails
            box.append(error)
            native.set()
            ready.set()
            return
        if len(opened.readable) > 1:
            opened.second = _Later()
        box.append(opened)
        ready.set()
        if opened.second is not None:
            opened.second.load(opened.book, opened.readable[1])

    thread = threading.Thread(target=work, name="workbook-tools-read-ahead", daemon=True)
    _AHEAD[path] = (thread, box, ready)
    thread.start()
    return native


def reading_ahead() -> frozenset[Path]:
    """The workbooks this process has begun reading ahead and not yet taken."""
    return frozenset(_AHEAD)


def wait_ahead() -> None:
    """Let every read begun ahead finish (what it gave or raised is kept for
    :func:`iter_sheets`): done before a worker names another file to its parent, so
    that a read that kills the worker is not blamed on the file named after it."""
    for thread, _box, _ready in list(_AHEAD.values()):
        thread.join()


def drop_ahead() -> None:
    """Forget reads begun and never asked for (a project stopped by its settings):
    their workbooks are closed, a worker holds nothing into its next job."""
    while _AHEAD:
        _path, (thread, box, _ready) = _AHEAD.popitem()
        thread.join()
        if box and not isinstance(box[0], BaseException):
            box[0].book.close()


def iter_sheets(path: Path) -> Iterator[RawSheet]:
    """The sheets of a workbook, one at a time, each reduced to its used area.

    calamine parses a sheet's XML with the GIL released, so the next sheet is parsed in
    a helper thread while the caller works through this one's rows: a contracts sheet is
    checked while the payments sheet is still being read. While a read is under way
    only that thread touches the workbook (calamine borrows it mutably). The first
    sheet may have been read ahead (:func:`read_ahead`).
    """
    from .rawsheet import RawSheet  # not at import: a reading worker starts without it

    ahead = _AHEAD.pop(path, None)
    thread: threading.Thread | None = None
    if ahead is not None:
        thread, box, ready = ahead
        ready.wait()
        if isinstance(box[0], BaseException):
            thread.join()
            raise box[0]
        opened: _Opened = box[0]
    else:
        opened = _opened(path)
    book, oversized, readable = opened.book, opened.oversized, opened.readable
    reader: ThreadPoolExecutor | None = None
    try:
        loading: dict[str, Future[calamine.CalamineSheet] | _Loaded | _Later] = {}
        if opened.first is not None:
            loading[readable[0]] = opened.first
        if opened.second is not None:
            loading[readable[1]] = opened.second
        for name in opened.names:
            if name in oversized:  # never handed to calamine: it would allocate it all
                yield RawSheet(name, [], 0, 0, opened.visible.get(name, True),
                               oversized=oversized[name])
                continue
            try:
                # the first sheet was read with the workbook (nothing to overlap it with;
                # a one-sheet workbook never starts the thread), the next ones ahead, in
                # the thread (the second by the read-ahead thread, if there was one)
                pending = loading.pop(name, None)
                sheet = pending.result() if pending else book.get_sheet_by_name(name)
                after = readable.index(name) + 1
                if after < len(readable) and readable[after] not in loading:
                    # imported here: a one-sheet workbook never needs it (nor logging)
                    from concurrent.futures import ThreadPoolExecutor

                    reader = reader or ThreadPoolExecutor(
                        1, thread_name_prefix="workbook-tools-read")
                    loading[readable[after]] = reader.submit(book.get_sheet_by_name,
                                                             readable[after])
                first_row, first_col = sheet.start or (0, 0)
                rows = _rows_from(sheet.iter_rows(), first_row) if sheet.start else iter(())
                head = list(itertools.islice(rows, HEAD_ROWS))
            except calamine.PasswordError:
                raise Unreadable("F002") from None
            except Exception:
                raise Unreadable("F001", f"arkusz „{name}”: {_describe()}",
                                 f"sheet '{name}': {_describe('en')}") from None
            yield RawSheet(name, head, first_row, first_col,
                           opened.visible.get(name, True), rows)
    finally:
        if reader is not None:
            reader.shutdown(wait=True, cancel_futures=True)  # before the book goes
        if thread is not None:
            thread.join()  # it may still be loading the second sheet
        book.close()


def uncached_formula_cells(path: Path, sheet: str) -> set[str]:
    """A1 addresses of formulas saved without their computed value.

    A workbook written by a program that does not calculate (a script, some exporters)
    keeps "=SUM(C5:C20)" but no result; every reader then sees an empty cell. Budgets
    are checked for this so that a missing total is a warning, not a silent zero. Only
    .xlsx/.xlsm carry formulas apart from values; LibreOffice and Excel always store both.
    The sheet's XML is scanned directly (openpyxl loading the workbook twice cost more
    than the rest of a small project's check).
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    from defusedxml.ElementTree import ParseError, iterparse

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found: set[str] = set()
    try:
        with open_zip(path) as archive:
            part = _sheet_parts(archive).get(sheet)
            if part is None:
                return set()
            with archive.open(part) as stream:
                # streamed: a cell holds <f> (the formula) and <v> (its saved value)
                for _event, element in iterparse(stream, events=("end",)):
                    if element.tag != f"{main}c":
                        continue
                    formula = element.find(f"{main}f")
                    value = element.find(f"{main}v")
                    if formula is not None and (value is None or not (value.text or "")):
                        found.add(element.get("r", ""))
                    element.clear()
    except (OSError, zipfile.BadZipFile, KeyError, ParseError, ValueError):
        return set()  # already read by calamine; this second look's trouble is not fatal
    found.discard("")
    return found
