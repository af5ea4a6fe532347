"""``workbook-tools excel selftest``: the acceptance test a user runs on a real PC.

Our tests prove the Excel door against xlwings' remote engine and against the sources
of xlwings' Windows and macOS engines; only a real Excel proves the whole path a click
takes: VBA in the add-in → RunPython → the configured Python → our code → Excel. This
runs exactly that path on a generated project in a temporary folder, with Excel opened
through xlwings and the add-in's macros started by ``Application.Run``, and checks what
the user would look at after each button, step by step.

The driver (Excel itself) is a small protocol, so the steps and what they verify are
tested here with a driver that does the buttons' work through the file-level commands.
"""

from __future__ import annotations

import datetime as dt
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from openpyxl import load_workbook

from . import marks as annotate
from .names import CLAIM_SHEET, REPORT_SHEET

SHEET = "Uczestnicy"



class NotHere(Exception):
    """No Excel on this system."""


@dataclass(frozen=True)
class Step:
    name: str
    passed: bool
    detail: str


class Driver(Protocol):
    """The few things the self-test asks of Excel."""

    def open(self, path: Path) -> None: ...
    def run(self, macro: str) -> None: ...
    def sheets(self) -> list[str]: ...
    def colour(self, sheet: str, cell: str) -> str | None: ...
    def note(self, sheet: str, cell: str) -> str | None: ...
    def header(self, sheet: str, row: int) -> list[Any]: ...
    def close(self) -> None: ...


def make_project(folder: Path) -> Path:
    """A participant list with three mistakes staff make (a broken PESEL, an end before
    the start, a birth date that is not the PESEL's), written by openpyxl."""
    from .sample import PARTICIPANT_HEADERS, participant_rows, write_xlsx

    rows = participant_rows({"PAL": 8, "KIS": 6}, dt.date(2009, 3, 1), dt.date(2009, 12, 31),
                            seed=15)
    rows[1]["PESEL"] = str(rows[1]["PESEL"])[:-1] + str((int(str(rows[1]["PESEL"])[-1]) + 1)
                                                        % 10)
    rows[4]["Data zakończenia udziału w projekcie"] = dt.date(2009, 1, 15)
    rows[7]["Data urodzenia"] = dt.date(1950, 1, 1)
    return write_xlsx(folder / "uczestnicy.xlsx", PARTICIPANT_HEADERS, rows, sheet=SHEET)


@dataclass(frozen=True)
class Expected:
    """What the buttons must do to the generated list, computed by the same engine
    through the file-level path (``validate``, ``fill``)."""

    marks: dict[str, str]  # cell → our colour (hex RGB)
    header_row: int
    added: list[str]  # headers "Uzupełnij" adds


def expected(path: Path) -> Expected:
    from .engine import validate_paths
    from .fill import fill_file

    result = validate_paths([path])
    marks = annotate.plan(result.issues)
    cells = {item.cell: annotate.COLOURS[item.severity][2:].lower()
             for item in marks.cells if item.sheet == SHEET
             and item.severity in annotate.COLOURS}
    with tempfile.TemporaryDirectory() as tmp:
        filled = Path(tmp) / "filled.xlsx"
        fill_file(path, output=filled)
        book = load_workbook(filled, read_only=True)
        try:
            sheet = book[SHEET]
            top = next(number for number, row in enumerate(
                sheet.iter_rows(values_only=True), 1) if "PESEL" in row)
            after = [v for v in next(sheet.iter_rows(min_row=top, max_row=top,
                                                     values_only=True)) if v]
        finally:
            book.close()
    before = load_workbook(path, read_only=True)
    try:
        original = {v for v in next(before[SHEET].iter_rows(
            min_row=top, max_row=top, values_only=True)) if v}
    finally:
        before.close()
    return Expected(cells, top, [str(v) for v in after if v not in original])


def steps(driver: Driver, path: Path) -> Iterator[Step]:
    """Open, "Sprawdź", "Wyczyść oznaczenia", "Uzupełnij", "Zestawienie", each
    verified."""
    want = expected(path)
    try:
        driver.open(path)
    except Exception as error:  # what Excel or COM raised is the finding
        yield Step("Otwarcie skoroszytu i dodatku w Excelu", False, _said(error))
        return
    yield Step("Otwarcie skoroszytu i dodatku w Excelu", True, path.name)
    before = {cell: (driver.colour(SHEET, cell), driver.note(SHEET, cell))
              for cell in want.marks}

    yield _verified("Sprawdz", driver, lambda: _checked(driver, want))
    yield _verified("WyczyscOznaczenia", driver, lambda: _cleared(driver, before))
    yield _verified("Uzupelnij", driver, lambda: _filled(driver, want))
    yield _verified("Zestawienie", driver, lambda: _counted(driver))


