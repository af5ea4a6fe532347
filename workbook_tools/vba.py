"""The VBA project (``vbaProject.bin``) of our macro-enabled files, built from source.

Excel keeps VBA in an OLE compound file (MS-OVBA inside MS-CFB). It is generated here
from the ``.bas`` modules in ``macros/`` plus the VBA module of the installed xlwings
(standalone mode: no xlwings add-in needed on the user's machine) — ``xlwings.bas`` in a
workbook with its own buttons, ``xlwings_custom_addin.bas`` in the add-in — with the
``ms-ovba`` package. It writes source only, no compiled p-code: Excel compiles the
project from source when the file is first opened.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def _macros() -> Path:
    """The repository's macros/ folder is shipped inside the wheel as
    ``workbook_tools/macros`` (pyproject maps it); an editable install or a checkout reads
    it where it is."""
    here = Path(__file__).resolve().parent
    shipped = here / "macros"
    return shipped if shipped.is_dir() else here.parent / "macros"


#: Where the .bas sources and the ribbon XML live.
MACROS = _macros()
#: Document modules every Excel VBA project has, with their type-library GUIDs.
_WORKBOOK_GUID = uuid.UUID("0002081900000000C000000000000046")
_SHEET_GUID = uuid.UUID("0002082000000000C000000000000046")


#: The config name both xlwings modules read their settings under: the user config
#: ``%USERPROFILE%\\.xlwings\\xlwings.conf`` that ``excel install`` writes the interpreter
#: into. xlwings' module for custom add-ins ships with the placeholder "myaddin".
CONFIG_NAME = "xlwings"


def xlwings_module(*, addin: bool) -> str:
    """The VBA module of the installed xlwings, where RunPython lives.

    A workbook with its own buttons carries ``xlwings.bas``, which tells Python the
    workbook is ``ThisWorkbook`` — itself. The add-in carries ``xlwings_custom_addin.bas``
    instead: there ``ThisWorkbook`` would be the add-in, and that module passes
    ``ActiveWorkbook``, the workbook the user is looking at."""
    import xlwings

    folder = Path(xlwings.__file__).parent
    if not addin:
        return (folder / "xlwings.bas").read_bytes().decode("ascii")
    text = (folder / "xlwings_custom_addin.bas").read_bytes().decode("ascii")
    placeholder = 'PROJECT_NAME As String = "myaddin"'
    if placeholder not in text:
        raise RuntimeError("moduł xlwings_custom_addin.bas tej wersji xlwings nie ma "
                           "ustawienia PROJECT_NAME: dodatku nie da się zbudować")
    return text.replace(placeholder, f'PROJECT_NAME As String = "{CONFIG_NAME}"')


def module_sources(*, addin: bool) -> list[tuple[str, str]]:
    """(module name, VBA text) of our button macros, the ribbon callbacks (add-in only)
    and xlwings. All of it is ASCII by design: a VBA project stores its source in the
    code page of the Windows that saved it (1250 on a Polish one), so our captions and
    messages with Polish letters live in Python and in the ribbon XML, never in VBA."""
    names = ["WorkbookTools.bas", *(["Ribbon.bas"] if addin else [])]
    ours = [(Path(name).stem, (MACROS / name).read_bytes().decode("ascii")) for name in names]
    return [*ours, ("xlwings", xlwings_module(addin=addin))]


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    """ms-ovba writes its intermediate files into the working folder."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def build_vba_project(sources: Sequence[tuple[str, str]], sheets: int = 1) -> bytes:
    """``vbaProject.bin`` holding the given standard modules (and the document modules
    of the workbook and its ``sheets`` sheets)."""
    import ms_ovba
    import ms_ovba_compression.ms_ovba as compression
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    compression.MsOvba.compress = lambda _self, data: compress(bytes(data))  # type: ignore
    blanks = Path(str(ms_ovba.__file__)).parent / "blank_files"
    with tempfile.TemporaryDirectory() as tmp, _inside(Path(tmp)):
        project = VbaProject()
        project.project_id = "{6D7C1E2A-3B4F-4C5D-9E8F-0A1B2C3D4E5F}"
        workbook = DocModule("ThisWorkbook")
        workbook.add_file(_copy(blanks / "ThisWorkbook.cls", Path(tmp)))
        workbook.add_guid(_WORKBOOK_GUID)
        workbook.normalize_file()
        project.add_module(workbook)
        for number in range(1, sheets + 1):
            sheet = DocModule(f"Sheet{number}")
            text = (blanks / "Sheet1.cls").read_text(encoding="ascii").replace(
                "Sheet1", f"Sheet{number}")
            path = Path(tmp) / f"Sheet{number}.cls"
            path.write_text(text, encoding="ascii")
            sheet.add_file(str(path))
            sheet.add_guid(_SHEET_GUID)
            sheet.normalize_file()
            project.add_module(sheet)
        for name, text in sources:
            module = StdModule(name)
            source = Path(tmp) / f"{name}.bas"
            source.write_bytes(text.encode("ascii"))
            module.add_file(str(source))
            module.normalize_file()
            project.add_module(module)
        project.add_reference(Reference(ReferenceRegistered(LibidReference(
            uuid.UUID("0002043000000000C000000000000046"), "2.0", "0",
            "C:\\Windows\\System32\\stdole2.tlb", "OLE Automation")), "stdole"))
        project.add_reference(Reference(ReferenceRegistered(LibidReference(
            uuid.UUID("2DF8D04C5BFA101BBDE500AA0044DE52"), "2.0", "0",
            r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
            "Microsoft Office 16.0 Object Library")), "Office"))
        ProjectOleFile.write_file(project)
        return (Path(tmp) / "vbaProject.bin").read_bytes()


