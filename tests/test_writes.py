"""Commands that write never lose the user's work: kills, races, full disks, shared
folders, a user's own sheets, files we did not write."""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import python_calamine as calamine
from openpyxl import Workbook, load_workbook

from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

from .conftest import run, write_rows

HEADERS = ["Lp.", "Imię", "Nazwisko", "PESEL", "Płeć", "Data rozpoczęcia udziału"]


def participants(path: Path, count: int = 20) -> Path:
    rows = [HEADERS]
    for n in range(1, count + 1):
        born = dt.date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
        rows.append([n, "Anna", f"Nowak{n}", make_pesel(born, Sex.FEMALE, n), "K",
                     "01.03.2009"])
    return write_rows(path, rows)


def readable(path: Path) -> bool:
    try:
        calamine.CalamineWorkbook.from_path(str(path)).close()
        return True
    except Exception:
        return False


def test_backups_are_numbered_and_never_overwritten(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    original = path.read_bytes()
    assert run("fill", "--in-place", path).exit_code == 0
    first = path.read_bytes()
    assert run("fill", "--in-place", path).exit_code == 0
    backups = sorted(p.name for p in tmp_path.glob("*kopia-zapasowa*"))
    assert backups == ["lista.kopia-zapasowa-2.xlsx", "lista.kopia-zapasowa.xlsx"]
    assert (tmp_path / "lista.kopia-zapasowa.xlsx").read_bytes() == original
    assert (tmp_path / "lista.kopia-zapasowa-2.xlsx").read_bytes() == first


def test_written_files_keep_the_permissions_of_the_shared_folder(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    os.chmod(path, 0o664)
    assert run("fill", "--in-place", path).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    old = os.umask(0o002)
    try:
        assert run("fill", path, "-o", tmp_path / "nowy.xlsx").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "nowy.xlsx").stat().st_mode) == 0o664


