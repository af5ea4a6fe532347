"""Speed and memory of validate against a raw python-calamine read.

Usage: python benchmarks/bench_validate.py [--rows 50000] [--keep FILE]

Generates a participant workbook of N rows (all PEFS columns, text and date cells, a few
mistakes), then runs each measurement in a fresh interpreter so that peak memory (max RSS,
which includes calamine's native allocations) belongs to that measurement alone.
Targets (issue 2): validate <= 2x the raw read; peak memory <= 300 MB at 50 000 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from workbook_tools.sample import PARTICIPANT_HEADERS, participant_rows

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


def generate(path: Path, rows: int) -> None:
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


def measure(script: str, path: Path, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", script, str(path)], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    best = min(runs, key=lambda r: r["seconds"])
    best["rss_mb"] = max(r["rss_mb"] for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the generated workbook here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "uczestnicy.xlsx"
        generate(path, args.rows)
        raw = measure(RAW, path, args.repeat)
        ours = measure(VALIDATE, path, args.repeat)
    ratio = ours["seconds"] / raw["seconds"]
    print(f"participant list, {args.rows} rows, {raw['cells']:.0f} cells "
          f"({path.stat().st_size / 1e6:.1f} MB xlsx)" if args.keep else
          f"participant list, {args.rows} rows, {raw['cells']:.0f} cells")
    print(f"  raw calamine read : {raw['seconds']:7.2f} s   peak {raw['rss_mb']:6.0f} MB")
    print(f"  workbook-tools    : {ours['seconds']:7.2f} s   peak {ours['rss_mb']:6.0f} MB   "
          f"({ours['rows']} records, {ours['issues']} issues)")
    print(f"  ratio             : {ratio:7.2f} x   (target <= 2.00 x; "
          f"{'met' if ratio <= 2 else 'NOT met'})")
    print(f"  peak memory       : {ours['rss_mb']:7.0f} MB  (target <= 300 MB; "
          f"{'met' if ours['rss_mb'] <= 300 else 'NOT met'})")


if __name__ == "__main__":
    main()
