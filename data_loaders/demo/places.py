"""The demo's home force by community safety partnership: its quarters split across its partnerships.

Each quarter's count of each code is shared out (largest remainder, so the partnerships and the
``Unassigned`` row add up exactly to the force's published quarter) in proportion to the
partnership's population, its own level of recording and, for a few, a trend of their own: one city
recording more each year since 2020, one rural district less, one town stepping up in 2022 after a
change in local practice. A little seeded noise keeps the quarters from moving in lockstep.

Written as the Home Office publishes them: a CSP edition workbook (``prc-csp-...-tables-DDMMYY.ods``)
for the home force, and the ONS mid-year estimates of its districts (MYE2 layout, one CSV a mid-year),
so the demo's places load through the same loaders as real files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from data_loaders import places as place_lookup
from data_loaders.demo.figures import SEED, Offence, apportion
from data_loaders.demo.writing import NOTICE, recorded_crime_sheets, slug, write_csv
from data_loaders.ods import write_ods
from data_loaders.sources import mid_year_estimates
from data_loaders.sources.recorded_crime import COLUMNS as TABLE_COLUMNS

TABLE_NAME = "prc-csp-mar2013-onwards-tables-{release:%d%m%y}.ods"
POPULATION_NAME = "ukpopestimatesmid{year}-{force}.csv"
POPULATION_YEARS = 4  # the latest mid-years written: enough for the latest year ending's rates and the one before
UNASSIGNED_SHARE = 0.015
# Shares of the force's people by district, roughly as the 2021 Census counted them. A district not
# listed (another home force) counts as a typical one.
DISTRICT_PEOPLE = {
    "E06000052": 570_300, "E06000053": 2_100, "E06000026": 264_700, "E06000027": 139_300,
    "E07000040": 150_800, "E07000041": 130_700, "E07000042": 82_800, "E07000043": 98_600,
    "E07000044": 88_600, "E07000045": 134_800, "E07000046": 68_200, "E07000047": 56_000,
}  # fmt: skip
# Recording levels relative to the force (cities record more per head), and trends of their own:
# (first financial year, yearly growth) or a step from a year.
LEVEL = {"Plymouth": 1.35, "Exeter": 1.25, "Torbay": 1.3, "South Hams": 0.7, "West Devon": 0.75, "Mid Devon": 0.8}
GROWTH = {"Plymouth": (2020, 0.06), "Torridge": (2019, -0.05)}
STEP = {"Teignbridge": (2022, 1.2)}
NOISE = 0.06
GEOGRAPHY = {
    "E06": "Unitary Authority", "E07": "Non-metropolitan District", "E08": "Metropolitan District",
    "E09": "London Borough", "W06": "Unitary Authority",
}  # fmt: skip


def district_shares(force: str) -> pd.Series:
    """Each current district's share of the force's people, indexed by district code."""
    codes = sorted(mid_year_estimates.districts_in_use(force, 9999))
    typical = float(np.median(list(DISTRICT_PEOPLE.values())))
    people = pd.Series([DISTRICT_PEOPLE.get(code, typical) for code in codes], index=codes, dtype=float)
    return people / people.sum()


def _weights(force: str, year: int) -> pd.Series:
    """Each partnership's expected share of the force's crimes in a financial year, before noise."""
    shares = district_shares(force)
    by_csp = shares.groupby([place_lookup.csp_of(code) for code in shares.index]).sum()
    weights = {}
    for csp, share in by_csp.items():
        weight = share * LEVEL.get(csp, 1.0)
        if csp in GROWTH and year >= GROWTH[csp][0]:
            weight *= (1 + GROWTH[csp][1]) ** (year - GROWTH[csp][0] + 1)
        if csp in STEP and year >= STEP[csp][0]:
            weight *= STEP[csp][1]
        weights[csp] = weight
    frame = pd.Series(weights).sort_index()
    return frame / frame.sum() * (1 - UNASSIGNED_SHARE)


def split(rows: pd.DataFrame, force: str) -> pd.DataFrame:
    """The force's quarters (``year``, ``quarter``, ``code``, ``count``) split into partnerships (``csp`` added)."""
    unassigned = f"{place_lookup.UNASSIGNED} {force}"
    out = []
    for (year, quarter), in_quarter in rows.groupby(["year", "quarter"], sort=True):
        weights = _weights(force, int(year))
        rng = np.random.default_rng([SEED, int(year), int(quarter), 7])
        noisy = weights.to_numpy() * np.exp(rng.normal(0, NOISE, len(weights)))
        names = [*weights.index, unassigned]
        shares = [*noisy, UNASSIGNED_SHARE]
        for code, count in in_quarter[["code", "count"]].itertuples(index=False):
            parts = apportion(int(count), shares) if count >= 0 else [0] * (len(names) - 1) + [int(count)]
            out.extend((int(year), int(quarter), csp, code, part) for csp, part in zip(names, parts, strict=True))
    return pd.DataFrame(out, columns=["year", "quarter", "csp", "code", "count"])


def write_table(folder: Path, rows: pd.DataFrame, force: str, offences: dict[str, Offence], release: dt.date) -> Path:
    """The home force's CSP edition: a notes sheet, then one long sheet per financial year, as published."""
    by_csp = split(rows, force)
    header = [column.label for column in TABLE_COLUMNS]
    sheets: dict[str, list[list[object]]] = {
        "Notes": [
            ["Police recorded crime open data tables: community safety partnership, England and Wales"],
            [NOTICE],
            ["Force", force],
            ["Release date (illustrative)", release],
        ]
    }
    title = "Police recorded crime by community safety partnership, {year}"
    sheets |= recorded_crime_sheets(by_csp.assign(force=force), offences, title, header, ("force", "csp"))
    return write_ods(folder / TABLE_NAME.format(release=release), sheets)


def write_population(folder: Path, force: str, population: pd.DataFrame) -> list[Path]:
    """The force's districts' mid-year estimates (MYE2 layout) for its latest mid-years, adding up to ``population``.

    ``population`` is the demo's force populations (``force``, ``year``, ``population``): each year's
    districts add up to exactly the force's figure, so loading them changes no force's population.
    """
    shares = district_shares(force)
    names = mid_year_estimates.lookup().set_index("lad_code")["lad_name"]
    own = population[population["force"] == force].sort_values("year").tail(POPULATION_YEARS)
    paths = []
    for year, total in own[["year", "population"]].itertuples(index=False):
        people = apportion(int(total), shares.to_numpy())
        rows = [["Code", "Name", "Geography", "All ages"]]
        rows += [[code, names[code], GEOGRAPHY[code[:3]], n] for code, n in zip(shares.index, people, strict=True)]
        title = [f"Mid-{year} Population Estimates for the districts of {force} ({NOTICE})"]
        paths.append(write_csv(folder / POPULATION_NAME.format(year=year, force=slug(force)), title, rows))
    return paths
