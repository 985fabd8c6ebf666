"""Every headline figure the product shows, defined once: what it counts, over what base, and how it is read.

A measure is data (:class:`Measure`: name, plain-English definition, numerator and denominator, unit,
minimum base, improvement direction, SPC time basis, source and the count it uses) plus one function
that works it out from the catalogue's inputs. The Overview's cards and key messages, the Outcomes
page's key figures, the SPC charts, their CSVs, the exports, the slides and the Panel's pack all read
a measure here; nothing else computes it.

Each question has one reading, on one stated time basis:

- **How many?** The latest year ending against the one before (rolling 12 months), from the
  freshest source loaded for the force (its own monthly extract, else the Home Office quarters).
- **Is it changing, or is it noise?** An XmR chart of the periods the filters choose
  (:func:`spc_months`: months where the user asks for months and a monthly extract is loaded,
  quarters otherwise; outcomes are published by quarter only), never of rolling totals, with the
  limits recalculated at the rebasing series breaks.
- **How does it compare?** Rates per 1,000 people (:mod:`dashboard.figures.rates`) and shares of
  outcomes against England and Wales.

Pure pandas: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.charts.catalogue import Inputs
from dashboard.figures import metrics, rates, trends
from dashboard.figures import outcomes as outcome_figures
from dashboard.figures import places as place_figures
from data_loaders import periods
from data_loaders.settings import Settings
from data_loaders.sources import outcomes as outcome_table

QUARTERLY = trends.QUARTERLY
OUTCOMES_SOURCE = "Home Office crime outcomes open data"
RECORDED_SOURCE = "Home Office police recorded crime (or the force's own monthly extract)"


@dataclass(frozen=True)
class Measure:
    """A figure's definition, shown beside it and used to work it out."""

    key: str
    name: str
    definition: str
    numerator: str
    denominator: str | None
    unit: str  # "offences", "percent", "per 1,000 people"
    minimum_base: int | None  # no share on a smaller base (``[suppression] minimum_base``)
    improvement: str  # "increase", "decrease" or "neutral": which way is better, for SPC readings
    spc_basis: str  # the periods its "is it changing?" reading uses
    source: str
    count_column: str | None = None  # the Home Office outcomes count it uses, where it uses one
    target: float | None = None  # the office's target (settings [targets]), judged by the SPC assurance reading


def count_label(settings: Settings, column: str) -> str:
    """The plain-English name of an outcomes count: 'outcomes assigned in the quarter'."""
    label = settings.outcomes.count(column).label
    return label[:1].lower() + label[1:]


