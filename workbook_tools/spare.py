"""A worker forked the moment the process starts, already reading the workbook named on
the command line.

A member of staff checks one list (``workbook-tools validate lista.xlsx``) and waits
for the whole process. Importing click, multiprocessing and the engine and resolving
the project took its first 50 ms, and only then was the worker that reads the file
forked: on a list of 10 000 rows a fifth of the run, with the reader idle. The
launcher (:mod:`workbook_tools.launch`) forks this worker before importing anything
but this module and the reader (with its XML parser), and the worker begins reading
the named file while the parent parses the command line and resolves the project;
once the read is in calamine it imports the engine it will check the file with. The
parent's first pool (:mod:`workbook_tools.contain`) takes it as its first worker.

Nothing is decided here: the file is a guess from the arguments, the project is
resolved as always, and a worker whose file the project does not read is stopped and
replaced. The worker is the one every job runs in (:func:`jobs.work`: its limits,
its standard error sent nowhere); from the moment it is forked the parent counts the
file as the one it reads, so a file that kills it or hangs it is named (F007/F006)
as if a job had read it.

Only on Linux, where forking is cheap and safe (this process has no other thread at
that moment); elsewhere the launcher starts nothing.
"""

from __future__ import annotations

import _socket
import contextlib
import gc
import os
import signal
import sys
import time
from pathlib import Path

from .limits import READ_MEMORY_MB, limit_memory, quiet_native_messages
from .names import SUPPORTED


class Spare:
    """A forked reading worker not yet taken by a pool. (A plain class, as is
    :class:`Forked`: the dataclasses module imports inspect, 5 ms before the fork.)"""

    __slots__ = ("connection", "memory_mb", "path", "process", "since")

    def __init__(self, process: Forked, connection: _socket.socket, path: Path,
                 since: float, memory_mb: int) -> None:
        self.process = process
        self.connection = connection
        self.path = path
        self.since = since
        self.memory_mb = memory_mb


class Forked:
    """What a pool asks of a worker process (``multiprocessing.Process``'s pid,
    is_alive, exitcode, kill, join), for one this module forked itself: importing
    multiprocessing first would cost the 20 ms this fork is early by."""

    __slots__ = ("exitcode", "pid")

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.exitcode: int | None = None

    def is_alive(self) -> bool:
        if self.exitcode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.exitcode = 1
                return False
            if pid:
                # as multiprocessing says it: -N for a worker killed by signal N
                self.exitcode = os.waitstatus_to_exitcode(status)
        return self.exitcode is None

    def kill(self) -> None:
        if self.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)

    def join(self, timeout: float | None = None) -> None:
        # polled from half a millisecond up: a worker killed is gone in one or two (a
        # pool that replaces a spare joins it before starting the next worker)
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.0005
        while self.is_alive() and (deadline is None or time.monotonic() < deadline):
            time.sleep(pause)
            pause = min(pause * 2, 0.01)


_SPARE: Spare | None = None
#: whether this process forked a spare: it is the console command's, a person waits on it
_FORKED = False
#: How far the console command's process lowers its priority once its worker has the
#: job (see :func:`yield_to_worker`).
WAITING_NICENESS = 5


def guess(args: list[str]) -> Path | None:
    """The one workbook a ``validate`` command line names, if it names exactly one by
    its suffix (a folder, or several files, are projects to resolve first). An
    option's value that looks like a workbook (``--report raport.xlsx``) makes two,
    or a guess the project will not bear out: that costs a stopped worker."""
    if not args or args[0] != "validate":
        return None
    named = [a for a in args[1:] if not a.startswith("-")
             and os.path.splitext(a)[1].lower() in SUPPORTED]
    return Path(named[0]) if len(named) == 1 else None


