"""Outcome figures: the chosen force's and the country's outcomes by group and quarter, and shares of them.

Pure pandas. Type 0 ("not yet assigned") is never an outcome, so it is in no total and no denominator; it is
counted apart as a backlog (:func:`backlog_totals`). No share is given on a base below the settings'
``[suppression] minimum_base``: a handful of outcomes swings a percentage too far to mean anything.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.charts.catalogue import Inputs
from dashboard.figures import trends
from dashboard.figures.selection import Filters
from data_loaders import periods
from data_loaders.settings import Settings
from data_loaders.sources import outcomes as outcome_table

COUNT_COLUMNS = {"recorded": outcome_table.RECORDED, "for_offences": outcome_table.FOR_OFFENCES_RECORDED}

VICTIM_GROUP = "victim_does_not_support"  # outcome types 14 and 16 (see [[outcome_groups]])

ENGLAND_AND_WALES = trends.NATIONAL


def count_column(filters: Filters) -> str:
    """The outcomes count column the user chose."""
    return COUNT_COLUMNS.get(filters.outcome_count, outcome_table.RECORDED)


def count_used(settings: Settings, column: str) -> str:
    """'Counting outcomes assigned in the quarter': which of the two counts a chart uses, in plain words.

    The Home Office's own column name is in the glossary ("The two ways of counting outcomes").
    """
    label = settings.outcomes.count(column).label
    return f"Counting {label[:1].lower()}{label[1:]}"


def offence_codes(settings: Settings, categories: Sequence[str]) -> tuple[str, ...]:
    """The offence codes of the chosen categories; the total's codes when none is chosen (as on every trends page)."""
    return trends.codes_for(settings, trends.selection(settings, categories))


def selection_label(settings: Settings, categories: Sequence[str]) -> str:
    """What the chosen categories are called: the total's label, one category, or a list of them."""
    return trends.subject(settings, categories)


def quarter_end(start: pd.Series) -> pd.Series:
    """The last day of each quarter starting on ``start``."""
    return start + pd.DateOffset(months=3) - pd.Timedelta(days=1)


def in_period(frame: pd.DataFrame, filters: Filters, column: str = "period_start") -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if filters.start:
        keep &= frame[column] >= pd.Timestamp(filters.start)
    if filters.end:
        keep &= frame[column] <= pd.Timestamp(filters.end)
    return frame[keep]


def percent_of(numerator: pd.Series, base: pd.Series, minimum: int) -> pd.Series:
    """numerator / base as a percentage, missing where the base is below ``minimum`` (``[suppression] minimum_base``)."""
    return (100 * numerator / base.where(base >= minimum)).astype(float)


def counted_groups(settings: Settings) -> list[str]:
    return [g.key for g in settings.outcomes.groups if g.counted]


def outcome_rows(inputs: Inputs, forces: Sequence[str]) -> pd.DataFrame:
    """Outcome rows for ``forces`` and the chosen categories (the period is applied later)."""
    frame = inputs.outcomes
    if frame.empty:
        return frame
    codes = offence_codes(inputs.settings, inputs.filters.categories)
    return frame[frame["force"].isin(forces) & frame["offence_code"].isin(codes)]


def has_outcomes(inputs: Inputs) -> bool:
    """Whether any outcome (or type 0) row is loaded for the chosen force and categories in the chosen period."""
    rows = outcome_rows(inputs, (inputs.filters.force,))
    return not rows.empty and not in_period(rows, inputs.filters).empty


