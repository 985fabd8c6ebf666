"""Illustrative demo data written in the official formats and loaded through the real loaders.

:func:`write_files` writes three files; :func:`build` writes them and loads them all, in one
transaction, with :func:`data_loaders.ingest.load_files`, so the demo exercises exactly the path
real files take:

- a Home Office police force area workbook (``prc-pfa-mar2013-onwards-tables-DDMMYY.ods``): a
  cover sheet, then one long-format sheet per financial year from 2014/15 to the latest quarter
  the Home Office would have published by ``as_of``;
- the home force's own monthly extract (CSV, the template of :mod:`data_loaders.sources.monthly_extract`),
  whose months add up exactly to the workbook's quarters and run on to the month before ``as_of``;
- mid-year populations of the 43 police force areas (CSV, the template of :mod:`data_loaders.sources.population`).

Yearly stalking and harassment totals follow the published figures for Devon and Cornwall and for
England and Wales (within 1% and 2%); quarters, other forces and other offences are synthetic.
Every number comes from one seeded generator, drawn year by year, so the same ``as_of`` gives the
same bytes and a later ``as_of`` only adds periods.

>>> build(database.get_engine(settings), settings, as_of=dt.date(2025, 11, 28))  # doctest: +SKIP
[LoadResult(file_name='prc-pfa-mar2013-onwards-tables-231025.ods', ...), ...]
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import math
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_loaders import ingest, periods
from data_loaders.demo import outcomes as demo_outcomes
from data_loaders.demo import recommendations as demo_recommendations
from data_loaders.ods import write_ods
from data_loaders.periods import quarter_start
from data_loaders.recommendations.ingest import RecommendationLoadResult
from data_loaders.settings import Settings
from data_loaders.sources.recorded_crime import COLUMNS as TABLE_COLUMNS

SEED = 20231019
NOTICE = "ILLUSTRATIVE DEMO DATA, not real figures"
FIRST_YEAR = 2014  # 2014/15: the first year stalking has its own code (8Q)
MONTHLY_FROM = dt.date(2018, 4, 1)
PUBLICATION_LAG_MONTHS = 4
TABLE_NAME = "prc-pfa-mar2013-onwards-tables-{release:%d%m%y}.ods"
MONTHLY_NAME = "demo-monthly-extract-{force}.csv"
POPULATION_NAME = "demo-population-by-force.csv"
HEADER = [column.label for column in TABLE_COLUMNS if column.key != "csp"]

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
SEASON = np.array([0.245, 0.26, 0.245, 0.25])  # Q1 (April-June) to Q4


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


# ---- calendar: which quarter the Home Office would have published by a date -----------------------


def sheet_name(start_year: int) -> str:
    """The workbook sheet of a financial year: 2019 -> '2019_20'."""
    return f"{start_year}_{str(start_year + 1)[-2:]}"


def _quarter_end_month(start_year: int, quarter: int) -> dt.date:
    """The first day of the last month of a financial quarter."""
    return periods.add_months(dt.date(start_year, 4, 1), 3 * quarter - 1)


def release_date(start_year: int, quarter: int) -> dt.date:
    """When the Home Office would publish a quarter: the fourth Thursday, four months after it ends.

    The real releases fall on a Thursday about four months after the quarter (the year ending
    June 2023 was published on 19 October 2023, June 2025 on 23 October 2025).
    """
    month = periods.add_months(_quarter_end_month(start_year, quarter), PUBLICATION_LAG_MONTHS)
    first_thursday = month + dt.timedelta(days=(3 - month.weekday()) % 7)
    return first_thursday + dt.timedelta(weeks=3)


def latest_quarter(as_of: dt.date) -> tuple[int, int, dt.date]:
    """The latest financial quarter published by ``as_of``: (first year of the financial year, quarter, release)."""
    start_year, quarter = periods.financial_year_start(as_of), ((as_of.month - 4) % 12) // 3 + 1
    while release_date(start_year, quarter) > as_of:
        start_year, quarter = (start_year, quarter - 1) if quarter > 1 else (start_year - 1, 4)
    if (start_year, quarter) < (FIRST_YEAR, 1):
        raise ValueError(f"as_of {as_of} is before the first quarter the demo covers was published")
    return start_year, quarter, release_date(start_year, quarter)


def last_complete_month(as_of: dt.date) -> dt.date:
    """The first day of the month before the one ``as_of`` falls in."""
    return periods.add_months(as_of.replace(day=1), -1)


# ---- the synthetic figures ------------------------------------------------------------------------


def _level(totals: dict[int, int], year: int) -> int:
    """A calibration total, held at its last level after the table ends."""
    return totals[min(max(year, min(totals)), max(totals))]


def counting_change_years(settings: Settings) -> set[int]:
    """Financial years that begin with a counting change (a rebasing break on 1 April)."""
    return {b.date.year for b in settings.series_breaks if b.rebase and (b.date.month, b.date.day) == (4, 1)}


def quarter_shares(totals: dict[int, int], year: int, breaks: set[int]) -> np.ndarray:
    """How a year's total splits into quarters: mild seasonality tilted by the local growth.

    Growth is measured across neighbouring years but never across a counting change, so the
    series steps at a change instead of drifting into it.
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
    tilt = np.clip(growth, 0.6, 1.7) ** ((np.arange(4) - 1.5) / 4)
    shares = SEASON * tilt
    return shares / shares.sum()


