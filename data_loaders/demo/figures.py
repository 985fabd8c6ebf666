"""The demo's synthetic recorded crime: every quarter, force and offence, calibrated to the published totals.

Yearly stalking and harassment totals follow the published figures for Devon and Cornwall and for
England and Wales (within 1% and 2%); quarters, other forces and other offences are synthetic.
Forces differ as the real ones do: each force's share of England and Wales drifts at its own rate
and wanders a little from year to year, quarters vary around the season beyond counting noise, and
each force records its own mix of offence codes. The sizes of these differences are a handful of
illustrative parameters below, chosen by looking at the shape of the published police force area
table (how far forces' growth, quarters and code mixes spread); none of its figures is copied.
Every number comes from seeded generators, drawn year by year, so the same years give the
same numbers and more years only add rows. :mod:`data_loaders.demo.dataset` writes them as files.

>>> list(generate(settings, 2024).columns)  # doctest: +SKIP
['year', 'quarter', 'force', 'code', 'count']
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_loaders.settings import Settings

SEED = 20231019
FIRST_YEAR = 2014  # 2014/15: the first year stalking has its own code (8Q)

# The force whose published yearly totals the demo reproduces, and those totals (stalking and
# harassment, financial years by their first calendar year). 2014/15-2022/23 are the Home Office
# release of 19 October 2023; 2023/24 on are set so the year ending June 2025 is about 15,100 for
# the force and 605,700 for England and Wales, as later published. Later years hold the last level.
CALIBRATED_FORCE = "Devon and Cornwall"
FORCE_TOTALS = {
    2014: 1_791, 2015: 2_970, 2016: 4_545, 2017: 7_924, 2018: 10_303, 2019: 10_208,
    2020: 12_143, 2021: 12_729, 2022: 12_129, 2023: 13_300, 2024: 14_950, 2025: 15_250,
}  # fmt: skip
NATIONAL_TOTALS = {
    2014: 86_278, 2015: 158_786, 2016: 214_326, 2017: 296_083, 2018: 444_838, 2019: 494_735,
    2020: 629_843, 2021: 718_300, 2022: 707_210, 2023: 640_000, 2024: 603_000, 2025: 608_000,
}  # fmt: skip
FORCE_TOLERANCE = 0.008  # the demo's yearly totals differ from the published ones by at most this much
NATIONAL_TOLERANCE = 0.015

# Relative weights of the stalking and harassment codes from the financial year each era starts.
# 2020 on are Devon and Cornwall's 2022/23 shares; stalking's share is a third of that before
# April 2020, when a course of conduct towards a former partner became stalking; malicious
# communications fall once the "in addition" counting rule was reversed in 2023.
CODE_MIX = {
    2014: {"8L": 95.2, "8M": 0.5, "8Q": 4.3},
    2017: {"8L": 41.0, "8M": 0.4, "8Q": 4.0, "8R": 54.6},
    2020: {"8L": 41.0, "8M": 0.35, "8Q": 12.3, "8R": 40.85, "8U": 5.5},
    2023: {"8L": 43.0, "8M": 0.4, "8Q": 14.0, "8R": 36.0, "8U": 6.6},
}
# Q1 (April-June) to Q4: summer and winter quarters a little higher, as in the published quarters
# once a year's growth is taken out.
SEASON = np.array([0.244, 0.254, 0.246, 0.256])

# How forces differ (illustrative sizes, read from the spread of the published table, 2014/15 to 2022/23):
# a force's share of England and Wales changes by a steady rate a year (standard deviation about 8%
# between forces), wanders from that line by a few per cent a year, and each quarter departs from
# its year's seasonal pattern by about 6% (several times what counting alone would give).
SHARE_DRIFT = 0.08  # spread between forces of the yearly change in their share of England and Wales
SHARE_DRIFT_LIMIT = 0.2  # no force's share grows or shrinks faster than this a year
YEAR_NOISE = 0.05  # a year's departure from the force's steady drift
QUARTER_NOISE = 0.06  # a quarter's departure from the seasonal pattern, on the log scale
MIX_SPREAD = 0.2  # spread between forces of the weight of each offence code in their mix
# Illustrative drifts for the forces a Devon and Cornwall office compares itself with, so that its peers
# differ in a plausible and stated way (one fast-growing, one shrinking, the rest between).
STATED_DRIFT = {
    "Avon and Somerset": 0.04, "Dorset": -0.02, "Gloucestershire": 0.15,
    "Wiltshire": 0.06, "Hampshire": 0.05, "Cumbria": 0.0,
}  # fmt: skip


@dataclass(frozen=True)
class Offence:
    """An offence line of the Home Office table; ``yearly`` is an England and Wales level for synthetic lines."""

    code: str
    description: str
    group: str
    subgroup: str
    yearly: int = 0


STALKING_AND_HARASSMENT = {
    code: Offence(code, description, "Violence against the person", "Stalking and harassment")
    for code, description in (
        ("8L", "Harassment"),
        ("8M", "Racially or religiously aggravated harassment"),
        ("8Q", "Stalking"),
        ("8R", "Malicious Communications"),
        ("8U", "Controlling and coercive behaviour"),
    )
}
# A few other offences, so that the loader's selection by code matters.
OTHER_OFFENCES = (
    Offence("8N", "Assault with injury", "Violence against the person", "Violence with injury", 430_000),
    Offence("105A", "Assault without injury", "Violence against the person", "Violence without injury", 520_000),
    Offence("34B", "Robbery of personal property", "Robbery", "Robbery of personal property", 65_000),
    Offence("39", "Theft from the person", "Theft offences", "Theft from the person", 95_000),
    Offence("46", "Shoplifting", "Theft offences", "Shoplifting", 360_000),
    Offence("49", "Other theft", "Theft offences", "All other theft offences", 430_000),
    Offence("58A", "Criminal damage to a dwelling", "Criminal damage and arson", "Criminal damage", 190_000),
)
# Fraud is recorded centrally by these bodies, not by the force areas. The real table's coding
# of fraud is not reproduced: one line per reporting body stands in for it.
FRAUD = Offence("FRAUD", "Fraud offences", "Fraud offences", "Fraud offences")
FRAUD_BODIES = {"Action Fraud": 300_000, "CIFAS": 280_000, "UK Finance": 95_000}
# Other non-territorial forces (British Transport Police) record a small share of the national figures.
TRANSPORT_SHARE = {"stalking": 0.0005, "other": 0.012}

# Mid-2018 population by police force area (ONS, to the nearest thousand): the size weight of
# each force for the synthetic figures and the base of the demo population file.
POPULATION_2018 = {
    "Avon and Somerset": 1_711_000, "Bedfordshire": 669_000, "Cambridgeshire": 853_000,
    "Cheshire": 1_059_000, "Cleveland": 568_000, "Cumbria": 499_000, "Derbyshire": 1_053_000,
    "Devon and Cornwall": 1_762_000, "Dorset": 772_000, "Durham": 634_000, "Dyfed-Powys": 518_000,
    "Essex": 1_833_000, "Gloucestershire": 634_000, "Greater Manchester": 2_813_000, "Gwent": 591_000,
    "Hampshire": 1_986_000, "Hertfordshire": 1_184_000, "Humberside": 932_000, "Kent": 1_846_000,
    "Lancashire": 1_498_000, "Leicestershire": 1_093_000, "Lincolnshire": 756_000,
    "London, City of": 8_600, "Merseyside": 1_423_000, "Metropolitan Police": 8_899_000,
    "Norfolk": 904_000, "North Wales": 698_000, "North Yorkshire": 824_000,
    "Northamptonshire": 748_000, "Northumbria": 1_457_000, "Nottinghamshire": 1_154_000,
    "South Wales": 1_331_000, "South Yorkshire": 1_403_000, "Staffordshire": 1_131_000,
    "Suffolk": 759_000, "Surrey": 1_190_000, "Sussex": 1_704_000, "Thames Valley": 2_408_000,
    "Warwickshire": 571_000, "West Mercia": 1_282_000, "West Midlands": 2_916_000,
    "West Yorkshire": 2_320_000, "Wiltshire": 720_000,
}  # fmt: skip
POPULATION_GROWTH = 0.0065  # a year, with a little spread between forces


def population_2018(force: str) -> float:
    """A force's mid-2018 population; a force the table does not know counts as a typical one."""
    return POPULATION_2018.get(force, float(np.median(list(POPULATION_2018.values()))))


