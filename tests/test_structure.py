"""The package's layers, checked from its own imports: each concern stays in its module,
and a new kind declares everything the doors need."""

from __future__ import annotations

import ast
from pathlib import Path

from workbook_tools.kinds import KINDS
from workbook_tools.templates import TEMPLATES

PACKAGE = Path(__file__).parent.parent / "workbook_tools"
#: What the checking engine is made of: none of it may reach up into the doors, the
#: outputs or the engine itself, nor into the synthetic data.
BELOW_ENGINE = ["checks", "days_off", "explain", "issues", "limits", "marks", "names", "pesel",
                "polish", "programmes", "project", "rawsheet", "read", "record", "rules",
                "schema", "settings", "summary", "table", "unreadable", "values",
                *(f"kinds.{p.stem}" for p in (PACKAGE / "kinds").glob("*.py"))]
ABOVE = {"engine", "batch", "cli", "output", "report", "fill", "excel", "annotate", "contain",
         "writes", "sample", "selftest", "excel_setup", "addin", "vba", "templates",
         "claim", "claim_output", "spare", "launch"}


def _imports(module: str) -> set[str]:
    """The package modules a module imports (at any depth, lazily or not)."""
    path = PACKAGE / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE / module.replace(".", "/") / "__init__.py"
    package = module.rsplit(".", 1)[0] if "." in module else ""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".") if package else []
            base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names = [a.name for a in node.names]
            found.add(target) if target else found.update(names)
            if not node.module:
                found.update(names)
    return {name for name in found if name}


def test_no_module_below_the_engine_imports_a_layer_above_it():
    wrong = {module: sorted(_imports(module) & ABOVE) for module in BELOW_ENGINE}
    assert {m: above for m, above in wrong.items() if above} == {}


def test_the_tool_names_module_imports_nothing():
    tree = ast.parse((PACKAGE / "names.py").read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert [ast.unparse(n) for n in imports] == ["from __future__ import annotations"]


def test_every_kind_declares_what_the_doors_need():
    """A new kind must be nameable in projekt.toml, recognisable by its sheet's name,
    have a template and appear in the README: forgetting one fails here."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    template_kinds = {sheet.kind for spec in TEMPLATES.values() for sheet in spec.sheets}
    for kind in KINDS.values():
        assert kind.names and kind.names[0].isascii(), kind.name
        assert kind.words and kind.label and kind.label_en, kind.name
        assert kind.name in template_kinds, f"{kind.name}: no template"
        assert kind.names[0] in readme, f"{kind.name}: not in the README's [arkusze] list"


def test_validate_json_and_help_import_no_rich_openpyxl_or_xlwings(tmp_path):
    """A script's ``validate --format json`` and every ``--help`` (and an Excel button's
    Python start, which pays the same imports) load only what they use."""
    import subprocess
    import sys

    example = PACKAGE.parent / "workbooks" / "przyklad"
    # said at exit: validate leaves through os._exit, with the exit handlers run
    probe = (
        "import atexit, sys\n"
        "from workbook_tools.cli import main\n"
        "sys.argv = ['workbook-tools', *sys.argv[1:]]\n"
        "heavy = ('rich', 'openpyxl', 'xlwings', 'xlsxwriter', 'holidays')\n"
        "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}\n"
        "                                     & set(heavy)), file=sys.stderr))\n"
        "main()\n")
    for args in (["validate", "--format", "json", str(example)], ["--help"],
                 ["validate", "--help"], ["validate", "-q", str(example)]):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                              text=True, cwd=tmp_path, check=False)
        assert done.stderr.strip().splitlines()[-1] == "[]", (args, done.stderr)


def test_validate_forks_its_worker_before_importing_the_engine(tmp_path):
    """The worker is started before pydantic, the settings, the kinds and the issues
    are imported: it reads the first workbook ahead while both processes import them
    (a run of one list waits for the longer of the two, not for both)."""
    import subprocess
    import sys

    example = PACKAGE.parent / "workbooks" / "przyklad"
    probe = (
        "import sys\n"
        "from workbook_tools import contain\n"
        "heavy = ('pydantic', 'workbook_tools.engine', 'workbook_tools.kinds', "
        "'workbook_tools.settings', 'workbook_tools.issues')\n"
        "seen = []\n"
        "start = contain._Pool._start\n"
        "def spy(self):\n"
        "    seen.append(sorted(m for m in heavy if m in sys.modules))\n"
        "    return start(self)\n"
        "contain._Pool._start = spy\n"
        "from workbook_tools.cli import main\n"
        "sys.argv = ['workbook-tools', 'validate', '-q', sys.argv[1]]\n"
        "import atexit\n"
        "atexit.register(lambda: print(seen, 'workbook_tools.engine' in sys.modules,\n"
        "                              'pydantic' in sys.modules, file=sys.stderr))\n"
        "main()\n")
    done = subprocess.run([sys.executable, "-c", probe, str(example)], capture_output=True,
                          text=True, cwd=tmp_path, check=False)
    # the parent never needs pydantic (the worker validated projekt.toml, and the
    # settings it sends back are plain dataclasses), nor the engine: what it receives
    # is made of workbook_tools.results' classes
    assert done.stderr.strip().splitlines()[-1] == "[[]] False False", done.stderr


def test_settings_without_a_file_need_no_pydantic(tmp_path):
    """A folder without projekt.toml gets the defaults without importing pydantic (0.1 s
    of every such run); a file is validated by it."""
    import subprocess
    import sys

    probe = ("import sys\nfrom pathlib import Path\n"
             "from workbook_tools.settings import load_settings\n"
             "defaults = load_settings(Path(sys.argv[1]))\n"
             "print('pydantic' in sys.modules, defaults.age_min)\n"
             "(Path(sys.argv[1]) / 'projekt.toml').write_text('wiek_min = 18')\n"
             "read = load_settings(Path(sys.argv[1]))\n"
             "print('pydantic' in sys.modules, read.age_min)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["False", "15", "True", "18"]


def test_an_excel_button_loads_no_openpyxl_rich_or_xlsxwriter():
    """Every click starts a new Python: the door imports what a check needs, no more
    ("Uzupełnij" loads openpyxl's helpers when clicked)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import sys, workbook_tools.excel; print("
                           "sorted({m.split('.')[0] for m in sys.modules} & {'openpyxl', "
                           "'rich', 'xlsxwriter', 'holidays'}))"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_buttons_worker_reads_without_the_engine(tmp_path):
    """On Windows the worker that reads the other workbooks of a button's project is a
    new Python (spawn): its job imports the reader and what a failed read becomes, not
    the engine, the kinds or pydantic."""
    import subprocess
    import sys

    example = PACKAGE.parent / "workbooks" / "przyklad"
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbook_tools.batch import read_job\n"
        "found = read_job([Path(sys.argv[1]), Path(sys.argv[2])], failed={},\n"
        "                 on_file=lambda path: None)\n"
        "heavy = ('workbook_tools.engine', 'workbook_tools.kinds', 'pydantic', 'openpyxl')\n"
        "print([type(v).__name__ for v in found.values()],\n"
        "      sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(example / "uczestnicy.xlsx"),
                           str(tmp_path / "brak.xlsx")], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.stderr.strip().splitlines()[-1] == "['list', 'Issue'] []", done.stderr


