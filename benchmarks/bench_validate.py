"""Speed and memory of validate against a raw python-calamine read.

Usage: python benchmarks/bench_validate.py [--case participants|payments|attendance|all]
                                           [--rows 50000] [--payments 10000]
                                           [--attendance 1000x100] [--keep DIR]

Generates each workbook (participants: N rows with all PEFS columns, text and date
cells, a few mistakes; payments: a contracts sheet and N payments, a tenth of the
amounts typed as "1 234,50 zł"; attendance: the long layout, P participants x S sessions,
a tenth of the sessions missed "nb"), then runs each measurement in a fresh interpreter so
that peak memory (max RSS, which includes calamine's native allocations) belongs to that
measurement alone. Raw reads and validate runs alternate (--repeat of each): the best
of each gives the ratio, and the median ratio of neighbouring runs shows how far a
shared machine moves it. Targets: validate <= 2x the raw read; peak memory <= 300 MB at
50 000 participant rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from workbook_tools.polish import format_money
from workbook_tools.sample import (
    ATTENDANCE_HEADERS,
    CONTRACT_HEADERS,
    PARTICIPANT_HEADERS,
    PAYMENT_HEADERS,
    attendance_rows,
    contract_rows,
    participant_rows,
    payment_rows,
)
from workbook_tools.templates import session_dates

RAW = """
import json, resource, sys, time
import python_calamine as pc
t = time.perf_counter()
book = pc.CalamineWorkbook.from_path(sys.argv[1])
cells = sum(len(r) for name in book.sheet_names
            for r in book.get_sheet_by_name(name).to_python(skip_empty_area=True))
