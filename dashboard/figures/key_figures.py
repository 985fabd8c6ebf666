"""The key figures above the Outcomes and Prosecutions pages: latest year ending against the one before."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.charts.catalogue import Inputs
from dashboard.figures import measures, metrics
from dashboard.figures import outcomes as outcome_figures
from dashboard.figures import prosecutions as prosecution_figures
from dashboard.words import messages
from dashboard.words import outcomes as outcome_words
from data_loaders import periods
from data_loaders.sources import outcomes as outcome_table


@dataclass(frozen=True)
class KeyFigure:
    """One headline number: the latest year ending, its change on the year before, and a sentence."""

    label: str
    value: str
    delta: str | int | None  # the change on the year before; 0 for none
    delta_color: str  # "normal": up is good; "inverse": up is bad; "off": no good direction
    help: str
    sentence: str


def year_ending(quarters: pd.DataFrame, column: str) -> metrics.YearEndingComparison | None:
    """The latest year ending of ``column`` against the one before, from quarterly rows with ``period_start``."""
    if quarters.empty:
        return None
    series = pd.DataFrame(
        {"period_start": [pd.Timestamp(s).date() for s in quarters["period_start"]], "count": quarters[column]}
    )
    return metrics.compare_year_ending(series, 3)


def outcome_key_figures(inputs: Inputs) -> list[KeyFigure]:
    """Charge rate, victim-does-not-support share and outcomes for the latest year ending; the latest backlog."""
    settings, filters = inputs.settings, inputs.filters
    column = outcome_figures.count_column(filters)
    rows = outcome_figures.outcome_rows(inputs, (filters.force,))
    totals = outcome_figures.outcome_totals(rows, settings, column, by=["period_start"])
    if totals.empty:
        return []
    quarters = outcome_figures.in_period(
        outcome_figures.contiguous(totals, ["charged", outcome_figures.VICTIM_GROUP, "assigned"]), filters
    )
    used = outcome_figures.count_used(settings, column)
    figures = []
    charge = measures.charge_rate(inputs)
    period = charge.period if charge else "latest year"
    for reading, label, words, direction, what in (
        (charge, "Charge rate", "charges or summonses", "normal", "Charged or summonsed"),
        (
            measures.victim_does_not_support(inputs),
            "Victim does not support",
            "closed because the victim did not support action",
            "inverse",
            "Outcomes where the victim did not support action",
        ),
    ):
        share, before = (reading.share, reading.previous) if reading else (None, None)
        figures.append(
            KeyFigure(
                label,
                messages.share_text(share),
                messages.points_change(share, before),
                direction,
                f"{what} as a share of assigned outcomes, {period}. {used}.",
                outcome_words.outcome_share_sentence(words, share, before, period, filters.outcome_count),
            )
        )
    assigned = year_ending(quarters, "assigned")
    figures.append(
        KeyFigure(
            "Outcomes assigned" if filters.outcome_count == "recorded" else "Outcomes so far",
            metrics.format_count(assigned.current) if assigned else "no figure",
            percent_delta(assigned),
            "off",
            f"All assigned outcomes (crimes still being investigated are not counted), {period}. {used}.",
            "",
        )
    )
    awaiting = measures.awaiting_outcome(inputs)
    if awaiting is not None:
        figures.append(
            KeyFigure(
                "Awaiting an outcome",
                f"{awaiting.awaiting:,}",
                None,
                "off",
                f"Offences recorded in {awaiting.quarter} still being investigated: not an outcome, so in no share. "
                f"{outcome_figures.count_used(settings, outcome_table.FOR_OFFENCES_RECORDED)}.",
                "",
            )
        )
    return figures


def percent_delta(comparison: metrics.YearEndingComparison | None) -> str | int | None:
    """The percentage change, signed; the number 0 when there is no change (shown grey, no arrow)."""
    if comparison is None or comparison.percent_change is None:
        return None
    return 0 if comparison.change == 0 else metrics.format_percent_change(comparison.percent_change)


def key_figures_area(inputs: Inputs) -> str | None:
    """The area the prosecutions key figures describe: the force when its return is loaded, else its CPS Area."""
    if inputs.prosecutions.empty:
        return None
    loaded = set(inputs.prosecutions["area"])
    for area in (inputs.filters.force, *inputs.settings.cps_areas_of(inputs.filters.force)):
        if area in loaded:
            return area
    return None


def prosecution_key_figures(inputs: Inputs) -> list[KeyFigure]:
    """Prosecutions, convictions, conviction rate, full orders and breaches: latest year ending against the previous."""
    settings = inputs.settings
    area = key_figures_area(inputs)
    if area is None:
        return []
    rows = outcome_figures.in_period(prosecution_figures.return_quarters(inputs.prosecutions, area), inputs.filters)
    if rows.empty:
        return []
    wide = rows.pivot_table(index="period_start", columns="measure", values="value", aggfunc="sum").reset_index()
    wide = outcome_figures.contiguous(wide, [c for c in wide.columns if c != "period_start"])
    labels = {m.key: m.label for m in settings.prosecution_measures}
    where = area if area == inputs.filters.force else prosecution_figures.cps_area_label(settings, area)
    figures = []
    for key in (
        prosecution_figures.PROSECUTIONS,
        prosecution_figures.CONVICTIONS,
        prosecution_figures.SPO_FULL,
        prosecution_figures.SPO_BREACHES,
    ):
        if key not in wide or wide[key].notna().sum() == 0:
            continue
        comparison = year_ending(wide.dropna(subset=[key]) if key.startswith("spo") else wide, key)
        figures.append(
            KeyFigure(
                labels.get(key, key),
                metrics.format_count(comparison.current) if comparison else "no figure",
                percent_delta(comparison),
                "off",
                f"{where}, {periods.year_ending_label(comparison.end) if comparison else 'latest year'}.",
                outcome_words.change_sentence(f"{labels.get(key, key)} in {area}", comparison),
            )
        )
        if key == prosecution_figures.CONVICTIONS and prosecution_figures.PROSECUTIONS in wide:
            reading = measures.conviction_rate(inputs, area)
            rate, before = (reading.share, reading.previous) if reading else (None, None)
            period = reading.period if reading else "latest year"
            figures.append(
                KeyFigure(
                    "Conviction rate",
                    messages.share_text(rate),
                    messages.points_change(rate, before),
                    "normal",
                    f"Convictions as a share of prosecutions completed, {where}, {period}.",
                    outcome_words.conviction_sentence(area, rate, before, period),
                )
            )
    return figures