def test_a_users_own_sheet_named_like_ours_survives_fill_and_clear(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    book = load_workbook(path)
    audit = book.create_sheet("Wyniki kontroli")
    audit.append(["Ustalenia kontroli IZ z 12.05.2010"])
    book.save(path)
    marked = run("fill", "--annotate", "--in-place", path)
    assert marked.exit_code == 0, marked.output
    names = load_workbook(path).sheetnames
    assert "Wyniki kontroli" in names and "Wyniki kontroli (2)" in names
    assert run("clear", "--in-place", path).exit_code == 0
    book = load_workbook(path)
    assert book.sheetnames == ["Lista", "Wyniki kontroli"]
    assert book["Wyniki kontroli"]["A1"].value == "Ustalenia kontroli IZ z 12.05.2010"


def test_clear_never_rewrites_what_it_did_not_mark(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    assert run("fill", path).exit_code == 0
    output = tmp_path / "lista.uzupelniony.xlsx"
    filled = output.read_bytes()
    for target in (tmp_path, path, output):
        result = run("clear", target)
        assert result.exit_code == 0 and "nic nie zapisano" in result.output
    assert output.read_bytes() == filled


def test_clear_reads_a_record_the_excel_button_wrote(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    book = load_workbook(path)
    book["Lista"]["D3"].fill = __import__("openpyxl").styles.PatternFill(
        "solid", fgColor="FFFFC7CE")
    record = book.create_sheet("_workbook_tools")
    record.sheet_state = "hidden"
    for row in (["arkusz", "komórka", "poprzedni kolor", "notatka"],
                ["Lista", "D3", "#00b0f0", "nie"]):
        record.append(row)
    report = book.create_sheet("Wyniki kontroli")
    report.append(["Lp.", "Arkusz", "Komórka", "Kod", "Waga", "Komunikat", "Wartość"])
    book.save(path)
    result = run("clear", "--in-place", path)
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["Lista"]
    assert book["Lista"]["D3"].fill.fgColor.rgb == "FF00B0F0"


def test_template_never_overwrites_a_workbook(tmp_path):
    path = participants(tmp_path / "uczestnicy.xlsx")
    before = path.read_bytes()
    assert run("template", "uczestnicy", "-o", path).exit_code == 2
    assert run("template", "--all", tmp_path).exit_code == 2
    assert path.read_bytes() == before
    wrong = run("template", "budzet", "-o", tmp_path / "budzet.ods")
    assert wrong.exit_code == 2 and ".xlsx" in wrong.output
    assert run("template", "uczestnicy", "-o", path, "--force").exit_code == 0


def test_a_changed_output_is_not_replaced_without_force(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    assert run("fill", path).exit_code == 0
    output = tmp_path / "lista.uzupelniony.xlsx"
    assert run("fill", path).exit_code == 0  # our own, unchanged: replaced
    book = load_workbook(output)
    book["Lista"]["B2"] = "Anna Maria"  # the user works in the output, saves it
    book.save(output)
    refused = run("fill", path)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert load_workbook(output)["Lista"]["B2"].value == "Anna Maria"
    assert run("fill", "--force", path).exit_code == 0


def test_interrupted_writes_leave_nothing_behind_for_validate(tmp_path):
    participants(tmp_path / "lista.xlsx")
    (tmp_path / ".~wt-999999-deadbeef.xlsx").write_bytes(b"PK\x03\x04 half")
    result = run("validate", tmp_path)
    assert result.exit_code == 0 and "wt-" not in result.output
    assert run("fill", "--in-place", tmp_path / "lista.xlsx").exit_code == 0
    assert not list(tmp_path.glob(".~wt-*"))  # swept: its process is gone


def test_bad_paths_are_messages_not_tracebacks(tmp_path):
    text = tmp_path / "tekst.xlsx"
    text.write_text("Imię;Nazwisko\nAnna;Nowak\n", encoding="utf-8")
    folder_named = tmp_path / "katalog.xlsx"
    folder_named.mkdir()
    good = participants(tmp_path / "lista.xlsx")
    locked = tmp_path / "zamkniety.xlsx"
    with zipfile.ZipFile(locked, "w") as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.getinfo("[Content_Types].xml").flag_bits |= 0x1
    styles = participants(tmp_path / "style.xlsx")
    with zipfile.ZipFile(styles) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b"<fonts", b"<fonts <")
    with zipfile.ZipFile(styles, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    cases = [
        ("fill", tmp_path / "nie-ma.xlsx"), ("clear", tmp_path / "nie-ma.xlsx"),
        ("fill", text), ("clear", text), ("fill", styles),
        ("fill", good, "-o", tmp_path / "brak" / "x.xlsx"), ("fill", good, "-o", folder_named),
        ("validate", "--report", tmp_path / "brak" / "r.xlsx", good),
    ]
    for args in cases:
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and "Error:" not in result.output, args
    readonly = tmp_path / "tylko-odczyt"
    readonly.mkdir()
    inside = participants(readonly / "lista.xlsx")
    os.chmod(readonly, 0o555)
    try:
        if os.geteuid() != 0:  # root writes anywhere
            for args in (("fill", inside), ("fill", "--in-place", inside)):
                result = run(*args)
                assert result.exit_code == 2 and "uprawnień" in result.output
    finally:
        os.chmod(readonly, 0o755)


def test_settings_one_level_up_apply_to_every_door(tmp_path):
    (tmp_path / "projekt.toml").write_text("wiek_max = 30\n", encoding="utf-8")
    sub = tmp_path / "listy"
    sub.mkdir()
    path = participants(sub / "lista.xlsx")
    codes = {line.split()[1] for line in run("validate", sub).output.splitlines()
             if " P00" in line}
    by_file = run("validate", path).output
    assert codes and all(code in by_file for code in codes)
    filled = run("fill", "--annotate", path)
    assert filled.exit_code == 0
    book = load_workbook(sub / "lista.uzupelniony.xlsx")
    report = [row for row in book.worksheets[-1].iter_rows(values_only=True)]
    assert {row[3] for row in report[1:]} >= codes


def _slow_workbook(path: Path) -> Path:
    return participants(path, 3000)


def test_kill_at_random_moments_never_loses_the_workbook(tmp_path):
    path = _slow_workbook(tmp_path / "lista.xlsx")
    versions = {path.read_bytes()}
    rng = random.Random(7)
    for _attempt in range(8):
        process = subprocess.Popen(
            [sys.executable, "-m", "workbook_tools", "fill", "--in-place", str(path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.2, 2.5))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        current = path.read_bytes()
        assert readable(path)
        versions.add(current)
        for backup in tmp_path.glob("lista.kopia-zapasowa*"):
            assert readable(backup), backup.name
    final = run("fill", "--in-place", path)
    assert final.exit_code == 0, final.output
    assert not list(tmp_path.glob(".~wt-*"))


def test_two_writers_one_wins_nothing_is_lost(tmp_path):
    path = _slow_workbook(tmp_path / "lista.xlsx")
    original = path.read_bytes()
    argv = [sys.executable, "-m", "workbook_tools", "fill", "--in-place", str(path)]
    first = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    second = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    outputs = [p.communicate(timeout=120)[0] for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    assert codes in ([0, 0], [0, 2]), outputs
    if codes == [0, 2]:
        assert any("inny proces" in o or "zmienił się" in o for o in outputs), outputs
    assert readable(path)
    backups = [p.read_bytes() for p in tmp_path.glob("lista.kopia-zapasowa*")]
    assert original in backups


def test_a_file_size_limit_leaves_the_original_intact(tmp_path):
    path = participants(tmp_path / "lista.xlsx", 400)
    original = path.read_bytes()

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(original) // 2, len(original) // 2))

    result = subprocess.run([sys.executable, "-m", "workbook_tools", "fill", "--in-place",
                             str(path)], capture_output=True, text=True, timeout=120,
                            preexec_fn=small_files, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "rozmiar" in result.stdout
    assert path.read_bytes() == original
    assert not list(tmp_path.glob(".~wt-*"))


def test_an_empty_lock_file_gives_way_to_force_a_named_one_never(tmp_path):
    path = participants(tmp_path / "lista.xlsx")
    lock = tmp_path / "~$lista.xlsx"
    lock.write_bytes(b"")
    refused = run("fill", path)
    assert refused.exit_code == 2 and "usuń plik ~$lista.xlsx" in refused.output
    assert run("fill", "--force", path).exit_code == 0
    lock.write_bytes(bytes([5]) + b"Maria" + b" " * 48)
    named = run("fill", "--force", path)
    assert named.exit_code == 2 and "Maria" in named.output


def test_hypothesis_free_roundtrip_of_styles_through_fill_and_clear(tmp_path):
    """fill --annotate then clear: every user cell, style and comment as before (the
    property test in test_fill.py covers random workbooks; here a comment of the user's)."""
    from openpyxl.comments import Comment

    path = participants(tmp_path / "lista.xlsx")
    book = load_workbook(path)
    book["Lista"]["D3"].comment = Comment("sprawdzić w USC", "Maria")
    book["Lista"]["D3"].value = "8004020123"  # a PESEL the check will mark
    book.save(path)
    assert run("fill", "--annotate", "--in-place", path).exit_code == 0
    assert "[P001]" in load_workbook(path)["Lista"]["D3"].comment.text
    assert run("clear", "--in-place", path).exit_code == 0
    comment = load_workbook(path)["Lista"]["D3"].comment
    assert (comment.text, comment.author) == ("sprawdzić w USC", "Maria")


def test_workbook_written_is_ours_only_while_unchanged(tmp_path):
    from workbook_tools.writes import written_by_us

    path = participants(tmp_path / "lista.xlsx")
    assert not written_by_us(path)
    assert run("fill", path).exit_code == 0
    output = tmp_path / "lista.uzupelniony.xlsx"
    assert written_by_us(output)
    Workbook().save(output)
    assert not written_by_us(output)


def test_a_workbook_we_make_is_refused_in_words_when_its_folder_cannot_take_it(tmp_path):
    """XlsxWriter wraps the system's refusal in its own FileCreateError: the report and
    the claim workbook once ended in that traceback; now the user's message, exit 2."""
    import errno

    import pytest
    from xlsxwriter.exceptions import FileCreateError

    from workbook_tools.safety import WriteRefused
    from workbook_tools.writes import save_written

    def refused(path, stamp):
        raise FileCreateError(PermissionError(errno.EACCES, "Permission denied", str(path)))

    with pytest.raises(WriteRefused) as raised:
        save_written(refused, tmp_path / "raport.xlsx")
    assert "brak uprawnień do zapisu" in raised.value.reason.pl
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind
    blocker = tmp_path / "plik"
    blocker.write_text("to nie folder")
    example = Path(__file__).parent.parent / "workbooks" / "przyklad"
    result = run("zestawienie", example, "--xlsx", blocker / "z.xlsx")
    assert result.exit_code == 2 and "Błąd: błąd zapisu" in result.output
    assert "Traceback" not in result.output