def _level(totals: dict[int, int], year: int) -> int:
    """A calibration total, held at its last level after the table ends."""
    return totals[min(max(year, min(totals)), max(totals))]


def counting_change_years(settings: Settings) -> set[int]:
    """Financial years that begin with a counting change (a rebasing break on 1 April)."""
    return {b.date.year for b in settings.series_breaks if b.rebase and (b.date.month, b.date.day) == (4, 1)}


def quarter_shares(totals: dict[int, int], year: int, breaks: set[int], drift: float = 0.0) -> np.ndarray:
    """How a year's total splits into quarters: mild seasonality tilted by the local growth.

    Growth is measured across neighbouring years but never across a counting change, so the
    series steps at a change instead of drifting into it; ``drift`` adds a force's own yearly
    log growth beyond that of ``totals``.
    """
    now = _level(totals, year)
    before = None if year in breaks or year - 1 < min(totals) else _level(totals, year - 1)
    after = None if year + 1 in breaks else _level(totals, year + 1)
    if before and after:
        growth = math.sqrt(after / before)
    elif after:
        growth = after / now
    elif before:
        growth = now / before
    else:
        growth = 1.0
    growth *= math.exp(drift)
    tilt = np.clip(growth, 0.6, 1.7) ** ((np.arange(4) - 1.5) / 4)
    shares = SEASON * tilt
    return shares / shares.sum()


