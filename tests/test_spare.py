"""The spare worker: forked by the launcher before the command line is imported, reading
the one workbook a ``validate`` names. Each case runs in a Python of its own (a fork of
the test process would carry pytest into the worker), and the whole-process ones under
the limits of test_containment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import write_rows
from .people import ANNA, JAN
from .test_containment import CHILD_SECONDS, NATIVE_WORDS, _limits

ROWS = [["Imię", "Nazwisko", "PESEL"], ["Anna", "Nowak", ANNA], ["Jan", "Lis", JAN],
        ["Ewa", "Zych", "12345678901"]]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the spare is forked only on Linux")


def _python(probe: str, *args: str | Path, cwd: Path | None = None
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", probe, *map(str, args)],
                          capture_output=True, text=True, timeout=CHILD_SECONDS, cwd=cwd,
                          preexec_fn=_limits, check=False,
                          env={**os.environ, "RUST_BACKTRACE": "1"})


@pytest.mark.parametrize(("args", "expected"), [
    (["validate", "lista.xlsx"], "lista.xlsx"),
    (["validate", "-q", "dane/Lista.XLSM", "--format", "json"], "dane/Lista.XLSM"),
    (["validate", "lista.xlsx", "--report", "raport.xlsx"], None),  # two: no guess
    (["validate", "projekty"], None),  # a folder: projects to resolve first
    (["validate", "a.xlsx", "b.ods"], None),
    (["validate", "notatki.txt"], None),
    (["fill", "lista.xlsx"], None),  # fill's worker writes: it is started as always
    (["validate", "--report=raport.xlsx", "projekty"], None),
    ([], None),
])
def test_the_guess_is_the_one_workbook_a_validate_names(args, expected):
    from workbook_tools.spare import guess

    assert guess(args) == (Path(expected) if expected else None)


def test_the_launcher_forks_before_click_multiprocessing_or_the_engine(tmp_path):
    """The point of the spare: it reads while the parent imports. Forked after click
    (28 ms) or multiprocessing (10 ms), it would start no earlier than the pool's."""
    setup = ("from workbook_tools import spare\n"
             "seen = []\n"
             "start = spare.start_reading\n"
             "def spy(path, *args):\n"
             "    heavy = ('click', 'multiprocessing', 'workbook_tools.cli', "
             "'workbook_tools.engine', 'workbook_tools.read', 'python_calamine')\n"
             "    seen.append(sorted(m for m in heavy if m in sys.modules))\n"
             "    start(path, *args)\n"
             "spare.start_reading = spy\n")
    assert _launched(tmp_path, setup, "seen") == "[[]]"


def _launched(folder: Path, setup: str, report: str) -> str:
    """``workbook-tools validate -q lista.xlsx`` (ROWS, in ``folder``) through the
    launcher, in a Python of its own, after ``setup`` (``sys`` and ``os`` imported);
    what the expression ``report`` gives as that process exits."""
    path = write_rows(folder / "lista.xlsx", ROWS)
    probe = ("import atexit, os, sys\n" + setup
             + "sys.argv = ['workbook-tools', 'validate', '-q', sys.argv[1]]\n"
             f"atexit.register(lambda: print({report}, file=sys.stderr))\n"
             "from workbook_tools import launch\n"
             "launch.main()\n")
    done = _python(probe, path.name, cwd=folder)
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stderr.strip().splitlines()[-1]


SPARE_RUN = (
    "import sys\n"
    "from pathlib import Path\n"
    "from workbook_tools import spare\n"
    "spare.start_reading(Path(sys.argv[1]))\n"
    "forked = spare._SPARE.process\n"
    "from workbook_tools import batch\n"
    "seen = []\n"
    "result = batch.run([Path(sys.argv[2])], on_file=lambda pid, path: seen.append(pid))\n"
    "codes = sorted(i.code for i in result.issues)\n"
    "forked.join(10)  # told to stop, it ends by itself\n"
    "print(codes, forked.pid in seen, len(set(seen)), forked.is_alive(), spare.take())\n")


def test_the_first_pool_takes_the_spare_and_its_read(tmp_path):
    """The file the spare began reading is checked by the spare itself (one worker,
    its pid), with the issues a run without it finds."""
    path = write_rows(tmp_path / "lista.xlsx", ROWS)
    done = _python(SPARE_RUN, path, path)
    from workbook_tools.batch import run

    plain = sorted(i.code for i in run([path]).issues)
    assert plain and "P001" in plain
    assert done.stdout.split(" True ")[0] == str(plain), done.stdout + done.stderr
    assert done.stdout.strip().endswith("True 1 False None"), done.stdout + done.stderr


