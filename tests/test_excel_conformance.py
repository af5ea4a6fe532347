"""The Excel door against the engines of real Excel, read from the installed xlwings.

The remote engine implements more than Excel's own engines (``freeze_panes`` was the
case that broke "Sprawdź" on Windows), so passing on it proves nothing about Excel.
Here every engine member the door reaches through xlwings' public API is recorded while
the buttons run on the remote engine, and each must be implemented — defined in the
class itself, not inherited from ``base_classes`` where it raises NotImplementedError —
by the Windows engine (``xlwings/_xlwindows.py``) and the macOS engine
(``xlwings/_xlmac.py``) of the installed, pinned xlwings. A new call that only the
remote engine supports fails here. What this cannot prove (the COM calls themselves)
only ``workbook-tools excel selftest`` on a PC with Excel can.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest
import xlwings as xw
import xlwings.pro._xlremote as remote

from workbook_tools import excel

from .test_excel import EXAMPLE, payload

ENGINES = ("_xlwindows.py", "_xlmac.py")
#: Read by xlwings.main itself as ``getattr(impl, "arg1", ...)`` (a remote-engine probe
#: with a default): absent from the desktop engines by design, harmless there.
PROBED = {("Range", "arg1")}


def implemented(source: Path) -> dict[str, set[str]]:
    """Class name -> members the class itself defines (methods, properties, fields)."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            members = found.setdefault(node.name, set())
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    members.add(item.name)
                    members.update(  # attributes the methods set: self.name = ...
                        target.attr for sub in ast.walk(item) if isinstance(sub, ast.Assign)
                        for target in sub.targets if isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name) and target.value.id == "self")
                elif isinstance(item, ast.Assign):
                    members.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return found


def record_engine_calls(monkeypatch) -> set[tuple[str, str]]:
    """Members of the remote engine's classes that xlwings' public API (``main``)
    touches while the door runs: exactly what a real engine would be asked for."""
    calls: set[tuple[str, str]] = set()
    for name in dir(remote):
        cls = getattr(remote, name)
        if not isinstance(cls, type) or cls.__module__ != remote.__name__:
            continue
        original = cls.__getattribute__

        def spy(self, attr, _original=original, _name=name):
            if not attr.startswith("_") and sys._getframe(1).f_globals.get(
                    "__name__") == "xlwings.main":
                calls.add((_name, attr))
            return _original(self, attr)

        monkeypatch.setattr(cls, "__getattribute__", spy)
    return calls


@pytest.fixture
def door_calls(monkeypatch, tmp_path):
    books = [xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx")) for _ in range(2)]
    record = [["workbook-tools undo record", 2, "Wyniki kontroli", "", "", ""],
              ["arkusz", "komórka", "wypełnienie", "komentarz", "autor komentarza",
               "komentarz dodany"], ["Uczestnicy", "D9", "#00b0f0", "", "", "tak"]]
    marked = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx", {
        "Wyniki kontroli": [["Lp.", "Arkusz", "Komórka", "Kod", "Waga", "Komunikat",
                             "Wartość"]], "_workbook_tools": record}))
    fixes = [["workbook-tools undo record", 3, "", "poprawki", "", "", "", "", ""],
             ["arkusz", "komórka", "wypełnienie", "komentarz", "autor komentarza",
              "komentarz dodany", "wartość", "format liczby", "wartość zmieniona"],
             ["Uczestnicy", "M45", "", "", "", "nie", 11200, "General", "tak"]]
    fixed = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx", {"_workbook_tools": fixes}))
    to_fix = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))
    counted = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx", {
        "Zestawienie": [["Zestawienie do wniosku o płatność (workbook-tools)"]]}))
    calls = record_engine_calls(monkeypatch)  # the books exist: only the door is seen
    excel.sprawdz(books[0])
    excel.uzupelnij(books[1])
    excel.wyczysc(marked)
    excel.popraw(to_fix)
    excel.wyczysc(fixed)
    excel.zestawienie(counted)  # replaces our old claim sheet: a delete, an add, a write
    return calls


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_call_of_the_door_is_implemented_by_real_excel(door_calls, engine):
    source = Path(xw.__file__).parent / engine
    members = implemented(source)
    assert door_calls, "nothing recorded: the spy did not see the door"
    missing = sorted(f"{cls}.{attr}" for cls, attr in door_calls
                     if attr not in members.get(cls, set()) and (cls, attr) not in PROBED)
    assert not missing, f"{engine} does not implement: {missing}"


