"""Whole processes, as the user waits for them: ``workbook-tools validate FILE -q``
against a whole-process raw python-calamine read of the same file.

Usage: python benchmarks/bench_whole.py [--rows 10000 50000] [--columns 12 27]
                                        [--repeat 3] [--keep DIR] [--peer FRICTIONLESS]
                                        [--others]

Participant lists of each size and width (the 27 PEFS columns, or the first 12), with
and without the ``<dimension>`` tag; each process timed from the outside with nothing
beside it, raw reads and validate runs alternating, and the peak memory of the
largest process in validate's tree sampled in one more run. Prints the ratio per
case and the cost per 10 000 rows (the slope between the smallest and largest list).
``--peer`` names a ``frictionless`` executable (installed for the benchmark only, in a
virtual environment of its own, never a dependency): the peer's ``frictionless
validate FILE`` is timed once per case beside ours. ``--others`` adds the attendance
(1 000 people x 100 sessions) and payments (contracts + 10 000 payments) workbooks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_validate import (
    add_dimensions,
    generate_attendance,
    generate_participants,
    generate_payments,
)

RAW = ("import sys, python_calamine as c\n"
       "b = c.CalamineWorkbook.from_path(sys.argv[1])\n"
       "[b.get_sheet_by_name(n).to_python() for n in b.sheet_names]\n")


def child(command: list[str], cwd: Path | None = None) -> float:
    """Wall seconds of one child process, with nothing running beside it (sampling
    /proc meanwhile took CPU from it on a 2-core machine and added up to 20 ms to each
    run's end)."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd,
                   check=False)
    return time.perf_counter() - start


def peak_memory(command: list[str], cwd: Path | None = None) -> float:
    """Peak memory (MB) of the largest process in a child's tree (the worker that reads
    the file), sampled from /proc in a run of its own. Not the rusage of the waited
    child: Linux carries the benchmark's own high-water mark into every child it
    starts, through fork and exec."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               cwd=cwd)
    peak = 0
    while process.poll() is None:
        for pid in _tree(process.pid):
            peak = max(peak, _hwm(pid))
        time.sleep(0.02)
    return peak / 1024


def _tree(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(OSError):
                queue += [int(c) for c in (task / "children").read_text().split()]
    return found


def _hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def narrow(path: Path, columns: int) -> Path:
    """The list cut to its first ``columns`` columns (openpyxl, then <dimension> added)."""
    from openpyxl import Workbook, load_workbook

    source = load_workbook(path, read_only=True)
    target = Workbook(write_only=True)
    sheet = target.create_sheet("Uczestnicy")
    for row in source.active.iter_rows(values_only=True):
        sheet.append(list(row[:columns]))
    source.close()
    out = path.with_name(f"{path.stem}-{columns}.xlsx")
    target.save(out)
    return out


def without_dimension(path: Path) -> Path:
    out = path.with_name(f"{path.stem}-nodim.xlsx")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as t:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            t.writestr(item, data)
    return out


def resaved(path: Path) -> Path:
    """The list as LibreOffice Calc writes it (opened and saved again), once."""
    from workbook_tools.sample import libreoffice_convert

    target = path.with_name(f"lo-{path.name}")
    if not target.exists():
        with tempfile.TemporaryDirectory() as out:
            written = libreoffice_convert([path], "xlsx:Calc MS Excel 2007 XML", Path(out))
            target.write_bytes(written[0].read_bytes())
    return target


def isolated(path: Path) -> Path:
    """The file alone in a folder: a file given alone is read with its folder's other
    workbooks (its project), which here would be the other cases."""
    folder = path.parent / f"sam-{path.stem}"
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if not target.exists():
        target.write_bytes(path.read_bytes())
    return target


def compiled() -> None:
    """Byte-compile the package first, as an installed one is (pip compiles it; Python
    writes the cache on first import): a process that compiled every module from
    source would measure the compiler (this sandbox sets PYTHONDONTWRITEBYTECODE;
    without it, the first run writes what the next ones read).
    Forced: a cache written in the same second as its source changed again (a ``git
    stash`` between two variants) passes compileall's check of the time but not the
    import's check of the size, and every run then compiled that module again."""
    import compileall

    package = Path(__file__).parent.parent / "workbook_tools"
    compileall.compile_dir(str(package), quiet=1, force=True)
    # and one run as a user's first, which keeps its data classes' compiled methods
    # (workbook_tools.dataclass_code) where bytecode may be written
    subprocess.run([sys.executable, "-m", "workbook_tools", "validate", "-q",
                    str(package.parent / "workbooks" / "przyklad")],
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)


