"""Files that would take the process down, run as whole processes, as a user runs them.

Each case is a file an attacker (or a broken exporter) could write. The command runs in a
child process under resource limits of its own (so a regression fails this test instead
of killing CI): the tool must answer with exit 1 or 2, name the file, print no traceback,
and stay within 1 GB and the time limit for its whole process tree.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import write_rows
from .people import ANNA, JAN

ROWS = [["Imię", "Nazwisko", "PESEL"], ["Anna", "Nowak", ANNA]]
#: Limits of the child process running the command (inherited by its workers): far above
#: what the tool needs, far below what would hurt the CI machine.
CHILD_MEMORY = 4 << 30
CHILD_SECONDS = 120


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_SECONDS, CHILD_SECONDS))


def command(*args: str | Path, cwd: Path | None = None, timeout: float = CHILD_SECONDS
            ) -> subprocess.CompletedProcess[str]:
    """``workbook-tools ARGS`` as a whole process under limits."""
    return subprocess.run([sys.executable, "-m", "workbook_tools", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          preexec_fn=_limits, check=False,
                          env={**os.environ, "RUST_BACKTRACE": "1"})


#: What python-calamine's Rust writes before it aborts or panics (with RUST_BACKTRACE
#: set, as command() sets it, a whole backtrace): never shown to the user.
NATIVE_WORDS = ("memory allocation of", "RUST_BACKTRACE", "stack backtrace", "panicked at")


def contained(result: subprocess.CompletedProcess[str], name: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode in (1, 2), output
    assert "Traceback" not in output
    assert not [words for words in NATIVE_WORDS if words in output], output
    assert name in output, output
    return output


SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '{dimension}<sheetData>'
         '<row r="1"><c r="A1" t="inlineStr"><is><t>Imię</t></is></c></row>'
         '{far}</sheetData></worksheet>')
FAR = {
    "lying": ('<dimension ref="A1:D3"/>',
              '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    "single": ('<dimension ref="A1"/>', '<row r="900000"><c r="XFA900000"><v>1</v></c></row>'),
    "t-first": ('<dimension ref="A1:B2"/>',
                '<row r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>'),
    "quotes": ("<dimension ref='A1:B2'/>",
               "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>"),
    "none": ("", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
    "out-of-order": ('<dimension ref="A1:B2"/>',
                     '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                     '<row r="2"><c r="A2"><v>1</v></c></row>'),
}


def far_cell(path: Path, case: str) -> Path:
    write_rows(path, [["x"]])
    dimension, far = FAR[case]
    data = SHEET.format(dimension=dimension, far=far).encode()
    target = path.with_name("far-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w",
                                                           zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            body = data if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            out.writestr(item, body)
    path.unlink()
    return target


@pytest.mark.parametrize("case", list(FAR))
def test_a_far_cell_behind_a_lying_extent_costs_the_file_not_the_process(tmp_path, case):
    path = far_cell(tmp_path / "lista.xlsx", case)
    output = contained(command("validate", path), path.name)
    if "F007" in output:  # the reader aborted on its allocation: said in words
        assert "sygnał 6 — biblioteka czytająca plik przerwała pracę, zwykle z braku " \
               "pamięci" in output, output


def test_a_hostile_sibling_does_not_stop_fill(tmp_path):
    good = write_rows(tmp_path / "uczestnicy.xlsx", ROWS)
    far_cell(tmp_path / "inny.xlsx", "lying")
    result = command("fill", good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "uczestnicy.uzupelniony.xlsx").exists()


def million_rows_ods(path: Path) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version='
               '"1.2"><office:body><office:spreadsheet><table:table table:name="Lista">'
               '<table:table-row table:number-rows-repeated="1048576">'
               '<table:table-cell table:number-columns-repeated="1024" '
               'office:value-type="string"><text:p>x</text:p></table:table-cell>'
               '</table:table-row></table:table></office:spreadsheet></office:body>'
               '</office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        out.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        out.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_of_repeated_rows_is_stopped_by_the_memory_limit(tmp_path):
    path = million_rows_ods(tmp_path / "lista.ods")
    output = contained(command("validate", path), path.name)
    assert any(code in output for code in ("F001", "F006", "F007", "S006"))


def looping_xls(path: Path, libreoffice) -> Path:
    """An .xls whose compound-file directory chain points back at itself."""
    source = write_rows(path.with_suffix(".xlsx"), ROWS)
    [xls] = libreoffice([source], "xls", path.parent)
    data = bytearray(xls.read_bytes())
    directory = struct.unpack_from("<I", data, 0x30)[0]
    fat_sector = struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, (fat_sector + 1) * 512 + 4 * directory, directory)
    xls.write_bytes(bytes(data))
    return xls


def test_an_xls_whose_directory_loops_is_contained(tmp_path, libreoffice):
    path = looping_xls(tmp_path / "lista.xls", libreoffice)
    contained(command("validate", path), path.name)


def test_a_fifo_and_a_link_to_a_device_are_skipped(tmp_path):
    write_rows(tmp_path / "uczestnicy.xlsx", ROWS)
    os.mkfifo(tmp_path / "potok.xlsx")
    (tmp_path / "zero.xlsx").symlink_to("/dev/zero")
    result = command("validate", tmp_path, timeout=60)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    given = command("validate", tmp_path / "potok.xlsx", timeout=60)
    assert given.returncode == 2 and "zwykły plik" in given.stdout
    fill = command("fill", tmp_path / "zero.xlsx", timeout=60)
    assert fill.returncode == 2 and "zwykły plik" in fill.stderr + fill.stdout


def test_a_file_that_turned_into_a_fifo_is_not_read_ahead(tmp_path):
    """A workbook replaced by a FIFO after the project was resolved: the worker's job
    (which reads its first workbook ahead) must not open it (a FIFO blocks its reader
    for good); the file is F001, as validate_file says of it."""
    fifo = tmp_path / "potok.xlsx"
    os.mkfifo(fifo)
    probe = ("import sys\nfrom pathlib import Path\nfrom workbook_tools import batch\n"
             "path = Path(sys.argv[1])\n"
             "result = batch.check_project(path.parent, [path], None, None,\n"
             "                             failed={}, on_file=lambda _path: None)\n"
             "print([i.code for i in result.all_issues])\n")
    done = subprocess.run([sys.executable, "-c", probe, str(fifo)], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.stdout.strip() == "['F001']", done.stdout + done.stderr


def test_deeply_nested_settings_are_a_settings_error(tmp_path):
    write_rows(tmp_path / "uczestnicy.xlsx", ROWS)
    (tmp_path / "projekt.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n",
                                           encoding="utf-8")
    output = contained(command("validate", tmp_path), "projekt.toml")
    assert "F004" in output
    fill = command("fill", tmp_path / "uczestnicy.xlsx")
    assert fill.returncode == 2 and "Traceback" not in fill.stdout + fill.stderr
    assert "projekt.toml" in fill.stdout and "zagnieżdżone" in fill.stdout


def test_native_panics_are_caught_at_the_file(tmp_path, monkeypatch):
    """python-calamine raises PanicException, a BaseException, on some .xlsb files."""
    from workbook_tools import engine
    from workbook_tools.engine import validate_paths

    class PanicException(BaseException):
        pass

    def panic(_path):
        raise PanicException("index out of bounds")
        yield  # pragma: no cover

    path = write_rows(tmp_path / "lista.xlsx", ROWS)
    monkeypatch.setattr(engine, "iter_sheets", panic)
    [issue] = validate_paths([path]).issues
    assert issue.code == "F005"


def test_markup_and_escape_sequences_from_cells_are_inert(tmp_path):
    rows = [["Imię", "Nazwisko", "PESEL", "Płeć"],
            ["[/]", "[bold]Nowak", "8004020123", "_x001B_]0;przejęty_x0007__x001B_[2J[/]"]]
    path = write_rows(tmp_path / "lista.xlsx", rows)
    result = command("validate", path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    assert "\x1b" not in output and "\x07" not in output
    assert "\\x1b]0;przejęty\\x07" in output


def test_pesel_is_masked_everywhere_unless_asked(tmp_path):
    folder = tmp_path / f"projekt-{ANNA}"
    folder.mkdir()
    write_rows(folder / f"lista {ANNA}.xlsx", [*ROWS, ["Anna", "Nowak", ANNA]],
               sheet=f"L{ANNA}")
    second = tmp_path / "drugi"
    second.mkdir()
    write_rows(second / "lista.xlsx", ROWS)
    hyphen = ANNA[:6] + "-" + ANNA[6:]
    for args in (["validate", folder], ["validate", "--summary", folder],
                 ["validate", "--summary", "--format", "json", folder],
                 ["validate", tmp_path], ["validate", "-q", tmp_path]):
        result = command(*args)
        output = result.stdout + result.stderr
        assert ANNA not in output and hyphen not in output, args
        assert ANNA[:6] + "*****" in output or "--summary" in args or "-q" in args, args
    shown = command("validate", "--show-personal-data", folder)
    assert ANNA in shown.stdout


def _with_part(path: Path, name: str, data: bytes, **options) -> Path:
    target = path.with_name("x-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w",
                                                           zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, data if item.filename == name else source.read(item),
                         **options)
    return target


def test_a_doctype_behind_a_long_comment_is_still_refused(tmp_path):
    from workbook_tools.engine import validate_paths

    path = write_rows(tmp_path / "lista.xlsx", ROWS)
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        body = archive.read(part).split(b"?>", 1)[-1]
    padded = (b'<?xml version="1.0"?>\n<!--' + b"x" * 300_000 + b"-->\n<?pi a?>"
              b'<!DOCTYPE worksheet [<!ENTITY a "b">]>' + body)
    hostile = _with_part(path, part, padded)
    [issue] = validate_paths([hostile]).issues
    assert issue.code == "F001" and "DOCTYPE" in issue.message()
    harmless = _with_part(path, part,
                          b'<?xml version="1.0"?>\n<!--' + b"<!DOCTYPE " * 9000 + b"-->" + body)
    assert "F001" not in [i.code for i in validate_paths([harmless]).issues]


def test_zip_passwords_and_unknown_compression_are_named(tmp_path):
    from workbook_tools.engine import validate_paths

    path = write_rows(tmp_path / "lista.xlsx", ROWS)
    data = bytearray(path.read_bytes())
    offset = 0
    while (offset := data.find(b"PK\x03\x04", offset)) >= 0:  # local headers: encrypted
        data[offset + 6] |= 0x1
        offset += 4
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) >= 0:  # central directory too
        data[offset + 8] |= 0x1
        offset += 4
    locked = tmp_path / "haslo.xlsx"
    locked.write_bytes(bytes(data))
    assert [i.code for i in validate_paths([locked]).issues] == ["F002"]
    data = bytearray(path.read_bytes())
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) >= 0:
        data[offset + 10:offset + 12] = (99).to_bytes(2, "little")  # AES / unknown
        offset += 4
    odd = tmp_path / "dziwny.xlsx"
    odd.write_bytes(bytes(data))
    # haslo.xlsx beside it is another, unreadable workbook of the folder (F008)
    [issue] = [i for i in validate_paths([odd]).issues if i.code != "F008"]
    assert issue.code == "F001" and "kompresji" in issue.message()


def test_an_overlong_name_is_shortened_in_messages(tmp_path):
    from workbook_tools.issues import Issue

    issue = Issue("P001", "lista.xlsx", sheet="Lista", cell="D2", row=2,
                  params={"text": "x" * 32767, "reason": "błędna cyfra kontrolna"})
    assert len(issue.message()) < 400


BUTTON = """
import sys
from pathlib import Path
import xlwings as xw
from tests.test_excel import Saved, actions, payload, report_codes
from workbook_tools import excel