def test_the_spy_would_catch_a_call_only_the_remote_engine_has(monkeypatch):
    """freeze_panes (what broke "Sprawdź" on Windows) is found missing."""
    calls = record_engine_calls(monkeypatch)
    book = xw.Book(json=payload(EXAMPLE / "uczestnicy.xlsx"))
    book.sheets[0].freeze_panes.freeze_at("A2")
    members = implemented(Path(xw.__file__).parent / "_xlwindows.py")
    assert any(attr not in members.get(cls, set()) for cls, attr in calls)


class _Books:
    def __init__(self, active):
        self.active = active


class _App:
    def __init__(self, active):
        self.books = _Books(active)


class _Named:
    def __init__(self, name, active=None):
        self.name = name
        self.app = _App(active)


def test_from_the_addin_the_button_acts_on_the_workbook_in_front(monkeypatch):
    users = _Named("lista uczestników.xlsx")
    addin = _Named("workbook-tools.xlam", active=users)
    assert excel._book(addin) is users
    monkeypatch.setattr(xw.Book, "caller", classmethod(lambda cls: addin))
    assert excel._book(None) is users
    alone = _Named("workbook-tools.xlam", active=_Named("workbook-tools.xlam"))
    with pytest.raises(excel.NoWorkbook):
        excel._book(alone)


def test_marking_costs_calls_per_sheet_and_colour_not_per_cell(monkeypatch):
    """Counted on a recording stand-in of the Windows engine's path (multi-area ranges):
    the number of Excel calls must not grow with the number of marked cells."""
    from workbook_tools import marks as annotate
    from workbook_tools.rules import Severity

    counted: list[str] = []

    class Range:
        def __init__(self, address):
            self.address = address
            counted.append(f"range {address[:20]}")

        @property
        def color(self):
            counted.append("get color")
            return None

        @color.setter
        def color(self, value):
            counted.append("set color")

        @property
        def note(self):
            counted.append("get note")
            return None

        def add_note(self, text):
            counted.append("add note")

    class Sheet:
        def __init__(self, name):
            self.name = name

        def range(self, address, *_more):
            return Range(address if isinstance(address, str) else "A1")

    def cost(cells: int) -> int:
        counted.clear()
        sheet = Sheet("Lista")
        marks = [annotate.CellMark("Lista", f"D{row}", Severity.ERROR, "x")
                 for row in range(2, cells + 2)]
        fills = excel._fills(sheet, [m.cell for m in marks], multi=True)
        assert set(fills.values()) == {""}
        monkeypatch.setattr(excel, "_multi_area", lambda _book: True)
        excel._paint(object(), sheet, {"#ffc7ce": [m.cell for m in marks]})
        return len(counted)

    small, large = cost(200), cost(2000)
    # budget: a range object and one colour call per group of areas (255-character
    # addresses hold about 50 cells), for reading and for painting
    assert large == small <= 8


def test_committed_excel_files_embed_the_installed_xlwings_vba_module():
    """xlwings refuses a VBA module of another version than its Python package: the
    pinned version and the module inside every committed .xlsm/.xlam must agree."""
    import re

    from oletools.olevba import VBA_Parser

    folder = Path(__file__).parent.parent / "workbooks" / "excel"
    files = sorted(folder.glob("*.xls[am]"))
    assert files
    for path in files:
        parser = VBA_Parser(str(path))
        try:
            [code] = [code for _f, _s, name, code in parser.extract_macros()
                      if name.startswith("xlwings")]
        finally:
            parser.close()
        match = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', code)
        assert match and match.group(1) == xw.__version__, path.name
