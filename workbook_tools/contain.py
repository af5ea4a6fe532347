"""Containment: every read of a user's file runs in a worker process under limits.

A workbook is attacker-shaped input handed to native parsers: python-calamine aborts
the process on a sheet whose extent it was lied to about, an ``.xls`` with a looping
directory grows without end, a FIFO blocks forever. No guard written in Python can
foresee them all, so the read happens where its worst case costs a located issue:

- a worker process, started by forking this one where that is cheap and safe (Linux,
  no other thread running: a few milliseconds, nothing imported again), else from a
  fork server that imported the engine once; the first may have been forked as the
  process started, already reading the file the command line named
  (:mod:`workbook_tools.spare`);
- under an address-space limit (``RLIMIT_AS``) while it reads a user's file — a file
  that needs more fails alone (F007), the memory of the machine is never at stake;
- told, before every file, which file it reads, so the parent stops a worker stuck on
  one file for longer than the time limit (F006) and names the file that killed one
  (F007); the job then runs again without that file, and every other result is kept.

The same runner serves ``validate`` (one job per project), ``fill``/``clear`` (one job
per workbook) and the batch. Windows has neither fork nor ``RLIMIT_AS``: there the
workers are spawned and only the time limit applies.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import spare
from .jobs import (
    DEFAULT_TIME_LIMIT,
    DEFAULT_WRITE_TIME_LIMIT,
    WRITE_MEMORY_MB,
    Channel,
    Failure,
    Job,
    Messages,
    Progress,
    work,
)
from .limits import READ_MEMORY_MB
from .rules import Bilingual

if TYPE_CHECKING:
    from .issues import Issue

__all__ = ["DEFAULT_TIME_LIMIT", "DEFAULT_WRITE_TIME_LIMIT", "WRITE_MEMORY_MB", "Failure",
           "Job", "Progress", "run", "work"]

#: What a signal that ended a worker usually means, in words staff can act on: the
#: worker does nothing but read the file, so its death is the file's.
_SIGNALS = {
    6: Bilingual("biblioteka czytająca plik przerwała pracę, zwykle z braku pamięci na "
                 "ten plik", "the library reading the file aborted, usually for lack of "
                 "memory for this file"),
    9: Bilingual("proces zatrzymany z zewnątrz, np. przez system z braku pamięci",
                 "the process was stopped from outside, e.g. by the system for lack of "
                 "memory"),
    11: Bilingual("błąd w bibliotece czytającej plik", "a fault in the library reading "
                  "the file"),
}


def _signal_detail(number: int) -> Bilingual:
    """``sygnał 6 — …``: the number (for whoever reports it) and what it usually means."""
    meaning = _SIGNALS.get(number)
    if meaning is None:
        return Bilingual(f"sygnał {number}", f"signal {number}")
    return Bilingual(f"sygnał {number} — {meaning.pl}", f"signal {number}: {meaning.en}")


class _End(Messages, Protocol):
    """The parent's end of a worker's pipe: a multiprocessing ``Connection``, or a
    :class:`~workbook_tools.jobs.Channel` (the spare's: a run that adopts it imports
    no multiprocessing, 12 ms of its start)."""

    def poll(self) -> bool: ...

    def fileno(self) -> int: ...

    def close(self) -> None: ...


@dataclass
class _Worker:
    process: Any
    connection: _End
    job: Job | None = None
    current: Path | None = None
    since: float = 0.0
    writing: bool = False
    #: whether ``on_file`` was told of ``current`` (a spare reads before any job)
    announced: bool = True


def _context() -> Any:
    """Fork where it is cheap and safe: Linux, this process running no other thread
    (a forked child inherits only the calling thread, and the locks others held)."""
    import multiprocessing  # only where a worker is started: an adopted spare needs none

    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["workbook_tools.engine"])
        return context
    return multiprocessing.get_context("spawn")


class _Pool:
    def __init__(self, size: int, memory_mb: int) -> None:
        _reap()
        self.memory_mb = memory_mb
        self.workers = [self._adopted() or self._start()]
        self.workers += [self._start() for _ in range(size - 1)]

    def _adopted(self) -> _Worker | None:
        """The spare worker forked as the process started, reading its file since."""
        found = spare.take()
        if found is None:
            return None
        worker = _Worker(found.process, Channel(found.connection.detach()),
                         current=found.path, since=found.since, announced=False)
        if found.memory_mb != self.memory_mb:
            _stop(worker)
            return None
        return worker

    def _start(self) -> _Worker:
        context = _context()
        parent, child = context.Pipe()
        process = context.Process(target=work, args=(child, self.memory_mb), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def busy(self) -> bool:
        return any(w.job is not None for w in self.workers)

    def assign(self, queue: deque[Job]) -> None:
        for worker in list(self.workers):
            if worker.job is None and queue:
                job = queue.popleft()
                # a spare has been reading its file since it was forked (its clock runs
                # from then); one this job does not read is a guess the project did not
                # bear out
                if worker.current is not None and (worker.current not in job.files
                                                   or worker.current in job.failed):
                    worker = self.replace(worker)
                if worker.current is None:
                    worker.since = time.monotonic()
                worker.job = job
                with contextlib.suppress(OSError):  # dead already: stuck_or_dead() says
                    worker.connection.send((job.key, job.function, job.args, job.failed))

    def messages(self, timeout: float) -> list[tuple[_Worker, Any]]:
        busy = [w for w in self.workers if w.job is not None]
        if not busy:
            return []
        by_connection = {id(w.connection): w for w in busy}
        found = []
        for connection in _ready([w.connection for w in busy], timeout):
            worker = by_connection[id(connection)]
            try:
                while worker.connection.poll():
                    found.append((worker, worker.connection.recv()))
            except (EOFError, OSError):
                pass  # the worker died: stuck_or_dead() reports it
        return found

    def stuck_or_dead(self, time_limit: float, write_time_limit: float
                      ) -> list[tuple[_Worker, Failure]]:
        now = time.monotonic()
        found = []
        for worker in self.workers:
            if worker.job is None:
                continue
            if not worker.process.is_alive():
                code = worker.process.exitcode
                if code == 75:
                    detail = Bilingual("zabrakło pamięci (limit procesu)",
                                       "out of memory (the process's limit)")
                elif code is None or code >= 0:
                    detail = Bilingual(f"kod wyjścia {code}", f"exit code {code}")
                else:
                    detail = _signal_detail(-code)
                found.append((worker, Failure("F007", {"detail": detail})))
            else:
                limit = write_time_limit if worker.writing else time_limit
                if now - worker.since > limit:
                    found.append((worker, Failure("F006", {"seconds": f"{limit:g}"})))
        return found

    def replace(self, worker: _Worker) -> _Worker:
        _stop(worker)
        fresh = self._start()
        self.workers[self.workers.index(worker)] = fresh
        return fresh

    def close(self) -> None:
        """Stop every worker. An idle one is told to and left to go: it ends by itself,
        and waiting while the system took down a worker that had read a large list
        (unmapping its memory) held the answer back 4 ms. One still on a job (the
        command interrupted) is killed. Both are reaped by the next pool, or as this
        process ends."""
        _reap()
        for worker in self.workers:
            if worker.job is not None:
                worker.process.kill()
            else:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            worker.connection.close()  # a worker the message missed reads the end
            _LEAVING.append(worker.process)


#: Workers stopped and not yet reaped (:meth:`_Pool.close`): a process forked from
#: this one has none of them.
_LEAVING: list[Any] = []
if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_LEAVING.clear)


def _reap() -> None:
    """Reap the stopped workers that have ended (``is_alive`` waits for none)."""
    _LEAVING[:] = [process for process in _LEAVING if process.is_alive()]


def _ready(connections: list[_End], timeout: float) -> list[_End]:
    """The connections with a message, or their end, to read (within ``timeout``
    seconds): polled by descriptor where connections are descriptors, as
    multiprocessing's ``wait`` does (which a spare's Channel alone does not need);
    on Windows, whose pipes are not, by ``wait`` itself."""
    if os.name != "posix":
        from multiprocessing.connection import wait

        return list(wait(connections, timeout))  # type: ignore[arg-type]
    import select

    poller = select.poll()
    for connection in connections:
        poller.register(connection.fileno(), select.POLLIN)
    ready = {descriptor for descriptor, _events in poller.poll(timeout * 1000)}
    return [c for c in connections if c.fileno() in ready]


def _stop(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(5)
    worker.connection.close()


def run(jobs: Sequence[Job], workers: int = 1, time_limit: float = DEFAULT_TIME_LIMIT,
        memory_mb: int = READ_MEMORY_MB, progress: Progress | None = None,
        on_file: Callable[[int, Path], None] | None = None,
        write_time_limit: float = DEFAULT_WRITE_TIME_LIMIT,
        meanwhile: Callable[[], None] | None = None) -> dict[int, Any]:
    """Run every job in worker processes; each job's result, or a :class:`Failure`
    (every job's key is in the answer).

    A job whose worker hangs on a file or dies in it is run again without that file
    (which then carries F006/F007 in ``job.failed``). ``on_file(pid, path)`` is told
    which worker starts which file (a live display; the test that kills a worker).
    ``meanwhile`` is what this process does while the workers work (importing what
    their results are made of): called at the first word from a worker, once it has
    imported what it needs and begins its files. Called as the jobs were handed out,
    it took a core from the spare's read and imports (15 ms of a 0.25 s run)."""
    total = sum(len(j.files) for j in jobs)
    results: dict[int, Any] = {}
    queue = deque(jobs)
    pool = _Pool(min(workers, len(jobs)) or 1, memory_mb)
    done_files = 0
    try:
        pool.assign(queue)
        while queue or pool.busy():
            pool.assign(queue)
            found = pool.messages(timeout=0.2)
            for worker, (what, key, payload) in found:
                if worker.job is None or worker.job.key != key:
                    continue
                if what == "file":
                    path, writing = payload
                    if path == worker.current and writing == worker.writing:
                        # told again (the file read ahead): its clock runs on
                        if not worker.announced and on_file is not None:
                            on_file(worker.process.pid, path)
                        worker.announced = True
                        continue
                    done_files += worker.current is not None and not writing
                    worker.current, worker.since = path, time.monotonic()
                    worker.writing = writing
                    if on_file is not None and not writing:
                        on_file(worker.process.pid, path)
                else:
                    done_files += worker.current is not None
                    results[key] = payload if what == "done" else Failure(
                        "F005", {"detail": payload})
                    worker.job, worker.current, worker.writing = None, None, False
                if progress is not None:
                    progress(min(done_files, total), total)
            if found and meanwhile is not None:
                meanwhile()
                meanwhile = None
            for worker, failure in pool.stuck_or_dead(time_limit, write_time_limit):
                job = worker.job
                assert job is not None
                if (worker.current is not None and worker.current not in job.failed
                        and not worker.writing):
                    job.failed[worker.current] = _file_issue(failure, worker.current)
                    done_files += 1
                    queue.appendleft(job)  # the job again, without that file
                else:
                    results[job.key] = failure
                worker.job, worker.current, worker.writing = None, None, False
                pool.replace(worker)
    finally:
        pool.close()
    if progress is not None:
        progress(total, total)
    for job in jobs:  # every job has its answer, so no caller needs a fallback of its own
        results.setdefault(job.key, Failure("F005", {"detail": Bilingual(
            "brak wyniku", "no result")}))
    return results


def _display(path: Path) -> str:
    from .project import display_path

    return display_path(path)


def _file_issue(failure: Failure, path: Path) -> Issue:
    """A file's F006/F007. The issues module (with the rule catalogue, PESEL and the
    value parsers) is imported only for a file that failed: before the job is sent,
    the parent's imports share the cores with the worker's read."""
    from .issues import Issue

    return Issue(failure.code, _display(path), params=failure.params)
