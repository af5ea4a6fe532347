"""The compiled methods of data classes kept between runs (workbook_tools.dataclass_code):
the classes made through the kept code are the classes the builtin ``exec`` makes,
a warm cache leaves nothing to compile, and a cache that is damaged, foreign or not a
file is as good as none. Each whole-import case runs in a Python of its own: this one
made its classes long ago."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
import textwrap
from importlib.util import MAGIC_NUMBER
from pathlib import Path

import pytest

from workbook_tools import dataclass_code

from .test_containment import CHILD_SECONDS, _limits
from .test_example import EXAMPLE

#: the modules the worker imports before its job (spare._prepare)
WORKER = ("from workbook_tools import batch, engine\n"
          "from workbook_tools.kinds import prepare\n"
          "prepare()\n")

#: every method dataclasses made for every data class of the package, as comparable
#: text: its code (bytecode, constants, names, file), annotations (object addresses
#: dropped), defaults and name
DESCRIBE = textwrap.dedent("""
    import dataclasses, importlib, json, pkgutil, re, sys, types
    import workbook_tools
    for info in pkgutil.walk_packages(workbook_tools.__path__, "workbook_tools."):
        if info.name.split(".")[-1] not in ("__main__", "launch", "addin"):
            importlib.import_module(info.name)

    def text(value):
        return re.sub(r" at 0x[0-9a-f]+", "", repr(value))

    def code(c):
        return [c.co_code.hex(), c.co_filename, c.co_name, c.co_qualname, c.co_flags,
                c.co_names, c.co_varnames, c.co_freevars,
                [code(k) if isinstance(k, types.CodeType) else text(k)
                 for k in c.co_consts]]

    seen = {}
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("workbook_tools"):
            continue
        for cls in vars(module).values():
            if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)
                    and cls.__module__ == name):
                continue
            for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__",
                           "__delattr__"):
                fn = vars(cls).get(method)
                if isinstance(fn, types.FunctionType) and fn.__code__.co_filename == "<string>":
                    seen[f"{name}.{cls.__qualname__}.{method}"] = [
                        code(fn.__code__), fn.__qualname__, text(fn.__annotations__),
                        text(fn.__defaults__), text(fn.__kwdefaults__),
                        fn.__globals__ is vars(module),
                        [text(cell.cell_contents) for cell in fn.__closure__ or ()]]
    json.dump(seen, sys.stdout)
""")


def _python(probe: str, cache: Path, *, write: bool = True
            ) -> subprocess.CompletedProcess[str]:
    """``probe`` in a new Python whose kept code is at ``cache``."""
    prelude = ("import sys\n"
               "from pathlib import Path\n"
               "from workbook_tools import dataclass_code\n"
               f"dataclass_code.CACHE = Path({str(cache)!r})\n")
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run([sys.executable, "-c", prelude + probe], capture_output=True,
                          text=True, timeout=CHILD_SECONDS, preexec_fn=_limits,
                          check=False, env=env)
    assert done.returncode == 0, done.stderr
    return done


def test_classes_made_through_the_kept_code_are_the_builtins(tmp_path):
    """Every generated method of every data class in the package, made by the builtin
    exec, compiled through the cache, and taken from it warm: the same code, names,
    annotations, defaults, globals and closures."""
    cache = tmp_path / "kept.marshal"
    plain = json.loads(_python(DESCRIBE, cache).stdout)
    install = "dataclass_code.install()\n"
    cold = _python(install + DESCRIBE + "dataclass_code.save()\n", cache)
    assert cache.is_file()
    warm = _python(install + DESCRIBE, cache)
    assert len(plain) > 150  # the package's classes were all found
    assert json.loads(cold.stdout) == plain
    assert json.loads(warm.stdout) == plain


def test_a_warm_cache_leaves_the_worker_nothing_to_compile(tmp_path):
    cache = tmp_path / "kept.marshal"
    count = "dataclass_code.install()\n" + WORKER + (
        "print(dataclass_code.compiled_here())\n"
        "dataclass_code.save()\n")
    first = int(_python(count, cache).stdout)
    assert first > 150  # init, repr, eq... of some 60 classes
    assert int(_python(count, cache).stdout) == 0


def test_the_console_command_leaves_its_next_run_nothing_to_compile():
    """The launcher's process and its spare worker each keep what they compiled (the
    real cache in the package's __pycache__, as any run would)."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    target = EXAMPLE / "kontrakty.xlsx"  # validate only reads it
    done = subprocess.run([sys.executable, "-m", "workbook_tools", "validate", str(target),
                           "-q"], capture_output=True, text=True, env=env,
                          timeout=CHILD_SECONDS, preexec_fn=_limits, check=False)
    assert done.returncode in (0, 1), done.stderr
    probe = ("from workbook_tools import dataclass_code\n"
             "dataclass_code.install()\n" + WORKER +
             "from workbook_tools import cli, results, output\n"
             "print(dataclass_code.compiled_here())\n")
    check = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           env=env, timeout=CHILD_SECONDS, preexec_fn=_limits, check=False)
    assert check.returncode == 0, check.stderr
    assert int(check.stdout) == 0


