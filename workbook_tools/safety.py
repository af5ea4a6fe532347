"""Before a workbook is written: is it open in Excel, and would openpyxl lose part of it?

openpyxl rewrites a workbook from what it understood. Cells, styles, formulas, merged
cells, data validation, defined names, comments and VBA (``keep_vba``) survive; charts,
pictures, shapes, form controls, pivot tables, slicers and threaded comments do not. These
are the project's records: a file holding such parts is refused, naming what would be
lost, unless the user forces it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .read import open_zip
from .rules import Bilingual


class WriteRefused(Exception):
    """A workbook that is not written; the message says why, in Polish and English."""

    def __init__(self, reason: Bilingual) -> None:
        super().__init__(reason.en)
        self.reason = reason


def lock_file(path: Path) -> Path | None:
    """The lock file Excel (``~$NAME``) or LibreOffice (``.~lock.NAME#``) keeps beside a
    workbook it has open, if there is one."""
    name = path.name
    for candidate in (f"~${name}", f"~${name[2:]}", f".~lock.{name}#"):
        lock = path.with_name(candidate)
        if lock.exists():
            return lock
    return None


@dataclass(frozen=True)
class _Part:
    pattern: re.Pattern[str]
    what: Bilingual


_PARTS = (
    _Part(re.compile(r"xl/charts/chart"), Bilingual("wykresy", "charts")),
    _Part(re.compile(r"xl/media/"), Bilingual("obrazy", "pictures")),
    _Part(re.compile(r"xl/(ctrlProps|activeX)/"),
          Bilingual("formanty (przyciski, pola wyboru)", "form controls (buttons, checkboxes)")),
    _Part(re.compile(r"xl/(pivotTables|pivotCache)/"),
          Bilingual("tabele przestawne", "pivot tables")),
    _Part(re.compile(r"xl/externalLinks/"),
          Bilingual("łącza do innych skoroszytów", "links to other workbooks")),
    _Part(re.compile(r"xl/(slicers|slicerCaches|timelines|timelineCaches)/"),
          Bilingual("fragmentatory", "slicers")),
    _Part(re.compile(r"xl/threadedComments/"),
          Bilingual("komentarze wątkowe", "threaded comments")),
)
#: Drawing parts are read to look for shapes; a part this large is not a drawing we read.
MAX_DRAWING = 8 << 20


def dropped_parts(path: Path) -> list[Bilingual]:
    """What openpyxl would drop from this workbook (empty for a plain one)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    found: list[Bilingual] = []
    try:
        archive = open_zip(path)
    except (OSError, zipfile.BadZipFile):
        with path.open("rb") as handle:
            if handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
                raise WriteRefused(Bilingual(
                    "plik jest chroniony hasłem (zaszyfrowany) — zapisz go w Excelu bez "
                    "hasła", "the file is password-protected (encrypted); save it without "
                    "a password")) from None
        raise WriteRefused(Bilingual(
            "plik jest uszkodzony albo to nie jest skoroszyt .xlsx/.xlsm",
            "the file is damaged or not an .xlsx/.xlsm workbook")) from None
    if any(info.flag_bits & 0x1 for info in archive.infolist()):
        archive.close()
        raise WriteRefused(Bilingual("plik jest zaszyfrowany (hasło) — zapisz go bez hasła",
                                     "the file is encrypted (password); save it without"))
    with archive:
        names = archive.namelist()
        for part in _PARTS:
            if any(part.pattern.match(name) for name in names) and part.what not in found:
                found.append(part.what)
        shapes = Bilingual("kształty i pola tekstowe", "shapes and text boxes")
        buttons = _PARTS[2].what
        for info in archive.infolist():
            name = info.filename
            if info.file_size > MAX_DRAWING:
                continue
            if re.match(r"xl/drawings/drawing\d+\.xml$", name):
                if re.search(rb"<(xdr:)?sp[ >]", archive.read(name)) and shapes not in found:
                    found.append(shapes)
            elif re.match(r"xl/drawings/vmlDrawing\d+\.vml$", name):
                controls = re.search(rb'ObjectType="(Button|Checkbox|Drop|Radio|List)"',
                                     archive.read(name))
                if controls and buttons not in found:
                    found.append(buttons)
    return found


def lock_owner(lock: Path) -> str | None:
    """Who holds a lock file, as Excel (a length byte, then the user name) or
    LibreOffice (``,user,host,…``) wrote it; None for an empty or unreadable one."""
    try:
        data = lock.read_bytes()[:512]
    except OSError:
        return None
    if not data.strip(b"\x00 "):
        return None
    if lock.name.startswith(".~lock."):
        parts = data.decode("utf-8", "replace").split(",")
        return parts[1].strip() or None if len(parts) > 1 else None
    size = data[0]
    name = data[1:1 + size].decode("cp1250", "replace").strip()
    return "".join(ch for ch in name if ch.isprintable()) or None


def check_writable(path: Path, force: bool) -> None:
    """Refuse a workbook open in Excel, or one whose parts openpyxl would lose.

    A lock file that names nobody (0 bytes: left by a crash or a copy) does not stop
    ``--force``; one naming a user always does."""
    lock = lock_file(path)
    if lock is not None:
        owner = lock_owner(lock)
        if owner is None and force:
            pass
        else:
            who = f" (otworzył go: {owner})" if owner else ""
            who_en = f" (opened by: {owner})" if owner else ""
            raise WriteRefused(Bilingual(
                f"plik jest otwarty w Excelu lub LibreOffice{who} — jest plik blokady "
                f"{lock.name}; zamknij go i spróbuj ponownie. Jeśli nikt go nie ma "
                f"otwartego (np. po awarii Excela), usuń plik {lock.name} z folderu"
                + ("" if owner else " albo użyj --force (plik blokady jest pusty)"),
                f"the file is open in Excel or LibreOffice{who_en}: lock file {lock.name}; "
                f"close it and try again. If nobody has it open (e.g. after Excel crashed), "
                f"delete {lock.name}" + ("" if owner else " or use --force (the lock is "
                                                          "empty)")))
    if force:
        return
    lost = dropped_parts(path)
    if lost:
        raise WriteRefused(Bilingual(
            "skoroszyt zawiera elementy, które zostałyby utracone przy zapisie: "
            + ", ".join(p.pl for p in lost) + " — użyj --force, aby zapisać mimo to "
            "(do nowego pliku; oryginał zostaje bez zmian)",
            "the workbook holds parts that would be lost on saving: "
            + ", ".join(p.en for p in lost) + "; use --force to write anyway"))