def test_validate_ends_without_the_interpreters_teardown(tmp_path):
    """``validate`` leaves through ``os._exit`` once its output is flushed (the teardown
    freed a checked project's objects for 15 ms of a 0.3 s run): the exit handlers
    still run, every line of the output is there, the exit code is kept; objects
    are not finalised one by one. Another command ends the usual way."""
    import json
    import subprocess
    import sys

    example = PACKAGE.parent / "workbooks" / "przyklad"
    probe = (
        "import atexit, sys\n"
        "class Finalised:\n"
        "    def __del__(self):\n"
        "        sys.__stderr__.write('teardown\\n')\n"
        "kept = Finalised()\n"
        "atexit.register(lambda: sys.stderr.write('atexit\\n'))\n"
        "from workbook_tools.cli import main\n"
        "sys.argv = ['workbook-tools', *sys.argv[1:]]\n"
        "main()\n")
    done = subprocess.run([sys.executable, "-c", probe, "validate", "--format", "json",
                           str(example)], capture_output=True, text=True, cwd=tmp_path,
                          check=False)
    assert done.returncode == 1, done.stderr
    assert done.stderr.split() == ["atexit"], done.stderr
    report = json.loads(done.stdout)
    assert len(report["files"]) == 4 and report["issues"], done.stdout[:300]
    other = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True,
                           text=True, cwd=tmp_path, check=False)
    assert other.returncode == 0 and other.stderr.split() == ["atexit", "teardown"], \
        other.stderr


def test_the_reader_starts_without_dataclasses_or_the_engine():
    """A spare worker imports the reader and starts reading at once: the dataclasses
    module (with inspect, 8-11 ms) and the engine come later, while it reads."""
    import subprocess
    import sys

    probe = ("import sys\nimport workbook_tools.read\n"
             "print(sorted(m for m in ('dataclasses', 'inspect', 'workbook_tools.engine',\n"
             "             'workbook_tools.project', 'click') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_kinds_records_carry_their_types_not_strings():
    """The kinds' modules evaluate their annotations as they are imported (no
    ``from __future__ import annotations`` there): kept as strings, every worker
    compiled each record field's type again as it started (schema.fields_of)."""
    for kind in KINDS.values():
        for cls in kind.model.__mro__:
            for name, annotation in vars(cls).get("__annotations__", {}).items():
                assert not isinstance(annotation, str), (kind.name, cls.__name__, name)


def test_records_and_working_state_compare_by_identity():
    """A row is not equal to another row with the same values, a kind or a rule is one
    object: such classes get neither ``__eq__`` nor ``__repr__`` from ``@dataclass``.
    Each method a data class generates is compiled from source at every start of a
    process (3.11 keeps no bytecode of them): making its 61 data classes is about half
    of a worker's imports, and leaving these out cut them from 61 to 55 ms of CPU."""
    import dataclasses

    from workbook_tools import checks, programmes, rawsheet, rules, schema, settings, table
    from workbook_tools.kinds import attendance, payments, psu

    by_identity = [kind.model for kind in KINDS.values()] + [
        checks.ProjectData, checks.SheetContext, checks.SheetData, table.Header,
        table.Table, table.Mapping, schema.Kind, schema.Column, schema.FieldSpec,
        schema.Computed, rules.Rule, programmes.Programme, settings.ProjectSettings,
        rawsheet.RawSheet, payments.Ledger, attendance.Progress, psu.Totals]
    for cls in by_identity:
        assert dataclasses.is_dataclass(cls)
        assert cls.__eq__ is object.__eq__, cls
