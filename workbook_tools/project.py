"""Which files and which settings form a project: decided here, for every door.

A project is a folder holding ``projekt.toml`` together with its subfolders (those
without a projekt.toml of their own); where no folder above a workbook holds one, the
workbook's own folder is the project. Settings are that projekt.toml over the nearest
coordinator's ``workbook-tools.toml`` found in the folders above. The command line
(``validate``, ``fill``, ``clear``), the batch and the Excel buttons all ask
:func:`resolve`, so a workbook is judged the same way whichever door it came through:
a file given alone is read together with the other workbooks of its project (the
attendance list is checked against the participant list beside it), and only its own
issues are reported.

Only regular files are read: a FIFO would block the reader forever, a device or a link
to one (``/dev/zero`` named ``lista.xlsx``) would feed it without end.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .names import (
    OUR_FILE_MARKERS,
    OUTPUT_MARK,
    ROOT_SETTINGS_FILE,
    SETTINGS_FILE,
    SUPPORTED,
    TEMP_PREFIX,
    WRITE_LOCK_PREFIX,
)


@dataclass
class Project:
    folder: Path
    files: list[Path] = field(default_factory=list)
    #: the keys of the ``workbook-tools.toml`` over the project (None: there is none)
    root: dict[str, Any] | None = None
    #: files whose issues are reported; None: every file of the project
    targets: set[Path] | None = None


@dataclass
class Resolved:
    projects: list[Project] = field(default_factory=list)
    #: files found in the folders and not read (not workbooks, lock files, our outputs)
    skipped: list[Path] = field(default_factory=list)
    #: paths that could not be used, with the reason (F001) or a broken root settings
    #: file (F004): (path, code, Polish reason, English reason)
    problems: list[tuple[Path, str, str, str]] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        return [f for p in self.projects for f in p.files
                if p.targets is None or f in p.targets]


def display_path(path: Path) -> str:
    """Paths as the user typed them: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def is_regular(path: Path) -> bool:
    """A regular file (a link is followed; a FIFO, device or socket is not one)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def is_ours(name: str) -> bool:
    """A file the tool wrote: a fill result, a backup, a write under way or its lock."""
    return (name.startswith((TEMP_PREFIX, WRITE_LOCK_PREFIX))
            or any(marker in name for marker in OUR_FILE_MARKERS))


def is_candidate(path: Path) -> bool:
    """A workbook to read when found in a folder (not a lock file, not our output)."""
    name = path.name
    return (path.suffix.lower() in SUPPORTED and not name.startswith("~$")
            and not is_ours(name))


def _our_report(path: Path) -> bool:
    """One of our reports (``validate --report``): never read as a project's workbook.
    The reader (with calamine: 5 ms) is imported at the first file asked about, not
    with this module: the command line imports this module for every command,
    ``--help`` included, and most never list a folder's workbooks."""
    from .read import is_our_report

    return is_our_report(path)


def project_folder(folder: Path) -> Path | None:
    """The nearest folder, ``folder`` itself or above it, holding a projekt.toml."""
    for candidate in (folder, *folder.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate
    return None


def _root_folder(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ROOT_SETTINGS_FILE).is_file():
            return candidate
    return None


def _walk(top: Path, owner: Path | None, found: dict[Path, list[Path]],
          skipped: list[Path]) -> None:
    """Workbooks under ``top`` by project folder; ``owner`` is the project ``top`` is in."""
    settled: dict[Path, Path | None] = {}
    for folder, dirs, names in os.walk(top):
        dirs.sort()
        here = Path(folder)
        settled[here] = here if SETTINGS_FILE in names else (
            settled.get(here.parent) if here != top else owner)
        project = settled[here] or here
        for name in sorted(names):
            candidate = here / name
            if name in (SETTINGS_FILE, ROOT_SETTINGS_FILE):
                continue
            if (is_candidate(candidate) and is_regular(candidate)
                    and not _our_report(candidate)):
                found.setdefault(project, []).append(candidate)
            else:
                skipped.append(candidate)


def _project_files(folder: Path) -> list[Path]:
    """Every workbook of the project whose folder is ``folder``."""
    if (folder / SETTINGS_FILE).is_file():
        found: dict[Path, list[Path]] = {}
        _walk(folder, folder, found, [])
        return found.get(folder, [])
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / n for n in names if is_candidate(folder / n) and is_regular(folder / n)
            and not _our_report(folder / n)]


def resolve(paths: Iterable[Path]) -> Resolved:
    """The projects the given files and folders belong to.

    A folder is searched recursively; a file, or a folder inside a project, is read
    with the other workbooks of its project and only its own issues are reported. A
    path that does not exist or is not a regular file is a problem, not a program error.
    """
    result = Resolved()
    found: dict[Path, list[Path]] = {}
    targets: dict[Path, set[Path] | None] = {}

    def add_part(folder: Path, wanted: Iterable[Path]) -> None:
        """Files of the project in ``folder`` reported, the whole project read."""
        files = found.setdefault(folder, [])
        for file in _project_files(folder) if folder not in targets else []:
            if file not in files:
                files.append(file)
        chosen = targets.setdefault(folder, set())
        for file in wanted:
            if OUTPUT_MARK in file.name:  # a fill result stands in for its original
                original = file.with_name(file.name.replace(OUTPUT_MARK, "", 1))
                if original in files and (chosen is None or original not in chosen):
                    files.remove(original)
            if file not in files:
                files.append(file)
            if chosen is not None:
                chosen.add(file)

    for given in paths:
        path = Path(given)
        if not path.exists() and not path.is_symlink():
            result.problems.append(
                (path, "F001", "plik nie istnieje", "the file does not exist") if path.suffix
                else (path, "F001", "folder nie istnieje", "the folder does not exist"))
        elif path.is_dir():
            owner = project_folder(path)
            walked: dict[Path, list[Path]] = {}
            _walk(path, owner, walked, result.skipped)
            for folder, files in walked.items():
                if owner is not None and folder == owner and owner != path:
                    add_part(owner, files)  # a part of a project: read with the rest
                    continue
                merged = found.setdefault(folder, [])
                merged.extend(f for f in files if f not in merged)
                targets[folder] = None
        elif not is_regular(path):
            result.problems.append((path, "F001", "to nie jest zwykły plik (np. potok, "
                                    "urządzenie lub łącze do nich) — pominięto",
                                    "not a regular file (a pipe, a device or a link to "
                                    "one); skipped"))
        else:
            add_part(project_folder(path.parent) or path.parent, [path])
    roots: dict[Path, dict[str, Any] | None] = {}
    for folder, files in found.items():
        if not files:
            continue
        root_folder = _root_folder(folder)
        if root_folder is not None and root_folder not in roots:
            # imported only here: settings' pydantic models cost a run without a root
            # file 0.1 s before any file is read
            from .settings import SettingsError, load_root_settings

            try:
                roots[root_folder] = load_root_settings(root_folder)
            except SettingsError as error:
                roots[root_folder] = None
                result.problems.append((root_folder / ROOT_SETTINGS_FILE, "F004",
                                        error.pl, error.en))
        root = roots.get(root_folder) if root_folder is not None else None
        result.projects.append(Project(folder, files, root, targets.get(folder)))
    return result


def resolve_file(path: Path) -> Project:
    """The project of one workbook (``fill``, ``clear``, an Excel button)."""
    resolved = resolve([path])
    if not resolved.projects:
        return Project(path.parent, [path], None, {path})
    return resolved.projects[0]
