"""Places below the force: recorded crime by community safety partnership (CSP), year ending, rate and SPC.

Pure pandas: no Streamlit. The measures layer (:func:`dashboard.figures.measures.places`) calls
:func:`table`; the Places page, its chart, its CSV and its words all read that one table.

- **Counts** are the Home Office CSP edition's rows as published (``recorded_crime_csp``), summed
  over the chosen offence codes, quarter by quarter. The ``Unassigned <force>`` row is the force's
  crimes no partnership could be given: it is shown, so the partnerships add up to the force, but
  has no population and so no rate.
- **Year ending**: the four quarters to the latest quarter the CSP edition holds for the force,
  against the four quarters a year before.
- **Rate per 1,000**: the year ending over the partnership's population, the sum of its districts'
  ONS mid-year estimates (:func:`data_loaders.places.csp_population`), on the mid-year the
  force's rates use (:func:`dashboard.figures.rates.estimates`).
- **SPC**: an XmR chart of the partnership's quarterly counts (never of the rolling totals), with
  limits recalculated at the rebasing series breaks; its latest reading in words.
- **Boundaries**: a partnership that began when districts merged has no figures before then; the
  ones it replaced keep theirs under their own names. Each such change is listed, never joined silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.figures import metrics, rates, trends
from dashboard.words import readings
from data_loaders import periods
from data_loaders import places as place_lookup
from data_loaders.settings import Settings

QUARTER = 3
COLUMNS = [
    "csp",
    "count",
    "previous",
    "change",
    "percent_change",
    "population",
    "population_year",
    "rate",
    "spc",
    "unassigned",
]


@dataclass(frozen=True)
class PlacesTable:
    """The force's partnerships for the latest year ending, with the force and England and Wales beside them."""

    force: str
    end: dt.date  # the last day of the latest year ending
    frame: pd.DataFrame  # COLUMNS, one row per partnership in the latest year (Unassigned last)
    force_rate: float | None
    national_rate: float | None
    force_count: int | None  # the partnerships' year ending added up, Unassigned included
    force_total: int | None  # the force's own year ending in the force-level table (another edition may differ)
    changes: tuple[place_lookup.BoundaryChange, ...]  # boundary changes in the force since April 2012
    unknown: tuple[str, ...]  # partnerships the lookup does not know: no population, so no rate
    population_wanted: int | None = None  # the mid-year ONS would use for the year ending (settings' lag)

    def rated(self) -> pd.DataFrame:
        """The rows with a rate, highest first."""
        return self.frame[self.frame["rate"].notna()].sort_values("rate", ascending=False, kind="stable")


def quarters(places: pd.DataFrame, force: str, codes: Sequence[str]) -> pd.DataFrame:
    """Each partnership's quarterly count of ``codes``: ``csp``, ``period_start`` (date), ``count``."""
    rows = places[(places["force"] == force) & places["offence_code"].isin(list(codes))]
    if rows.empty:
        return pd.DataFrame(columns=["csp", "period_start", "count"])
    summed = rows.groupby(["csp", "period_start"], as_index=False)["count"].sum()
    summed["period_start"] = [pd.Timestamp(v).date() for v in summed["period_start"]]
    return summed.sort_values(["csp", "period_start"], ignore_index=True)


def _series(counts: pd.DataFrame, csp: str, last: dt.date) -> pd.DataFrame:
    """One partnership's quarters from its first to ``last``, a quarter it has no row for left empty."""
    own = counts[counts["csp"] == csp]
    starts = [own["period_start"].min()]
    while starts[-1] < last:
        starts.append(periods.add_months(starts[-1], QUARTER))
    grid = pd.DataFrame({"period_start": starts})
    return grid.merge(own[["period_start", "count"]], on="period_start", how="left")


def _reading(series: pd.DataFrame, settings: Settings) -> str:
    control = trends.control(series, settings.series_breaks)
    if control is None:
        return "No quarters to chart."
    return readings.variation("offences", control.frame, "neutral", plural=True)


