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
    with zipfile.ZipFile(path) as archive:
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


def check_writable(path: Path, force: bool) -> None:
    """Refuse a workbook open in Excel, or one whose parts openpyxl would lose."""
    lock = lock_file(path)
    if lock is not None:
        raise WriteRefused(Bilingual(
            f"plik jest otwarty w Excelu lub LibreOffice (jest plik blokady {lock.name}); "
            "zamknij go i spróbuj ponownie",
            f"the file is open in Excel or LibreOffice (lock file {lock.name}); close it and "
            "try again"))
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
