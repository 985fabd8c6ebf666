"""The Overview's key messages and cards: true for rises, falls, no change, signals and too little data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from test_trends import month_rows, population, quarter_rows, table

from dashboard.charts import catalogue
from dashboard.figures import measures, overview, trends
from dashboard.figures.metrics import YearEndingComparison
from dashboard.figures.selection import Filters
from data_loaders import periods
from data_loaders.settings import SeriesBreak

D = dt.date


def control(values: list[float], *, rebase: dt.date | None = None) -> trends.Control:
    starts = [periods.add_months(D(2021, 1, 1), i) for i in range(len(values))]
    series = pd.DataFrame({"period_start": starts, "count": [float(v) for v in values]})
    breaks = [SeriesBreak(rebase, "Counting change", "", True)] if rebase else []
    return trends.control(series, breaks)


STEADY = [10, 11, 10, 12, 11, 10, 12, 11, 10, 11, 12, 10, 11, 10, 12, 11]


# ---- sentences ---------------------------------------------------------------------------------


def test_a_quiet_series_reads_as_usual_variation_since_the_break():
    sentence = overview.variation_sentence("stalking", control([30, 31, *STEADY], rebase=D(2021, 3, 1)), 1)
    assert sentence == (
        "Recorded stalking offences are within their usual range: the last 16 months went up and down only as much "
        "as chance would. Judged from March 2021, when the counting rules last changed."
    )
    unbroken = overview.variation_sentence("stalking", control(STEADY), 3)
    assert unbroken == (
        "Recorded stalking offences are within their usual range: the last 16 quarters went up and down only as "
        "much as chance would."
    )


def test_a_signal_is_described_in_plain_words():
    sentence = overview.variation_sentence("stalking", control([*STEADY, 40]), 1)
    assert sentence == (
        "Recorded stalking offences are unusually high: the latest month (May 2022) was beyond the highest level "
        "expected by chance."
    )
    assert "special cause" not in sentence and "process limit" not in sentence


def test_too_little_data_says_so():
    assert overview.variation_sentence("stalking", None, 1) == "There are no monthly figures for stalking to judge yet."
    short = overview.variation_sentence("stalking", control([10, 11, 12, 10]), 1)
    assert short.endswith("An early judgement: only 4 months so far.")
    one = overview.variation_sentence("stalking", control([10]), 1)
    assert one == (
        "Recorded stalking offences cannot be judged yet: too few months, or too little change between them, to set "
        "a usual range."
    )


def test_variation_line_has_the_icon_and_its_label():
    assert overview.variation_line(control(STEADY), 1) == (
        ":mdc/variation/common_cause: Usual variation (monthly, since Jan 2021)"
    )
    assert overview.variation_line(control([*STEADY, 40]), 3) == (
        ":mdc/variation/neutral_high: Unusually high (quarterly, since Jan 2021)"
    )
    assert overview.variation_line(None, 1) == "Variation: no figures to judge."


@pytest.mark.parametrize(
    ("peers", "expected"),
    [
        ({"A": 9.0, "B": 12.0}, "All 2 of its peer forces recorded a higher rate than Kent."),
        ({"A": 3.0}, "Its peer force recorded a lower rate than Kent."),
        ({"A": 9.0, "B": 3.0, "C": 4.0}, "Of its 3 peer forces, 1 recorded a higher rate and 2 a lower one."),
        (
            {"A": 9.0, "B": 5.04, "C": 1.0},
            "Of its 3 peer forces, 1 recorded a higher rate, 1 a lower one and 1 the same.",
        ),
        ({"A": 9.0, "B": None}, "Its peer force recorded a higher rate than Kent (no rate for B)."),
    ],
)
def test_peer_sentence(peers, expected):
    assert overview.peer_sentence("Kent", 5.0, peers) == expected


def test_no_peer_sentence_without_peers_or_a_rate():
    assert overview.peer_sentence("Kent", 5.0, {}) is None
    assert overview.peer_sentence("Kent", None, {"A": 1.0}) is None
    assert overview.peer_sentence("Kent", 5.0, {"A": None}) is None


def test_charge_sentence_names_the_count():
    period, label = "year ending March 2025", "Outcomes assigned in the quarter"
    assert overview.charge_sentence(0.07, 0.09, period, label) == (
        "Charges or summonses were 7.0% of outcomes in the year ending March 2025 (outcomes assigned in the quarter), "
        "down from 9.0% the year before."
    )
    assert overview.charge_sentence(0.10, 0.07, period, label).endswith("up from 7.0% the year before.")
    assert overview.charge_sentence(0.0711, 0.0709, period, label).endswith("the same as the year before.")
    assert overview.charge_sentence(0.07, None, period, label).endswith("(outcomes assigned in the quarter).")
    assert overview.charge_sentence(None, None, period, label) == (
        "No outcomes were assigned in the year ending March 2025, so no charge rate can be given."
    )


def test_orders_sentence():
    end = D(2025, 3, 31)
    assert overview.orders_sentence(YearEndingComparison(end, 14, 9), 10, 4) == (
        "14 Stalking Protection Orders were granted in the year ending March 2025 (10 full, 4 interim), up from 9 the "
        "year before."
    )
    assert overview.orders_sentence(YearEndingComparison(end, 1, 3), 1, 0).startswith(
        "1 Stalking Protection Order was granted"
    )
    assert overview.orders_sentence(YearEndingComparison(end, 5, 5), 5, 0).endswith("the same as the year before.")
    assert overview.orders_sentence(YearEndingComparison(end, 5, None), 5, 0).endswith("(5 full, 0 interim).")
    assert overview.orders_sentence(None, None, None) is None


def test_delta_text():
    assert overview.delta_text(YearEndingComparison(D(2025, 3, 31), 1624, 1490)) == ("+9% (+134)", 134)
    assert overview.delta_text(YearEndingComparison(D(2025, 3, 31), 90, 100)) == ("-10% (-10)", -10)
    assert overview.delta_text(YearEndingComparison(D(2025, 3, 31), 5, 0)) == ("+5", 5)
    assert overview.delta_text(YearEndingComparison(D(2025, 3, 31), 5, 5)) == ("No change", 0)
    assert overview.delta_text(YearEndingComparison(D(2025, 3, 31), 5, None)) == (None, None)
    assert overview.delta_text(None) == (None, None)


# ---- the whole summary -------------------------------------------------------------------------


def outcome_rows(force: str, first: dt.date, charged: list[int], other: list[int], waiting: int = 0) -> pd.DataFrame:
    rows = []
    for i, (one, rest) in enumerate(zip(charged, other, strict=True)):
        start = pd.Timestamp(periods.add_months(first, 3 * i))
        for outcome_type, value in ((1, one), (18, rest), (0, waiting)):
            rows.append(
                {"force": force, "period_start": start, "offence_code": "8Q", "outcome_type": outcome_type,
                 "outcomes_recorded": value, "outcomes_for_offences_recorded": value}
            )  # fmt: skip
    return pd.DataFrame(rows)


def orders(force: str, first: dt.date, full: list[int], interim: list[int]) -> pd.DataFrame:
    rows = []
    for i, (f, n) in enumerate(zip(full, interim, strict=True)):
        start = pd.Timestamp(periods.add_months(first, 3 * i))
        for measure, value in (("spo_full_granted", f), ("spo_interim_granted", n), ("spo_applications", 99)):
            rows.append(
                {"area": force, "granularity": "quarter", "period_start": start, "measure": measure, "value": value}
            )
    return pd.DataFrame(rows)


@pytest.fixture
def inputs(settings) -> catalogue.Inputs:
    recorded = table(
        quarter_rows("Kent", D(2021, 4, 1), {"8Q": [10, 11, 9, 10, 12, 13, 11, 12], "8L": [20] * 8}),
        quarter_rows("Dorset", D(2021, 4, 1), {"8Q": [5] * 8, "8L": [5] * 8}),
    )
    # ONS divides the year ending March 2023 by the mid-2021 estimate (data_loaders.periods.population_year).
    people = population({("Kent", 2021): 10_000, ("Dorset", 2021): 10_000})
    return catalogue.Inputs(
        settings=settings,
        filters=Filters(force="Kent", peers=("Dorset",), categories=("Stalking",)),
        recorded=recorded,
        population=people,
        outcomes=outcome_rows("Kent", D(2021, 4, 1), [1] * 4 + [2] * 4, [9] * 4 + [8] * 4, waiting=3),
        prosecutions=orders("Kent", D(2021, 4, 1), [1] * 8, [0, 0, 0, 0, 1, 1, 1, 1]),
        data_as_at=D(2023, 6, 1),
    )


def test_summary_messages_on_a_rise(inputs):
    summary = overview.summary(inputs)
    assert summary.messages == (
        "Recorded stalking and harassment rose 7% to 128 in the year ending March 2023 (from 120).",
        "Recorded stalking and harassment offences are within their usual range: the last 8 quarters went up and down "
        "only as much as chance would. An early judgement: only 8 quarters so far.",
        "In the year ending March 2023, Kent recorded 12.8 offences per 1,000 people, above the England and Wales "
        "rate of 8.4. Its peer force recorded a lower rate than Kent. Rates use ONS's mid-2021 "
        "population estimate, as ONS does.",
        "Charges or summonses were 20.0% of outcomes in the year ending March 2023 (outcomes assigned in the quarter), "
        "up from 10.0% the year before.",
        "8 Stalking Protection Orders were granted in the year ending March 2023 (4 full, 4 interim), up from 4 the "
        "year before.",
    )
    assert summary.counts_note == "Counts from the Home Office tables: year ending March 2023 against the year before."
    assert "year ending March 2023" in summary.rates_note


def test_summary_cards(inputs):
    cards = {card.title: card for card in overview.summary(inputs).cards}
    assert list(cards) == [
        "Stalking and harassment (total)",
        "Stalking",
        overview.CHARGE_TITLE,
        overview.ORDERS_TITLE,
    ]
    total = cards["Stalking and harassment (total)"]
    assert (total.value, total.delta, total.change, total.neutral) == ("128", "+7% (+8)", 8, True)
    assert total.period == "Year ending March 2023 against the year before"
    assert total.lines[0] == (
        "**12.80** per 1,000 people (England and Wales 8.40; peers 4.00 to 4.00); mid-2021 population"
    )
    assert total.sparkline == (30, 31, 29, 30, 32, 33, 31, 32)
    assert total.sparkline_words == "Quarterly values, Apr–Jun 2021 to Jan–Mar 2023"
    stalking = cards["Stalking"]
    assert (stalking.value, stalking.delta) == ("48", "+20% (+8)")
    charge = cards[overview.CHARGE_TITLE]
    assert (charge.value, charge.delta, charge.neutral) == ("20.0%", "+10.0 percentage points", False)
    assert charge.lines[:3] == (
        "8 charged or summonsed of 40 outcomes",
        "Counting outcomes assigned in the quarter",
        "3 offences recorded in 2022/23 Q4 await an outcome (not counted)",
    )
    granted = cards[overview.ORDERS_TITLE]
    assert (granted.value, granted.delta) == ("8", "+100% (+4)")
    assert granted.lines[0] == "4 full and 4 interim orders"


def test_summary_on_a_fall_and_no_change(inputs):
    falling = replace(inputs, recorded=table(quarter_rows("Kent", D(2021, 4, 1), {"8Q": [12] * 4 + [10] * 4})))
    assert overview.summary(falling).messages[0] == (
        "Recorded stalking and harassment fell 17% to 40 in the year ending March 2023 (from 48)."
    )
    flat = replace(inputs, recorded=table(quarter_rows("Kent", D(2021, 4, 1), {"8Q": [12] * 8})))
    assert overview.summary(flat).messages[0] == (
        "Recorded stalking and harassment was unchanged at 48 in the year ending March 2023."
    )


def test_summary_with_too_little_data(inputs):
    short = replace(
        inputs,
        recorded=table(quarter_rows("Kent", D(2022, 10, 1), {"8Q": [3, 4]})),
        outcomes=inputs.outcomes.iloc[0:0],
        prosecutions=inputs.prosecutions.iloc[0:0],
        population=inputs.population.iloc[0:0],
    )
    summary = overview.summary(short)
    assert summary.messages == (
        "There is not yet a full year of data on stalking and harassment to report.",
        "Recorded stalking and harassment offences are within their usual range: the last 2 quarters went up and down "
        "only as much as chance would. An early judgement: only 2 quarters so far.",
        "No rate per 1,000 people can be given for Kent: its population is not loaded.",
    )
    cards = {card.title: card for card in summary.cards}
    assert cards["Stalking and harassment (total)"].value == "No full year"
    assert cards[overview.CHARGE_TITLE].value == "Not loaded"
    assert cards[overview.ORDERS_TITLE].lines == (
        "No order figures for Kent are in the prosecutions and orders return.",
    )
    assert overview.summary(replace(inputs, filters=replace(inputs.filters, force="Cumbria"))) is None


def test_a_monthly_extract_gives_the_counts_and_the_variation(inputs):
    months = month_rows("Kent", D(2021, 4, 1), {"8Q": [4] * 12 + [5] * 12})
    monthly = replace(inputs, recorded=pd.concat([inputs.recorded, table(months)], ignore_index=True))
    summary = overview.summary(monthly)
    assert (
        summary.messages[0]
        == "Recorded stalking and harassment rose 25% to 60 in the year ending March 2023 (from 48)."
    )
    # Is it changing? is read on the periods the filters choose: quarters unless months are asked for.
    assert "the last 8 quarters" in summary.messages[1]
    assert summary.counts_note == "Counts from Kent's monthly extract: year ending March 2023 against the year before."
    by_month = overview.summary(replace(monthly, filters=replace(monthly.filters, granularity="month")))
    assert "the last 12 months were all above the average" in by_month.messages[1]
    assert by_month.messages[0] == summary.messages[0]


def test_the_period_filter_moves_the_latest_year(inputs):
    earlier = replace(inputs, filters=replace(inputs.filters, end=D(2022, 3, 1)))
    summary = overview.summary(earlier)
    assert summary.messages[0] == (
        "Recorded stalking and harassment was 120 in the year ending March 2022; there is no earlier full year to "
        "compare it with."
    )


def test_the_charge_rate_keeps_every_quarter_so_four_rows_are_a_year(inputs):
    rows = inputs.outcomes
    only_waiting = (rows["period_start"] == pd.Timestamp(2021, 10, 1)) & (rows["outcome_type"] != 0)
    reading = measures.charge_rate(replace(inputs, outcomes=rows[~only_waiting]))
    quarters = reading.quarters
    assert len(quarters) == 8
    assert quarters.iloc[2][["numerator", "denominator"]].tolist() == [0, 0]
    assert pd.isna(quarters.iloc[2]["percent"])  # nothing assigned yet: no rate, not 0%
    assert quarters.iloc[3].tolist() == [pd.Timestamp(2022, 1, 1), 1, 10, 10.0]
    assert (reading.numerator, reading.denominator, reading.share) == (8, 40, 0.2)


def with_target(inputs, percent):
    settings = replace(inputs.settings, raw={**inputs.settings.raw, "targets": {"charge_rate": percent}})
    return replace(inputs, settings=settings)


def test_a_charge_rate_target_is_judged_with_the_assurance_icon(inputs):
    # Charge rates 10, 15, 10, 20, 15, 10, 15, 20% (20 outcomes a quarter): mean 14.375%, average moving range
    # 5.714 points, so the process limits are -0.83% and 29.58% (trial limits: 8 points).
    varied = replace(
        inputs, outcomes=outcome_rows("Kent", D(2021, 4, 1), [2, 3, 2, 4, 3, 2, 3, 4], [18, 17, 18, 16, 17, 18, 17, 16])
    )

    def charge_card(percent):
        cards = {card.title: card for card in overview.summary(with_target(varied, percent)).cards}
        return cards[overview.CHARGE_TITLE]

    assert charge_card(5).lines[-1] == ":mdc/assurance/hit_and_miss: Sometimes meets the target (5%)"
    assert charge_card(30).lines[-1] == ":mdc/assurance/consistent_fail: Misses the target every time (30%)"
    steady = replace(
        inputs, outcomes=outcome_rows("Kent", D(2021, 4, 1), [4, 5] * 4, [16, 15] * 4)
    )  # 20% and 25% in turn: mean 22.5%, limits 9.2% and 35.8%
    met = {card.title: card for card in overview.summary(with_target(steady, 5)).cards}[overview.CHARGE_TITLE]
    assert met.lines[-1] == ":mdc/assurance/consistent_pass: Meets the target every time (5%)"
    without = {card.title: card for card in overview.summary(varied).cards}[overview.CHARGE_TITLE]
    assert not any("target" in line for line in without.lines)


def test_a_target_without_process_limits_says_so(inputs):
    # 10% four quarters then 20%: the one jump is screened out of the moving ranges, which leaves them all zero.
    card = {card.title: card for card in overview.summary(with_target(inputs, 12.5)).cards}[overview.CHARGE_TITLE]
    assert card.lines[-1] == ":mdc/assurance/none: Target not yet judged (12.5%)"
