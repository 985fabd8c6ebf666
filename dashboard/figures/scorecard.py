"""The Panel's one page: every headline measure with its latest figure, change, plain reading and icon; then
the overdue recommendations and the statutory response deadlines still open.

The meeting pack's second page and presentation mode's first slide are set from :func:`scorecard`, so
the two always agree; every figure comes from :mod:`dashboard.figures.measures`. Pure: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard.charts.catalogue import Inputs
from dashboard.figures import measures, metrics, overview, spc, trends
from dashboard.words import messages, readings


@dataclass(frozen=True)
class Row:
    """One measure on the scorecard."""

    measure: str
    latest: str  # "12,143" or "7.2%"
    period: str  # "Year ending June 2025"
    change: str  # "+9% (+1,014)", "-1.2 percentage points", "No change", "No earlier year"
    reading: str  # one plain line: the variation reading, or the change in words where there is none
    variation: str | None = None  # the variation icon (spc.variation_icon); None: no SPC reading
    assurance: str | None = None  # the assurance icon where the measure has a target


@dataclass(frozen=True)
class Overdue:
    """An overdue recommendation, as short as the page allows."""

    report: str
    reference: str
    text: str
    due: dt.date
    days_overdue: int
    status: str  # the status category, never the source's own word


@dataclass(frozen=True)
class Deadline:
    """A statutory 56-day response not yet published."""

    report: str
    due: dt.date
    where: str  # "12 days left", "overdue by 3 days"


@dataclass(frozen=True)
class Scorecard:
    force: str
    rows: tuple[Row, ...]
    overdue: tuple[Overdue, ...]
    recommendations: int  # all recommendations loaded
    deadlines: tuple[Deadline, ...]


TEXT_LENGTH = 110  # characters of a recommendation's text on the page


def _short(text: object, length: int = TEXT_LENGTH) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= length else words[: length - 1].rsplit(" ", 1)[0] + "\u2026"


def _recorded_row(inputs: Inputs, name: str, categories: tuple[str, ...]) -> Row | None:
    reading = measures.recorded(inputs, trends.codes_for(inputs.settings, categories))
    if reading is None or reading.comparison is None or reading.comparison.current is None:
        return None
    comparison = reading.comparison
    delta, _ = overview.delta_text(comparison)
    subject = f"recorded {trends.lower_first(name)} offences"
    variation = spc.variation_icon(reading.control.frame) if reading.control else None
    words = (
        readings.variation(subject, reading.control.frame, "neutral", reading.spc_months, plural=True)
        if reading.control
        else messages.change_sentence(name, comparison)
    )
    return Row(
        name,
        metrics.format_count(comparison.current),
        f"Year ending {comparison.end:%B %Y}",
        delta or "No earlier year",
        words,
        variation,
    )


def _share_row(reading: measures.ShareReading | None, name: str) -> Row | None:
    if reading is None or reading.share is None:
        return None
    target = reading.measure.target
    points = messages.points_change(reading.share, reading.previous)
    change = "No earlier year" if points is None else "No change" if points == 0 else str(points)
    control, improvement = reading.control, reading.measure.improvement
    variation = spc.variation_icon(control.frame) if control else None
    subject = readings.SHARE_SUBJECTS[reading.measure.key]
    words = readings.share_reading(subject, control.frame, improvement, target)[0] if control else ""
    assurance = spc.assurance(control.frame, target, improvement) if target is not None and control else None
    return Row(
        name, messages.share_text(reading.share), reading.period[:1].upper() + reading.period[1:], change, words,
        variation, assurance,
    )  # fmt: skip


def _orders_row(inputs: Inputs) -> Row | None:
    reading = measures.orders_granted(inputs)
    if reading is None or reading.comparison.current is None:
        return None
    comparison = reading.comparison
    delta, _ = overview.delta_text(comparison)
    sentence = overview.orders_sentence(comparison, reading.full, reading.interim) or ""
    return Row(
        overview.ORDERS_TITLE,
        metrics.format_count(comparison.current),
        f"Year ending {comparison.end:%B %Y}",
        delta or "No earlier year",
        sentence,
    )


def measure_rows(inputs: Inputs) -> tuple[Row, ...]:
    """A row per measure loaded for the chosen force: the total, each category, the two shares, orders granted."""
    settings = inputs.settings
    rows = [_recorded_row(inputs, settings.total_label, trends.total_categories(settings))]
    rows += [_recorded_row(inputs, category, (category,)) for category in settings.categories]
    rows.append(_share_row(measures.charge_rate(inputs), overview.CHARGE_TITLE))
    rows.append(_share_row(measures.victim_does_not_support(inputs), "Victim does not support action"))
    rows.append(_orders_row(inputs))
    return tuple(row for row in rows if row is not None)


def overdue_rows(recommendations: pd.DataFrame | None, today: dt.date) -> tuple[Overdue, ...]:
    """The overdue recommendations, most overdue first (the ``overdue`` flag is the query's, as of its day)."""
    if recommendations is None or recommendations.empty:
        return ()
    late = recommendations[recommendations["overdue"].astype(bool)].copy()
    late["due"] = pd.to_datetime(late["due_date"])
    late = late.sort_values(["due", "report", "reference"], kind="stable")
    return tuple(
        Overdue(
            _short(row.report.split(":")[0], 48),
            str(row.reference),
            _short(row.text),
            row.due.date(),
            (today - row.due.date()).days,
            str(row.status_category),
        )
        for row in late.itertuples()
    )


def deadline_rows(reports: pd.DataFrame | None) -> tuple[Deadline, ...]:
    """The statutory responses not yet published (days left or overdue), soonest first."""
    if reports is None or reports.empty:
        return ()
    open_ = reports[reports["response_state"].isin(["days left", "overdue"])]
    open_ = open_.sort_values("response_due", kind="stable")
    return tuple(
        Deadline(_short(str(row.title).split(":")[0], 60), pd.Timestamp(row.response_due).date(), row.response_label)
        for row in open_.itertuples()
    )


def scorecard(inputs: Inputs, reports: pd.DataFrame | None = None, today: dt.date | None = None) -> Scorecard:
    """The Panel's one page for the chosen force, with recommendations and deadlines as of ``today``."""
    today = today or dt.date.today()
    recommendations = inputs.recommendations
    return Scorecard(
        inputs.filters.force,
        measure_rows(inputs),
        overdue_rows(recommendations, today),
        0 if recommendations is None else len(recommendations),
        deadline_rows(reports),
    )
