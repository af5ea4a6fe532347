"""projekt.toml: defaults, Polish keys, clear errors naming the key."""

import datetime as dt

import pytest

from workbook_tools.settings import ProjectSettings, SettingsError, load_settings

from .conftest import run_json, write_rows


def test_defaults_without_file(tmp_path):
    settings = load_settings(tmp_path)
    assert (settings.age_min, settings.age_max, settings.start, settings.plan) == (15, 64, None,
                                                                                   {})


def test_polish_keys_and_text_dates(tmp_path):
    (tmp_path / "projekt.toml").write_text(
        'nazwa = "Wszyscy Razem"\n'
        + 'poczatek = "01.04.2009"\nkoniec = 2009-12-31\nwiek_min = 18\n'
        + '[plan_uczestnikow.forma_wsparcia]\nTUS = 16\n'
        + '[arkusze]\n"lista.xlsx:Arkusz1" = "uczestnicy"\n"stare.xls" = "pomin"\n',
        encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.name == "Wszyscy Razem"
    assert (settings.start, settings.end) == (dt.date(2009, 4, 1), dt.date(2009, 12, 31))
    assert settings.plan == {"forma_wsparcia": {"TUS": 16}}
    assert settings.kind_override("lista.xlsx", "Arkusz1") == "participants"
    assert settings.kind_override("stare.xls", "Dowolny") == "skip"
    assert settings.kind_override("lista.xlsx", "Arkusz2") is None


@pytest.mark.parametrize("text, key", [
    ("wiek_min = \"piętnaście\"\n", "klucz „wiek_min”"),
    ("nazwa_projektu = \"x\"\n", "klucz „nazwa_projektu”: nieznany klucz"),
    ("poczatek = \"32.01.2009\"\n", "klucz „poczatek”"),
    ("poczatek = 2009-12-31\nkoniec = 2009-01-01\n", "poczatek > koniec"),
    ("[plan_uczestnikow.plec]\nK = 3\n", "plan_uczestnikow.plec"),
    ("[arkusze]\n\"a.xlsx\" = \"faktury\"\n", "nieznany rodzaj „faktury”"),
    ("nazwa = \n", "błąd składni w wierszu 1"),
])
def test_wrong_setting_names_the_key(tmp_path, text, key):
    (tmp_path / "projekt.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as error:
        load_settings(tmp_path)
    assert key in str(error.value)
    assert "projekt.toml" in str(error.value)


def test_wrong_settings_stop_the_project_with_exit_2(tmp_path):
    (tmp_path / "projekt.toml").write_text("wiek_max = -1\n", encoding="utf-8")
    write_rows(tmp_path / "lista.xlsx", [["Imię", "Nazwisko", "PESEL"]])
    code, document = run_json(tmp_path)
    assert code == 2
    [issue] = document["issues"]
    assert issue["code"] == "F004"
    assert "wiek_max" in issue["message"]


def test_sheet_kind_override(tmp_path):
    (tmp_path / "projekt.toml").write_text('[arkusze]\n"lista.xlsx:Dane" = "uczestnicy"\n',
                                           encoding="utf-8")
    # only two known headers: not enough to guess, enough when the kind is given
    write_rows(tmp_path / "lista.xlsx", [["Nazwisko i imię", "PESEL"], ["Nowak Anna", "1"]],
               sheet="Dane")
    code, document = run_json(tmp_path)
    assert [i["code"] for i in document["issues"]] == ["P001"]
    (tmp_path / "projekt.toml").write_text('[arkusze]\n"lista.xlsx" = "pomin"\n',
                                           encoding="utf-8")
    code, document = run_json(tmp_path)
    assert (code, document["issues"]) == (0, [])


def test_override_that_does_not_fit(tmp_path):
    (tmp_path / "projekt.toml").write_text('[arkusze]\n"lista.xlsx" = "uczestnicy"\n',
                                           encoding="utf-8")
    write_rows(tmp_path / "lista.xlsx", [["Data", "Kwota"], ["01.01.2009", 5]])
    _, document = run_json(tmp_path)
    assert [i["code"] for i in document["issues"]] == ["S005"]


def test_model_is_frozen():
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        ProjectSettings().age_min = 3  # type: ignore[misc]


def test_settings_read_without_a_file_need_no_toml_parser(tmp_path):
    """tomllib is imported only to read a file: a folder without projekt.toml, and the
    process that receives a result's settings, do without it."""
    import subprocess
    import sys

    probe = ("import sys\nfrom pathlib import Path\n"
             "from workbook_tools.settings import load_settings\n"
             "load_settings(Path(sys.argv[1]))\n"
             "print('tomllib' in sys.modules)\n"
             "(Path(sys.argv[1]) / 'projekt.toml').write_text('wiek_min = 18')\n"
             "print(load_settings(Path(sys.argv[1])).age_min, 'tomllib' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["False", "18", "True"]
