"""Validation with every file contained: the command line's ``validate``.

A coordinator validates hundreds of folders nobody checked, and a member of staff one
list mailed by a partner; both get the same protection. Each project runs as one job
of :mod:`workbook_tools.contain` (cross-workbook checks need all its files together):
a file that hangs or kills its worker becomes that file's F006/F007, the project is
checked again without it, and every other result is kept.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import read as _read
from .jobs import DEFAULT_TIME_LIMIT, Failure, Job, Progress
from .limits import READ_MEMORY_MB
from .names import SETTINGS_FILE
from .project import Project, Resolved, display_path, resolve

if TYPE_CHECKING:
    from .claim import Claim
    from .issues import Issue
    from .rawsheet import RawSheet
    from .results import ProjectResult, RunResult

# The engine (with pydantic and every kind) is imported inside the functions below, not
# here: the command line forks its worker before importing it, so the worker's first
# read runs while both processes import (see :func:`read_ahead`). Nor the issues, which
# the parent needs only for the result: imported before the job is sent, they took
# the cores from the worker's read.

__all__ = ["DEFAULT_TIME_LIMIT", "progress_bar", "run"]


def check_project(folder: Path, files: list[Path], root: dict[str, Any] | None,
                  targets: set[Path] | None, tables: bool = False, *,
                  failed: dict[Path, Issue], on_file: Callable[[Path], None]
                  ) -> ProjectResult:
    """A job: one project validated inside a worker; the slim result crosses back (with
    its computed tables when ``tables``), with its ``[wskazniki]`` counted to date when
    it declares any (the report shows them)."""
    result = _validated(folder, files, root, targets, failed, on_file)
    if result.data is not None and result.settings.indicators:
        from .claim import indicators_to_date

        result.indicators = indicators_to_date(result.data, display_path(folder))
    return result.slim(tables)


def claim_project(folder: Path, files: list[Path], root: dict[str, Any] | None,
                  targets: set[Path] | None, start: dt.date | None, end: dt.date | None, *,
                  failed: dict[Path, Issue], on_file: Callable[[Path], None]
                  ) -> tuple[ProjectResult, Claim | None]:
    """A job: one project read inside a worker and its claim tables counted there; the
    tables and the slim result cross back."""
    result = _validated(folder, files, root, targets, failed, on_file)
    from .claim import claim

    found = None
    if result.data is not None:
        found = claim(result.data, folder=display_path(folder), start=start, end=end)
        found.issues[:0] = result.incomplete
    return result.slim(tables=False), found  # the claim's own tables are in found


def claims(resolved: Resolved, start: dt.date | None, end: dt.date | None,
           jobs: int | None = None, time_limit: float = DEFAULT_TIME_LIMIT
           ) -> list[tuple[ProjectResult, Claim | None]]:
    """The claim tables of every project, each counted in a contained worker."""
    work = [Job(key, claim_project, (p.folder, p.files, p.root, p.targets, start, end),
                p.files) for key, p in enumerate(resolved.projects)]
    from . import contain

    results = contain.run(work, jobs or os.cpu_count() or 1, time_limit,
                          meanwhile=_prepared(resolved))
    found: list[tuple[ProjectResult, Claim | None]] = []
    for job, project in zip(work, resolved.projects, strict=True):
        result = results[job.key]
        found.append(result if isinstance(result, tuple) else (_failed(project, result), None))
    return found


def read_job(files: list[Path], *, failed: dict[Path, Issue],
             on_file: Callable[[Path], None]) -> dict[Path, list[RawSheet] | Issue]:
    """A job: workbooks read whole in a worker, each to its sheets or its issue."""
    from .unreadable import read_whole  # not the engine: a spawned worker imports this

    found: dict[Path, list[RawSheet] | Issue] = {}
    for path in files:
        if path in failed:
            found[path] = failed[path]
            continue
        on_file(path)
        found[path] = read_whole(path)
    return found


def read_contained(files: list[Path], time_limit: float = DEFAULT_TIME_LIMIT
                   ) -> dict[Path, list[RawSheet] | Issue]:
    """Workbooks read in a worker under limits and handed back whole, for a door that
    checks them in its own process: the Excel buttons check the open workbook (its
    values come from Excel) with the rest of its project, read from disk here, so that
    a file beside it that would abort the reader costs that file (F006/F007, and F008
    at the open workbook), not the button's process."""
    if not files:
        return {}
    try:
        from . import contain

        found = contain.run([Job(0, read_job, (files,), files)], 1, time_limit)[0]
    except (OSError, ValueError, RuntimeError):
        # no worker could be started (an embedded Python without an executable to
        # spawn, a policy that forbids child processes): read here, as the buttons did
        # before, rather than not answer at all
        return read_job(files, failed={}, on_file=lambda _path: None)
    if isinstance(found, dict):
        return found
    from .issues import Issue

    return {path: Issue(found.code, display_path(path), params=found.params)
            for path in files}


