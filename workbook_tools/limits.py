"""What a worker does to itself before it reads a user's file: a ceiling on its memory,
and its standard error sent nowhere.

Kept apart from :mod:`workbook_tools.contain` (the pool that runs the workers) because
the spare worker (:mod:`workbook_tools.spare`) does both before anything heavier is
imported: it begins reading the moment it is forked.
"""

from __future__ import annotations

import contextlib
import os

#: Address space of a worker while it reads a user's file, in MB. Python, calamine and
#: a 200 000-row list stay far below it; the parent and the worker together stay
#: under 1 GB of resident memory whatever the file.
READ_MEMORY_MB = 768


def _address_space() -> int:
    """This process's address space now (bytes; 0 where /proc does not say)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


#: the address space a worker started with (a forked worker inherits its parent's)
_BASE = 0


def limit_memory(megabytes: int | None) -> None:
    """Let this process grow by at most ``megabytes`` over what it held when the worker
    started (a soft limit: the hard one is kept, so a later phase may raise it again).
    None: no limit beyond the hard one."""
    global _BASE
    try:
        import resource
    except ImportError:  # Windows
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if megabytes is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    _BASE = _BASE or _address_space()
    limit = _BASE + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def quiet_native_messages() -> None:
    """Send this worker's standard error nowhere. A native reader writes its own words
    there before it aborts or panics ("memory allocation of 549755813888 bytes
    failed", a Rust backtrace where RUST_BACKTRACE is set): English text about its
    internals, on the user's terminal under our Polish F007. The worker prints
    nothing of its own; what goes wrong in it reaches the parent as a message
    (F005) or as its death (F006/F007)."""
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.dup2(quiet, 2)
    os.close(quiet)