def start_reading(path: Path, memory_mb: int = READ_MEMORY_MB) -> None:
    """Fork the worker, reading ``path`` while it waits for its first job (and imports
    the engine, once the read is in calamine: :func:`_worker`)."""
    global _SPARE, _FORKED
    threading = sys.modules.get("threading")
    if (not sys.platform.startswith("linux") or _SPARE is not None
            or (threading is not None and threading.active_count() != 1)):
        return
    # The reader before the fork, and the XML parser its look at the sheets before
    # calamine uses: the worker then begins reading at once. Imported after the fork
    # they cost the worker 13 and 5 ms before calamine began (a forked process pays
    # for the pages it writes), here 6 and 3 ms; the parent imports the reader anyway.
    # (30 runs in turns: payments 227 -> 219 ms, the 10 000-row list 248 -> 247 ms.)
    import defusedxml.ElementTree  # noqa: F401

    from . import read  # noqa: F401
    # the C module's pair: the socket module (selectors, enums) costs 3 ms before the fork
    ours, theirs = _socket.socketpair()
    since = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 1
        try:
            ours.close()
            _worker(theirs, path, memory_mb)
            code = 0
        finally:
            os._exit(code)  # never the parent's exit handlers, never its buffers
    theirs.close()
    _SPARE = Spare(Forked(pid), ours, path, since, memory_mb)
    _FORKED = True


def yield_to_worker() -> None:
    """Lower this process's priority a little, once its worker has the job: what it does
    from then on (importing what the answer is made of, while the worker reads and
    checks) can wait, and on two cores it took them from the worker's read and checks.
    Only in the console command's process (one that forked a spare), never in a
    library caller's; for good, as an unprivileged process cannot raise it again:
    what remains after the answer is printing it (and a worker started after it, to
    check the project again without a file that killed the first, inherits it).
    Nice 5, not more: with both cores busy with other programs, 19 left the answer
    waiting (1.7 s instead of 0.5), 10 cost 10 %, 5 nothing; with the cores free, the
    10 000 payments took 10 ms less (225 instead of 235, 50 runs in turns)."""
    if _FORKED and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WAITING_NICENESS)


def take() -> Spare | None:
    """The spare worker, for the pool that takes it (once)."""
    global _SPARE
    spare, _SPARE = _SPARE, None
    return spare


def _worker(connection: _socket.socket, path: Path, memory_mb: int) -> None:
    # as multiprocessing's own workers: the terminal's input is not theirs
    try:
        sys.stdin.close()
        sys.stdin = open(os.devnull)  # noqa: SIM115 - the worker's stdin for its life
    except (OSError, ValueError, AttributeError):
        pass
    quiet_native_messages()
    limit_memory(memory_mb)
    # Its one job (one command, one project) is all it does, and what that job made is
    # freed with the process: the collector, switched back on as the job ended, first
    # walked every record made meanwhile (5-9 ms of a 10 000-row list, before the
    # result was sent).
    gc.disable()
    _begin(path)
    # only now the engine and the job loop, once the read is in calamine: imported
    # beside the checks before it, they delayed them
    _prepare()
    # its channel speaks multiprocessing's framing without importing multiprocessing
    # (so does the parent's end, once a pool adopts it)
    from .jobs import Channel, work

    work(Channel(connection.detach()), memory_mb)


def _prepare() -> None:
    """Import what the job will check the file with (the engine, the kinds' tables)
    before the job comes: the parent sends it once it has parsed the command line and
    resolved the project, up to 90 ms in, and an import begun then ended after a
    contracts sheet was read. A guess the project does not bear out wasted only this
    worker's time. Their data classes' methods come compiled from an earlier run
    (:mod:`workbook_tools.dataclass_code`: 17 of the 47 ms; kept by the job loop)."""
    from . import dataclass_code

    dataclass_code.install()
    from . import batch, engine  # noqa: F401 - the job's module, and what it calls
    from .kinds import prepare

    prepare()


def _begin(path: Path) -> None:
    """The guess read ahead (the reader's sniff opens nothing but a regular file: a FIFO
    would block it), returning once calamine has it. Whatever goes wrong is the job's
    to say, when it takes the read; the reader came imported from the parent, so
    nothing is imported before it starts."""
    from .read import read_ahead

    with contextlib.suppress(Exception):
        read_ahead(path).wait()
