"""Figures of the local prosecutions and orders return: an area's quarters, the CPS Areas a force is in.

Pure pandas. The return is supplied by the force or its CPS Area (not official statistics); an Area's
figures cover several forces and stay at Area level.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.charts.catalogue import Inputs
from dashboard.figures import outcomes as outcome_figures
from data_loaders.settings import Settings

PROSECUTIONS = "prosecutions_completed"

CONVICTIONS = "convictions"

SPO_FULL = "spo_full_granted"

SPO_BREACHES = "spo_breaches"


def join_names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def cps_forces(settings: Settings, area: str) -> tuple[str, ...]:
    """The forces a CPS Area covers (none for a name that is not a CPS Area)."""
    return next((a.forces for a in settings.cps_areas if a.name == area), ())


def cps_area_label(settings: Settings, area: str) -> str:
    """'CPS South West (covers Avon and Somerset, Devon and Cornwall and Gloucestershire)'."""
    forces = cps_forces(settings, area)
    return f"{area} (covers {join_names(forces)})" if forces else area


def area_words(settings: Settings, areas: Sequence[str]) -> str:
    """What the figures of ``areas`` are: a force's own, or a CPS Area's that covers several forces."""
    sentences = []
    for area in areas:
        forces = cps_forces(settings, area)
        if forces:
            sentences.append(f"{area}: a CPS Area covering {join_names(forces)}.")
        else:
            sentences.append(f"{area}: the force's own figures.")
    return " ".join(sentences)


def series_label(settings: Settings, area: str) -> str:
    """A short legend name: 'Devon and Cornwall (force)' or 'CPS South West (CPS Area, 3 forces)'."""
    forces = cps_forces(settings, area)
    return f"{area} (CPS Area, {len(forces)} forces)" if forces else f"{area} (force)"


def return_quarters(prosecutions: pd.DataFrame, area: str) -> pd.DataFrame:
    """An area's return by quarter: ``period_start``, ``measure``, ``value``, ``from_months``.

    Quarterly figures are used as supplied. Where an area supplied only monthly figures for a
    quarter and measure, the three months are summed (never when one is missing, and never added
    to a quarterly figure).
    """
    rows = prosecutions[prosecutions["area"] == area]
    quarterly = rows[rows["granularity"] == "quarter"][["period_start", "measure", "value"]].assign(from_months=False)
    monthly = rows[rows["granularity"] == "month"]
    if not monthly.empty:
        # Financial quarters start in April, July, October and January: months 1, 4, 7 and 10.
        starts = [s - pd.DateOffset(months=(s.month - 1) % 3) for s in monthly["period_start"]]
        summed = (
            monthly.assign(period_start=starts)
            .groupby(["period_start", "measure"], as_index=False)
            .agg(value=("value", "sum"), months=("value", "size"))
        )
        summed = summed[summed["months"] == 3].drop(columns="months").assign(from_months=True)
        have = set(zip(quarterly["period_start"], quarterly["measure"], strict=True))
        summed = summed[[(s, m) not in have for s, m in zip(summed["period_start"], summed["measure"], strict=True)]]
        quarterly = pd.concat([quarterly, summed], ignore_index=True)
    return quarterly.sort_values(["period_start", "measure"]).reset_index(drop=True)


def court_measures(settings: Settings) -> list[str]:
    """The return's court measures (charges, prosecutions, convictions): those with no start date."""
    return [m.key for m in settings.prosecution_measures if m.available_from is None]


def spo_measures(settings: Settings) -> list[str]:
    """The Stalking Protection Order measures: those available only from a date."""
    return [m.key for m in settings.prosecution_measures if m.available_from is not None]


def conviction_rates(inputs: Inputs, area: str) -> pd.DataFrame:
    """An area's quarterly prosecutions completed, convictions and conviction rate (percent; none on a small base)."""
    rows = outcome_figures.in_period(return_quarters(inputs.prosecutions, area), inputs.filters)
    if rows.empty:
        return pd.DataFrame(columns=["period_start", PROSECUTIONS, CONVICTIONS, "rate"])
    wide = rows.pivot_table(index="period_start", columns="measure", values="value", aggfunc="sum")
    if PROSECUTIONS not in wide or CONVICTIONS not in wide:
        return pd.DataFrame(columns=["period_start", PROSECUTIONS, CONVICTIONS, "rate"])
    wide = wide[[PROSECUTIONS, CONVICTIONS]].dropna().astype(int).reset_index()
    wide.columns.name = None
    wide["rate"] = outcome_figures.percent_of(
        wide[CONVICTIONS], wide[PROSECUTIONS], inputs.settings.suppression.minimum_base
    ).round(1)
    return wide
