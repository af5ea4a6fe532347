"""Polish letters written in one encoding and read in another: "ImiÄ™" for "Imię".

A CSV exported in UTF-8 (SL2014, SM EFS, most web forms) and opened by a double click
in Excel on a Polish Windows is read as Windows-1250; a Windows-1250 file opened on a
Western setting is read as Windows-1252. Every letter outside ASCII becomes two (or
another one), the headers no longer name their columns, and the sheet looks like no
project sheet at all (S002) or lacks a column it has (S003) — the user is sent to
projekt.toml when the cure is to open the file again with the right encoding.

A misreading is undone by encoding the text back as it was read and decoding it as it
was written (where either fails, the text was not garbled that way); the engine then
asks whether the repaired header rows would have been understood (S008; S010 where the
sheet was read without some columns). Only the header is repaired, only to say so:
the sheet is not checked from guessed text.
"""

from __future__ import annotations

import codecs
import itertools
from typing import Any

#: (written as, read as) — Python's codec names, the likely ones first: UTF-8 opened as
#: Polish or Western Windows (Excel's double click), as Latin 1 (older tools), and a
#: Polish Windows file opened as Western or as Latin 1
MISREADINGS: tuple[tuple[str, str], ...] = (
    ("utf-8", "cp1250"), ("utf-8", "cp1252"), ("utf-8", "latin-1"),
    ("cp1250", "cp1252"), ("cp1250", "latin-1"),
)
#: how the encodings are named in Excel's and LibreOffice's import dialogs
NAMES = {"utf-8": "UTF-8", "cp1250": "Windows-1250", "cp1252": "Windows-1252",
         "latin-1": "ISO-8859-1"}


def _undefined_byte(error: UnicodeError) -> tuple[bytes, int]:
    """The byte behind a character a reader put for a byte its encoding does not
    define: LibreOffice puts U+F100 + byte ("Ł" in UTF-8 is C5 81, and Windows-1250
    has no 0x81), Windows the C1 control of the same number."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    found = bytearray()
    for character in error.object[error.start:error.end]:
        code = ord(character)
        if 0xF100 <= code <= 0xF1FF:
            found.append(code - 0xF100)
        elif 0x80 <= code <= 0x9F:
            found.append(code)
        else:
            raise error
    return bytes(found), error.end


codecs.register_error("workbook-tools-undefined-byte", _undefined_byte)


def undone(text: str, written: str, read: str) -> str | None:
    """``text`` as it was written, if reading it as ``read`` is what garbled it; None
    if that cannot be (``read`` has no byte for one of its characters, or the bytes
    are not ``written`` text) or if nothing changes."""
    return _undo(text, written, read)[0]


def _undo(text: str, written: str, read: str) -> tuple[str | None, bool]:
    """:func:`undone`, and whether it took bytes ``read`` does not define."""
    for errors in ("strict", "workbook-tools-undefined-byte"):
        try:
            fixed = text.encode(read, errors).decode(written)
        except UnicodeError:
            continue
        return (fixed if fixed != text else None), errors != "strict"
    return None, False


#: a longer text is no header, and is left as it is (a sheet would otherwise make
#: every one of its head cells be copied and recoded for each misreading)
LONGEST = 200
#: misreadings tried on a sheet: the likeliest, and one more
TRIED = 2
#: texts the misreadings are ranked by (the first ones: a header's are enough)
RANKED = 500


def _garbled(value: Any) -> bool:
    return value.__class__ is str and not value.isascii() and len(value) <= LONGEST


def repaired(rows: list[list[Any]], written: str, read: str) -> list[list[Any]]:
    """The rows with every (short) text undone where it can be."""
    out = []
    for row in rows:
        new_row = []
        for value in row:
            if _garbled(value):
                value = undone(value, written, read) or value
            new_row.append(value)
        out.append(new_row)
    return out


def likely_misreadings(rows: list[list[Any]]) -> list[tuple[str, str, list[list[Any]]]]:
    """The :data:`TRIED` likeliest misreadings that change something, with the rows
    each repairs: the one that explains the most texts first (UTF-8 read as Western
    Windows reads back as Polish Windows in "ImiÄ™" too, but not in "PÅ‚eÄ‡"), then the
    one that needed the fewest undefined bytes (a Polish Windows file read as Latin 1
    shows "ś" as the control 0x9C, which Western Windows would have shown as "œ")."""
    texts = list(itertools.islice((value for row in rows for value in row if _garbled(value)),
                                  RANKED))
    ranked = []
    for order, (written, read) in enumerate(MISREADINGS):
        undone_count = failed = undefined = 0
        for text in texts:
            fixed, took_undefined = _undo(text, written, read)
            if fixed is None:
                failed += 1
            else:
                undone_count += 1
                undefined += took_undefined
        if undone_count:
            ranked.append((failed - undone_count, undefined, order))
    return [(MISREADINGS[order][0], MISREADINGS[order][1],
             repaired(rows, *MISREADINGS[order])) for *_key, order in sorted(ranked)[:TRIED]]


#: what a reader puts for bytes that are not text in the encoding it assumed
REPLACEMENT = "\ufffd"


def unreadable_text(rows: list[list[Any]]) -> tuple[int, int, str] | None:
    """(row, column, text) of the first text holding U+FFFD: letters lost for good when
    a file was read as UTF-8 but written otherwise (nothing can undo it)."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value.__class__ is str and REPLACEMENT in value:
                return r, c, value
    return None