def code_mix(year: int, codes: tuple[str, ...]) -> dict[str, float]:
    """Relative weights of the codes in use in a financial year (a code absent from its era is not yet counted)."""
    era = max(start for start in CODE_MIX if start <= year)
    return {code: weight for code, weight in CODE_MIX[era].items() if code in codes}


def _jitter(rng: np.random.Generator, tolerance: float) -> float:
    return float(np.clip(rng.normal(0, tolerance / 2.5), -tolerance, tolerance))


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers in proportion to the weights that add up to exactly ``total`` (largest remainder)."""
    exact = total * weights / weights.sum()
    whole = np.floor(exact).astype(int)
    short = total - int(whole.sum())
    whole[np.argsort(-(exact - whole), kind="stable")[:short]] += 1
    return whole


@dataclass(frozen=True)
class Forces:
    """The forces of the settings, split by what they record, with their fixed size weights."""

    territorial: tuple[str, ...]
    transport: tuple[str, ...]
    fraud: tuple[str, ...]
    weight: dict[str, float]
    mix_tilt: dict[str, dict[str, float]]
    growth: dict[str, float]

    @classmethod
    def from_settings(cls, settings: Settings, codes: tuple[str, ...]) -> Forces:
        # One generator per property, so that (say) the codes in use cannot change the populations.
        sizes, mixes, growths = (np.random.default_rng([SEED, 0, part]) for part in range(3))
        territorial = settings.territorial_forces
        others = [f.name for f in settings.forces if not f.territorial]
        weight, mix_tilt, growth = {}, {}, {}
        for name in territorial:
            weight[name] = population_2018(name) * float(sizes.lognormal(0, 0.2))
            mix_tilt[name] = {code: float(mixes.lognormal(0, 0.15)) for code in codes}
            growth[name] = POPULATION_GROWTH + 0.0015 * float(np.clip(growths.normal(), -2, 2))
        if CALIBRATED_FORCE in mix_tilt:
            mix_tilt[CALIBRATED_FORCE] = dict.fromkeys(codes, 1.0)
        return cls(
            territorial=territorial,
            transport=tuple(name for name in others if name not in FRAUD_BODIES),
            fraud=tuple(name for name in others if name in FRAUD_BODIES),
            weight=weight,
            mix_tilt=mix_tilt,
            growth=growth,
        )


def _stalking_totals(rng: np.random.Generator, forces: Forces, year: int) -> dict[str, int]:
    """Each force's stalking and harassment total for a year, calibrated to the published totals."""
    national = round(_level(NATIONAL_TOTALS, year) * (1 + _jitter(rng, NATIONAL_TOLERANCE)))
    totals: dict[str, int] = {}
    rest = list(forces.territorial)
    if CALIBRATED_FORCE in rest:
        totals[CALIBRATED_FORCE] = round(_level(FORCE_TOTALS, year) * (1 + _jitter(rng, FORCE_TOLERANCE)))
        rest.remove(CALIBRATED_FORCE)
    weights = np.array([forces.weight[name] * rng.lognormal(0, 0.04) for name in rest])
    totals.update(zip(rest, _apportion(national - sum(totals.values()), weights).tolist(), strict=True))
    for name in forces.transport:
        totals[name] = round(national * TRANSPORT_SHARE["stalking"] * rng.lognormal(0, 0.15))
    return totals


def _year_rows(settings: Settings, forces: Forces, codes: tuple[str, ...], year: int) -> Iterator[tuple]:
    """(quarter, force, code, count) for every quarter of one financial year."""
    rng = np.random.default_rng([SEED, year])
    breaks = counting_change_years(settings)
    mix = code_mix(year, codes)
    for force, total in _stalking_totals(rng, forces, year).items():
        calibration = FORCE_TOTALS if force == CALIBRATED_FORCE else NATIONAL_TOTALS
        shares = quarter_shares(calibration, year, breaks)
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


