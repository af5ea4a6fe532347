"""The coordinator's batch: many projects with one and with two worker processes.

Usage: python benchmarks/bench_batch.py [--projects 200] [--repeat 1] [--keep DIR]

Each project is a copy of the example project (workbooks/przyklad: participant list,
contracts and payments, attendance grid, budget: 4 small workbooks, 495 rows). Prints
files per second with --jobs 1 and --jobs 2 and the speed-up; each run in a fresh
interpreter, through the same function the command line calls.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLE = Path(__file__).parent.parent / "workbooks" / "przyklad"

RUN = """
import json, sys, time
from pathlib import Path
from workbook_tools import batch
t = time.perf_counter()
result = batch.run([Path(sys.argv[1])], jobs=int(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - t, "files": len(result.files),
                  "issues": len(result.issues)}))
"""


def measure(root: Path, jobs: int, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", RUN, str(root), str(jobs)], check=True,
                             capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="build the tree here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = (args.keep or Path(tmp)) / "projekty"
        shutil.rmtree(root, ignore_errors=True)
        for number in range(args.projects):
            shutil.copytree(EXAMPLE, root / f"mops-{number:03d}")
        results = {jobs: measure(root, jobs, args.repeat) for jobs in (1, 2)}
        print(f"batch of {args.projects} projects ({results[1]['files']:.0f} workbooks, "
              f"{results[1]['issues']:.0f} issues)")
        for jobs, found in results.items():
            print(f"  --jobs {jobs}: {found['seconds']:7.2f} s   "
                  f"{found['files'] / found['seconds']:6.1f} files/s")
        print(f"  speed-up with 2 workers: {results[1]['seconds'] / results[2]['seconds']:.2f}x")


if __name__ == "__main__":
    main()