def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _verified(macro: str, driver: Driver, verify: Callable[[], list[str]]) -> Step:
    from .templates import BUTTONS

    caption = next(caption for name, caption, _what in BUTTONS if name == macro)
    name = f"Przycisk „{caption}”"
    try:
        driver.run(macro)
        problems = verify()
    except Exception as error:
        return Step(name, False, _said(error))
    return Step(name, not problems, "; ".join(problems) or "wynik zgodny z oczekiwanym")


def _checked(driver: Driver, want: Expected) -> list[str]:
    problems = []
    if REPORT_SHEET not in driver.sheets():
        problems.append(f"brak arkusza „{REPORT_SHEET}”")
    wrong = [cell for cell, colour in want.marks.items()
             if (driver.colour(SHEET, cell) or "").lower() != colour]
    if wrong:
        problems.append(f"bez koloru uwagi: {', '.join(sorted(wrong))}")
    silent = [cell for cell in want.marks if not driver.note(SHEET, cell)]
    if silent:
        problems.append(f"bez notatki: {', '.join(sorted(silent))}")
    if not want.marks:
        problems.append("test nie ma czego oznaczyć (błąd samego testu)")
    return problems


def _cleared(driver: Driver, before: dict[str, tuple[str | None, str | None]]) -> list[str]:
    problems = []
    if REPORT_SHEET in driver.sheets():
        problems.append(f"arkusz „{REPORT_SHEET}” został")
    changed = [cell for cell, (colour, note) in before.items()
               if (driver.colour(SHEET, cell), driver.note(SHEET, cell)) != (colour, note)]
    if changed:
        problems.append(f"nie przywrócono: {', '.join(sorted(changed))}")
    return problems


def _counted(driver: Driver) -> list[str]:
    """The claim sheet is there (its tables are tested on the command line's engine)."""
    return [] if CLAIM_SHEET in driver.sheets() else [f"brak arkusza „{CLAIM_SHEET}”"]


def _filled(driver: Driver, want: Expected) -> list[str]:
    header = {str(v) for v in driver.header(SHEET, want.header_row) if v}
    missing = [name for name in want.added if name not in header]
    if not want.added:
        return ["test nie ma kolumn do uzupełnienia (błąd samego testu)"]
    return [f"brak kolumn: {', '.join(missing)}"] if missing else []


class ExcelDriver:  # pragma: no cover - needs Excel (Windows, macOS)
    """Excel through xlwings: a new hidden instance, the installed add-in, the macros
    run by ``Application.Run`` so that VBA starts Python as a click does."""

    def __init__(self, addin: Path) -> None:
        import xlwings as xw

        self.addin = addin
        self.app = xw.App(visible=False, add_book=False)
        self.app.display_alerts = False
        self.book: Any = None

    def open(self, path: Path) -> None:
        self.app.books.open(str(self.addin))
        self.book = self.app.books.open(str(path))
        self.book.activate()

    def run(self, macro: str) -> None:
        self.book.activate()
        self.app.macro(f"'{self.addin.name}'!{macro}")()

    def sheets(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets if sheet.visible]

    def colour(self, sheet: str, cell: str) -> str | None:
        rgb = self.book.sheets[sheet].range(cell).color
        return None if rgb is None else "{:02x}{:02x}{:02x}".format(*rgb)

    def note(self, sheet: str, cell: str) -> str | None:
        note = self.book.sheets[sheet].range(cell).note
        return None if note is None else str(note.text)

    def header(self, sheet: str, row: int) -> list[Any]:
        values = self.book.sheets[sheet].range((row, 1), (row, 80)).value
        return list(values)

    def close(self) -> None:
        try:
            if self.book is not None:
                self.book.close()
        finally:
            self.app.quit()


@contextmanager
def workspace() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="workbook-tools-selftest-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(report: Callable[[Step], None],
        driver: Callable[[], Driver] | None = None) -> bool:
    """All steps on a fresh project; True when every one passed. ``driver`` starts
    the Excel to test (by default the real one, with the installed add-in)."""
    if driver is None:
        driver = _real_excel()
    passed = True
    with workspace() as folder:
        path = make_project(folder)
        try:
            excel = driver()
        except Exception as error:
            report(Step("Uruchomienie Excela przez xlwings", False, _said(error)))
            return False
        try:
            for step in steps(excel, path):
                report(step)
                passed = passed and step.passed
        finally:
            excel.close()
    return passed


def _real_excel() -> Callable[[], Driver]:
    from .addin import ADDIN_NAME
    from .excel_setup import this_machine

    machine = this_machine()
    if not machine.has_excel:
        raise NotHere(f"excel selftest uruchamia prawdziwego Excela, a ten system "
                      f"({platform.system()}) go nie ma; uruchom go na komputerze z "
                      "Windows lub macOS i zainstalowanym Excelem")
    addin = (machine.addins or Path()) / ADDIN_NAME
    if not addin.is_file():
        raise NotHere(f"nie ma dodatku {addin}: najpierw workbook-tools excel install")
    return lambda: ExcelDriver(addin)
