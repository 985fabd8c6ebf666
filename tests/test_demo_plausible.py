"""The demo looks like real data: forces differ, series are noisy, and the home force shows a few genuine signals.

Exact values of the seeded demo built as at DEMO_AS_OF (the readings the pages show, from the measures layer).
The home force's signals are the ones the demo means to show: the published growth of 2014-2018 in its recorded
crime, and in its charge rate the dip when malicious communications joined the count (2017) and one genuine
step up from July 2021; not a special cause at every point.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from dashboard.figures import measures
from dashboard.figures import outcomes as outcome_figures
from data_loaders.sources import outcomes as outcome_table

HOME = "Devon and Cornwall"
# (points flagged, points) on the home force's "is it changing?" charts over the whole demo period.
RECORDED_QUARTERLY_SIGNALS = (14, 45)  # all in 2014-2018, when the published counts grew fourfold
RECORDED_MONTHLY_SIGNALS = (13, 91)
CHARGE_RATE_SIGNALS = (13, 45)
VICTIM_SIGNALS = (4, 45)


def at(inputs, **changes):
    return replace(inputs, filters=replace(inputs.filters, **changes))


def flagged(control) -> tuple[int, int]:
    frame = control.frame
    return int((frame["special_cause_type"] != "Common Cause").sum()), len(frame)


def test_the_home_force_shows_a_few_signals_not_one_at_every_point(demo_inputs):
    codes = demo_inputs.settings.total_codes
    assert flagged(measures.recorded(at(demo_inputs, granularity="quarter"), codes).control) == (
        RECORDED_QUARTERLY_SIGNALS
    )
    assert flagged(measures.recorded(at(demo_inputs, granularity="month"), codes).control) == RECORDED_MONTHLY_SIGNALS
    charge = measures.charge_rate(demo_inputs).control.frame
    assert flagged(measures.charge_rate(demo_inputs).control) == CHARGE_RATE_SIGNALS
    assert flagged(measures.victim_does_not_support(demo_inputs).control) == VICTIM_SIGNALS
    signals = charge[charge["special_cause_type"] != "Common Cause"]
    assert [f"{x:%Y-%m}" for x in signals["x"]] == [
        "2017-07", "2017-10",  # malicious communications join the count
        "2020-04", "2020-07", "2020-10", "2021-01", "2021-04",  # below, then the step up from July 2021
        "2021-07", "2021-10", "2022-01", "2022-04", "2023-01", "2023-04",
    ]  # fmt: skip


def test_victim_does_not_support_differs_across_the_peers(demo_inputs):
    settings = demo_inputs.settings
    shares = {
        force: round(measures.victim_does_not_support(at(demo_inputs, force=force)).share, 4)
        for force in (HOME, *settings.peers)
    }
    assert len(set(shares.values())) == len(shares) == 7
    assert (shares["Dorset"], shares["Wiltshire"]) == (0.5617, 0.3008)
    assert shares[HOME] == 0.5944


def test_charge_rates_change_in_both_directions_across_forces(demo_inputs):
    settings = demo_inputs.settings
    readings = {force: measures.charge_rate(at(demo_inputs, force=force)) for force in (HOME, *settings.peers)}
    changes = {force: int(np.sign(r.share - r.previous)) for force, r in readings.items()}
    assert changes == {
        HOME: -1, "Avon and Somerset": -1, "Dorset": 1, "Gloucestershire": -1,
        "Wiltshire": -1, "Hampshire": 1, "Cumbria": -1,
    }  # fmt: skip
    assert (round(readings["Dorset"].share, 4), round(readings["Cumbria"].share, 4)) == (0.0742, 0.0259)


def test_no_force_is_a_straight_line(demo_inputs):
    """Every force's quarterly counts and charge rates rise and fall from quarter to quarter."""
    settings = demo_inputs.settings
    recorded = demo_inputs.recorded
    quarters = recorded[(recorded["month"] == 0) & recorded["force"].isin(settings.territorial_forces)]
    counts = quarters.groupby(["force", "period_start"])["count"].sum()
    totals = outcome_figures.outcome_totals(
        demo_inputs.outcomes[demo_inputs.outcomes["force"].isin(settings.territorial_forces)],
        settings,
        outcome_table.RECORDED,
        by=["force", "period_start"],
    ).set_index(["force", "period_start"])
    rates = totals["charged"] / totals["assigned"]
    for force in settings.territorial_forces:
        for series in (counts.loc[force], rates.loc[force]):
            steps = np.sign(np.diff(series.to_numpy(dtype=float)))
            assert {-1, 1} <= set(steps), force
