"""How a workbook reaches the disk without losing anything the user had.

The workbooks are a project's records, often on a shared drive, so every write follows
the same rules, for ``fill``, ``clear`` and any later command:

- written to a temporary file beside the target (``.~wt-<pid>-….xlsx``) and renamed
  over it: a crash, a kill or a full disk leaves the old file or the new one, never half
  of one; temporary files of a process that no longer runs are swept by the next write;
- one writer at a time: our own lock file (``.~wt-lock.NAZWA``, holding the writer's
  process number) — a second writer is refused, a lock of a dead process is taken over;
- the original is kept before it is replaced (``--in-place``): the backup gets a new
  name each time (``NAZWA.kopia-zapasowa.xlsx``, ``…-2.xlsx``…), is itself written
  atomically and is never overwritten;
- a file is replaced only if we wrote it and nobody changed it since (our document
  property and the modification time we set agree), or the user named it
  (``--in-place``, ``--force``); a file that changed while we worked is not replaced;
- the written file keeps the permissions of the file it replaces (a new one follows
  the umask), so a shared folder stays shared.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .names import BACKUP_MARK, TEMP_PREFIX, WRITE_LOCK_PREFIX, WRITTEN_PROPERTY
from .read import open_zip
from .rules import Bilingual
from .safety import WriteRefused

#: A temporary file older than this is swept even if its process number is in use again.
STALE_SECONDS = 24 * 3600
_PID = re.compile(r"^\.~wt-(?:lock\.)?(\d+)")


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie — killed, not yet reaped — does not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def sweep(folder: Path) -> list[Path]:
    """Remove temporary files and locks that interrupted writes left in ``folder``."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for name in names:
        if not name.startswith(TEMP_PREFIX):
            continue
        path = folder / name
        if name.startswith(WRITE_LOCK_PREFIX):
            pid = _lock_owner(path)
        else:
            match = _PID.match(name)
            pid = int(match.group(1)) if match else None
        try:
            old = now - path.lstat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if pid is None or not _alive(pid) or old:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _lock_owner(lock: Path) -> int | None:
    try:
        return int(lock.read_text(encoding="ascii").strip() or "0") or None
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def claimed(target: Path) -> Iterator[None]:
    """Hold our write lock on ``target`` (refused while another live writer holds it)."""
    lock = target.with_name(f"{WRITE_LOCK_PREFIX}{target.name}")
    for _attempt in range(2):
        try:
            handle = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            owner = _lock_owner(lock)
            if owner is not None and _alive(owner):
                raise WriteRefused(Bilingual(
                    f"ten plik zapisuje właśnie inny proces workbook-tools (nr {owner}); "
                    "spróbuj ponownie, gdy skończy",
                    f"another workbook-tools process ({owner}) is writing this file; try "
                    "again when it has finished")) from None
            with contextlib.suppress(OSError):
                lock.unlink()  # the lock of a process that is gone
            continue
        except OSError as error:
            raise refused_by(error, target) from None
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(str(os.getpid()))
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                lock.unlink()
        return
    raise WriteRefused(Bilingual("nie udało się założyć blokady zapisu",
                                 "could not take the write lock"))


def refused_by(error: OSError, target: Path) -> WriteRefused:
    """A system error of a write, as the user is told it (the original is intact)."""
    import errno

    where = target.parent if str(target.parent) else Path(".")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteRefused(Bilingual(
            f"brak uprawnień do zapisu w folderze {where} (oryginał bez zmian)",
            f"no permission to write in the folder {where} (original untouched)"))
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return WriteRefused(Bilingual("brak miejsca na dysku — nic nie zapisano, oryginał "
                                      "bez zmian", "the disk is full; nothing was written, "
                                      "the original is untouched"))
    if error.errno == errno.EFBIG:
        return WriteRefused(Bilingual("przekroczono dopuszczalny rozmiar pliku — nic nie "
                                      "zapisano, oryginał bez zmian", "the file size limit "
                                      "was exceeded; nothing was written"))
    if error.errno == errno.ENOENT:
        return WriteRefused(Bilingual(f"folder {where} nie istnieje",
                                      f"the folder {where} does not exist"))
    if error.errno == errno.EISDIR:
        return _a_folder(target)
    return WriteRefused(Bilingual(f"błąd zapisu ({error.strerror or error.errno})",
                                  f"write error ({error.strerror or error.errno})"))


def _a_folder(target: Path) -> WriteRefused:
    return WriteRefused(Bilingual(f"{target.name} jest folderem, nie plikiem",
                                  f"{target.name} is a folder, not a file"))


