"""What a worker process does, and what it is given: jobs in, results out.

The worker's side of :mod:`workbook_tools.contain`, apart from it because a worker
forked as the process starts (:mod:`workbook_tools.spare`) imports it while calamine
reads its file, on the core the rest of the run shares: the pool's side needs
multiprocessing (12 ms to import, 20 beside a read and a parent), the worker's side
does not. A job's function arrives by name, and the module that holds it
(:mod:`workbook_tools.batch`) imports this one, not the pool.
"""

from __future__ import annotations

import os
import pickle
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import dataclass_code
from .limits import limit_memory, quiet_native_messages

if TYPE_CHECKING:
    from .issues import Issue

#: Seconds one file may take (reading and its checks) before its worker is stopped.
DEFAULT_TIME_LIMIT = 30.0
#: Seconds a worker may spend writing one workbook (openpyxl: a 100 000-row list
#: takes about 20 s on a 2-core machine).
DEFAULT_WRITE_TIME_LIMIT = 600.0
#: Address space while a worker writes a workbook through openpyxl (the user's own
#: file, already read once under the read limit): openpyxl holds every cell as an
#: object, a 100 000-row attendance list needs about 700 MB.
WRITE_MEMORY_MB = 3072

#: (files done, files in all)
Progress = Callable[[int, int], None]


@dataclass(eq=False)
class Job:
    """One unit of work for a worker: ``function(*args, failed=..., on_file=...)``.

    ``function`` must be importable by name (a module-level function): a spawned
    worker receives it pickled. ``files`` are the user's files it will read, for the
    progress count; ``failed`` the files it must not read again, with their issue."""

    key: int
    function: Callable[..., Any]
    args: tuple[Any, ...]
    files: list[Path]
    failed: dict[Path, Issue] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """A job that could not finish: its rule code and the code's parameters."""

    code: str
    params: dict[str, Any]


class Messages(Protocol):
    """A worker's end of its pipe: multiprocessing's ``Connection``, or a
    :class:`Channel`."""

    def send(self, message: Any, /) -> None: ...

    def recv(self) -> Any: ...


def work(connection: Messages, memory_mb: int) -> None:
    """A worker: jobs in, results out, a message before every file it reads (a spare,
    :mod:`workbook_tools.spare`, comes here already reading its file)."""
    quiet_native_messages()
    limit_memory(memory_mb)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        key, function, args, failed = job

        def tell(path: Path, writing: bool = False, key: int = key) -> None:
            # every read of a user's file is under the read limit; openpyxl writing a
            # workbook that passed that read may use more
            limit_memory(WRITE_MEMORY_MB if writing else memory_mb)
            connection.send(("file", key, (path, writing)))

        try:
            result = function(*args, failed=failed, on_file=tell)
            # what its imports compiled, for the next run (nothing, once it is kept);
            # before the answer, after which the parent may stop this process
            dataclass_code.save()
            connection.send(("done", key, result))
        except MemoryError:
            # the file being read is the cause: die, so that the parent names it (F007)
            os._exit(75)
        except Exception as error:  # a program error in one job: reported, the worker goes on
            connection.send(("error", key, f"{type(error).__name__}"))


class Channel:
    """multiprocessing's ``Connection`` framing over a socket's descriptor, for the
    worker forked as the process starts and the parent's end of it, neither of which
    imports multiprocessing for it: each message a 4-byte big-endian length (-1 and 8
    bytes for one over 2 GiB), then its pickle. Either end may be a ``Connection``:
    what one side writes the other reads."""

    __slots__ = ("descriptor",)

    def __init__(self, descriptor: int) -> None:
        self.descriptor = descriptor

    def fileno(self) -> int:
        return self.descriptor

    def poll(self) -> bool:
        """Whether a message (or the end) is there to read, without waiting."""
        import select

        return bool(select.select([self.descriptor], [], [], 0)[0])

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.DEFAULT_PROTOCOL)
        size = len(data)
        header = (struct.pack("!i", size) if size <= 0x7FFFFFFF
                  else struct.pack("!iQ", -1, size))
        self._write(header)
        self._write(data)

    def recv(self) -> Any:
        (size,) = struct.unpack("!i", self._read(4))
        if size == -1:
            (size,) = struct.unpack("!Q", self._read(8))
        return pickle.loads(self._read(size))

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.descriptor, view):]

    def _read(self, size: int) -> bytes:
        parts, missing = [], size
        while missing:
            part = os.read(self.descriptor, min(missing, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            missing -= len(part)
        return b"".join(parts)