def test_nothing_is_written_when_bytecode_is_not_to_be(tmp_path):
    cache = tmp_path / "kept.marshal"
    _python("dataclass_code.install()\n" + WORKER + "dataclass_code.save()\n", cache,
            write=False)
    assert not cache.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_place_it_cannot_write_to_is_no_error(tmp_path):
    """(A folder that is a file: root may write in any folder.)"""
    blocker = tmp_path / "__pycache__"
    blocker.write_text("not a folder")
    _python("dataclass_code.install()\n" + WORKER + "dataclass_code.save()\n",
            blocker / "kept.marshal")
    assert [p.name for p in tmp_path.iterdir()] == ["__pycache__"]
    assert blocker.read_text() == "not a folder"


def test_saving_keeps_what_another_process_wrote_meanwhile(tmp_path, monkeypatch):
    cache = tmp_path / "kept.marshal"
    theirs = "def __create_fn__():\n def theirs(self):\n  return 1\n return theirs"
    cache.write_bytes(MAGIC_NUMBER + marshal.dumps({theirs: compile(theirs, "<string>",
                                                                    "exec")}))
    monkeypatch.setattr(dataclass_code, "CACHE", cache)
    monkeypatch.setattr(dataclass_code, "_new", {})
    monkeypatch.setattr(dataclass_code, "_code", {})
    monkeypatch.setattr(dataclass_code, "_used", set())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    ours = "def __create_fn__():\n def ours(self):\n  return 2\n return ours"
    namespace: dict[str, object] = {}
    dataclass_code._exec(ours, {}, namespace)
    dataclass_code.save()
    kept = dataclass_code._read(cache)
    assert set(kept) == {theirs, ours}
    assert [p.name for p in tmp_path.iterdir()] == ["kept.marshal"]  # no temporary left
    assert dataclass_code.compiled_here() == 0


@pytest.mark.parametrize("content", [
    b"",
    b"garbage",
    b"\x00\x00\x0d\x0a" + marshal.dumps({"a": 1}),  # another interpreter's magic
    MAGIC_NUMBER + b"\xff\xfe truncated",
    MAGIC_NUMBER + marshal.dumps([1, 2, 3]),  # not a table
    MAGIC_NUMBER + marshal.dumps({"text": "not code", 3: compile("1", "<s>", "eval")}),
])
def test_a_damaged_or_foreign_cache_is_as_good_as_none(tmp_path, content):
    cache = tmp_path / "kept.marshal"
    cache.write_bytes(content)
    assert dataclass_code._read(cache) == {}
    # and the classes are made as ever
    assert int(_python("dataclass_code.install()\n" + WORKER
                       + "print(dataclass_code.compiled_here())\n", cache).stdout) > 150


def test_a_huge_file_in_its_place_is_not_read(tmp_path):
    cache = tmp_path / "kept.marshal"
    text = "def __create_fn__():\n def f(self):\n  return 1\n return f"
    table = marshal.dumps({text: compile(text, "<string>", "exec")})
    with cache.open("wb") as file:  # a good table, then a sparse tail (marshal ignores it)
        file.write(MAGIC_NUMBER + table)
        file.truncate(dataclass_code.MAX_BYTES + 1)
    assert dataclass_code._read(cache) == {}
    with cache.open("r+b") as file:
        file.truncate(len(MAGIC_NUMBER + table) + 100)
    assert list(dataclass_code._read(cache)) == [text]  # the same file, ours in size


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_folder_in_its_place_does_not_hang_the_start(tmp_path):
    fifo = tmp_path / "fifo.marshal"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.marshal"
    folder.mkdir()
    for place in (fifo, folder):
        # a whole Python under the time limit: a blocking open would be killed there
        assert int(_python("dataclass_code.install()\n" + WORKER
                           + "print(dataclass_code.compiled_here())\n"
                           "dataclass_code.save()\n", place).stdout) > 150
    assert fifo.is_fifo()
    assert folder.is_dir()


def test_an_interpreter_that_keeps_no_bytecode_is_left_as_it_is(monkeypatch):
    """No ``sys.implementation.cache_tag``: no place to keep the code, dataclasses keep
    their own exec."""
    import dataclasses

    monkeypatch.delitem(vars(dataclasses), "exec", raising=False)  # the door installs it
    monkeypatch.setattr(dataclass_code, "CACHE", None)
    monkeypatch.setattr(dataclass_code, "_new", {"text": compile("1", "<s>", "exec")})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    dataclass_code.install()
    assert "exec" not in vars(dataclasses)
    dataclass_code.save()  # nothing to write to, and no error
    assert dataclass_code.compiled_here() == 1


def test_the_buttons_python_finds_its_classes_compiled_after_excel_install(tmp_path):
    """xlwings starts the button's Python with -B: it writes nothing, and reads what
    ``excel install`` (here into a folder, as on a machine without Excel) kept."""
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, "-m", "workbook_tools", "excel", "install",
                           "--folder", str(tmp_path)], capture_output=True, text=True,
                          env=env, timeout=CHILD_SECONDS, preexec_fn=_limits, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    probe = ("import sys\n"
             "import workbook_tools.excel\n"
             "from workbook_tools import dataclass_code\n"
             "print(dataclass_code.compiled_here(), sys.dont_write_bytecode)\n")
    button = subprocess.run([sys.executable, "-B", "-c", probe], capture_output=True,
                            text=True, env=env, timeout=CHILD_SECONDS, preexec_fn=_limits,
                            check=False)
    assert button.returncode == 0, button.stderr
    assert button.stdout.split() == ["0", "True"]
