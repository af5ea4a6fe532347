"""Many projects at once, in worker processes that a bad file cannot take down.

A coordinator validates hundreds of folders nobody checked. Each project runs in a worker
process (cross-workbook checks need all its files together); the worker says which file
it is reading, so the parent can stop a worker stuck on one file (time limit: F006) or
notice one that died inside a native library (F007). That file gets the issue, the
project is run again without it, and every other result is kept. Workers run under a
memory limit where the system allows one (POSIX ``RLIMIT_AS``).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .engine import (
    Collected,
    ProjectResult,
    RunResult,
    collect,
    display_path,
    root_for,
    root_settings,
    validate_project,
)
from .issues import Issue
from .settings import ProjectSettings

#: Seconds one file may take (reading and its sheet checks) before its worker is stopped.
DEFAULT_TIME_LIMIT = 120.0
#: Address space of a worker, in MB (a file that needs more fails alone).
DEFAULT_MEMORY_MB = 2048

Progress = Callable[[int, int], None]  # (files done, files in all)


def _limit_memory(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no limit, the time limit still applies
        return
    limit = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _work(connection: Connection, memory_mb: int) -> None:
    """A worker: projects in, slim results out, a message before every file."""
    _limit_memory(memory_mb)
    while True:
        task = connection.recv()
        if task is None:
            return
        key, folder, files, root, failed = task

        def tell(path: Path, key: int = key) -> None:
            connection.send(("file", key, path))

        try:
            result = validate_project(folder, files, root, failed, on_file=tell)
            connection.send(("checks", key, None))
            connection.send(("done", key, result.slim()))
        except Exception as error:  # a project-level bug: reported, the worker goes on
            connection.send(("error", key, f"{type(error).__name__}"))


@dataclass
class _Task:
    key: int
    folder: Path
    files: list[Path]
    root: dict[str, Any] | None
    failed: dict[Path, Issue] = field(default_factory=dict)


@dataclass
class _Worker:
    process: Any
    connection: Connection
    task: _Task | None = None
    current: Path | None = None
    since: float = 0.0


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run(paths: Sequence[Path], jobs: int | None = None, time_limit: float = DEFAULT_TIME_LIMIT,
        memory_mb: int = DEFAULT_MEMORY_MB, progress: Progress | None = None,
        on_file: Callable[[int, Path], None] | None = None,
        collected: Collected | None = None) -> RunResult:
    """Validate every project under ``paths`` with ``jobs`` worker processes.

    ``on_file(pid, path)`` is told which worker process starts reading which file (for a
    live display, and for the test that kills a worker mid-file)."""
    projects, skipped = collected or collect(paths)
    roots, root_issues = root_settings(paths)
    tasks = [_Task(key, folder, files, root_for(folder, roots))
             for key, (folder, files) in enumerate(projects.items())]
    total = sum(len(t.files) for t in tasks)
    results: dict[int, ProjectResult] = {}
    pool = _Pool(jobs or os.cpu_count() or 1, memory_mb)
    queue = deque(tasks)
    done_files = 0
    try:
        while queue or pool.busy():
            pool.assign(queue)
            for worker, message in pool.messages(timeout=0.2):
                assert worker.task is not None
                kind, key, payload = message
                if kind == "file":
                    if worker.current is not None:
                        done_files += 1
                    worker.current, worker.since = payload, time.monotonic()
                    if on_file is not None:
                        on_file(worker.process.pid, payload)
                elif kind == "checks":
                    done_files += worker.current is not None
                    worker.current, worker.since = None, time.monotonic()
                elif kind == "done":
                    results[key] = payload
                    worker.task = None
                elif kind == "error":
                    results[key] = _failed_project(worker.task, "F005", {"detail": payload})
                    worker.task = None
                if progress is not None:
                    progress(min(done_files, total), total)
            for worker, reason in pool.stuck_or_dead(time_limit):
                task = worker.task
                assert task is not None
                if worker.current is not None:
                    task.failed[worker.current] = Issue(
                        reason[0], display_path(worker.current), params=reason[1])
                    done_files += 1
                    queue.appendleft(task)  # the project again, without that file
                else:
                    results[task.key] = _failed_project(task, reason[0], reason[1])
                pool.replace(worker)
    finally:
        pool.close()
    run_result = RunResult(skipped=skipped)
    run_result.projects = [results[t.key] for t in tasks if t.key in results]
    if root_issues:
        run_result.projects.append(ProjectResult(Path("."), ProjectSettings(),
                                                 issues=root_issues))
    if progress is not None:
        progress(total, total)
    return run_result


def _failed_project(task: _Task, code: str, params: dict[str, Any]) -> ProjectResult:
    project = ProjectResult(task.folder, ProjectSettings())
    project.issues.append(Issue(code, display_path(task.folder), params=params))
    return project


class _Pool:
    def __init__(self, size: int, memory_mb: int) -> None:
        self.context = _context()
        self.memory_mb = memory_mb
        self.workers = [self._start() for _ in range(max(1, size))]

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_work, args=(child, self.memory_mb),
                                       daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def busy(self) -> bool:
        return any(w.task is not None for w in self.workers)

    def assign(self, queue: deque[_Task]) -> None:
        for worker in self.workers:
            if worker.task is None and queue:
                task = queue.popleft()
                worker.task, worker.current, worker.since = task, None, time.monotonic()
                worker.connection.send((task.key, task.folder, task.files, task.root,
                                        task.failed))

    def messages(self, timeout: float) -> list[tuple[_Worker, Any]]:
        by_connection = {id(w.connection): w for w in self.workers if w.task is not None}
        if not by_connection:
            return []
        ready = wait([w.connection for w in self.workers if w.task is not None], timeout)
        found = []
        for connection in ready:
            worker = by_connection[id(connection)]
            try:
                while worker.connection.poll():
                    found.append((worker, worker.connection.recv()))
            except (EOFError, OSError):
                pass  # the worker died: stuck_or_dead() reports it
        return found

    def stuck_or_dead(self, time_limit: float) -> list[tuple[_Worker, tuple[str, dict[str, Any]]]]:
        now = time.monotonic()
        found = []
        for worker in self.workers:
            if worker.task is None:
                continue
            if not worker.process.is_alive():
                code = worker.process.exitcode
                detail = f"kod wyjścia {code}" if code is None or code >= 0 else \
                    f"sygnał {-code}"
                found.append((worker, ("F007", {"detail": detail})))
            elif now - worker.since > time_limit:
                found.append((worker, ("F006", {"seconds": f"{time_limit:g}"})))
        return found

    def replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.connection.close()
        self.workers[self.workers.index(worker)] = self._start()

    def close(self) -> None:
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in self.workers:
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()


def progress_bar(enabled: bool) -> tuple[Progress | None, Callable[[], None]]:
    """A rich progress bar on stderr when a person is watching (a terminal, not --quiet)."""
    if not enabled or not sys.stderr.isatty():
        return None, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar("Sprawdzanie", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
              console=Console(stderr=True), transient=True)
    task = bar.add_task("pliki", total=None)
    bar.start()

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update, bar.stop
