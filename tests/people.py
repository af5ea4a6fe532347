"""The synthetic people every test file uses: valid PESELs (and one broken), so that a
test names a person instead of copying a number."""

import datetime as dt

from workbook_tools.sample import make_pesel
from workbook_tools.values import Sex

ANNA = make_pesel(dt.date(1980, 4, 2), Sex.FEMALE, 12)
JAN = make_pesel(dt.date(1975, 11, 30), Sex.MALE, 345)
EWA = make_pesel(dt.date(1990, 1, 5), Sex.FEMALE, 77)
#: JAN's PESEL with a wrong check digit
BAD = JAN[:-1] + str((int(JAN[-1]) + 3) % 10)
