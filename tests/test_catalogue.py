"""The rule catalogue: every code has both languages, and every code is raised somewhere."""

import re
import string
from pathlib import Path

from workbook_tools.rules import RULES

PACKAGE = Path(__file__).parent.parent / "workbook_tools"


def test_codes_are_well_formed_and_documented():
    for code, rule in RULES.items():
        assert re.fullmatch(r"[A-Z]\d{3}", code)
        assert rule.doc and rule.doc_en and rule.message and rule.message_en
        fields = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
        fields_en = {f for _, f, _, _ in string.Formatter().parse(rule.message_en) if f}
        assert fields == fields_en, code


def test_every_code_is_raised_by_the_code():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
                       if p.name != "rules.py")
    unused = [code for code in RULES if f'"{code}"' not in source]
    assert unused == []


def test_every_code_the_package_uses_is_in_the_catalogue():
    """The other way round: a mistyped code would otherwise fail only when rendered."""
    import ast

    used = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "rules.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"[A-Z]\d{3}", node.value):
                used.setdefault(node.value, f"{path.name}:{node.lineno}")
    assert used, "the scan found no codes at all"
    assert {code: where for code, where in used.items() if code not in RULES} == {}


def test_a_params_name_the_message_does_not_use_is_caught_at_render():
    """Messages are rendered with str.format: a parameter the template names but the
    issue lacks raises, so every code is rendered once with its own fields."""
    from workbook_tools.issues import Issue

    for code, rule in RULES.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(rule.message) if f}
        issue = Issue(code, "plik.xlsx", params=dict.fromkeys(fields, "x"))
        assert issue.message("pl") and issue.message("en")