def definitions(settings: Settings, outcome_count: str = "recorded") -> dict[str, Measure]:
    """Every measure, keyed; ``outcome_count`` is the filters' choice of outcomes count ("recorded" or "for_offences")."""
    column = outcome_figures.COUNT_COLUMNS.get(outcome_count, outcome_table.RECORDED)
    minimum = settings.suppression.minimum_base
    not_counted = ", ".join(str(t) for t in settings.outcomes.not_counted_types)
    charge = " and ".join(str(t) for t in settings.outcomes.charge_types)
    victim = " and ".join(str(t.type) for t in settings.outcomes.types if t.group == outcome_figures.VICTIM_GROUP)
    assigned = f"all assigned outcomes ({count_label(settings, column)}; type {not_counted} is not an outcome)"
    shares = "quarterly shares (outcomes are published by quarter)"
    return {
        "recorded": Measure(
            "recorded",
            f"Recorded {settings.total_label.lower()}",
            "Crimes the police recorded in the 12 months, counted by offence code as configured in [[offences]].",
            "offences recorded",
            None,
            "offences",
            None,
            "neutral",
            "the months or quarters the filters choose",
            RECORDED_SOURCE,
        ),
        "rate_per_1000": Measure(
            "rate_per_1000",
            "Offences per 1,000 people",
            "Offences recorded in the 12 months per 1,000 people, on the mid-year population ONS uses.",
            "offences recorded in the 12 months",
            "ONS mid-year population estimate",
            "per 1,000 people",
            None,
            "neutral",
            "year endings (rates are not put on an SPC chart)",
            "Home Office police recorded crime; ONS mid-year population estimates",
        ),
        "csp_recorded": Measure(
            "csp_recorded",
            "Recorded offences by community safety partnership",
            "Crimes the police recorded in the 12 months in each community safety partnership, as the Home Office "
            "CSP edition publishes them; crimes no partnership could be given are its 'Unassigned' row.",
            "offences recorded in the partnership",
            None,
            "offences",
            None,
            "neutral",
            "quarters (the CSP editions are quarterly)",
            "Home Office police recorded crime, community safety partnership edition",
        ),
        "csp_rate_per_1000": Measure(
            "csp_rate_per_1000",
            "Offences per 1,000 people, by community safety partnership",
            "Offences recorded in the partnership in the 12 months per 1,000 people living in its districts, on "
            "the mid-year the force's rates use.",
            "offences recorded in the partnership in the 12 months",
            "ONS mid-year estimates of the partnership's districts, added up",
            "per 1,000 people",
            minimum,
            "neutral",
            "year endings (rates are not put on an SPC chart)",
            "Home Office police recorded crime (CSP edition); ONS mid-year population estimates by local authority",
        ),
        "charge_rate": Measure(
            "charge_rate",
            "Charge or summons rate",
            f"Outcomes of type {charge} (charged or summonsed) as a share of all assigned outcomes.",
            f"outcomes of type {charge} (charged or summonsed)",
            assigned,
            "percent",
            minimum,
            "increase",
            shares,
            OUTCOMES_SOURCE,
            column,
            settings.targets.charge_rate,
        ),
        "conviction_rate": Measure(
            "conviction_rate",
            "Conviction rate",
            "Convictions as a share of prosecutions completed, in the force's or CPS Area's own return.",
            "convictions",
            "prosecutions completed",
            "percent",
            minimum,
            "increase",
            shares,
            "local prosecutions and orders return (not official statistics)",
        ),
        "orders_granted": Measure(
            "orders_granted",
            "Stalking Protection Orders granted",
            "Full and interim Stalking Protection Orders granted in the 12 months, from the force's own return.",
            "orders granted (full and interim)",
            None,
            "orders",
            None,
            "neutral",
            "the months or quarters of the return",
            "local prosecutions and orders return (not official statistics)",
        ),
        "victim_does_not_support": Measure(
            "victim_does_not_support",
            "Victim does not support action",
            f"Outcomes of types {victim} (evidential difficulties: the victim does not support action) as a share "
            "of all assigned outcomes.",
            f"outcomes of types {victim}",
            assigned,
            "percent",
            minimum,
            "decrease",
            shares,
            OUTCOMES_SOURCE,
            column,
        ),
    }


def spc_months(recorded: pd.DataFrame, force: str, granularity: str) -> int | None:
    """Months per period of the "is it changing?" reading: 1 where months are asked for and loaded, else 3."""
    return trends.months_for(recorded, force, "month" if granularity == "month" else "quarter")


# ---- "how many?" and "is it changing?" for recorded crime ----------------------------------------


@dataclass(frozen=True)
class RecordedReading:
    """Recorded offences of some categories for the chosen force: the year ending and the variation."""

    comparison: metrics.YearEndingComparison | None  # latest year ending against the one before
    total_months: int  # months per period of the source the year endings come from
    series: pd.DataFrame  # period_start, count: the periods the SPC reading uses, in the filters' period
    control: trends.Control | None
    spc_months: int


def recorded(inputs: Inputs, codes: Sequence[str]) -> RecordedReading | None:
    """The two readings of recorded crime for ``codes``; None when nothing is loaded for the force."""
    chosen = inputs.filters
    total_months = trends.months_for(inputs.recorded, chosen.force, "year_ending")
    months = spc_months(inputs.recorded, chosen.force, chosen.granularity)
    if total_months is None or months is None:
        return None
    totals = trends.in_period(
        trends.counts(inputs.recorded, chosen.force, codes, total_months), chosen.start, chosen.end
    )
    observed = totals.dropna()
    comparison = metrics.compare_year_ending(observed, total_months) if len(observed) else None
    series = trends.in_period(trends.counts(inputs.recorded, chosen.force, codes, months), chosen.start, chosen.end)
    control = trends.control(series, inputs.settings.series_breaks)
    return RecordedReading(comparison, total_months, series, control, months)