def test_a_guess_the_project_does_not_bear_out_costs_the_spare_only(tmp_path):
    """``validate projekty --report raport.xlsx``: the spare read the report; the
    project is another. The spare is stopped, a fresh worker checks the project."""
    report = write_rows(tmp_path / "raport.xlsx", [["x"]])
    project = tmp_path / "projekt"
    project.mkdir()
    path = write_rows(project / "lista.xlsx", ROWS)
    done = _python(SPARE_RUN, report, path)
    from workbook_tools.batch import run

    plain = sorted(i.code for i in run([path]).issues)
    assert done.stdout.split(" False ")[0] == str(plain), done.stdout + done.stderr
    assert done.stdout.strip().endswith("False 1 False None"), done.stdout + done.stderr


#: ``workbook-tools validate b-zabojczy.xlsx`` through the launcher, in a folder whose
#: first workbook is another: reading b- aborts the process (as calamine does on some
#: files) after the given delay; reading a- takes a second longer than usual, so that
#: the abort comes while the job reads a- (if it was let start).
KILLER = (
    "import os, sys, time\n"
    "from workbook_tools import launch, read\n"
    "delay = float(sys.argv[1])\n"
    "original = read._opened\n"
    "def opened(path, native=None):\n"
    "    if path.name.startswith('b-'):\n"
    "        if native is not None:\n"
    "            native.set()  # in calamine's hands, which abort\n"
    "        time.sleep(delay)\n"
    "        os.abort()\n"
    "    time.sleep(1.0)\n"
    "    return original(path, native)\n"
    "read._opened = opened\n"
    "sys.argv = ['workbook-tools', 'validate', 'b-zabojczy.xlsx']\n"
    "launch.main()\n")


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_a_file_that_kills_the_spare_is_named(tmp_path, delay):
    """Killed at once (before its job came) or later (its job has come and would read
    the folder's first workbook, a-lista.xlsx, meanwhile): the file the spare was
    reading is the one named F007, never the project or the file read next (which
    would then be missing from the project: F008)."""
    write_rows(tmp_path / "a-lista.xlsx", ROWS)
    write_rows(tmp_path / "b-zabojczy.xlsx", ROWS)
    done = _python(KILLER, str(delay), cwd=tmp_path)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output
    assert not [words for words in NATIVE_WORDS if words in output], output
    assert "b-zabojczy.xlsx: F007" in output, output
    assert "sygnał 6" in output, output
    # the other workbook read well: no F008 says it could not be
    assert "F008" not in output and "F005" not in output, output


def test_the_spare_checks_its_file_without_multiprocessing(tmp_path):
    """The spare's job loop (jobs.work, on a Channel) imports neither multiprocessing
    nor the socket module (the pool's side, 15-20 ms on the core its read shares), nor
    does the parent that adopts it (its end is a Channel too); the run's issues are
    those of a run without it."""
    path = write_rows(tmp_path / "lista.xlsx", ROWS)
    seen = tmp_path / "seen.txt"
    probe = (
        "import sys\n"
        "from workbook_tools import jobs, launch\n"
        "work, target = jobs.work, sys.argv[2]\n"
        "def spy(connection, memory_mb):\n"
        "    try:\n"
        "        work(connection, memory_mb)\n"
        "    finally:\n"
        "        heavy = ('multiprocessing', 'socket', 'click')\n"
        "        open(target, 'w').write(repr(sorted(m for m in heavy\n"
        "                                            if m in sys.modules)))\n"
        "jobs.work = spy\n"
        "import atexit\n"
        "atexit.register(lambda: open(target + '.parent', 'w').write(repr(sorted(\n"
        "    m for m in ('multiprocessing', 'socket') if m in sys.modules))))\n"
        "sys.argv = ['workbook-tools', 'validate', '--format', 'json', sys.argv[1]]\n"
        "launch.main()\n")
    done = _python(probe, path, seen, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert seen.read_text() == "[]"
    assert Path(f"{seen}.parent").read_text() == "[]"
    import json

    from workbook_tools.batch import run

    codes = sorted(i["code"] for i in json.loads(done.stdout)["issues"])
    assert codes == sorted(i.code for i in run([path]).issues) and "P001" in codes


def test_the_command_yields_the_cores_to_its_worker_and_a_library_caller_does_not(
        tmp_path):
    """Once its worker has the job, the console command's process lowers its priority by
    spare.WAITING_NICENESS (its imports meanwhile took the cores from the worker's read
    and checks). A process that calls batch.run without a spare (a test, a door) keeps
    its priority."""
    from workbook_tools import spare
    from workbook_tools.batch import run

    assert _launched(tmp_path, "start = os.nice(0)\n", "os.nice(0) - start") == str(
        spare.WAITING_NICENESS)

    before = os.nice(0)
    assert "P001" in {i.code for i in run([tmp_path / "lista.xlsx"]).issues}
    assert os.nice(0) == before
