"""The coordinator's batch: many projects with one and with two worker processes.

Usage: python benchmarks/bench_batch.py [--projects 6 60 600] [--repeat 1] [--keep DIR]

Each project is a copy of the example project (workbooks/przyklad: participant list,
contracts and payments, attendance grid, budget: 4 small workbooks, 495 rows). Prints
files per second with --jobs 1 and --jobs 2 and the speed-up for each size of the tree
(the promise: two jobs are never slower than one); each run a whole process, timed
from outside (a fresh interpreter calling the function the command line calls: the
engine is imported inside the run, after the workers are forked, so timing the call
alone would count the imports and timing it from outside counts everything).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_whole import compiled

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"

RUN = """
import json, sys
from pathlib import Path
from workbook_tools import dataclass_code
dataclass_code.install()  # as the console command does first (launch.py)
from workbook_tools import batch
result = batch.run([Path(sys.argv[1])], jobs=int(sys.argv[2]))
print(json.dumps({"files": len(result.files), "issues": len(result.issues)}))
"""


def measure(root: Path, jobs: int, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", RUN, str(root), str(jobs)], check=True,
                             capture_output=True, text=True).stdout
        runs.append({**json.loads(out), "seconds": time.perf_counter() - start})
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, nargs="+", default=[6, 60, 600])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the trees here")
    args = parser.parse_args()
    compiled()
    print("projects  workbooks  --jobs 1 (files/s)   --jobs 2 (files/s)   speed-up")
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.projects:
            root = (args.keep or Path(tmp)) / f"projekty-{count}"
            shutil.rmtree(root, ignore_errors=True)
            for number in range(count):
                shutil.copytree(EXAMPLE, root / f"mops-{number:03d}")
            results = {jobs: measure(root, jobs, args.repeat) for jobs in (1, 2)}
            one, two = results[1], results[2]
            print(f"{count:8d}  {one['files']:9.0f}  {one['seconds']:7.2f} s "
                  f"({one['files'] / one['seconds']:6.1f})   {two['seconds']:7.2f} s "
                  f"({two['files'] / two['seconds']:6.1f})   "
                  f"{one['seconds'] / two['seconds']:.2f}x")


if __name__ == "__main__":
    main()
