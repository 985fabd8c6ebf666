"""Outcomes, prosecutions and orders charts: exact figures from hand-built frames."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from dashboard.charts import catalogue
from dashboard.charts import outcomes as outcome_charts
from dashboard.charts import prosecutions as prosecution_charts
from dashboard.charts.base import TimeMarker
from dashboard.figures import key_figures, measures
from dashboard.figures import prosecutions as prosecution_figures
from dashboard.figures.selection import Filters
from dashboard.words import outcomes as outcome_words
from data_loaders.sources import outcomes as outcome_table

HOME = "Devon and Cornwall"
AS_AT = dt.date(2026, 11, 28)
Q1 = dt.date(2023, 4, 1)
# One quarter's outcomes for stalking (8Q): type -> (outcomes recorded, outcomes for offences recorded).
QUARTER = {0: (0, 7), 1: (10, 12), 3: (5, 5), 14: (5, 5), 16: (20, 20), 18: (10, 8)}
# The columns of data_loaders.reads.outcomes and .prosecutions, for empty tables.
OUTCOME_COLUMNS = ["force", "financial_year", "quarter", "period_start", "offence_code", "outcome_type"]
OUTCOME_COLUMNS += ["outcome_group", outcome_table.FOR_OFFENCES_RECORDED, outcome_table.RECORDED]
RETURN_COLUMNS = ["area", "area_type", "granularity", "period_start", "financial_year", "quarter", "measure", "value"]


def outcome_rows(force: str, start: dt.date, counts: dict[int, tuple[int, int]], code: str = "8Q") -> list[dict]:
    return [
        {
            "force": force,
            "financial_year": "",
            "quarter": 0,
            "period_start": pd.Timestamp(start),
            "offence_code": code,
            "outcome_type": outcome_type,
            "outcome_group": "",
            outcome_table.RECORDED: recorded,
            outcome_table.FOR_OFFENCES_RECORDED: for_offences,
        }
        for outcome_type, (recorded, for_offences) in counts.items()
    ]


def frame_of(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    return frame


def return_rows(area: str, area_type: str, rows: list[tuple[dt.date, str, int]], granularity="quarter"):
    return [
        {
            "area": area,
            "area_type": area_type,
            "granularity": granularity,
            "period_start": pd.Timestamp(start),
            "financial_year": "",
            "quarter": 0,
            "measure": measure,
            "value": value,
        }
        for start, measure, value in rows
    ]


def quarter(index: int) -> dt.date:
    """The ``index``-th quarter from April 2023."""
    month = 4 + 3 * index
    return dt.date(2023 + (month - 1) // 12, (month - 1) % 12 + 1, 1)


@pytest.fixture
def make_inputs(settings):
    def make(outcomes=None, prosecutions=None, markers=(), **chosen) -> catalogue.Inputs:
        filters = Filters(force=HOME, peers=(), categories=settings.categories)
        return catalogue.Inputs(
            settings=settings,
            filters=dataclasses.replace(filters, **chosen),
            recorded=pd.DataFrame(),
            population=pd.DataFrame(),
            outcomes=frame_of(outcomes) if outcomes else pd.DataFrame(columns=OUTCOME_COLUMNS),
            prosecutions=frame_of(prosecutions) if prosecutions else pd.DataFrame(columns=RETURN_COLUMNS),
            markers=tuple(markers),
            data_as_at=AS_AT,
        )

    return make


def test_the_mix_gives_each_group_its_share_of_assigned_outcomes_without_type_0(make_inputs):
    chart = catalogue.build("outcome-mix", make_inputs(outcome_rows(HOME, Q1, QUARTER)))
    shares = dict(zip(chart.data["Outcome group"], chart.data["Share (%)"], strict=True))
    assert shares == {
        "Charged or summonsed": 20.0,
        "Out-of-court disposal": 10.0,
        "Evidential difficulties: victim does not support action": 50.0,
        "Evidential difficulties: victim supports action": 0.0,
        "No suspect identified": 20.0,
        "Not in the public interest or prosecution prevented": 0.0,
        "Other outcomes": 0.0,
    }
    assert set(chart.data["All assigned outcomes"]) == {50}
    assert "Not yet assigned an outcome" not in shares
    # Stacked bars: one trace per group, each with its own fill pattern drawn over its colour.
    assert chart.figure.layout.barmode == "stack"
    patterns = [trace.marker.pattern.shape for trace in chart.figure.data]
    assert len(set(patterns)) == len(patterns) == 7
    assert {trace.marker.pattern.fillmode for trace in chart.figure.data} == {"overlay"}


def test_the_charge_rate_leaves_type_0_out_of_the_denominator(make_inputs, settings):
    rows = outcome_rows(HOME, Q1, QUARTER)
    chart = catalogue.build("charge-rate-spc", make_inputs(rows))
    assert chart.data["Charge rate (%)"].tolist() == [20.0]  # 10 of 50, not 10 of 57
    assert chart.data["All assigned outcomes"].tolist() == [50]
    reading = measures.charge_rate(make_inputs(rows))
    assert reading.quarters[["numerator", "denominator", "percent"]].to_dict("records") == [
        {"numerator": 10, "denominator": 50, "percent": 20.0}
    ]


def test_switching_the_count_column_changes_the_figures_and_the_words(make_inputs):
    rows = outcome_rows(HOME, Q1, QUARTER)
    recorded = catalogue.build("charge-rate-spc", make_inputs(rows, outcome_count="recorded"))
    for_offences = catalogue.build("charge-rate-spc", make_inputs(rows, outcome_count="for_offences"))
    assert recorded.data["Charge rate (%)"].tolist() == [20.0]
    assert for_offences.data["Charge rate (%)"].tolist() == [24.0]  # 12 of 50
    assert "Counting outcomes assigned in the quarter." in recorded.text.subtitle
    assert "Counting outcomes of offences recorded in the quarter." in for_offences.text.subtitle


def test_every_outcomes_chart_says_which_count_it_uses(make_inputs):
    inputs = make_inputs(outcome_rows(HOME, Q1, QUARTER) + outcome_rows("Dorset", Q1, QUARTER))
    for key in ("outcome-mix", "charge-rate-spc", "charge-rate-comparison", "victim-does-not-support"):
        chart = catalogue.build(key, inputs)
        assert "Counting outcomes assigned in the quarter." in chart.text.subtitle, key
        assert "Force outcomes" not in chart.text.subtitle and "type" not in chart.text.subtitle, key
        assert chart.text.source == outcome_charts.OUTCOMES_SOURCE
        assert chart.figure.layout.annotations[-1].text.startswith(
            "Source: Home Office crime outcomes open data. Data as at 28 November 2026."
        )
        assert chart.alt and chart.reading


def test_the_victim_does_not_support_share_counts_types_14_and_16(make_inputs):
    chart = catalogue.build("victim-does-not-support", make_inputs(outcome_rows(HOME, Q1, QUARTER)))
    home = chart.data[chart.data["Area"] == HOME]
    assert home["Victim does not support action (%)"].tolist() == [50.0]  # (5 + 20) of 50
    assert home["Victim does not support action"].tolist() == [25]
    assert "Outcomes where the victim did not support action" in chart.text.subtitle


def test_the_backlog_is_type_0_of_the_for_offences_count_whatever_count_is_chosen(make_inputs):
    rows = outcome_rows(HOME, Q1, QUARTER)
    for count in ("recorded", "for_offences"):
        chart = catalogue.build("outcomes-not-yet-assigned", make_inputs(rows, outcome_count=count))
        assert chart.data["Not yet assigned an outcome"].tolist() == [7]
        assert chart.data["All offences in this count"].tolist() == [57]
        assert chart.data["Share (%)"].tolist() == [12.3]
        assert "not an outcome" in chart.text.subtitle
        assert "Counting outcomes of offences recorded in the quarter (the only count" in chart.text.subtitle
    assert chart.reading.startswith("7 offences recorded in 2023/24 Q1 had no outcome yet")


def test_no_rate_on_a_base_below_the_minimum(make_inputs):
    small = {1: (3, 3), 16: (6, 6)}  # 9 assigned outcomes
    rows = outcome_rows(HOME, Q1, QUARTER) + outcome_rows(HOME, quarter(1), small)
    chart = catalogue.build("charge-rate-spc", make_inputs(rows))
    rates = chart.data["Charge rate (%)"].tolist()
    assert rates[0] == 20.0 and math.isnan(rates[1])
    assert any("fewer than 10 outcomes" in note and "2023/24 Q2" in note for note in chart.notes)
    mix = catalogue.build("outcome-mix", make_inputs(rows))
    assert set(mix.data["Period"]) == {"2023/24 Q1"}
    assert any("2023/24 Q2" in note for note in mix.notes)


def test_england_and_wales_is_the_territorial_forces_only(make_inputs):
    rows = (
        outcome_rows(HOME, Q1, QUARTER)
        + outcome_rows("Dorset", Q1, {1: (30, 30), 18: (20, 20)})
        + outcome_rows("British Transport Police", Q1, {1: (100, 100)})
    )
    chart = catalogue.build("charge-rate-comparison", make_inputs(rows, peers=("Dorset",)))
    rates = dict(zip(chart.data["Area"], chart.data["Charge rate (%)"], strict=True))
    assert rates == {HOME: 20.0, "England and Wales": 40.0, "Dorset": 60.0}  # (10 + 30) of (50 + 50)
    # The force and England and Wales as lines, the peer (one here) as the band's edges.
    names = [trace.name for trace in chart.figure.data]
    assert names == ["Range of the peer force", "Range of the peer force", "England and Wales", HOME]
    assert [list(trace.y) for trace in chart.figure.data] == [[60.0], [60.0], [40.0], [20.0]]
    assert (
        chart.reading
        == "The charge rate for Devon and Cornwall was 20.0% in 2023/24 Q1, below England and Wales (40.0%)."
    )


def test_year_ending_sums_four_quarters_before_dividing(make_inputs):
    rows = []
    for index, charged in enumerate([10, 20, 30, 40, 50]):
        rows += outcome_rows(HOME, quarter(index), {1: (charged, charged), 18: (100 - charged, 100 - charged)})
    chart = catalogue.build("charge-rate-comparison", make_inputs(rows, granularity="year_ending"))
    home = chart.data[chart.data["Area"] == HOME]
    assert home["Period"].tolist() == ["year ending Mar 2024", "year ending Jun 2024"]
    assert home["Charge rate (%)"].tolist() == [25.0, 35.0]  # 100 of 400, then 140 of 400


def test_the_category_choice_selects_offence_codes(make_inputs):
    rows = outcome_rows(HOME, Q1, QUARTER) + outcome_rows(HOME, Q1, {1: (0, 0), 18: (50, 50)}, code="8L")
    stalking = catalogue.build("charge-rate-spc", make_inputs(rows, categories=("Stalking",)))
    both = catalogue.build("charge-rate-spc", make_inputs(rows))
    assert stalking.data["Charge rate (%)"].tolist() == [20.0]
    assert both.data["Charge rate (%)"].tolist() == [10.0]
    assert stalking.text.subtitle.startswith("Stalking.")
    assert both.text.subtitle.startswith("Stalking and harassment.")


def test_spc_limits_are_recalculated_at_rebasing_breaks_inside_the_range(settings, make_inputs):
    # The June 2023 break starts a new segment at the first quarter on or after it (July 2023).
    rows = []
    for index in range(-6, 6):
        rows += outcome_rows(HOME, quarter(index), {1: (10 + index % 3, 0), 18: (40, 0)})
    chart = catalogue.build("charge-rate-spc", make_inputs(rows))
    assert any("worked out again from 2023/24 Q2" in note for note in chart.notes)
    assert chart.reading


def test_bar_charts_draw_the_markers_and_key_them_in_the_footer(make_inputs):
    markers = [TimeMarker(dt.date(2023, 6, 1), "Counting rule"), TimeMarker(dt.date(2030, 1, 1), "Later")]
    rows = outcome_rows(HOME, Q1, QUARTER) + outcome_rows(HOME, quarter(2), QUARTER)
    for key in ("outcome-mix", "outcomes-not-yet-assigned"):
        chart = catalogue.build(key, make_inputs(rows, markers=markers))
        footers = [a.text for a in chart.figure.layout.annotations if a.text.startswith("Source:")]
        assert len(footers) == 1, key
        assert "Marked: 1 Counting rule (1 Jun 2023)." in footers[0]
        assert "Later" not in footers[0]
        assert len(chart.figure.layout.shapes) == 1


def test_builders_return_none_without_data(make_inputs):
    inputs = make_inputs()
    for key in catalogue.CATALOGUE:
        if catalogue.CATALOGUE[key].section in (
            outcome_charts.OUTCOMES_SECTION,
            prosecution_charts.PROSECUTIONS_SECTION,
        ):
            assert catalogue.build(key, inputs) is None, key
    assert key_figures.outcome_key_figures(inputs) == []
    assert key_figures.prosecution_key_figures(inputs) == []


def test_the_period_filter_limits_the_quarters(make_inputs):
    rows = outcome_rows(HOME, Q1, QUARTER) + outcome_rows(HOME, quarter(1), QUARTER)
    chart = catalogue.build("charge-rate-spc", make_inputs(rows, start=dt.date(2023, 7, 1)))
    assert chart.data["Quarter"].tolist() == ["2023/24 Q2"]
    assert catalogue.build("charge-rate-spc", make_inputs(rows, force="Dorset")) is None


def test_outcome_key_figures_compare_the_latest_year_ending_with_the_one_before(make_inputs):
    rows = []
    for index in range(8):
        charged = 10 if index < 4 else 20
        rows += outcome_rows(HOME, quarter(index), {0: (0, 1), 1: (charged, charged), 16: (100 - charged, 90)})
    figures = {f.label: f for f in key_figures.outcome_key_figures(make_inputs(rows))}
    assert figures["Charge rate"].value == "20.0%"
    assert figures["Charge rate"].delta == "+10.0 percentage points"
    assert figures["Charge rate"].sentence == (
        "20.0% of outcomes assigned in the year ending March 2025 were charges or summonses, up from 10.0% the year "
        "before."
    )
    assert figures["Victim does not support"].value == "80.0%"
    assert figures["Victim does not support"].delta_color == "inverse"
    assert figures["Outcomes assigned"].value == "400"
    assert figures["Outcomes assigned"].delta == 0
    assert figures["Awaiting an outcome"].value == "1"
    for_offences = {
        f.label: f for f in key_figures.outcome_key_figures(make_inputs(rows, outcome_count="for_offences"))
    }
    assert for_offences["Charge rate"].value == "18.2%"  # 80 of 440
    assert "offences recorded in the year ending March 2025" in for_offences["Charge rate"].sentence


# ---- prosecutions and orders --------------------------------------------------------------------

SW = "CPS South West"


def test_the_cps_area_is_labelled_as_covering_several_forces(settings, make_inputs):
    assert prosecution_figures.cps_area_label(settings, SW) == (
        "CPS South West (covers Avon and Somerset, Devon and Cornwall and Gloucestershire)"
    )
    rows = return_rows(SW, "cps_area", [(Q1, "prosecutions_completed", 40), (Q1, "convictions", 30)])
    chart = catalogue.build("prosecutions-cps-area", make_inputs(prosecutions=rows))
    assert chart.text.title == "Prosecutions and convictions: CPS South West (CPS Area)"
    assert "a CPS Area covering Avon and Somerset, Devon and Cornwall and Gloucestershire" in chart.text.subtitle
    assert chart.text.source == prosecution_charts.RETURN_SOURCE
    assert catalogue.build("prosecutions-force", make_inputs(prosecutions=rows)) is None
    rate = catalogue.build("conviction-rate", make_inputs(prosecutions=rows))
    assert rate.data["Area"].tolist() == ["CPS South West (CPS Area, 3 forces)"]
    assert rate.data["Conviction rate (%)"].tolist() == [75.0]


def test_conviction_rate_for_the_force_and_its_area_with_a_small_base_left_out(make_inputs):
    rows = return_rows(
        HOME,
        "force",
        [(Q1, "prosecutions_completed", 20), (Q1, "convictions", 15), (quarter(1), "prosecutions_completed", 9)]
        + [(quarter(1), "convictions", 9)],
    ) + return_rows(SW, "cps_area", [(Q1, "prosecutions_completed", 50), (Q1, "convictions", 40)])
    chart = catalogue.build("conviction-rate", make_inputs(prosecutions=rows))
    rates = chart.data.set_index(["Area", "Quarter"])["Conviction rate (%)"]
    assert rates[("Devon and Cornwall (force)", "2023/24 Q1")] == 75.0
    assert math.isnan(rates[("Devon and Cornwall (force)", "2023/24 Q2")])
    assert rates[("CPS South West (CPS Area, 3 forces)", "2023/24 Q1")] == 80.0
    assert any("fewer than 10 prosecutions" in note for note in chart.notes)


def test_stalking_protection_orders_start_at_their_first_figures(make_inputs):
    spo = [
        (dt.date(2020, 1, 1), "spo_applications", 2),
        (dt.date(2020, 4, 1), "spo_applications", 4),
        (dt.date(2020, 4, 1), "spo_full_granted", 1),
    ]
    rows = return_rows(HOME, "force", [(dt.date(2018, 4, 1), "prosecutions_completed", 30), *spo])
    chart = catalogue.build("spo-force", make_inputs(prosecutions=rows))
    assert chart.data["Quarter"].tolist() == ["2019/20 Q4", "2020/21 Q1"]
    assert "orders available from 20 January 2020" in chart.text.subtitle
    assert chart.reading == (
        "In 2020/21 Q1: Stalking Protection Order applications 4; Full Stalking Protection Orders granted 1."
    )


def test_monthly_figures_make_a_quarter_only_when_all_three_months_are_there(make_inputs):
    months = [(dt.date(2023, m, 1), "prosecutions_completed", 10) for m in (4, 5, 6)]
    months += [(dt.date(2023, 7, 1), "prosecutions_completed", 10)]
    rows = return_rows(HOME, "force", months, granularity="month")
    quarters = prosecution_figures.return_quarters(frame_of(rows), HOME)
    assert quarters[["period_start", "value"]].values.tolist() == [[pd.Timestamp(2023, 4, 1), 30]]
    chart = catalogue.build("prosecutions-force", make_inputs(prosecutions=rows))
    assert chart.notes == ["Quarters summed from monthly figures: 2023/24 Q1."]


def test_prosecution_key_figures_and_sentences(make_inputs):
    rows = []
    for index in range(8):
        completed = 100 if index < 4 else 120
        rows += [(quarter(index), "prosecutions_completed", completed), (quarter(index), "convictions", 75)]
    figures = {
        f.label: f
        for f in key_figures.prosecution_key_figures(make_inputs(prosecutions=return_rows(HOME, "force", rows)))
    }
    assert figures["Prosecutions completed"].value == "480"
    assert figures["Prosecutions completed"].delta == "+20%"
    assert figures["Prosecutions completed"].sentence == (
        "Prosecutions completed in Devon and Cornwall rose 20% to 480 in the year ending March 2025 (from 400)."
    )
    assert figures["Convictions"].delta == 0
    assert (
        figures["Convictions"].sentence
        == "Convictions in Devon and Cornwall were unchanged at 300 in the year ending March 2025."
    )
    assert figures["Conviction rate"].value == "62.5%"
    assert figures["Conviction rate"].delta == "-12.5 percentage points"


def test_key_figures_fall_back_to_the_cps_area_without_the_force_s_own(make_inputs):
    rows = return_rows(SW, "cps_area", [(quarter(i), "prosecutions_completed", 50) for i in range(4)])
    inputs = make_inputs(prosecutions=rows)
    assert key_figures.key_figures_area(inputs) == SW
    (figure,) = key_figures.prosecution_key_figures(inputs)
    assert figure.value == "200"
    assert "covers Avon and Somerset" in figure.help


@pytest.mark.parametrize(
    ("comparison", "sentence"),
    [
        (None, "There is not yet a full year of figures on convictions in Dorset."),
        (
            (10, None),
            "Convictions in Dorset numbered 10 in the year ending March 2025; "
            "there is no earlier full year to compare with.",
        ),
        ((10, 0), "Convictions in Dorset rose to 10 in the year ending March 2025, from none the year before."),
        ((8, 10), "Convictions in Dorset fell 20% to 8 in the year ending March 2025 (from 10)."),
        ((1001, 1000), "Convictions in Dorset rose by 1 to 1,001 in the year ending March 2025 (from 1,000)."),
    ],
)
def test_change_sentences_read_true_for_any_data(comparison, sentence):
    from dashboard.figures.metrics import YearEndingComparison

    value = None if comparison is None else YearEndingComparison(dt.date(2025, 3, 31), *comparison)
    assert outcome_words.change_sentence("Convictions in Dorset", value) == sentence


def test_readings_name_a_year_ending_as_a_period(make_inputs):
    rows = []
    for index in range(4):
        rows += outcome_rows(HOME, quarter(index), {1: (10, 10), 18: (90, 90)})
    chart = catalogue.build("charge-rate-comparison", make_inputs(rows, granularity="year_ending"))
    assert (
        chart.reading
        == "The charge rate for Devon and Cornwall was 10.0% in the year ending Mar 2024, the same as England and Wales (10.0%)."
    )
    mix = catalogue.build("outcome-mix", make_inputs(rows, granularity="year_ending"))
    assert mix.reading.startswith("In the year ending Mar 2024 the largest group was no suspect identified (90.0%")
    assert mix.figure.layout.xaxis.hoverformat == "year ending %b %Y"


def test_a_charge_rate_target_is_drawn_and_judged_on_the_spc_chart(make_inputs, settings):
    # Charge rates 20.0, 23.1, 20.0, 23.1%: mean 21.5%, process limits about 13.4% and 29.7%.
    rows = []
    for i, charged in enumerate((10, 12, 10, 12)):
        rows += outcome_rows(HOME, quarter(i), {**QUARTER, 1: (charged, charged)})

    def build(target):
        targeted = dataclasses.replace(settings, raw={**settings.raw, "targets": {"charge_rate": target}})
        inputs = dataclasses.replace(make_inputs(rows), settings=targeted)
        return catalogue.build("charge-rate-spc", inputs)

    missed = build(35)
    (line,) = [trace for trace in missed.figure.data if trace.name == "Target (35%)"]
    assert list(line.y) == [35, 35] and line.line.dash == "longdash"
    assert missed.data["Target (%)"].tolist() == [35.0] * 4
    assert missed.reading.endswith(
        "The charge rate will keep missing the 35% target unless something changes: even its usual best falls short."
    )
    assert missed.technical.endswith(
        "Consistently misses the target of 35%: it lies outside the process limits, so without a change in how "
        "the work is done it will not be met."
    )
    assert build(25).reading.endswith(
        "The charge rate will meet the 25% target only some of the time: the target is within its usual range."
    )
    plain = catalogue.build("charge-rate-spc", make_inputs(rows))
    assert "Target (%)" not in plain.data and not any("Target" in (t.name or "") for t in plain.figure.data)
