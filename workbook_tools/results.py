"""What validating a project gives: per file its issues, sheets and layouts; per
project its files, its issues across them, its computed tables; per run its projects.

Apart from the engine that makes them because a result crosses from the worker that
read the workbooks to the process that prints it: the printing process imports
these classes to receive one (and the rules, the issues and the settings it holds),
not the kinds, the table reader and the checks (40 ms of a run, on the core the
worker's read needs while it imports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .explain import Layout
from .issues import Issue, ordered
from .project import Resolved, display_path
from .rules import Bilingual, Severity

if TYPE_CHECKING:
    from .checks import ProjectData, SheetData
    from .settings import ProjectSettings
    from .summary import SummaryTable

#: Rule codes that stop a file or its project from being checked (exit code 2).
UNREADABLE_CODES = frozenset({"F001", "F002", "F003", "F004", "F005", "F006", "F007"})
#: ... of them, those that mean the file was not read (F004 at a file is a
#: ``[kolumny]`` key that named no column of a file that was read)
NOT_READ_CODES = UNREADABLE_CODES - {"F004"}
#: ... and what says that a result was made without some of the project's workbooks:
#: said even by a quiet run, and with every claim counted from such a project.
INCOMPLETE_CODES = UNREADABLE_CODES | {"F008"}


@dataclass(frozen=True)
class SheetInfo:
    """A recognised sheet, as outputs report it (kept when the records are let go)."""

    sheet: str
    kind: str
    rows: int
    #: what the reader understood (``explain``)
    layout: Layout | None = None


@dataclass(eq=False)
class FileResult:
    path: Path
    display: str
    issues: list[Issue] = field(default_factory=list)
    sheets: list[SheetData] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)  # every sheet, in workbook order
    info: list[SheetInfo] = field(default_factory=list)
    #: ``[kolumny]`` keys some sheet of the file used
    used_keys: set[str] = field(default_factory=set)

    @property
    def unreadable(self) -> bool:
        return any(issue.code in UNREADABLE_CODES for issue in self.issues)

    @property
    def not_read(self) -> str | None:
        """The code of the issue that kept the file from being read at all, if any."""
        return next((issue.code for issue in self.issues if issue.code in NOT_READ_CODES),
                    None)


@dataclass(eq=False)
class ProjectResult:
    folder: Path
    settings: ProjectSettings
    files: list[FileResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    data: ProjectData | None = None
    #: the computed tables, kept when the records are let go (:meth:`slim`)
    tables: list[SummaryTable] | None = None
    #: budget plan and execution summed over the project's budget sheets, if any
    budget: tuple[Decimal, Decimal] | None = None
    #: checks its sheets call for that its settings do not allow: (Polish, English)
    unchecked: list[tuple[str, str]] = field(default_factory=list)
    #: ``[wskazniki]`` counted to date: (name, target, achieved, share in per cent or
    #: None), for the coordinator's report (filled by the batch, kept by :meth:`slim`)
    indicators: list[tuple[str, Any, Any, Decimal | None]] = field(default_factory=list)
    #: the project's workbooks that could not be read: (as shown, the code of their
    #: issue). Whatever is computed from the whole project (paid to date, hours to
    #: date) is incomplete without them: fill holds such columns back, F008 says it.
    unread: list[tuple[str, str]] = field(default_factory=list)

    def summaries(self) -> list[SummaryTable]:
        """The computed tables of every kind present in the project."""
        if self.tables is not None:
            return self.tables
        if self.data is None:
            return []
        return [table for summarise in present(self.data, "summaries")
                for table in summarise(self.data)]

    def slim(self, tables: bool = True) -> ProjectResult:
        """The result without records: what crosses a process boundary and what a batch
        of hundreds of projects keeps in memory. ``tables=False`` leaves out the computed
        tables too (a run without ``--summary``: computing, sending and receiving them
        was a sixth of checking 10 000 payments)."""
        from .kinds import KINDS  # where records are (a worker): the engine is there

        budget: tuple[Decimal, Decimal] | None = None
        for kind in KINDS.values():
            if kind.plan_and_spent is not None and self.data is not None \
                    and self.data.of_kind(kind):
                budget = kind.plan_and_spent([line for sheet in self.data.of_kind(kind)
                                              for line in sheet.records])
        files = [FileResult(f.path, f.display, f.issues, [], f.sheet_names, f.info)
                 for f in self.files]
        return ProjectResult(self.folder, self.settings, files, self.issues, None,
                             self.summaries() if tables else None, budget, self.unchecked,
                             self.indicators, self.unread)

    @property
    def all_issues(self) -> list[Issue]:
        return [i for f in self.files for i in f.issues] + self.issues

    @property
    def incomplete(self) -> list[Issue]:
        """The issues saying that what was counted left out some workbook or the
        settings: a file's own F001-F007, the project's F004, F008 at a file asked
        about (a claim counted from the rest must say so)."""
        return [i for i in self.all_issues if i.code in INCOMPLETE_CODES]


@dataclass(eq=False)
class RunResult:
    projects: list[ProjectResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[FileResult]:
        return [f for project in self.projects for f in project.files]

    @property
    def issues(self) -> list[Issue]:
        """All issues: files and sheets in the order read, each sheet by row and column."""
        files = self.files
        found = [i for f in files for i in f.issues]
        found += [i for project in self.projects for i in project.issues]
        rank = {(f.display, name): n for f in files for n, name in enumerate(f.sheet_names)}
        return ordered(found, rank)

    @property
    def exit_code(self) -> int:
        """0: no errors; 1: errors found; 2: a file could not be read."""
        issues = self.issues
        if any(issue.code in UNREADABLE_CODES for issue in issues):
            return 2
        if any(issue.effective_severity is Severity.ERROR for issue in issues):
            return 1
        return 0


def present(data: ProjectData, what: str) -> list[Any]:
    """The project checks (or summaries) of the kinds present, each once: two layouts of
    one kind (attendance long and grid) share them."""
    from .kinds import KINDS

    found: dict[int, Any] = {}
    for kind in KINDS.values():
        if data.of_kind(kind):
            for item in getattr(kind, what):
                found.setdefault(id(item), item)
    return list(found.values())


def problem_project(resolved: Resolved) -> ProjectResult | None:
    """Paths that could not be used (missing, not regular files, a broken
    workbook-tools.toml), as issues of their own."""
    from .settings import ProjectSettings

    if not resolved.problems:
        return None
    issues = [Issue(code, display_path(path), params={"detail": Bilingual(pl, en)})
              for path, code, pl, en in resolved.problems]
    return ProjectResult(Path("."), ProjectSettings(), issues=issues)