# ---- the files -----------------------------------------------------------------------------------


def _offences() -> dict[str, Offence]:
    return {o.code: o for o in (*STALKING_AND_HARASSMENT.values(), *OTHER_OFFENCES, FRAUD)}


def _cover(last_year: int, last_quarter: int, release: dt.date) -> list[list[object]]:
    end = _quarter_end_month(last_year, last_quarter)
    rows: list[list[object]] = [
        ["Police recorded crime open data tables: police force area, England and Wales"],
        [NOTICE],
        [None],
        ["About", "Generated by the PCC dashboard's demo in the layout of the Home Office tables. Not a publication."],
        ["Period", f"April {FIRST_YEAR} to {end:%B %Y}, by financial year and quarter"],
        ["Release date (illustrative)", release],
        [
            "Calibration",
            f"Yearly stalking and harassment totals for {CALIBRATED_FORCE} and for England and Wales follow the "
            "published figures within 1% and 2%; quarters, other forces and other offences are synthetic.",
        ],
        ["Fraud", "One illustrative line per reporting body (Action Fraud, CIFAS, UK Finance)."],
        [None],
        ["Sheet", "Contents"],
    ]
    rows.extend(
        [sheet_name(year), f"Financial year {periods.financial_year_label(year)}"]
        for year in range(FIRST_YEAR, last_year + 1)
    )
    return rows


def _year_sheet(rows: pd.DataFrame, year: int, offences: dict[str, Offence]) -> list[list[object]]:
    label = periods.financial_year_label(year)
    sheet: list[list[object]] = [
        [f"Police recorded crime by police force area and offence, England and Wales, {label}"],
        [NOTICE],
        HEADER,
    ]
    for quarter, force, code, count in rows[["quarter", "force", "code", "count"]].itertuples(index=False):
        offence = offences[code]
        sheet.append([label, quarter, force, offence.description, offence.group, offence.subgroup, code, count])
    return sheet