def noisy(shares: np.ndarray, rng: np.random.Generator, spread: float) -> np.ndarray:
    """``shares`` each moved by a lognormal factor of ``spread`` and scaled back to add up to 1."""
    moved = shares * rng.lognormal(0, spread, len(shares))
    return moved / moved.sum()


def code_mix(year: int, codes: tuple[str, ...]) -> dict[str, float]:
    """Relative weights of the codes in use in a financial year (a code absent from its era is not yet counted)."""
    era = max(start for start in CODE_MIX if start <= year)
    return {code: weight for code, weight in CODE_MIX[era].items() if code in codes}


def _jitter(rng: np.random.Generator, tolerance: float) -> float:
    return float(np.clip(rng.normal(0, tolerance / 2.5), -tolerance, tolerance))


def apportion(total: int, weights: Sequence[float] | np.ndarray) -> list[int]:
    """Whole numbers in proportion to ``weights`` that add up to exactly ``total`` (largest remainder)."""
    array = np.asarray(weights, dtype=float)
    exact = total * array / array.sum()
    whole = np.floor(exact).astype(int)
    short = total - int(whole.sum())
    whole[np.argsort(-(exact - whole), kind="stable")[:short]] += 1
    return whole.tolist()


@dataclass(frozen=True)
class Forces:
    """The forces of the settings, split by what they record, with their fixed size weights."""

    territorial: tuple[str, ...]
    transport: tuple[str, ...]
    fraud: tuple[str, ...]
    weight: dict[str, float]
    mix_tilt: dict[str, dict[str, float]]
    growth: dict[str, float]
    drift: dict[str, float]  # yearly log change of the force's share of England and Wales

    @classmethod
    def from_settings(cls, settings: Settings, codes: tuple[str, ...]) -> Forces:
        # One generator per property, so that (say) the codes in use cannot change the populations.
        sizes, mixes, growths, drifts = (np.random.default_rng([SEED, 0, part]) for part in range(4))
        territorial = settings.territorial_forces
        others = [f.name for f in settings.forces if not f.territorial]
        weight, mix_tilt, growth, drift = {}, {}, {}, {}
        for name in territorial:
            weight[name] = population_2018(name) * float(sizes.lognormal(0, 0.2))
            mix_tilt[name] = {code: float(mixes.lognormal(0, MIX_SPREAD)) for code in codes}
            growth[name] = POPULATION_GROWTH + 0.0015 * float(np.clip(growths.normal(), -2, 2))
            drawn = float(np.clip(drifts.normal(0, SHARE_DRIFT), -SHARE_DRIFT_LIMIT, SHARE_DRIFT_LIMIT))
            drift[name] = STATED_DRIFT.get(name, drawn)
        if CALIBRATED_FORCE in mix_tilt:
            mix_tilt[CALIBRATED_FORCE] = dict.fromkeys(codes, 1.0)
        return cls(
            territorial=territorial,
            transport=tuple(name for name in others if name not in FRAUD_BODIES),
            fraud=tuple(name for name in others if name in FRAUD_BODIES),
            weight=weight,
            mix_tilt=mix_tilt,
            growth=growth,
            drift=drift,
        )

    def share_weight(self, name: str, year: int, rng: np.random.Generator) -> float:
        """A force's weight in the England and Wales total of ``year``: its size, drifted and wandering."""
        return self.weight[name] * float(np.exp(self.drift[name] * (year - 2018) + rng.normal(0, YEAR_NOISE)))


