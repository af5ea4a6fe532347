"""The programme periods a project can belong to, and what each one counts.

A payment claim (wniosek o płatność) reports the participants in the categories of its
programme period: PO KL 2007–2013 (PEFS 2007), the 2014–2020 regional programmes
(SL2014) and Fundusze Europejskie 2021–2027 (SM EFS). They differ in age groups, in how
education is grouped into ISCED levels, in the minimum effectiveness a social-inclusion
project must reach, and in the budget limits. Each definition cites where it was read;
a project overrides any of them in ``projekt.toml``. Nothing here imports the engine:
settings, the budget checks and the claim statistics all read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, eq=False)
class AgeGroup:
    """Full years at entry, ``low`` to ``high`` inclusive (``high`` None: and more)."""

    label: str
    low: int
    high: int | None = None

    def holds(self, age: int) -> bool:
        return age >= self.low and (self.high is None or age <= self.high)


@dataclass(frozen=True, eq=False)
class EducationGroup:
    """Education levels as the participant list reads them (see
    :data:`workbook_tools.kinds.participants.EDUCATION`) counted in one row."""

    label: str
    levels: frozenset[str]


@dataclass(frozen=True, eq=False)
class Effectiveness:
    """Minimum shares, in per cent, of those who ended participation (2014–2020)."""

    social: Decimal
    employment: Decimal
    #: employment minimum for people with a severe or intellectual disability
    employment_disabled: Decimal
    source: str


@dataclass(frozen=True, eq=False)
class Programme:
    key: str
    name: str
    age_groups: tuple[AgeGroup, ...]
    education: tuple[EducationGroup, ...]
    effectiveness: Effectiveness | None
    #: the budget limits in per cent (``[budzet]`` overrides each)
    budget: dict[str, Decimal | None]


def _levels(*names: str) -> frozenset[str]:
    return frozenset(names)


_BRAK, _PODST, _GIMN = "brak", "podstawowe", "gimnazjalne"
_PONADGIMN, _POMAT, _WYZSZE = "ponadgimnazjalne", "pomaturalne", "wyższe"
#: the 2021-2027 bands as the participant list reads them (participants.ISCED_LOW/MIDDLE)
_BAND_LOW = "podstawowe lub gimnazjalne (ISCED 0–2)"
_BAND_MIDDLE = "ponadgimnazjalne lub policealne (ISCED 3–4)"

PROGRAMMES: dict[str, Programme] = {
    # PO KL 2007-2013: the participant table of the payment claim ("Załącznik nr 2
    # Szczegółowa charakterystyka udzielonego wsparcia" with the PEFS 2007 form, see
    # http://docplayer.pl/2039722-Formularz-pefs-2007-skladany-jest-jedynie-w-wersji-
    # elektronicznej.html) counts people aged 15-24 and 55-64 and education by single
    # ISCED levels: brak (0), podstawowe (1), gimnazjalne (2), ponadgimnazjalne (3),
    # pomaturalne (4), wyższe (5-6); the levels' names after the PEFS dictionary quoted
    # in http://euro-concret.pl/dotacje30plus/pytania-i-odpowiedzi-faq/.
    "po-kl-2007-2013": Programme(
        "po-kl-2007-2013", "PO KL 2007–2013",
        (AgeGroup("poniżej 15 lat", 0, 14), AgeGroup("15–24 lata", 15, 24),
         AgeGroup("25–54 lata", 25, 54), AgeGroup("55–64 lata", 55, 64),
         AgeGroup("65 lat i więcej", 65)),
        (EducationGroup("brak (ISCED 0)", _levels(_BRAK)),
         EducationGroup("podstawowe (ISCED 1)", _levels(_PODST)),
         EducationGroup("gimnazjalne (ISCED 2)", _levels(_GIMN)),
         EducationGroup("ponadgimnazjalne (ISCED 3)", _levels(_PONADGIMN)),
         EducationGroup("pomaturalne (ISCED 4)", _levels(_POMAT)),
         EducationGroup("wyższe (ISCED 5–6)", _levels(_WYZSZE))),
        None,
        # PO KL, Poddziałanie 7.1.1: own contribution 10.5 % for OPS/MOPS system
        # projects, cross-financing and fixed assets each up to 10 % (the values this
        # tool has used since its first round; see README "Ustawienia projektu")
        {"min_own_share": Decimal("10.5"), "cross_financing_cap": Decimal("10"),
         "fixed_assets_cap": Decimal("10"), "indirect_cap": None,
         "allowed_shift": Decimal("10")}),
    # 2014-2020: SL2014's common indicators count people below 25 and above 54 (and the
    # regional programmes' target group "50 lat i więcej"), education in the bands
    # ISCED 1-2 / 3-4 / 5-8; the social-inclusion guidelines (Wytyczne w zakresie
    # realizacji przedsięwzięć w obszarze włączenia społecznego ... EFS i EFRR na lata
    # 2014-2020) set the effectiveness minimums, quoted by RPO WM for its Działanie 9.1
    # (http://doczz.pl/doc/3379826/sposób-i-metodologia-mierzenia-kryterium-efektywności):
    # social 34 %, employment 22 %, employment 12 % for people with a severe or
    # intellectual disability. (The guidelines' later revision, quoted by WUP Łódź,
    # https://wuplodz.praca.gov.pl/web/rpo-wl/ ... /1648236, joins them as 56 % / 46 %
    # "społeczno-zatrudnieniowa" with the same employment part: set the project's own
    # figures in [efektywnosc] when its agreement follows it.)
    "efs-2014-2020": Programme(
        "efs-2014-2020", "RPO / EFS 2014–2020",
        (AgeGroup("poniżej 25 lat", 0, 24), AgeGroup("25–49 lat", 25, 49),
         AgeGroup("50 lat i więcej", 50), AgeGroup("w tym powyżej 54 lat", 55)),
        (EducationGroup("brak (ISCED 0)", _levels(_BRAK)),
         EducationGroup("podstawowe lub gimnazjalne (ISCED 1–2)",
                        _levels(_PODST, _GIMN, _BAND_LOW)),
         EducationGroup("ponadgimnazjalne lub policealne (ISCED 3–4)",
                        _levels(_PONADGIMN, _POMAT, _BAND_MIDDLE)),
         EducationGroup("wyższe (ISCED 5–8)", _levels(_WYZSZE))),
        Effectiveness(Decimal(34), Decimal(22), Decimal(12),
                      "Wytyczne … włączenia społecznego 2014–2020"),
        {"min_own_share": Decimal("15"), "cross_financing_cap": Decimal("10"),
         "fixed_assets_cap": Decimal("10"), "indirect_cap": None,
         "allowed_shift": Decimal("10")}),
    # 2021-2027: the ESF+ common output indicators of Regulation (EU) 2021/1057, Annex I
    # (participants below 18, aged 18-29, aged 55 and above; ISCED 0-2, 3-4, 5-8), as
    # SM EFS asks them. Cross-financing: at most 15 % of the support of a priority
    # (Regulation (EU) 2021/1060, art. 25(2)). The own-contribution minimum, the fixed
    # assets and indirect-cost limits are set per call in 2021-2027 (no single national
    # figure was found): they stay unchecked until [budzet] gives them.
    "fe-2021-2027": Programme(
        "fe-2021-2027", "FE 2021–2027",
        (AgeGroup("poniżej 18 lat", 0, 17), AgeGroup("18–29 lat", 18, 29),
         AgeGroup("30–54 lata", 30, 54), AgeGroup("55 lat i więcej", 55)),
        (EducationGroup("ISCED 0–2", _levels(_BRAK, _PODST, _GIMN, _BAND_LOW)),
         EducationGroup("ISCED 3–4", _levels(_PONADGIMN, _POMAT, _BAND_MIDDLE)),
         EducationGroup("ISCED 5–8", _levels(_WYZSZE))),
        None,
        {"min_own_share": None, "cross_financing_cap": Decimal("15"),
         "fixed_assets_cap": None, "indirect_cap": None, "allowed_shift": Decimal("10")}),
}

#: The budget limits per programme (``[budzet] program``), read by the budget checks.
BUDGET_PRESETS: dict[str, dict[str, Decimal | None]] = {
    key: programme.budget for key, programme in PROGRAMMES.items()}