def published(figures: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The quarters the Home Office would have published by ``as_of``."""
    last_year, last_quarter, _ = latest_quarter(as_of)
    return figures[
        (figures["year"] < last_year) | ((figures["year"] == last_year) & (figures["quarter"] <= last_quarter))
    ]


def stored_rows(figures: pd.DataFrame, settings: Settings, as_of: dt.date) -> pd.DataFrame:
    """The published quarters of the configured codes in the shape the database stores them."""
    rows = published(figures, as_of)
    rows = rows[rows["code"].isin(settings.offence_codes)]
    offences = _offences()
    return pd.DataFrame(
        {
            "force": rows["force"].to_numpy(),
            "financial_year": [periods.financial_year_label(int(y)) for y in rows["year"]],
            "quarter": rows["quarter"].astype(int).to_numpy(),
            "month": 0,
            "period_start": [
                quarter_start(periods.financial_year_label(int(y)), int(q))
                for y, q in zip(rows["year"], rows["quarter"], strict=True)
            ],
            "offence_code": rows["code"].to_numpy(),
            "offence_description": [offences[c].description for c in rows["code"]],
            "count": rows["count"].astype(int).to_numpy(),
        }
    )


def write_table(folder: Path, figures: pd.DataFrame, as_of: dt.date) -> Path:
    """The national workbook: a cover sheet, then one sheet per financial year up to the latest published quarter."""
    last_year, last_quarter, release = latest_quarter(as_of)
    published_rows = published(figures, as_of)
    order = {code: position for position, code in enumerate(_offences())}
    published_rows = published_rows.assign(_order=published_rows["code"].map(order)).sort_values(
        ["year", "quarter", "force", "_order"], kind="stable"
    )
    offences = _offences()
    sheets = {"Notes": _cover(last_year, last_quarter, release)}
    for year, rows in published_rows.groupby("year", sort=True):
        sheets[sheet_name(int(year))] = _year_sheet(rows, int(year), offences)
    return write_ods(folder / TABLE_NAME.format(release=release), sheets)


def _months_of(start_year: int, quarter: int) -> list[dt.date]:
    first = periods.add_months(dt.date(start_year, 4, 1), 3 * (quarter - 1))
    return [periods.add_months(first, step) for step in range(3)]


def monthly_figures(figures: pd.DataFrame, force: str, codes: tuple[str, ...], as_of: dt.date) -> pd.DataFrame:
    """The force's quarters of these codes split into months (a multinomial by days), April 2018 to before ``as_of``."""
    last_month = last_complete_month(as_of)
    rows = []
    quarters = figures[(figures["force"] == force) & figures["code"].isin(codes)]
    for year, in_year in quarters.groupby("year", sort=True):
        rng = np.random.default_rng([SEED, int(year), 1])
        for quarter, code, count in in_year[["quarter", "code", "count"]].itertuples(index=False):
            months = _months_of(int(year), int(quarter))
            days = np.array([(periods.add_months(m, 1) - m).days for m in months], dtype=float)
            for month, value in zip(months, rng.multinomial(int(count), days / days.sum()), strict=True):
                if MONTHLY_FROM <= month <= last_month:
                    rows.append((month, code, int(value)))
    return pd.DataFrame(rows, columns=["month", "code", "count"]).sort_values(["month", "code"], kind="stable")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_monthly(folder: Path, figures: pd.DataFrame, settings: Settings, as_of: dt.date) -> Path:
    """The home force's monthly extract in the documented template."""
    force = settings.home_force
    months = monthly_figures(figures, force, stalking_codes(settings), as_of)
    rows = [
        [f"{month:%Y-%m}", force, code, STALKING_AND_HARASSMENT[code].description, count]
        for month, code, count in months.itertuples(index=False)
    ]
    header = ["Month", "Force", "Offence Code", "Offence Description", "Count"]
    return _write_csv(folder / MONTHLY_NAME.format(force=_slug(force)), header, rows)


def population_figures(settings: Settings, as_of: dt.date) -> pd.DataFrame:
    """Mid-year populations of the police force areas from 2014 to the latest mid-year before ``as_of``."""
    forces = Forces.from_settings(settings, ())
    ons_codes = {force.name: force.ons_code for force in settings.forces}
    last = as_of.year if as_of > dt.date(as_of.year, 6, 30) else as_of.year - 1
    rows = [
        (name, ons_codes[name], year, round(population_2018(name) * (1 + forces.growth[name]) ** (year - 2018)))
        for name in forces.territorial
        for year in range(FIRST_YEAR, last + 1)
    ]
    return pd.DataFrame(rows, columns=["force", "ons_code", "year", "population"])


def write_population(folder: Path, settings: Settings, as_of: dt.date) -> Path:
    """Population by police force area in the documented template, with the ONS codes of the settings."""
    rows = population_figures(settings, as_of).values.tolist()
    return _write_csv(folder / POPULATION_NAME, ["Force", "ONS Code", "Year", "Population"], rows)


def write_files(folder: Path, settings: Settings, as_of: dt.date | None = None) -> list[Path]:
    """Write the demo workbook, monthly extract and population file into ``folder``; return their paths.

    The same settings and ``as_of`` (default today) always give the same bytes.
    """
    as_of = as_of or dt.date.today()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if last_complete_month(as_of) < MONTHLY_FROM:
        raise ValueError(f"as_of {as_of} is too early: the demo's monthly extract starts in {MONTHLY_FROM:%B %Y}")
    last_year = max(latest_quarter(as_of)[0], periods.financial_year_start(last_complete_month(as_of)))
    figures = generate(settings, last_year)
    return [
        write_table(folder, figures, as_of),
        write_monthly(folder, figures, settings, as_of),
        write_population(folder, settings, as_of),
        *demo_outcomes.write_files(folder, settings, as_of, stored_rows(figures, settings, as_of)),
    ]


def build(
    engine: Engine,
    settings: Settings,
    *,
    folder: Path | None = None,
    as_of: dt.date | None = None,
    progress: ingest.Progress | None = None,
) -> list[ingest.LoadResult | RecommendationLoadResult]:
    """Write the demo files (into ``folder``, or a temporary folder) and load them all as demo data.

    The inspection recommendations (:mod:`data_loaders.demo.recommendations`) load after the
    figures, through the recommendation loaders.
    """
    as_of = as_of or dt.date.today()
    if progress:
        progress(0.0, "writing the demo files")
    with contextlib.ExitStack() as stack:
        if folder is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="pcc-demo-"))
        paths = write_files(Path(folder), settings, as_of)
        results: list[ingest.LoadResult | RecommendationLoadResult] = list(
            ingest.load_files(paths, engine, settings, is_demo=True, progress=progress)
        )
        recommendation_paths = demo_recommendations.write_files(Path(folder), settings, as_of)
        results.extend(demo_recommendations.load(engine, settings, recommendation_paths))
        return results