def _stalking_totals(rng: np.random.Generator, forces: Forces, year: int) -> dict[str, int]:
    """Each force's stalking and harassment total for a year, calibrated to the published totals."""
    national = round(_level(NATIONAL_TOTALS, year) * (1 + _jitter(rng, NATIONAL_TOLERANCE)))
    totals: dict[str, int] = {}
    rest = list(forces.territorial)
    if CALIBRATED_FORCE in rest:
        totals[CALIBRATED_FORCE] = round(_level(FORCE_TOTALS, year) * (1 + _jitter(rng, FORCE_TOLERANCE)))
        rest.remove(CALIBRATED_FORCE)
    weights = np.array([forces.share_weight(name, year, rng) for name in rest])
    totals.update(zip(rest, apportion(national - sum(totals.values()), weights), strict=True))
    for name in forces.transport:
        totals[name] = round(national * TRANSPORT_SHARE["stalking"] * rng.lognormal(0, 0.15))
    return totals


def _year_rows(settings: Settings, forces: Forces, codes: tuple[str, ...], year: int) -> Iterator[tuple]:
    """(quarter, force, code, count) for every quarter of one financial year."""
    rng = np.random.default_rng([SEED, year])
    breaks = counting_change_years(settings)
    mix = code_mix(year, codes)
    for force, total in _stalking_totals(rng, forces, year).items():
        calibrated = force == CALIBRATED_FORCE
        drift = 0.0 if calibrated else forces.drift.get(force, 0.0)
        shares = quarter_shares(FORCE_TOTALS if calibrated else NATIONAL_TOTALS, year, breaks, drift)
        shares = noisy(shares, rng, QUARTER_NOISE)
        tilt = forces.mix_tilt.get(force, {})
        weights = np.array([mix[code] * tilt.get(code, 1.0) for code in mix])
        cells = rng.multinomial(total, np.outer(shares, weights / weights.sum()).ravel()).reshape(4, len(mix))
        for quarter in range(4):
            for position, code in enumerate(mix):
                yield quarter + 1, force, code, int(cells[quarter, position])
    size = sum(forces.weight.values())
    for offence in OTHER_OFFENCES:
        level = offence.yearly * rng.lognormal(0, 0.03)
        expected = {name: level * forces.weight[name] / size for name in forces.territorial}
        expected.update({name: level * TRANSPORT_SHARE["other"] for name in forces.transport})
        for force, yearly in expected.items():
            for quarter, count in enumerate(rng.poisson(yearly * SEASON)):
                yield quarter + 1, force, offence.code, int(count)
    for force in forces.fraud:
        for quarter, count in enumerate(rng.poisson(FRAUD_BODIES[force] * SEASON)):
            yield quarter + 1, force, FRAUD.code, int(count)


def stalking_codes(settings: Settings) -> tuple[str, ...]:
    """The configured total's codes that the demo can write (those with a Home Office description here)."""
    return tuple(code for code in settings.total_codes if code in STALKING_AND_HARASSMENT)


def generate(settings: Settings, last_year: int) -> pd.DataFrame:
    """Every quarter of financial years 2014/15 to ``last_year``: year, quarter, force, offence code, count."""
    codes = stalking_codes(settings)
    forces = Forces.from_settings(settings, codes)
    rows = [
        (year, *row) for year in range(FIRST_YEAR, last_year + 1) for row in _year_rows(settings, forces, codes, year)
    ]
    return pd.DataFrame(rows, columns=["year", "quarter", "force", "code", "count"])