path = Path(sys.argv[1])
book = Saved(xw.Book(json=payload(path)), path)
excel.sprawdz(book)
print(report_codes(book))
print(actions(book, "alert")[0]["args"][0])
"""


def test_a_hostile_file_beside_the_open_workbook_costs_that_file_not_the_button(tmp_path):
    """"Sprawdź" reads the other workbooks of the project from disk: a file beside the
    open one that aborts the reader (a far cell behind a lying extent) is read in a
    worker, so the button still answers, and F008 says what was left out. Run as a
    whole process under limits: before, the abort took the button's Python with it."""
    good = write_rows(tmp_path / "uczestnicy.xlsx", ROWS, sheet="Uczestnicy")
    hostile = far_cell(tmp_path / "obecnosc.xlsx", "lying")
    done = subprocess.run([sys.executable, "-c", BUTTON, str(good)], capture_output=True,
                          text=True, timeout=CHILD_SECONDS, preexec_fn=_limits, check=False,
                          cwd=Path(__file__).parent.parent,
                          env={**os.environ, "RUST_BACKTRACE": "1",
                               "XLWINGS_LICENSE_KEY": "noncommercial"})
    assert done.returncode == 0, done.stdout + done.stderr
    codes, alert = done.stdout.strip().splitlines()[-2:]
    assert codes == "['F008']", done.stdout
    assert alert.startswith("Sprawdzono: 0 błędów, 1 ostrzeżenie")
    assert not [words for words in NATIVE_WORDS if words in done.stdout + done.stderr]
    assert hostile.name == "far-obecnosc.xlsx"


