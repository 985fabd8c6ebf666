"""Illustrative demo data written in the official formats and loaded through the real loaders.

:func:`write_files` writes three files from the synthetic figures of :mod:`data_loaders.demo.figures`;
:func:`build` writes them and loads them all, in one transaction, with
:func:`data_loaders.ingest.load_files`, so the demo exercises exactly the path real files take:

- a Home Office police force area workbook (``prc-pfa-mar2013-onwards-tables-DDMMYY.ods``): a
  cover sheet, then one long-format sheet per financial year from 2014/15 to the latest quarter
  the Home Office would have published by ``as_of``;
- the home force's own monthly extract (CSV, the template of :mod:`data_loaders.sources.monthly_extract`),
  whose months add up exactly to the workbook's quarters and run on to the month before ``as_of``;
- mid-year populations of the 43 police force areas (CSV, the template of :mod:`data_loaders.sources.population`).

The same ``as_of`` gives the same bytes and a later ``as_of`` only adds periods.

>>> build(database.get_engine(settings), settings, as_of=dt.date(2025, 11, 28))  # doctest: +SKIP
[LoadResult(file_name='prc-pfa-mar2013-onwards-tables-231025.ods', ...), ...]
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from data_loaders import ingest, periods
from data_loaders.demo import outcomes as demo_outcomes
from data_loaders.demo import places as demo_places
from data_loaders.demo import recommendations as demo_recommendations
from data_loaders.demo.figures import (
    CALIBRATED_FORCE,
    FIRST_YEAR,
    FRAUD,
    OTHER_OFFENCES,
    SEED,
    STALKING_AND_HARASSMENT,
    Forces,
    Offence,
    generate,
    noisy,
    population_2018,
    stalking_codes,
)
from data_loaders.demo.writing import write_csv
from data_loaders.ods import write_ods
from data_loaders.periods import quarter_start
from data_loaders.recommendations.ingest import RecommendationLoadResult
from data_loaders.settings import Settings
from data_loaders.sources.recorded_crime import COLUMNS as TABLE_COLUMNS

NOTICE = "ILLUSTRATIVE DEMO DATA, not real figures"
MONTHLY_FROM = dt.date(2018, 4, 1)
PUBLICATION_LAG_MONTHS = 4
MONTH_NOISE = 0.05  # a month's departure from its share of the quarter's days, on the log scale
TABLE_NAME = "prc-pfa-mar2013-onwards-tables-{release:%d%m%y}.ods"
MONTHLY_NAME = "demo-monthly-extract-{force}.csv"
POPULATION_NAME = "demo-population-by-force.csv"
HEADER = [column.label for column in TABLE_COLUMNS if column.key != "csp"]


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
    """The force's quarters of these codes split into months, April 2018 to before ``as_of``.

    Each quarter is split by a multinomial on the days of its months, each month's weight moved by
    a little month-to-month variation (``MONTH_NOISE``), so the months add up exactly to the quarter.
    """
    last_month = last_complete_month(as_of)
    rows = []
    quarters = figures[(figures["force"] == force) & figures["code"].isin(codes)]
    for year, in_year in quarters.groupby("year", sort=True):
        rng = np.random.default_rng([SEED, int(year), 1])
        for quarter, code, count in in_year[["quarter", "code", "count"]].itertuples(index=False):
            months = _months_of(int(year), int(quarter))
            days = np.array([(periods.add_months(m, 1) - m).days for m in months], dtype=float)
            weights = noisy(days / days.sum(), rng, MONTH_NOISE)
            for month, value in zip(months, rng.multinomial(int(count), weights), strict=True):
                if MONTHLY_FROM <= month <= last_month:
                    rows.append((month, code, int(value)))
    return pd.DataFrame(rows, columns=["month", "code", "count"]).sort_values(["month", "code"], kind="stable")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write_monthly(folder: Path, figures: pd.DataFrame, settings: Settings, as_of: dt.date) -> Path:
    """The home force's monthly extract in the documented template."""
    force = settings.home_force
    months = monthly_figures(figures, force, stalking_codes(settings), as_of)
    rows = [
        [f"{month:%Y-%m}", force, code, STALKING_AND_HARASSMENT[code].description, count]
        for month, code, count in months.itertuples(index=False)
    ]
    header = ["Month", "Force", "Offence Code", "Offence Description", "Count"]
    return write_csv(folder / MONTHLY_NAME.format(force=_slug(force)), header, rows)


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
    return write_csv(folder / POPULATION_NAME, ["Force", "ONS Code", "Year", "Population"], rows)


def write_places(folder: Path, figures: pd.DataFrame, settings: Settings, as_of: dt.date) -> list[Path]:
    """The home force's CSP edition and its districts' mid-year estimates (:mod:`data_loaders.demo.places`)."""
    force = settings.home_force
    rows = published(figures, as_of)
    rows = rows[(rows["force"] == force) & rows["code"].isin(settings.offence_codes)]
    table = demo_places.write_table(folder, rows, force, _offences(), latest_quarter(as_of)[2])
    return [table, *demo_places.write_population(folder, force, population_figures(settings, as_of))]


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
        *write_places(folder, figures, settings, as_of),
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