print(json.dumps({"seconds": time.perf_counter() - t, "cells": cells,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

VALIDATE = """
import json, resource, sys, time
from pathlib import Path
from workbook_tools.engine import validate_paths
t = time.perf_counter()
result = validate_paths([Path(sys.argv[1])])
print(json.dumps({"seconds": time.perf_counter() - t, "issues": len(result.issues),
                  "rows": sum(len(s.records) for f in result.files for s in f.sheets),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def add_dimensions(path: Path) -> None:
    """Write each sheet's <dimension> as Excel and LibreOffice do (openpyxl's write-only
    mode leaves it out, and a sheet without one costs workbook-tools an extra scan for
    content far from the data; see read.oversized_sheets)."""
    import re
    import shutil
    import zipfile

    from openpyxl.utils import get_column_letter

    source = path.with_suffix(".tmp.xlsx")
    shutil.move(path, source)
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if re.match(r"xl/worksheets/sheet\d+\.xml$", item.filename) and \
                    b"<dimension" not in data[:4096]:
                rows = [int(r) for r in re.findall(rb'<row r="(\d+)"', data)]
                width = max((len(re.findall(rb"<c ", row)) for row in
                             re.findall(rb"<row [^>]*>(.*?)</row>", data[:1 << 20])),
                            default=1)
                ref = f"A1:{get_column_letter(width)}{max(rows, default=1)}".encode()
                data = re.sub(rb"(<sheetViews|<sheetFormatPr|<cols|<sheetData)",
                              b'<dimension ref="' + ref + rb'"/>\1', data, count=1)
            new.writestr(item, data)
    source.unlink()


def generate_participants(path: Path, rows: int) -> None:
    groups = {"PAL": rows // 3, "KIS": rows // 3, "Szkolenia zawodowe": rows - 2 * (rows // 3)}
    data = participant_rows(groups, dt.date(2009, 1, 1), dt.date(2009, 12, 31), seed=rows)
    for index, row in enumerate(data):
        if index % 10 == 0:  # a tenth of the dates typed as text, as staff do
            start = row["Data rozpoczęcia udziału w projekcie"]
            assert isinstance(start, dt.date)
            row["Data rozpoczęcia udziału w projekcie"] = f"{start:%d.%m.%Y}"
        if index % 1000 == 7:
            row["PESEL"] = str(row["PESEL"])[:-1] + "0"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Uczestnicy")
    sheet.append(["Lista uczestników projektu (benchmark)"])
    sheet.append([])
    sheet.append(list(PARTICIPANT_HEADERS))
    for row in data:
        sheet.append([row.get(h) for h in PARTICIPANT_HEADERS])
    book.save(path)
    add_dimensions(path)


def generate_payments(path: Path, payments: int) -> None:
    """One contract per two payments asked for, then 1-3 payments per contract (within
    each grant and period), cut to the number asked for."""
    people = max(1, payments // 2)
    groups = {"PAL": people}
    participants = participant_rows(groups, dt.date(2009, 1, 1), dt.date(2009, 12, 31), seed=1)
    contracts = contract_rows(participants)
    rows = payment_rows(contracts)[:payments]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Kontrakty")
    sheet.append(list(CONTRACT_HEADERS))
    for row in contracts:
        sheet.append([row.get(h) for h in CONTRACT_HEADERS])
    sheet = book.create_sheet("Wypłaty")
    sheet.append(list(PAYMENT_HEADERS))
    for number, row in enumerate(rows, 1):
        row["Lp."] = number
        if number % 10 == 0:
            row["Kwota wypłaty"] = format_money(Decimal(str(row["Kwota wypłaty"])))
        sheet.append([row.get(h) for h in PAYMENT_HEADERS])
    book.save(path)
    add_dimensions(path)


def generate_attendance(path: Path, shape: str) -> None:
    """One row per participant per session (1000x100: 100 000 rows, long layout)."""
    people, sessions = (int(n) for n in shape.split("x"))
    participants = participant_rows({"Szkolenia zawodowe": people}, dt.date(2009, 1, 1),
                                    dt.date(2009, 12, 31), seed=3)
    dates = session_dates(dt.date(2009, 1, 5), sessions, every_days=2)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Obecność")
    sheet.append(["Ewidencja godzin (benchmark)"])
    sheet.append(list(ATTENDANCE_HEADERS))
    for row in attendance_rows(participants, "Szkolenia zawodowe", dates):
        sheet.append([row.get(h) for h in ATTENDANCE_HEADERS])
    book.save(path)
    add_dimensions(path)


def measure(script: str, path: Path, repeat: int) -> dict[str, float]:
    runs = [run_once(script, path) for _ in range(repeat)]
    return best_of(runs)


def run_once(script: str, path: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", script, str(path)], check=True,
                         capture_output=True, text=True).stdout
    return dict(json.loads(out))


def best_of(runs: list[dict[str, float]]) -> dict[str, float]:
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["rss_mb"] = max(r["rss_mb"] for r in runs)
    return best


def measure_pair(path: Path, repeat: int) -> tuple[dict[str, float], dict[str, float], float]:
    """Raw read and validate run alternately, so that a slow spell of a shared machine
    falls on both; the ratio of the best runs, and the median ratio of neighbouring
    runs (how much the figure moves)."""
    raws, ours = [], []
    for _ in range(repeat):
        raws.append(run_once(RAW, path))
        ours.append(run_once(VALIDATE, path))
    pairs = sorted(o["seconds"] / r["seconds"] for r, o in zip(raws, ours, strict=True))
    return best_of(raws), best_of(ours), pairs[len(pairs) // 2]


def report(name: str, path: Path, raw: dict[str, float], ours: dict[str, float],
           median: float) -> None:
    ratio = ours["seconds"] / raw["seconds"]
    print(f"{name}: {raw['cells']:.0f} cells, {path.stat().st_size / 1e6:.1f} MB xlsx")
    print(f"  raw calamine read : {raw['seconds']:7.2f} s   peak {raw['rss_mb']:6.0f} MB")
    print(f"  workbook-tools    : {ours['seconds']:7.2f} s   peak {ours['rss_mb']:6.0f} MB   "
          f"({ours['rows']} records, {ours['issues']} issues)")
    print(f"  ratio             : {ratio:7.2f} x   (target <= 2.00 x; "
          f"{'met' if ratio <= 2 else 'NOT met'}; median of alternate runs {median:.2f} x)")
    print(f"  peak memory       : {ours['rss_mb']:7.0f} MB  (target <= 300 MB; "
          f"{'met' if ours['rss_mb'] <= 300 else 'NOT met'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--case", choices=["participants", "payments", "attendance", "all"],
                        default="all")
    parser.add_argument("--rows", type=int, default=50_000, help="participant rows")
    parser.add_argument("--payments", type=int, default=10_000, help="payment rows")
    parser.add_argument("--attendance", default="1000x100",
                        help="participants x sessions")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write the generated workbooks here")
    parser.add_argument("--generate", nargs=2, metavar=("CASE", "PATH"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    cases: dict[str, tuple[str, Callable[[Path, Any], None], Any]] = {
        "participants": (f"participant list, {args.rows} rows", generate_participants,
                         args.rows),
        "payments": (f"contracts + {args.payments} payments", generate_payments,
                     args.payments),
        "attendance": (f"attendance, {args.attendance} (long layout)", generate_attendance,
                       args.attendance),
    }
    if args.generate:  # in a child process, so that the parent's memory stays small
        case, target = args.generate
        _title, generate, size = cases[case]
        generate(Path(target), size)
        return
    chosen = list(cases) if args.case == "all" else [args.case]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for case in chosen:
            title, _generate, size = cases[case]
            # each workbook alone in its folder: a file is validated with its project,
            # the other workbooks of its folder (10 000 payments beside the 50 000-row
            # list were checked against it: 2.45 s and 4 969 K002)
            path = folder / case / f"{case}.xlsx"
            path.parent.mkdir(exist_ok=True)
            # peak memory (max RSS) is inherited through fork: generate elsewhere
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--generate", case,
                            str(path)], check=True)
            report(title, path, *measure_pair(path, args.repeat))


if __name__ == "__main__":
    main()