@contextlib.contextmanager
def _staged(target: Path, blamed: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` (to fsync and rename into place): gone
    afterwards whatever happens; an OS error becomes a refusal about ``blamed``."""
    temporary = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
                                 f"{target.suffix}")
    try:
        yield temporary
    except OSError as error:
        raise refused_by(error, blamed) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _synced(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _mode_for(target: Path) -> int:
    """The permissions of the file replaced, or the umask's for a new file."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fingerprint(path: Path) -> tuple[int, int, int]:
    """What tells that a file changed: size, modification time, inode."""
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ino


def save_atomic(book: Any, target: Path, *, unchanged: tuple[int, int, int] | None = None
                ) -> None:
    """Save an openpyxl workbook over ``target`` in one rename.

    ``unchanged``: the target's :func:`fingerprint` when it was read; if it differs now
    (somebody saved it meanwhile), nothing is replaced. Excel is told to recalculate on
    opening (openpyxl saves formulas without their last results)."""
    from openpyxl.packaging.custom import StringProperty

    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a size limit: an error, not death
    written = time.time_ns()
    book.calculation.fullCalcOnLoad = True
    props = book.custom_doc_props
    props.props = [p for p in props.props if p.name != WRITTEN_PROPERTY]
    props.append(StringProperty(name=WRITTEN_PROPERTY, value=str(written)))
    mode = _mode_for(target)
    sweep(target.parent)
    with _staged(target, target) as temporary:
        book.save(temporary)
        _synced(temporary)
        os.chmod(temporary, mode)
        os.utime(temporary, ns=(written, written))
        if unchanged is not None and target.exists() and fingerprint(target) != unchanged:
            raise WriteRefused(Bilingual(
                f"{target.name} zmienił się w trakcie pracy (zapisał go ktoś inny) — nie "
                "zastąpiono go; uruchom polecenie ponownie",
                f"{target.name} changed meanwhile (somebody saved it); it was not replaced, "
                "run the command again"))
        if target.is_dir():
            raise _a_folder(target)
        os.replace(temporary, target)


def save_written(write: Callable[[Path, str], None], target: Path) -> None:
    """A file we make from nothing (the claim workbook), put in place in one rename.

    ``write(path, stamp)`` writes the file and records ``stamp`` as the custom property
    :data:`WRITTEN_PROPERTY`, so that a later run knows the file is its own and may
    replace it (:func:`may_replace`)."""
    written = time.time_ns()
    mode = _mode_for(target)
    sweep(target.parent)
    with _staged(target, target) as temporary:
        try:
            write(temporary, str(written))
        except Exception as error:  # XlsxWriter wraps the OS error (FileCreateError)
            cause = error.args[0] if error.args else None
            if isinstance(cause, OSError):
                raise cause from None  # refused in the user's words by _staged
            raise
        _synced(temporary)
        os.chmod(temporary, mode)
        os.utime(temporary, ns=(written, written))
        if target.is_dir():
            raise _a_folder(target)
        os.replace(temporary, target)


def backup(source: Path) -> Path:
    """Keep ``source`` under a new backup name (never one that exists), atomically."""
    with _staged(source, source) as temporary:
        shutil.copy2(source, temporary)
        _synced(temporary)
        number = 1
        while True:
            tail = "" if number == 1 else f"-{number}"
            target = source.with_name(f"{source.stem}{BACKUP_MARK}{tail}{source.suffix}")
            try:
                os.link(temporary, target)  # fails if the name exists: never overwritten
                return target
            except FileExistsError:
                number += 1


def written_by_us(path: Path) -> bool:
    """A file we wrote and nobody saved since: our property and its time agree."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with open_zip(path) as archive:
            info = archive.getinfo("docProps/custom.xml")
            if info.file_size > 65536:
                return False
            text = archive.read(info).decode("utf-8", "replace")
        mtime = path.stat().st_mtime_ns
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return False
    match = re.search(rf'name="{WRITTEN_PROPERTY}"[^>]*>\s*<vt:lpwstr>(\d+)<', text)
    return match is not None and int(match.group(1)) == mtime


def may_replace(target: Path, *, force: bool) -> None:
    """Refuse to replace a file the user has not named, unless it is our own,
    unchanged output."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_dir():
        raise _a_folder(target)
    if force or written_by_us(target):
        return
    raise WriteRefused(Bilingual(
        f"plik {target.name} już istnieje i zmieniono go po zapisie przez workbook-tools "
        "(albo nie my go zapisaliśmy) — nie nadpisano; użyj --force, aby go zastąpić, "
        "albo -o INNY_PLIK",
        f"the file {target.name} exists and was changed after workbook-tools wrote it (or "
        "was not written by it); not overwritten: use --force to replace it, or -o OTHER"))
