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