def run(paths: Sequence[Path], jobs: int | None = None, time_limit: float = DEFAULT_TIME_LIMIT,
        memory_mb: int = READ_MEMORY_MB, progress: Progress | None = None,
        on_file: Callable[[int, Path], None] | None = None,
        resolved: Resolved | None = None, tables: bool = False) -> RunResult:
    """Validate every project under ``paths`` in ``jobs`` worker processes (default:
    one per core, never more than there are projects); ``tables``: with the computed
    tables (``--summary``)."""
    resolved = resolved or resolve(paths)
    work = [Job(key, check_project, (p.folder, p.files, p.root, p.targets, tables), p.files)
            for key, p in enumerate(resolved.projects)]
    from . import contain

    results = contain.run(work, jobs or os.cpu_count() or 1, time_limit, memory_mb,
                          progress, on_file, meanwhile=_prepared(resolved))
    from .results import RunResult, problem_project

    run_result = RunResult(skipped=resolved.skipped)
    for job, project in zip(work, resolved.projects, strict=True):
        found = results[job.key]
        run_result.projects.append(_failed(project, found) if isinstance(found, Failure)
                                   else found)
    problems = problem_project(resolved)
    if problems is not None:
        run_result.projects.append(problems)
    return run_result


def _failed(project: Project, failure: Failure) -> ProjectResult:
    """A project whose job did not finish: its one issue, at its folder."""
    from .issues import Issue
    from .results import ProjectResult
    from .settings import ProjectSettings

    failed = ProjectResult(project.folder, ProjectSettings())
    failed.issues.append(Issue(failure.code, display_path(project.folder),
                               params=failure.params))
    return failed


def _validated(folder: Path, files: list[Path], root: dict[str, Any] | None,
               targets: set[Path] | None, failed: dict[Path, Issue],
               on_file: Callable[[Path], None]) -> ProjectResult:
    """A project validated in a worker, its first workbook read while the engine is
    imported and the kinds prepared; nothing read ahead outlives the job."""
    read_ahead(files, failed, on_file)
    from .engine import validate_project
    from .kinds import prepare

    if _read.reading_ahead():
        prepare()

    def tell(path: Path) -> None:
        if path not in _read.reading_ahead():
            _read.wait_ahead()  # the file read ahead is the parent's current one till then
        on_file(path)

    try:
        return validate_project(folder, files, root, failed, on_file=tell,
                                targets=targets)
    finally:
        _read.drop_ahead()


def read_ahead(files: list[Path], failed: dict[Path, Issue],
               on_file: Callable[[Path], None]) -> None:
    """Start reading the project's first workbook in a thread before the engine is
    imported: calamine parses with the GIL released, so the parse and the import (0.15 s
    of pydantic and the kinds, in a worker forked before them) overlap. The parent is
    told of the file first, as for any read: a file that kills the worker is named.
    A worker forked as the process started may be reading one of them already
    (:mod:`workbook_tools.spare`): that one is the read ahead."""
    begun = [f for f in files if f in _read.reading_ahead() and f not in failed]
    if begun:
        on_file(begun[0])
        return
    first = next((f for f in files if f not in failed), None)
    # what is no workbook, or no longer a regular file (a FIFO since the project was
    # resolved), the reader's own sniff refuses before opening it
    if first is not None:
        on_file(first)
        _read.read_ahead(first)


def _receiving() -> None:
    """What the parent imports while its worker works (``contain.run``'s meanwhile, at
    its first word): the classes its result is made of (unpickling it imports the same
    modules, but only once the result came). Not the engine: 40 ms of importing, where
    these take 15. The console command's process yields the cores to its worker first
    (:func:`spare.yield_to_worker`)."""
    from . import spare

    spare.yield_to_worker()
    from . import results, settings  # noqa: F401


def _prepared(resolved: Resolved) -> Callable[[], None] | None:
    """One project: the worker is forked first (it reads while both processes import),
    and the parent imports meanwhile (the returned function). A tree: the parent
    imports the engine, and pydantic's settings validator if any project has settings,
    before forking, so that the workers inherit them instead of each importing them
    again (six small projects: --jobs 2 took as long as --jobs 1)."""
    if len(resolved.projects) <= 1:
        return _receiving
    from . import engine  # noqa: F401
    if any(p.root is not None or (p.folder / SETTINGS_FILE).is_file()
           for p in resolved.projects):
        from .settings import validator

        validator()
    return None


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
