"""Speed of ``fill`` against a plain openpyxl load + save of the same workbook.

Usage: python benchmarks/bench_fill.py [--attendance 1000x100] [--repeat 3] [--keep DIR]

The workbook is the attendance case of bench_validate.py (long layout, 100 000 rows by
default). ``fill`` reads it (calamine), validates the project, loads it with openpyxl,
writes the computed columns and saves atomically; the baseline only loads and saves.
Each measurement runs in a fresh interpreter. Target: fill <= 1.3x the baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_validate import generate_attendance, measure

BASELINE = """
import json, resource, sys, time
import openpyxl
t = time.perf_counter()
book = openpyxl.load_workbook(sys.argv[1], rich_text=True)
book.save(sys.argv[1] + ".copy.xlsx")
print(json.dumps({"seconds": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FILL = """
import json, resource, sys, time
from pathlib import Path
from workbook_tools.fill import fill_file
t = time.perf_counter()
result = fill_file(Path(sys.argv[1]))
assert result.refused is None, result.refused
print(json.dumps({"seconds": time.perf_counter() - t, "cells": sum(s.cells for s in
                  result.sheets),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendance", default="1000x100", help="participants x sessions")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the generated workbook here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "obecnosc.xlsx"
        generate_attendance(path, args.attendance)
        base = measure(BASELINE, path, args.repeat)
        ours = measure(FILL, path, args.repeat)
        ratio = ours["seconds"] / base["seconds"]
        print(f"fill of attendance {args.attendance} (long layout), "
              f"{path.stat().st_size / 1e6:.1f} MB xlsx")
        print(f"  openpyxl load + save : {base['seconds']:7.2f} s   peak {base['rss_mb']:6.0f} MB")
        print(f"  workbook-tools fill  : {ours['seconds']:7.2f} s   peak {ours['rss_mb']:6.0f} MB"
              f"   ({ours['cells']:.0f} cells written)")
        print(f"  ratio                : {ratio:7.2f} x   (target <= 1.30 x; "
              f"{'met' if ratio <= 1.3 else 'NOT met'})")


if __name__ == "__main__":
    main()
