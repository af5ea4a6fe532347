"""Start-up as a user waits for it: ``--help``, a whole ``validate`` of the example
project, and the Python an Excel button starts, each a fresh process.

Usage: python benchmarks/bench_startup.py [--repeat 5]

Prints the import time of the command line and of the Excel door (``python -X
importtime``, cumulative time of the top module) and the wall time of whole processes,
the median of ``--repeat`` runs taken in turns, beside a raw python-calamine read of the
same files (the practical floor).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_whole import compiled

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"
#: The "Sprawdź" button end to end in a fresh Python, as RunPython starts it: import the
#: door, receive the workbook (here xlwings' remote engine, from the values the VBA
#: client would send), check it with its project, mark it, show the summary box. The
#: payload is built here (tests/test_excel.py's helper, without importing the tests:
#: pytest, openpyxl and oletools are no part of a click), before the clock's mark.
BUTTON = ("import os, sys, datetime as dt\n"
          "os.environ.setdefault('XLWINGS_LICENSE_KEY', 'noncommercial')\n"
          "import python_calamine as calamine\n"
          "def cell(v):\n"
          "    if isinstance(v, dt.datetime): return v.strftime('%Y-%m-%dT%H:%M:%S.000Z')\n"
          "    if isinstance(v, dt.date): return f'{v:%Y-%m-%d}T00:00:00.000Z'\n"
          "    return '' if v is None else v\n"
          "book = calamine.CalamineWorkbook.from_path(sys.argv[1])\n"
          "sheets = []\n"
          "for name in book.sheet_names:\n"
          "    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)\n"
          "    width = max((len(r) for r in rows), default=1)\n"
          "    sheets.append({'name': name, 'pictures': [], 'tables': [], 'values':\n"
          "                   [[cell(v) for v in r] + [''] * (width - len(r)) for r in rows]\n"
          "                   or [['']]})\n"
          "import xlwings as xw\n"
          "from workbook_tools import excel\n"
          "payload = {'client': 'VBA', 'version': xw.__version__, 'names': [], 'book': {\n"
          "    'name': os.path.basename(sys.argv[1]), 'active_sheet_index': 0,\n"
          "    'selection': 'A1'}, 'sheets': sheets}\n"
          "book = xw.Book(json=payload)\n"
          "class Saved:  # Excel's fullname: the path, so the project is read too\n"
          "    def __init__(self, book): self.book, self.fullname = book, sys.argv[1]\n"
          "    def __getattr__(self, name): return getattr(self.book, name)\n"
          "excel.sprawdz(Saved(book) if sys.argv[2:] == ['saved'] else book)\n"
          "assert [a for a in book.json()['actions'] if a['func'] == 'alert']\n")
RAW = ("import sys, python_calamine as c\n"
       "for p in sys.argv[1:]:\n"
       "    b = c.CalamineWorkbook.from_path(p)\n"
       "    [b.get_sheet_by_name(n).to_python() for n in b.sheet_names]\n")


def import_time(module: str) -> float:
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                          capture_output=True, text=True, check=True)
    line = [x for x in done.stderr.splitlines() if re.search(rf"\| {re.escape(module)}$", x)]
    return int(line[-1].split("|")[1]) / 1e6


def whole(command: list[str]) -> float:
    """Wall seconds of one process, as the user waits for it."""
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    compiled()
    # the buttons' one-time setup, which keeps the door's compiled data-class methods
    # for their Python (xlwings starts it with -B, as the cases below do)
    with tempfile.TemporaryDirectory() as addins:
        subprocess.run([sys.executable, "-m", "workbook_tools", "excel", "install",
                        "--folder", addins], check=False, stdout=subprocess.DEVNULL,
                       env={k: v for k, v in os.environ.items()
                            if k != "PYTHONDONTWRITEBYTECODE"})
    files = sorted(str(p) for p in EXAMPLE.glob("*.xlsx"))
    tool = [sys.executable, "-m", "workbook_tools"]
    cases = {
        "raw calamine read of the example": [sys.executable, "-c", RAW, *files],
        "workbook-tools --help": [*tool, "--help"],
        "workbook-tools validate workbooks/przyklad -q": [*tool, "validate", str(EXAMPLE), "-q"],
        "Excel button's Python start (import workbook_tools.excel)":
            [sys.executable, "-B", "-c", "import workbook_tools.excel"],
        "\"Sprawdź\" on uczestnicy.xlsx, start to summary box (remote engine)":
            [sys.executable, "-B", "-c", BUTTON, str(EXAMPLE / "uczestnicy.xlsx")],
        "  the same, saved in its project (3 workbooks beside it, read by a worker)":
            [sys.executable, "-B", "-c", BUTTON, str(EXAMPLE / "uczestnicy.xlsx"), "saved"],
    }
    for module in ("workbook_tools.cli", "workbook_tools.excel"):
        seconds = statistics.median(import_time(module) for _ in range(repeat))
        print(f"import {module:<22} {seconds:.3f} s")
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):  # alternating, so that drift hits every case alike
        for name, command in cases.items():
            runs[name].append(whole(command))
    for name, seconds in runs.items():
        print(f"{name:<76} {statistics.median(seconds):.2f} s "
              f"(min {min(seconds):.2f}, max {max(seconds):.2f})")


if __name__ == "__main__":
    main()