# --- MS-OVBA compression -------------------------------------------------------------
# ms-ovba's own compressor (ms_ovba_compression 0.0.1) corrupts any module longer than a
# few hundred bytes of varied text (its output does not decompress back: checked against
# oletools' decompressor), so the VBA source is compressed here, following MS-OVBA
# 2.4.1.3 (CompressedContainer of 4096-byte chunks, literal and copy tokens).

CHUNK = 4096


def _copy_token_help(position: int) -> tuple[int, int]:
    """(bit count of the offset, maximum length) at ``position`` within a chunk."""
    bits = max((position - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def compress(data: bytes) -> bytes:
    """An MS-OVBA CompressedContainer holding ``data``."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data[start:start + CHUNK])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    position = 0
    seen: dict[bytes, list[int]] = {}
    while position < len(chunk):
        flags = 0
        tokens = bytearray()
        for bit in range(8):
            if position >= len(chunk):
                break
            offset, length = _longest_match(chunk, position, seen)
            if length >= 3:
                bits, _maximum = _copy_token_help(position)
                token = ((offset - 1) << (16 - bits)) | (length - 3)
                tokens += token.to_bytes(2, "little")
                flags |= 1 << bit
                advance = length
            else:
                tokens.append(chunk[position])
                advance = 1
            for index in range(position, position + advance):
                seen.setdefault(chunk[index:index + 3], []).append(index)
            position += advance
        body.append(flags)
        body += tokens
    if len(body) > CHUNK:  # incompressible: a raw chunk, which holds exactly 4096 bytes
        if len(chunk) < CHUNK:
            raise ValueError("a short incompressible chunk cannot be stored (not VBA text)")
        return (0x3000 | (CHUNK - 1)).to_bytes(2, "little") + chunk
    header = 0xB000 | (len(body) + 2 - 3)
    return header.to_bytes(2, "little") + bytes(body)


def _longest_match(chunk: bytes, position: int, seen: dict[bytes, list[int]]
                   ) -> tuple[int, int]:
    """(offset, length) of the longest earlier match of the bytes at ``position``."""
    if position == 0 or position + 3 > len(chunk):
        return 0, 0
    _bits, maximum = _copy_token_help(position)
    limit = min(maximum, len(chunk) - position)
    best_offset, best_length = 0, 0
    for candidate in reversed(seen.get(chunk[position:position + 3], [])[-64:]):
        length = 3
        while length < limit and chunk[candidate + length] == chunk[position + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = position - candidate, length
            if length == limit:
                break
    return best_offset, best_length


def _copy(source: Path, folder: Path) -> str:
    target = folder / source.name
    target.write_bytes(source.read_bytes())
    return str(target)
