import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.polish import format_money
from workbook_tools.values import (
    Sex,
    ValueProblem,
    choice_parser,
    fold,
    normalise_header,
    parse_date,
    parse_int,
    parse_money,
    parse_sex,
    parse_text,
    parse_yes_no,
    strip_parentheses,
)


@pytest.mark.parametrize("value", [
    "12.03.2009", "12-03-2009", "12/03/2009", "2009-03-12", "2009.03.12", "12.3.2009",
    " 12.03.2009 r.", "12.03.2009 roku", "2009-03-12 00:00:00", 39884, 39884.0,
    dt.date(2009, 3, 12), dt.datetime(2009, 3, 12, 14, 30),
])
def test_dates_in_every_polish_form(value):
    assert parse_date(value) == dt.date(2009, 3, 12)


@pytest.mark.parametrize("value", ["31.02.2009", "12.03.09", "marzec 2009", "2009-13-01", True,
                                   -5, 3_000_000, "39884"])
def test_not_dates(value):
    with pytest.raises(ValueProblem) as problem:
        parse_date(value)
    assert problem.value.code == "V001"


def test_empty_cells_are_none():
    for parser in (parse_date, parse_money, parse_int, parse_text, parse_yes_no, parse_sex):
        assert parser(None) is None
        assert parser("   ") is None


@pytest.mark.parametrize("value, expected", [
    ("1 234,50 zł", "1234.50"), ("1\u00a0234,50\u00a0zł", "1234.50"), ("1234,5 PLN", "1234.50"),
    ("1.234,50", "1234.50"), ("1,234.50", "1234.50"), ("1234.50", "1234.50"),
    ("39 270,00 zł", "39270.00"), ("349\u202f773,80", "349773.80"), ("1.234.567", "1234567.00"),
    ("-12,30", "-12.30"), ("(12,30)", "-12.30"), (12, "12.00"), (0.1 + 0.2, "0.30"),
    (310503.8, "310503.80"), ("0", "0.00"),
])
def test_money(value, expected):
    amount = parse_money(value)
    assert amount == Decimal(expected)
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value", ["abc", "12,34,56", "1.23.45", "zł", True, "1 2x"])
def test_not_money(value):
    with pytest.raises(ValueProblem) as problem:
        parse_money(value)
    assert problem.value.code == "V002"


def test_more_than_two_decimals_is_reported_and_rounded():
    with pytest.raises(ValueProblem) as problem:
        parse_money("12,345")
    assert problem.value.code == "V003"
    assert problem.value.value == Decimal("12.35")


@given(st.lists(st.decimals(min_value=-10**7, max_value=10**7, places=2,
                            allow_nan=False, allow_infinity=False), max_size=200))
def test_parsed_polish_amounts_sum_exactly(amounts):
    texts = [format_money(a) for a in amounts]
    assert sum((parse_money(t) for t in texts), Decimal(0)) == sum(amounts, Decimal(0))


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                   allow_infinity=False))
def test_excel_floats_come_back_to_the_grosz(amount):
    assert parse_money(float(amount)) == amount


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_number_cells_read_as_excel_shows_them(value):
    """parse_money's fast path for number cells (a float's shortest repr) agrees with
    the general rule: the 15 significant digits Excel keeps, then grosze."""
    def general() -> Decimal:
        if value != value or abs(value) >= 1e15:
            raise ValueProblem("V002")
        amount = Decimal(format(value, ".15g"))
        rounded = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if rounded != amount:
            raise ValueProblem("V003", value=rounded)
        return rounded

    try:
        expected: tuple[str, object] = ("ok", general())
    except ValueProblem as problem:
        expected = (problem.code, problem.value)
    try:
        got: tuple[str, object] = ("ok", parse_money(value))
    except ValueProblem as problem:
        got = (problem.code, problem.value)
    assert got == expected
    if got[0] == "ok":
        assert str(got[1]) == str(expected[1])  # also the sign of zero and two places


@pytest.mark.parametrize("value, expected", [
    ("tak", True), ("TAK", True), ("T", True), ("x", True), (1, True), (1.0, True),
    (True, True), ("nie", False), ("N", False), (0, False), ("Nie ", False),
])
def test_yes_no(value, expected):
    assert parse_yes_no(value) is expected


def test_yes_no_rejects_other_words():
    with pytest.raises(ValueProblem) as problem:
        parse_yes_no("może")
    assert problem.value.code == "V004"


@pytest.mark.parametrize("value, expected", [
    ("K", Sex.FEMALE), ("kobieta", Sex.FEMALE), ("M", Sex.MALE), ("Mężczyzna", Sex.MALE),
    ("MĘŻCZYZNA", Sex.MALE),
])
def test_sex(value, expected):
    assert parse_sex(value) is expected


def test_sex_rejects_english_letters():
    with pytest.raises(ValueProblem) as problem:
        parse_sex("F")
    assert problem.value.code == "V005"


@pytest.mark.parametrize("value, expected", [(12.0, 12), ("12", 12), (" 12 ", 12), (7, 7),
                                             ("1 000", 1000)])
def test_integers_stored_as_floats_or_text(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize("value", [12.5, "12,5", "dwanaście", True])
def test_not_integers(value):
    with pytest.raises(ValueProblem) as problem:
        parse_int(value)
    assert problem.value.code == "V008"


def test_text_as_staff_see_it():
    assert parse_text(11200.0) == "11200"
    assert parse_text(" Jan\u00a0 Nowak ") == "Jan Nowak"
    assert parse_text(dt.date(2009, 3, 12)) == "12.03.2009"


def test_choice_parser_accepts_spellings_and_lists_allowed_values():
    parse = choice_parser({"wyższe": "wyższe", "podstawowe": "podstawowe"},
                          {"licencjat": "wyższe"})
    assert parse("WYZSZE") == "wyższe"
    assert parse("Licencjat.") == "wyższe"
    with pytest.raises(ValueProblem) as problem:
        parse("doktorat")
    assert problem.value.code == "V006"
    assert problem.value.params["allowed"] == "wyższe, podstawowe"


@pytest.mark.parametrize("header, expected", [
    ("Numer\nkontraktu  socjalnego:", "nr kontraktu socjalnego"),
    ("Nr. kontraktu", "nr kontraktu"),
    ("PŁEĆ (K/M)", "plec (k/m)"),
    ("Data urodzenia*", "data urodzenia"),
    ("  Wykształcenie.  ", "wyksztalcenie"),
])
def test_header_normalisation(header, expected):
    assert normalise_header(header) == expected


def test_strip_parentheses_and_fold():
    assert strip_parentheses("plec (k/m)") == "plec"
    assert fold("Źdźbło\u00a0 ŁĄKA") == "zdzblo laka"