def test_the_buttons_worker_in_a_spawned_python(tmp_path, monkeypatch):
    """The Windows path of read_contained, here: the worker is a new Python (spawn),
    receives the job pickled and hands back every sheet whole; a missing file is its
    issue. What it hands back equals what this process reads itself."""
    import multiprocessing

    from workbook_tools import batch, contain
    from workbook_tools.unreadable import read_whole

    monkeypatch.setattr(contain, "_context", lambda: multiprocessing.get_context("spawn"))
    example = Path(__file__).parent.parent / "workbooks" / "przyklad"
    files = [example / "kontrakty.xlsx", example / "obecnosc.xlsx", tmp_path / "brak.xlsx"]
    found = batch.read_contained(files)
    for path in files[:2]:
        here = read_whole(path)
        assert isinstance(here, list) and isinstance(found[path], list)
        assert [(s.name, s.rows, list(s.more)) for s in found[path]] == \
               [(s.name, s.rows, list(s.more)) for s in here]
    assert found[files[2]].code == "F001"  # type: ignore[union-attr]


def test_stopped_workers_are_reaped_and_none_is_left(tmp_path):
    """A pool closing tells its idle workers to stop and leaves without waiting for
    them (the system unmapping a big read's memory held the answer back); the next
    pool reaps those that ended, and none is left behind as a process."""
    import subprocess
    import sys

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_rows(tmp_path / "a" / "lista.xlsx", [["Imię", "Nazwisko", "PESEL"],
                                               ["Anna", "Nowak", ANNA]])
    write_rows(tmp_path / "b" / "lista.xlsx", [["Imię", "Nazwisko", "PESEL"],
                                               ["Jan", "Lis", JAN]])
    probe = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from workbook_tools import batch, contain\n"
        "first = batch.run([Path(sys.argv[1])], jobs=2)\n"
        "left = list(contain._LEAVING)\n"
        "for process in left:\n"
        "    process.join(10)\n"
        "second = batch.run([Path(sys.argv[1])], jobs=2)\n"  # its pool reaps the first's
        "reaped = not any(p in contain._LEAVING for p in left)\n"
        "for process in list(contain._LEAVING):\n"
        "    process.join(10)\n"
        "contain._reap()\n"
        "try:\n"
        "    os.waitpid(-1, os.WNOHANG)\n"
        "    children = True\n"
        "except ChildProcessError:\n"
        "    children = False\n"
        "print(len(left), reaped, contain._LEAVING, children,\n"
        "      sorted(i.code for i in first.issues) == sorted(i.code for i in second.issues))\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True,
                          text=True, timeout=CHILD_SECONDS, check=False)
    assert done.stdout.split() == ["2", "True", "[]", "False", "True"], done.stdout + done.stderr


def test_the_pool_imports_where_there_is_no_fork():
    """Windows has no os.register_at_fork (nor fork): the pool's module still imports."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os\ndel os.register_at_fork\n"
                           "import workbook_tools.contain\nprint('ok')"],
                          capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_parent_imports_meanwhile_once_its_worker_has_begun(tmp_path):
    """What the parent does meanwhile (importing the result's classes) waits for the
    worker's first word (it has imported what it needs and begins its files): done as
    the job was handed out, it took a core from the worker's read and imports."""
    from workbook_tools import batch, contain

    path = write_rows(tmp_path / "lista.xlsx", ROWS)
    seen: list[Path] = []
    calls: list[int] = []
    job = contain.Job(0, batch.check_project, (tmp_path, [path], None, None, False), [path])
    results = contain.run([job], on_file=lambda _pid, file: seen.append(file),
                          meanwhile=lambda: calls.append(len(seen)))
    assert calls == [1] and seen == [path]
    assert not isinstance(results[0], contain.Failure)