def measure(case: Path, label: str, repeat: int, peer: Path | None
            ) -> tuple[float, float, float]:
    """Raw reads and validate runs alternating (drift hits both alike); prints the best
    of each, their ratio, the median ratio and the peak memory."""
    raw, ours = [], []
    validate = [sys.executable, "-m", "workbook_tools", "validate", str(case), "-q"]
    for _ in range(repeat):
        raw.append(child([sys.executable, "-c", RAW, str(case)]))
        ours.append(child(validate))
    memory = [peak_memory(validate)]
    best_raw, best_ours = min(raw), min(ours)
    print(f"{label}: raw {best_raw:.2f} s, validate {best_ours:.2f} s "
          f"({best_ours / best_raw:.2f}x; median "
          f"{statistics.median(o / r for o, r in zip(ours, raw, strict=True)):.2f}x),"
          f" peak {max(memory):.0f} MB", flush=True)
    if peer is not None:
        # frictionless reads only paths below its working folder
        seconds = child([str(peer), "validate", case.name], cwd=case.parent)
        peak = peak_memory([str(peer), "validate", case.name], cwd=case.parent)
        print(f"{'':>33}frictionless validate {seconds:.2f} s "
              f"({seconds / best_raw:.1f}x), peak {peak:.0f} MB", flush=True)
    return best_raw, best_ours, max(memory)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--columns", type=int, nargs="+", default=[12, 27])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--peer", type=Path, help="a frictionless executable")
    parser.add_argument("--others", action="store_true",
                        help="also the attendance and payments workbooks")
    parser.add_argument("--libreoffice", action="store_true",
                        help="also each list as LibreOffice Calc saves it (its own writer: "
                             "shared strings, styles, <dimension>)")
    args = parser.parse_args()
    compiled()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wt-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[int, int, bool], tuple[float, float, float]] = {}
    for rows in args.rows:
        full = folder / f"lista-{rows}.xlsx"
        if not full.exists():
            generate_participants(full, rows)
        for columns in args.columns:
            path = full.with_name(f"{full.stem}-{columns}.xlsx") if columns < 27 else full
            if not path.exists():
                narrow(full, columns)
                add_dimensions(path)
            for dimension in (True, False):
                case = isolated(path if dimension else without_dimension(path))
                label = f"{rows:>7} rows {columns:>2} cols {'dim' if dimension else 'no dim':>6}"
                results[(rows, columns, dimension)] = measure(case, label, args.repeat,
                                                              args.peer)
            if args.libreoffice:
                saved = resaved(path)
                measure(isolated(saved), f"{rows:>7} rows {columns:>2} cols LibreOffice",
                        args.repeat, args.peer)
    if args.others:
        for name, make in (("obecnosci.xlsx", lambda p: generate_attendance(p, "1000x100")),
                           ("wyplaty.xlsx", lambda p: generate_payments(p, 10_000))):
            path = folder / name
            if not path.exists():
                make(path)
            measure(isolated(path), f"{name:>33}", args.repeat, args.peer)
    small, large = min(args.rows), max(args.rows)
    if small != large:
        for columns in args.columns:
            slope = ((results[(large, columns, True)][1] - results[(small, columns, True)][1])
                     / (large - small) * 10_000)
            print(f"{columns} columns: {slope:.2f} s per 10 000 rows")


if __name__ == "__main__":
    main()
