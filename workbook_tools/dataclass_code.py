"""The code of the methods ``@dataclass`` writes for each class, compiled once and kept
between runs, as Python keeps a module's bytecode.

Python 3.11 compiles every method it generates for a data class (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, a frozen class's ``__setattr__`` and
``__delattr__``) from source text, in every process, and keeps no bytecode of them:
the worker that checks a file makes 180 such methods for its 61 classes; its imports
took 50-52 ms of CPU with them compiled, 36 ms with the code kept — on the critical
path of a small workbook, whose first sheet is read before those imports end (10 000
payments: median 225.5 -> 210.2 ms, 30 runs in turns with the code before).

The dataclasses module builds each method as text and runs ``exec(text, globals,
locals)``, its only ``exec`` (3.11 and 3.12: once per method; 3.13: once per class).
:func:`install` gives that module an ``exec`` of its own, which compiles each text
once, exactly as the builtin would (file name ``<string>``; no ``__future__`` flags:
dataclasses has none to pass on), and then is the builtin: the classes are the same
classes, only the compiling is saved. What it compiled is written by :func:`save` to
the package's ``__pycache__``, beside the modules' bytecode, stamped with the
interpreter's magic number — unless Python is told not to write bytecode
(``PYTHONDONTWRITEBYTECODE``, ``-B``: the Excel buttons' Python, which reads what
the command line and ``excel install`` kept), or cannot write there. The file is trusted as a
``.pyc`` is (marshal is not meant for data anyone else writes): it is only ever
looked for there, never in a user's folder; anything in it that is not a text and its
code is ignored, and a file that is damaged, foreign or not a regular file is as good
as none.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import stat
import sys
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path
from types import CodeType
from typing import Any

#: where the compiled methods are kept: ``__pycache__/dataclass_code.<tag>.marshal``
#: (or under ``sys.pycache_prefix``); None under an interpreter that keeps no bytecode
CACHE: Path | None
try:
    CACHE = Path(cache_from_source(__file__)).with_suffix(".marshal")
except NotImplementedError:  # no sys.implementation.cache_tag
    CACHE = None
#: past this many texts (classes changed by upgrades), the file keeps only this run's
LIMIT = 2000
#: a file larger than this (ours: about 0.4 MB) is not read at all
MAX_BYTES = 16 << 20

_BUILTIN_EXEC = exec
_code: dict[str, CodeType] = {}
_used: set[str] = set()
_new: dict[str, CodeType] = {}


def install() -> None:
    """Compile data classes' methods from the kept code from now on in this process
    (a process forked after this inherits it). Called before the modules that
    declare the classes are imported; idempotent."""
    import dataclasses

    if vars(dataclasses).get("exec") is _exec or CACHE is None:
        return
    _code.update(_read(CACHE))
    vars(dataclasses)["exec"] = _exec


def _exec(source: Any, scope: dict[str, Any] | None = None,
          names: dict[str, Any] | None = None, /) -> None:
    """``exec`` for the dataclasses module: a text is compiled once, the rest is the
    builtin's. (dataclasses always passes its globals; without them the code runs in
    its caller's, as under the builtin.)"""
    if scope is None:
        frame = sys._getframe(1)
        scope = frame.f_globals
        if names is None:
            names = frame.f_locals
    if source.__class__ is str:
        code = _code.get(source)
        if code is None:
            code = _code[source] = _new[source] = compile(source, "<string>", "exec",
                                                          dont_inherit=True)
        _used.add(source)
        source = code
    _BUILTIN_EXEC(source, scope, names)


def compiled_here() -> int:
    """How many methods this process compiled (none, once the cache is warm)."""
    return len(_new)


def save() -> None:
    """Keep what this process compiled, merged with what the file holds now (another
    process may have written it meanwhile); written whole, under a temporary name, then
    renamed over it, so a reader sees the old file or the new one. Nothing is written
    when nothing was compiled, when bytecode is not to be written, where it cannot be,
    or over anything but a regular file: the next run compiles the methods again, as
    before."""
    if not _new or sys.dont_write_bytecode or CACHE is None:
        return
    with contextlib.suppress(OSError):
        if not stat.S_ISREG(os.lstat(CACHE).st_mode):
            return  # not ours to replace
    kept = _read(CACHE)
    kept.update(_new)
    if len(kept) > LIMIT:
        kept = {text: _code[text] for text in _used}
    temporary = CACHE.with_name(f"{CACHE.name}.{os.getpid()}.tmp")
    try:
        CACHE.parent.mkdir(exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(descriptor, "wb") as file:
            file.write(MAGIC_NUMBER + marshal.dumps(kept))
        os.replace(temporary, CACHE)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return
    _new.clear()


def _read(path: Path) -> dict[str, CodeType]:
    """The texts and their code kept at ``path``; empty if there is no such regular
    file, it is damaged, far larger than ours, or written by another interpreter
    version. Opened without blocking: a FIFO put there would otherwise hang the
    start."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return {}
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_BYTES:
            return {}
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read()
    except OSError:
        return {}
    finally:
        os.close(descriptor)
    if data[:len(MAGIC_NUMBER)] != MAGIC_NUMBER:
        return {}
    try:
        table = marshal.loads(data[len(MAGIC_NUMBER):])
    except (EOFError, ValueError, TypeError):
        return {}
    if table.__class__ is not dict:
        return {}
    return {text: code for text, code in table.items()
            if text.__class__ is str and code.__class__ is CodeType}
