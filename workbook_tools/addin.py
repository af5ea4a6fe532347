"""Built Excel artifacts: the add-in with the "Projekt EFS" ribbon tab, macro-enabled
templates with buttons, and installing the add-in where Excel looks for it.

XlsxWriter writes the macro-enabled workbook (VBA project, buttons); an add-in is the
same package with another main content type, plus the ribbon definition (customUI)
related from the package root — both added here by rewriting the package's parts.
"""

from __future__ import annotations

import importlib.metadata
import io
import os
import platform
import shutil
import zipfile
from pathlib import Path

import xlsxwriter

from .names import VBA_VERSION_PROPERTY
from .templates import CREATED, TEMPLATES, write_template
from .vba import MACROS, build_vba_project, module_sources

ADDIN_NAME = "workbook-tools.xlam"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
ADDIN_MAIN = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_PART = "customUI/customUI14.xml"


def build_addin(path: Path) -> Path:
    """The .xlam: our modules and xlwings' (standalone), and the ribbon tab."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_suffix(".xlsm")
    book = xlsxwriter.Workbook(str(draft))
    book.set_properties({"title": "workbook-tools", "created": CREATED,
                         "comments": "Dodatek workbook-tools: karta „Projekt EFS”"})
    book.set_custom_property(VBA_VERSION_PROPERTY, importlib.metadata.version("xlwings"))
    book.set_vba_name("ThisWorkbook")
    book.add_vba_project(io.BytesIO(build_vba_project(module_sources(addin=True))),
                         is_stream=True)
    sheet = book.add_worksheet("workbook-tools")
    sheet.set_vba_name("Sheet1")
    sheet.write_string(0, 0, "Dodatek workbook-tools — karta wstążki „Projekt EFS”.")
    book.close()
    ribbon = (MACROS / "customUI.xml").read_bytes()
    with zipfile.ZipFile(draft) as source, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(MACRO_MAIN.encode(), ADDIN_MAIN.encode())
            elif item.filename == "_rels/.rels":
                data = data.replace(b"</Relationships>", (
                    f'<Relationship Id="rIdRibbon" Type="{RIBBON_REL}" '
                    f'Target="{RIBBON_PART}"/></Relationships>').encode())
            target.writestr(item, data)
        info = zipfile.ZipInfo(RIBBON_PART, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        target.writestr(info, ribbon)
    draft.unlink()
    return path


def build_all(folder: Path) -> list[Path]:
    """The add-in and one macro-enabled template per workbook kind."""
    written = [build_addin(folder / ADDIN_NAME)]
    for name, spec in TEMPLATES.items():
        vba = build_vba_project(module_sources(addin=False), sheets=len(spec.sheets) + 1)
        written.append(write_template(name, folder / spec.file.replace(".xlsx", ".xlsm"),
                                      vba=vba))
    return written


def addins_folder() -> Path:
    """Where Excel looks for add-ins on this system (Windows, macOS)."""
    system = platform.system()
    if system == "Windows":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) \
            / "Microsoft" / "AddIns"
    if system == "Darwin":
        return (Path.home() / "Library" / "Group Containers" / "UBF8T346G9.Office"
                / "User Content.localized" / "Add-Ins.localized")
    raise RuntimeError("Excel z dodatkami działa w Windows i macOS; tu nie ma gdzie "
                       "zainstalować dodatku")


def install(addin: Path, folder: Path | None = None) -> Path:
    target_folder = folder or addins_folder()
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / ADDIN_NAME
    shutil.copy2(addin, target)
    return target
