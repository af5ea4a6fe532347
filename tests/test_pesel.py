import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools import pesel
from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex, ValueProblem


def test_valid_pesel_from_text_and_number():
    assert pesel.parse_pesel("44051401359") == "44051401359"
    assert pesel.parse_pesel(" 440 514 013 59 ") == "44051401359"
    assert pesel.parse_pesel(44051401359.0) == "44051401359"
    assert pesel.parse_pesel(44051401359) == "44051401359"


@pytest.mark.parametrize("lost", [1, 2])
def test_leading_zeros_lost_in_a_number_cell_are_recovered(lost):
    born = dt.date(2000, 10, 1) if lost == 2 else dt.date(2005, 1, 13)
    number = make_pesel(born, Sex.MALE, 101)
    assert number.startswith("0" * lost)
    with pytest.raises(ValueProblem) as problem:
        pesel.parse_pesel(float(int(number)))
    assert problem.value.code == "P002"
    assert problem.value.value == number


@pytest.mark.parametrize("value, reason", [
    ("44051401358", "wrong check digit"),
    ("4405140135", "a PESEL has 11 digits"),
    ("44AB1401359", "only digits are allowed"),
    ("4,40514E+10", "stored in scientific notation, digits were lost; type it again as text"),
    (1234.5, "only digits are allowed"),
])
def test_invalid_pesel_says_why(value, reason):
    with pytest.raises(ValueProblem) as problem:
        pesel.parse_pesel(value)
    assert problem.value.code == "P001"
    assert problem.value.params["reason"].en == reason


def test_number_that_cannot_be_recovered_is_invalid_not_recovered():
    with pytest.raises(ValueProblem) as problem:
        pesel.parse_pesel(12345678.0)
    assert problem.value.code == "P001"


def test_birth_date_sex_and_mask():
    assert pesel.birth_date("44051401359") == dt.date(1944, 5, 14)
    assert pesel.sex("44051401359") is Sex.MALE
    assert pesel.sex("02270803624") is Sex.FEMALE
    assert pesel.mask("44051401359") == "440514*****"
    assert pesel.mask_in_text("PESEL 44051401359, tel. 123456789") == (
        "PESEL 440514*****, tel. 123456789")


def test_generated_pesels_encode_their_birth_date_and_sex():
    for year in (1899, 1950, 2005, 2101):
        number = make_pesel(dt.date(year, 7, 8), Sex.FEMALE, 7)
        assert pesel.parse_pesel(number) == number
        assert pesel.birth_date(number) == dt.date(year, 7, 8)
        assert pesel.sex(number) is Sex.FEMALE


_ELEVEN = st.text(alphabet="0123456789", min_size=11, max_size=11)
_VALID = st.builds(make_pesel, st.dates(dt.date(1800, 1, 1), dt.date(2299, 12, 31)),
                   st.sampled_from(list(Sex)), st.integers(0, 999))
_ALTERED = st.tuples(_VALID, st.integers(0, 10), st.integers(0, 9)).map(
    lambda t: t[0][:t[1]] + str(t[2]) + t[0][t[1] + 1:])


@given(st.one_of(_VALID, _ALTERED, _ELEVEN, _ELEVEN.map(lambda d: d[:6] + "-" + d[6:]),
                 _VALID.map(int), st.integers(0, 10 ** 11 - 1), st.text(max_size=14)))
def test_the_fast_path_agrees_with_stdnum(value):
    """parse_pesel skips stdnum's cleaning for 11 ASCII digits; whatever it accepts or
    rejects, stdnum's own validate must agree (a P002 recovery is checked by stdnum too)."""
    from stdnum import exceptions
    from stdnum.pl import pesel as reference

    from workbook_tools.pesel import _SCIENTIFIC, _reason, parse_pesel
    from workbook_tools.values import ValueProblem

    reason = None
    try:
        ours = parse_pesel(value)
    except ValueProblem as problem:
        if problem.code == "P002":
            assert reference.is_valid(problem.value)
            return
        ours, reason = None, problem.params.get("reason")
    if isinstance(value, int):
        return  # numbers are recovered or refused above; stdnum takes text
    try:
        theirs = reference.validate(value) if value.strip() else None
    except exceptions.ValidationError as error:
        theirs = None
        if not _SCIENTIFIC.match(value.strip()):  # ours says more: "scientific notation"
            assert reason == _reason(error), value  # the same reason, said alike
    assert ours == theirs, value


@given(st.one_of(st.text(alphabet="0123456789", min_size=6, max_size=6),
                 st.builds(lambda y, m, d: f"{y:02}{m:02}{d:02}", st.integers(0, 99),
                           st.integers(0, 99), st.integers(0, 99)),
                 st.text(max_size=8)))
def test_the_birth_date_agrees_with_stdnum(digits):
    """The birth date read straight from six digits (stdnum's cleaning was most of the
    parse): the same date as stdnum's get_birth_date, or none where stdnum raises."""
    from stdnum import exceptions
    from stdnum.pl import pesel as reference

    from workbook_tools.pesel import _birth_date

    try:
        theirs = reference.get_birth_date(digits) if len(digits) == 6 and \
            digits.isascii() and digits.isdigit() else None
    except exceptions.ValidationError:
        theirs = None
    assert _birth_date(digits) == theirs, digits


def test_every_month_code_and_day_agrees_with_stdnum():
    """All 100 month codes x 100 days of one year in each century, exhaustively."""
    from stdnum import exceptions
    from stdnum.pl import pesel as reference

    from workbook_tools.pesel import _birth_date

    for year in (0, 4, 99):
        for month in range(100):
            for day in range(100):
                digits = f"{year:02}{month:02}{day:02}"
                try:
                    theirs = reference.get_birth_date(digits)
                except exceptions.ValidationError:
                    theirs = None
                assert _birth_date(digits) == theirs, digits


@given(st.one_of(_VALID, _ELEVEN))
def test_the_sex_agrees_with_stdnum(value):
    """The tenth digit's sex, looked up: what stdnum's get_gender says of any 11 digits."""
    from stdnum.pl import pesel as reference

    assert pesel.sex(value) is {"F": Sex.FEMALE, "M": Sex.MALE}[reference.get_gender(value)]