def places(inputs: Inputs) -> place_figures.PlacesTable | None:
    """The home force's partnerships for the latest year ending the chosen period reaches, beside the force and
    England and Wales.

    The counts and rates are :data:`definitions` ``csp_recorded`` and ``csp_rate_per_1000`` for the
    filters' categories; the comparison rates are ``rate_per_1000``. None when no CSP edition is loaded.
    """
    settings, force = inputs.settings, inputs.settings.home_force
    if inputs.places is None or inputs.places.empty:
        return None
    inputs = inputs.to_period_end()
    if inputs.places.empty:
        return None
    codes = trends.codes_for(settings, trends.selection(settings, inputs.filters.categories))
    areas = [force, rates.NATIONAL]
    comparison = rates.year_ending_rates(inputs.recorded, inputs.population, settings, areas, codes, inputs.published)
    return place_figures.table(inputs.places, inputs.district_population, comparison.frame, settings, force, codes)


# ---- shares of outcomes --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareReading:
    """A share of assigned outcomes for the chosen force: each quarter, the latest year ending and the variation."""

    measure: Measure
    quarters: pd.DataFrame  # period_start (Timestamp), numerator, denominator, percent (missing on a small base)
    share: float | None  # the latest year ending's share, a fraction; None on a small base
    previous: float | None  # the year before's
    end: dt.date | None  # the last day of the latest year ending
    numerator: int  # the latest year ending's numerator and denominator
    denominator: int
    control: trends.Control | None  # XmR of the quarterly percents, rebased at the series breaks

    @property
    def period(self) -> str:
        """'year ending June 2025', or 'latest year' without a full year."""
        return periods.year_ending_label(self.end) if self.end else "latest year"


def _share_reading(inputs: Inputs, measure: Measure, numerator: str) -> ShareReading | None:
    settings, filters = inputs.settings, inputs.filters
    rows = outcome_figures.outcome_rows(inputs, (filters.force,))
    totals = outcome_figures.outcome_totals(rows, settings, measure.count_column, by=["period_start"])
    if totals.empty:
        return None
    full = outcome_figures.contiguous(totals, [numerator, "assigned"])
    # A quarter with rows but none assigned yet (only type 0) has no outcomes, which is not the same as no figures.
    present = full["period_start"].isin(set(rows["period_start"]))
    full.loc[present, [numerator, "assigned"]] = full.loc[present, [numerator, "assigned"]].fillna(0)
    full = outcome_figures.in_period(full, filters).reset_index(drop=True)
    if full.empty:
        return None
    quarters = pd.DataFrame(
        {"period_start": full["period_start"], "numerator": full[numerator], "denominator": full["assigned"]}
    )
    return _share_of(measure, quarters, settings)


def _share_of(measure: Measure, quarters: pd.DataFrame, settings: Settings) -> ShareReading:
    """A share's reading from its quarters (``period_start``, ``numerator``, ``denominator``, every quarter present)."""
    quarters = quarters.reset_index(drop=True)
    minimum = measure.minimum_base or 0
    quarters["percent"] = (
        100 * quarters["numerator"] / quarters["denominator"].where(quarters["denominator"] >= minimum)
    )
    quarters["percent"] = quarters["percent"].astype(float).round(1)
    years = quarters[["numerator", "denominator"]].rolling(4, min_periods=4).sum()
    full_years = years.dropna()
    share = previous = end = None
    top = bottom = 0
    if len(full_years):
        last = full_years.index[-1]
        top, bottom = int(years.at[last, "numerator"]), int(years.at[last, "denominator"])
        share = top / bottom if bottom >= minimum and bottom > 0 else None
        end = periods.period_end(pd.Timestamp(quarters.at[last, "period_start"]).date(), QUARTERLY)
        if last - 4 in full_years.index:
            before_top, before_bottom = years.at[last - 4, "numerator"], years.at[last - 4, "denominator"]
            previous = before_top / before_bottom if before_bottom >= minimum and before_bottom > 0 else None
    series = pd.DataFrame(
        {"period_start": [pd.Timestamp(s).date() for s in quarters["period_start"]], "count": quarters["percent"]}
    )
    control = (
        trends.control(series, settings.series_breaks, improvement=measure.improvement)
        if series["count"].notna().any()
        else None
    )
    return ShareReading(measure, quarters, share, previous, end, top, bottom, control)


def charge_rate(inputs: Inputs) -> ShareReading | None:
    """The charge or summons rate of the chosen force and categories, in the chosen outcomes count."""
    measure = definitions(inputs.settings, inputs.filters.outcome_count)["charge_rate"]
    return _share_reading(inputs, measure, "charged")


