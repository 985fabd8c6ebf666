"""Recorded-crime chart builders: the figures drawn, their words and the data behind them, on hand-built tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest
from test_trends import month_rows, population, quarter_rows, table

from dashboard.charts import catalogue
from dashboard.charts import recorded as recorded_charts
from dashboard.charts.base import TimeMarker
from dashboard.figures import trends
from dashboard.figures.selection import Filters

D = dt.date
AS_AT = D(2024, 1, 19)
KEYS = ["recorded-spc", "recorded-year-ending", "recorded-rate-comparison", "recorded-rate-latest", "recorded-by-code"]

KENT_QUARTERS = {"8Q": [10, 12, 11, 13, 12, 14, 13, 15], "8L": [20, 20, 20, 20, 30, 30, 30, 30]}
KENT_MONTHS = {"8Q": [4, 3, 4, 4, 4, 4, 3, 4, 4, 4, 5, 4, 4, 4, 4, 4, 5, 5, 4, 4, 5, 5, 5, 5], "8L": [7] * 24}


@pytest.fixture
def inputs(settings) -> catalogue.Inputs:
    recorded = table(
        quarter_rows("Kent", D(2021, 4, 1), KENT_QUARTERS),
        quarter_rows("Dorset", D(2021, 4, 1), {"8Q": [5] * 8, "8L": [10] * 8}),
        quarter_rows("Essex", D(2021, 4, 1), {"8Q": [20] * 8, "8L": [20] * 8}),
        quarter_rows("British Transport Police", D(2021, 4, 1), {"8Q": [500] * 8}),
        month_rows("Kent", D(2021, 4, 1), KENT_MONTHS),
    )
    people = population(
        {
            (force, year): size
            for force, size in (("Kent", 10_000), ("Dorset", 5_000), ("Essex", 20_000))
            for year in (2020, 2021, 2022)
        }
    )
    return catalogue.Inputs(
        settings=settings,
        filters=Filters(force="Kent", peers=("Dorset",), categories=settings.categories, granularity="quarter"),
        recorded=recorded,
        population=people,
        outcomes=pd.DataFrame(),
        prosecutions=pd.DataFrame(),
        markers=(TimeMarker(D(2022, 6, 1), "A local event", "local event"), TimeMarker(D(2030, 1, 1), "Far away")),
        data_as_at=AS_AT,
    )


def build(key: str, inputs: catalogue.Inputs, **changes) -> catalogue.Chart | None:
    return catalogue.build(key, replace(inputs, filters=replace(inputs.filters, **changes)))


def y_of(chart: catalogue.Chart, name: str) -> list:
    return [list(trace.y) for trace in chart.figure.data if trace.name == name][0]


def test_every_recorded_chart_is_in_the_catalogue_with_its_section():
    for key in KEYS:
        assert catalogue.CATALOGUE[key].section == recorded_charts.SECTION


@pytest.mark.parametrize("key", KEYS)
def test_every_chart_says_its_source_date_and_events(key, inputs):
    chart = catalogue.build(key, inputs)
    footer = chart.figure.layout.annotations[-1].text
    assert "Source: " in footer and "Data as at 19 January 2024." in footer
    assert chart.text.title and chart.text.subtitle and chart.alt
    assert not chart.data.empty
    if key not in ("recorded-rate-latest", "recorded-by-code"):  # time axes only
        assert "A local event (1 Jun 2022)" in footer and "Far away" not in footer


def test_spc_of_quarters_from_the_home_office_table(inputs):
    chart = build("recorded-spc", inputs, categories=("Stalking",))
    assert chart.data["Quarter starting"].tolist()[0] == D(2021, 4, 1)
    assert chart.data["Offences recorded"].tolist() == KENT_QUARTERS["8Q"]
    assert chart.data["Mean"].iloc[0] == pytest.approx(12.5)
    assert chart.text.title == "Recorded stalking in Kent, quarterly"
    assert chart.text.source == "Source: Home Office police recorded crime"
    assert chart.alt == (
        "Chart of quarterly recorded stalking in Kent from Apr–Jun 2021 to Jan–Mar 2023: 15 in Jan–Mar 2023; "
        "average 12 since Apr–Jun 2021. Recorded stalking offences are within their usual range: the last 8 quarters "
        "went up and down only as much as chance would. An early judgement: only 8 quarters so far."
    )
    assert chart.reading == chart.alt.split(". ", 1)[1]
    assert "trial limits" in chart.technical  # 8 points
    assert chart.notes == []


def test_spc_of_months_where_a_monthly_extract_is_loaded(inputs):
    chart = build("recorded-spc", inputs, granularity="month")
    assert len(chart.data) == 24
    assert chart.data["Offences recorded"].tolist() == [
        a + b for a, b in zip(KENT_MONTHS["8Q"], KENT_MONTHS["8L"], strict=True)
    ]
    assert chart.text.source == "Source: Kent monthly extract"
    assert chart.text.title == "Recorded stalking and harassment in Kent, monthly"
    # Without an extract the chart falls back to quarters and says so.
    dorset = build("recorded-spc", inputs, granularity="month", force="Dorset")
    assert len(dorset.data) == 8
    assert dorset.notes == ["No monthly extract is loaded for Dorset: the chart shows quarters."]


def test_spc_is_never_drawn_on_rolling_totals(inputs):
    chart = build("recorded-spc", inputs, granularity="year_ending", measure="rate")
    assert chart.data["Offences recorded"].tolist()[:3] == [30, 32, 31]  # the quarters themselves, not the years
    assert any("never go on an SPC chart" in note for note in chart.notes)
    assert any("SPC charts show counts" in note for note in chart.notes)


def test_spc_limits_are_recalculated_at_breaks_inside_the_period(inputs, settings):
    april = [b for b in settings.series_breaks if b.rebase]
    chart = build("recorded-spc", inputs, granularity="month")
    assert not any(b.date > D(2021, 4, 1) and b.date <= D(2023, 3, 1) for b in april)  # none in 2021-2023
    assert chart.notes == []
    moved = replace(inputs, settings=replace(settings, series_breaks=(*settings.series_breaks, *_break(D(2022, 4, 1)))))
    chart = build("recorded-spc", moved, granularity="month")
    assert chart.notes == ["The usual range is worked out again from each series break: April 2022 (A test break)."]
    assert chart.data["Mean"].iloc[0] != chart.data["Mean"].iloc[-1]


def _break(day: dt.date):
    from data_loaders.settings import SeriesBreak

    return (SeriesBreak(day, "A test break", "", True),)


def test_the_period_filter_limits_the_x_range(inputs):
    chart = build("recorded-spc", inputs, start=D(2022, 1, 1), end=D(2022, 9, 1))
    assert chart.data["Quarter starting"].tolist() == [D(2022, 1, 1), D(2022, 4, 1), D(2022, 7, 1)]
    assert build("recorded-spc", inputs, start=D(2030, 1, 1)) is None


def test_year_ending_lines_for_each_category_and_the_total(inputs):
    chart = build("recorded-year-ending", inputs, categories=("Stalking", "Harassment"))
    assert list(dict.fromkeys(chart.data["Series"])) == [
        "Stalking and harassment (codes 8Q, 8L, 8M)",
        "Stalking",
        "Harassment",
    ]
    stalking = chart.data[chart.data["Series"] == "Stalking"]
    assert stalking["Year ending"].tolist()[0] == D(2022, 3, 31)
    assert stalking["Offences in the 12 months"].tolist()[0] == sum(KENT_MONTHS["8Q"][:12])
    assert len(stalking) == 13  # year endings March 2022 to March 2023
    assert chart.text.source == "Source: Kent monthly extract"
    assert "Not an SPC chart" in chart.text.subtitle
    rates = build("recorded-year-ending", inputs, categories=("Stalking",), measure="rate")
    assert list(rates.data["Series"].unique()) == ["Stalking"]
    first = rates.data.iloc[0]
    assert first["Rate per 1,000 population"] == pytest.approx(1000 * first["Offences in the 12 months"] / 10_000)
    assert "ONS" in rates.text.source


def test_year_ending_needs_a_full_year(inputs):
    assert build("recorded-year-ending", inputs, end=D(2021, 12, 1)) is None


def test_rate_comparison_with_peers_combined_and_england_and_wales(inputs):
    chart = build("recorded-rate-comparison", inputs, peers=("Dorset", "Essex"))
    latest = chart.data[chart.data["Year ending"] == D(2023, 3, 31)].set_index("Area")
    assert latest.loc["Kent", "Rate per 1,000 population"] == pytest.approx(1000 * (54 + 120) / 10_000)
    assert latest.loc["Peer forces combined", "Offences in the 12 months"] == 60 + 160
    assert latest.loc["Peer forces combined", "Rate per 1,000 population"] == pytest.approx(1000 * 220 / 25_000)
    # England and Wales: the three territorial forces, never British Transport Police.
    assert latest.loc[trends.NATIONAL, "Offences in the 12 months"] == 174 + 220
    assert latest.loc[trends.NATIONAL, "Rate per 1,000 population"] == pytest.approx(1000 * 394 / 35_000, abs=1e-3)
    assert {trace.name for trace in chart.figure.data} == {"Kent", "Peer forces combined", trends.NATIONAL}
    assert any("Peer forces combined: Dorset, Essex" in note for note in chart.notes)


def test_latest_rates_rank_the_force_among_its_peers(inputs):
    chart = build("recorded-rate-latest", inputs, peers=("Dorset", "Essex"))
    assert chart.data["Area"].tolist() == ["Kent", "Dorset", trends.NATIONAL, "Essex"]
    assert chart.data["Rate per 1,000 population"].tolist() == [17.4, 12.0, 11.257, 8.0]
    assert chart.alt.endswith("Kent is 1 of 4.")
    assert chart.text.title == "Recorded stalking and harassment per 1,000 people, year ending March 2023"
    assert [trace.name for trace in chart.figure.data] == ["This force", "England and Wales", "Peer force"]
    assert all(trace.marker.pattern.fillmode == "overlay" for trace in chart.figure.data)


def test_by_code_table(inputs):
    chart = build("recorded-by-code", inputs)
    assert chart.data.columns.tolist() == [
        "Code", "Offence", "Category", "Year ending March 2022", "Year ending March 2023", "Change", "Change (%)"
    ]  # fmt: skip
    assert chart.data.values.tolist()[:2] == [
        ["8Q", "Stalking", "Stalking", 47, 54, 7, 14.9],  # from the monthly extract
        ["8L", "Harassment", "Harassment", 84, 84, 0, 0.0],
    ]
    quarterly = build("recorded-by-code", inputs, force="Dorset")
    assert quarterly.data["Year ending March 2023"].tolist() == [20, 40]


def test_a_long_title_is_drawn_over_two_lines_and_kept_whole_for_exports(inputs):
    chart = build("recorded-rate-comparison", inputs, categories=("Stalking", "Harassment"), force="Kent")
    assert chart.text.title == "Recorded stalking and harassment (codes 8Q, 8L, 8M) per 1,000 people: Kent compared"
    assert chart.figure.layout.title.text == (
        "Recorded stalking and harassment (codes 8Q, 8L, 8M) per 1,000 people:<br>Kent compared"
    )
    assert chart.figure.layout.title.subtitle.text.count("<br>") == 1  # 113 characters: two lines too
    short = build("recorded-spc", inputs)
    assert short.figure.layout.margin.t + 26 + 20 == chart.figure.layout.margin.t


def test_nothing_loaded_for_the_force_draws_nothing(inputs):
    for key in KEYS:
        assert build(key, inputs, force="Cumbria") is None, key