def outcome_totals(rows: pd.DataFrame, settings: Settings, column: str, by: Sequence[str]) -> pd.DataFrame:
    """Per ``by``: assigned outcomes in ``column``, one column per counted group, plus ``assigned`` and ``charged``.

    Type 0 is not an outcome and is left out entirely (see :func:`backlog_totals`).
    """
    counted = counted_groups(settings)
    charge = [g.key for g in settings.outcomes.groups if g.charge]
    group_of = {t.type: t.group for t in settings.outcomes.types}
    tagged = rows.assign(_group=rows["outcome_type"].map(group_of))
    tagged = tagged[tagged["_group"].isin(counted)]
    if tagged.empty:
        return pd.DataFrame(columns=[*by, *counted, "assigned", "charged"])
    wide = tagged.pivot_table(index=list(by), columns="_group", values=column, aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=counted, fill_value=0).astype(int)
    wide.columns.name = None
    wide["assigned"] = wide[counted].sum(axis=1)
    wide["charged"] = wide[charge].sum(axis=1)
    return wide.reset_index()


def backlog_totals(rows: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per quarter of recording: offences not yet assigned an outcome and all offences in the for-offences count."""
    column = outcome_table.FOR_OFFENCES_RECORDED
    pending = rows["outcome_type"].isin(settings.outcomes.not_counted_types)
    frame = rows.assign(_pending=rows[column].where(pending, 0))
    out = frame.groupby("period_start", as_index=False).agg(not_yet_assigned=("_pending", "sum"), all=(column, "sum"))
    return out.astype({"not_yet_assigned": int, "all": int})


def contiguous(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` (one row per quarter) with every quarter between its first and last, missing ones empty."""
    quarters = pd.date_range(frame["period_start"].min(), frame["period_start"].max(), freq="QS-JAN")
    full = frame.set_index("period_start").reindex(quarters)
    full.index.name = "period_start"
    return full[list(columns)].reset_index()


def by_granularity(frame: pd.DataFrame, filters: Filters, columns: Sequence[str], series: str | None = None):
    """Quarterly totals as the user asked: per quarter, or summed over the year ending each quarter.

    Adds ``x`` (the date to plot: the quarter's start, or the last day of the year ending) and
    ``period`` (its label). Year endings need four quarters in a row behind them, and are taken
    before the period filter, so the first year ending shown has its full year. Months are not
    published for outcomes: a monthly choice shows quarters.
    """
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    parts = []
    for name, rows in groups:
        if rows.empty:
            continue
        full = contiguous(rows, columns)
        if filters.granularity == "year_ending":
            full[list(columns)] = full[list(columns)].rolling(4, min_periods=4).sum()
            full = full.dropna(subset=list(columns))
            full["x"] = quarter_end(full["period_start"])
            full["period"] = [f"year ending {end:%b %Y}" for end in full["x"]]
        else:
            full = full.dropna(subset=list(columns), how="all")
            full["x"] = full["period_start"]
            full["period"] = [periods.quarter_label(start) for start in full["period_start"]]
        if series is not None:
            full[series] = name
        parts.append(full)
    if not parts:
        return pd.DataFrame(columns=["period_start", *columns, "x", "period", *([series] if series else [])])
    return in_period(pd.concat(parts, ignore_index=True), filters)


def granularity_words(filters: Filters) -> str:
    if filters.granularity == "year_ending":
        return "Rolling years ending each quarter"
    return "By quarter"


def area_totals(inputs: Inputs) -> pd.DataFrame:
    """Outcome totals per area (the force, England and Wales, the peers) and quarter, in the chosen count."""
    settings, filters = inputs.settings, inputs.filters
    territorial = settings.territorial_forces
    rows = outcome_rows(inputs, territorial)
    totals = outcome_totals(rows, settings, count_column(filters), by=["force", "period_start"])
    if totals.empty:
        return totals
    numbers = [c for c in totals.columns if c not in ("force", "period_start")]
    country = totals.groupby("period_start", as_index=False)[numbers].sum().assign(force=ENGLAND_AND_WALES)
    wanted = [filters.force, *[p for p in filters.peers if p != filters.force]]
    chosen = totals[totals["force"].isin(wanted)]
    return pd.concat([chosen, country], ignore_index=True).rename(columns={"force": "area"})