def csp_population(district_population: pd.DataFrame | None, force: str) -> pd.DataFrame:
    """The force's partnerships' populations in the shape the rate functions take: ``force`` (the CSP), ``year``, ``population``."""
    if district_population is None or district_population.empty:
        return pd.DataFrame(columns=["force", "year", "population"])
    summed = place_lookup.csp_population(district_population[district_population["force"] == force])
    return summed.drop(columns="force").rename(columns={"csp": "force"})[["force", "year", "population"]]


def table(
    places: pd.DataFrame,
    district_population: pd.DataFrame | None,
    comparison: pd.DataFrame,
    settings: Settings,
    force: str,
    codes: Sequence[str],
) -> PlacesTable | None:
    """The latest year ending for each of the force's partnerships; None when no CSP edition is loaded for it.

    ``comparison`` is :func:`dashboard.figures.rates.year_ending_rates` for the force and England and
    Wales: its rows for the same year ending are the comparison.
    """
    counts = quarters(places, force, codes)
    if counts.empty:
        return None
    last = max(counts["period_start"])
    end = periods.month_end(periods.add_months(last, QUARTER - 1))
    population = csp_population(district_population, force)
    current = {}
    for csp in sorted(set(counts["csp"])):
        series = _series(counts, csp, last)
        if series["count"].iloc[-4:].isna().all():
            continue  # ended before the latest year: listed as a boundary change, not as a place today
        current[csp] = series
    # One look-up of every partnership's estimate, on the mid-year the force's rates use.
    found = rates.estimates(population, list(current), [end], settings.population_lag_months)
    rows = []
    for index, (csp, series) in enumerate(current.items()):
        comparison_of = metrics.compare_year_ending(series.dropna(subset=["count"]), QUARTER)
        latest = comparison_of is not None and comparison_of.end == end
        count = comparison_of.current if latest else None
        previous = comparison_of.previous if latest else None
        unassigned = place_lookup.is_unassigned(csp)
        people = None if unassigned or pd.isna(found.people[0, index]) else float(found.people[0, index])
        rate = metrics.rate_per_1000(count, people)
        change = None if count is None or previous is None else count - previous
        rows.append(
            {
                "csp": csp,
                "count": count,
                "previous": previous,
                "change": change,
                "percent_change": 100.0 * change / previous if change is not None and previous else None,
                "population": int(people) if rate is not None else None,
                "population_year": int(found.used[0, index]) if rate is not None else None,
                "rate": rate,
                "spc": _reading(series, settings),
                "unassigned": unassigned,
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame = frame.sort_values(["unassigned", "csp"], kind="stable", ignore_index=True)
    known = set(place_lookup.partnerships(force)["csp"])
    unknown = tuple(c for c in frame["csp"] if c not in known and not place_lookup.is_unassigned(c))
    at_end = (
        comparison[pd.to_datetime(comparison["period_end"]) == pd.Timestamp(end)] if len(comparison) else comparison
    )

    def value_of(area: str, column: str) -> float | None:
        row = at_end[at_end["area"] == area] if len(at_end) else at_end
        return float(row[column].iloc[0]) if len(row) and pd.notna(row[column].iloc[0]) else None

    counted = frame["count"].dropna()
    return PlacesTable(
        force=force,
        end=end,
        frame=frame,
        force_rate=value_of(force, "rate"),
        national_rate=value_of(rates.NATIONAL, "rate"),
        force_count=int(counted.sum()) if len(counted) == len(frame) else None,
        force_total=None if (total := value_of(force, "year_ending")) is None else int(total),
        changes=tuple(place_lookup.boundary_changes(force)),
        unknown=unknown,
        population_wanted=found.wanted[0],
    )


def series(places: pd.DataFrame, force: str, codes: Sequence[str], csp: str) -> pd.DataFrame:
    """One partnership's quarterly counts (``period_start``, ``count``) from its first quarter to the force's last."""
    counts = quarters(places, force, codes)
    if counts.empty or csp not in set(counts["csp"]):
        return pd.DataFrame(columns=["period_start", "count"])
    return _series(counts, csp, max(counts["period_start"]))