def victim_does_not_support(inputs: Inputs) -> ShareReading | None:
    """The share of outcomes where the victim did not support action, for the chosen force and categories."""
    measure = definitions(inputs.settings, inputs.filters.outcome_count)["victim_does_not_support"]
    return _share_reading(inputs, measure, outcome_figures.VICTIM_GROUP)


def conviction_rate(inputs: Inputs, area: str) -> ShareReading | None:
    """Convictions as a share of prosecutions completed in the local return, for ``area`` (a force or a CPS Area)."""
    from dashboard.figures import prosecutions as prosecution_figures

    rows = outcome_figures.in_period(prosecution_figures.return_quarters(inputs.prosecutions, area), inputs.filters)
    if rows.empty:
        return None
    wide = rows.pivot_table(index="period_start", columns="measure", values="value", aggfunc="sum").reset_index()
    if prosecution_figures.PROSECUTIONS not in wide or prosecution_figures.CONVICTIONS not in wide:
        return None
    wide = outcome_figures.contiguous(wide, [prosecution_figures.CONVICTIONS, prosecution_figures.PROSECUTIONS])
    quarters = pd.DataFrame(
        {
            "period_start": wide["period_start"],
            "numerator": wide[prosecution_figures.CONVICTIONS],
            "denominator": wide[prosecution_figures.PROSECUTIONS],
        }
    )
    measure = definitions(inputs.settings, inputs.filters.outcome_count)["conviction_rate"]
    return _share_of(measure, quarters, inputs.settings)


@dataclass(frozen=True)
class OrdersReading:
    """Stalking Protection Orders granted to the chosen force: the latest year ending, split full and interim."""

    comparison: metrics.YearEndingComparison
    full: int
    interim: int
    series: pd.DataFrame  # period_start, count (full and interim together), in the filters' period
    months: int  # 1 where the return gives months, else 3


ORDER_MEASURES = ("spo_full_granted", "spo_interim_granted")


def orders_granted(inputs: Inputs) -> OrdersReading | None:
    """Orders granted (full and interim) to the chosen force in its own return; None without a full year of them."""
    returned = inputs.prosecutions
    if returned.empty:
        return None
    rows = returned[(returned["area"] == inputs.filters.force) & returned["measure"].isin(ORDER_MEASURES)]
    if rows.empty:
        return None
    months = trends.MONTHLY if (rows["granularity"] == "month").any() else trends.QUARTERLY
    by_period = rows.pivot_table(index="period_start", columns="measure", values="value", aggfunc="sum").fillna(0)
    starts = [pd.Timestamp(v).date() for v in by_period.index]
    frame = pd.DataFrame({"period_start": starts, "count": by_period.sum(axis=1).to_numpy()})
    frame = trends.in_period(frame, inputs.filters.start, inputs.filters.end)
    comparison = metrics.compare_year_ending(frame, months) if len(frame) else None
    if comparison is None:
        return None
    first = periods.add_months(comparison.end.replace(day=1), -11)
    year = [s for s in frame["period_start"] if first <= s <= comparison.end]
    by_period.index = starts
    full = int(by_period.loc[year].get("spo_full_granted", pd.Series(dtype=float)).sum())
    interim = int(by_period.loc[year].get("spo_interim_granted", pd.Series(dtype=float)).sum())
    return OrdersReading(comparison, full, interim, frame, months)


@dataclass(frozen=True)
class AwaitingReading:
    """Offences of the latest quarter still awaiting an outcome (type 0): a backlog, never an outcome."""

    quarter: str  # '2026/27 Q1', the quarter the offences were recorded in
    awaiting: int
    recorded: int  # all offences of that quarter in the same count


def awaiting_outcome(inputs: Inputs) -> AwaitingReading | None:
    """The backlog of the chosen force's latest quarter, in the one count that holds type 0 (outcomes for offences)."""
    rows = outcome_figures.outcome_rows(inputs, (inputs.filters.force,))
    if rows.empty:
        return None
    backlog = outcome_figures.in_period(outcome_figures.backlog_totals(rows, inputs.settings), inputs.filters)
    if backlog.empty:
        return None
    latest = backlog.iloc[-1]
    return AwaitingReading(
        periods.quarter_label(latest["period_start"]), int(latest["not_yet_assigned"]), int(latest["all"])
    )
