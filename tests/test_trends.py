"""Series preparation for the trends pages, on hand-built tables with exact answers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import trends
from data_loaders import periods
from data_loaders.settings import SeriesBreak

D = dt.date


def quarter_rows(force: str, first: dt.date, counts: dict[str, list[int | None]]) -> list[dict]:
    """Home Office rows (``month`` 0) for consecutive quarters from ``first``; None leaves a code's row out."""
    out = []
    for code, values in counts.items():
        for i, value in enumerate(values):
            if value is None:
                continue
            start = periods.add_months(first, 3 * i)
            out.append(row(force, start, code, value, month=0))
    return out


def month_rows(force: str, first: dt.date, counts: dict[str, list[int | None]]) -> list[dict]:
    out = []
    for code, values in counts.items():
        for i, value in enumerate(values):
            if value is None:
                continue
            start = periods.add_months(first, i)
            out.append(row(force, start, code, value, month=start.month))
    return out


def row(force: str, start: dt.date, code: str, count: int, *, month: int) -> dict:
    year = start.year if start.month >= 4 else start.year - 1
    return {
        "force": force,
        "financial_year": f"{year}/{(year + 1) % 100:02d}",
        "quarter": (start.month - 4) % 12 // 3 + 1,
        "month": month,
        "period_start": pd.Timestamp(start),
        "offence_code": code,
        "offence_description": {"8Q": "Stalking", "8L": "Harassment", "8U": "Controlling and coercive behaviour"}.get(
            code, code
        ),
        "count": count,
    }


def table(*groups: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([r for group in groups for r in group])


def population(rows: dict[tuple[str, int], int]) -> pd.DataFrame:
    return pd.DataFrame([{"force": f, "year": y, "population": p} for (f, y), p in rows.items()])


# ---- selection ---------------------------------------------------------------------------------


def test_categories_select_codes_in_configuration_order(settings):
    assert trends.codes_for(settings, ["Harassment", "Stalking"]) == ("8Q", "8L", "8M")
    assert trends.selection(settings, []) == trends.total_categories(settings)
    assert trends.selection(settings, ["Harassment", "Unknown"]) == ("Harassment",)


def test_a_selection_is_named_by_what_it_covers(settings):
    assert trends.subject(settings, settings.categories) == "Stalking and harassment"
    assert trends.subject(settings, ["Stalking"]) == "Stalking"
    assert trends.subject(settings, ["Stalking", "Harassment"]) == "Stalking and harassment (codes 8Q, 8L, 8M)"
    assert trends.subject(settings, ["Harassment", "Stalking", "Malicious communications"]) == (
        "Stalking, harassment and malicious communications (codes 8Q, 8L, 8M, 8R)"
    )


# ---- counts ------------------------------------------------------------------------------------


def test_quarterly_counts_sum_the_codes_and_tell_zero_from_missing():
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": [5, None, 7, 8], "8L": [10, 11, 12, 13]}),
        quarter_rows("Kent", D(2023, 7, 1), {"8Q": [9], "8L": [14]}),  # 2023/24 Q1 is not loaded at all
        quarter_rows("Dorset", D(2022, 4, 1), {"8Q": [100]}),
    )
    series = trends.counts(recorded, "Kent", ["8Q"], trends.QUARTERLY)
    assert list(series["period_start"]) == [
        D(2022, 4, 1), D(2022, 7, 1), D(2022, 10, 1), D(2023, 1, 1), D(2023, 4, 1), D(2023, 7, 1)
    ]  # fmt: skip
    assert series["count"].tolist()[:4] == [5, 0, 7, 8]  # a quarter with rows but no 8Q is a zero
    assert np.isnan(series["count"].iloc[4])  # a quarter with no rows at all is missing
    assert series["count"].iloc[5] == 9
    both = trends.counts(recorded, "Kent", ["8Q", "8L"], trends.QUARTERLY)
    assert both["count"].tolist()[:4] == [15, 11, 19, 21]


def test_a_code_not_yet_counted_starts_its_series_late():
    recorded = table(quarter_rows("Kent", D(2019, 4, 1), {"8L": [1, 2, 3, 4, 5, 6], "8U": [None] * 4 + [3, 0]}))
    series = trends.counts(recorded, "Kent", ["8U"], trends.QUARTERLY)
    assert list(series["period_start"]) == [D(2020, 4, 1), D(2020, 7, 1)]
    assert series["count"].tolist() == [3, 0]
    assert trends.counts(recorded, "Kent", ["8Q"], trends.QUARTERLY).empty


def test_monthly_counts_use_only_the_monthly_extract():
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": [30]}),
        month_rows("Kent", D(2022, 4, 1), {"8Q": [9, 10, 12, 4]}),
    )
    monthly = trends.counts(recorded, "Kent", ["8Q"], trends.MONTHLY)
    assert monthly["count"].tolist() == [9, 10, 12, 4]
    assert trends.counts(recorded, "Kent", ["8Q"], trends.QUARTERLY)["count"].tolist() == [30]


def test_quarters_from_a_monthly_extract_keep_complete_quarters_only():
    recorded = table(month_rows("Kent", D(2022, 4, 1), {"8Q": [1, 2, 3, 4, 5, 6, 7, 8]}))
    quarters = trends.counts(recorded, "Kent", ["8Q"], trends.QUARTERLY)
    assert list(quarters["period_start"]) == [D(2022, 4, 1), D(2022, 7, 1)]
    assert quarters["count"].tolist() == [6, 15]  # October and November alone make no quarter


def test_granularity_chooses_the_source():
    quarterly = table(quarter_rows("Kent", D(2022, 4, 1), {"8Q": [30]}))
    both = table(quarter_rows("Kent", D(2022, 4, 1), {"8Q": [30]}), month_rows("Kent", D(2022, 4, 1), {"8Q": [10]}))
    monthly = table(month_rows("Kent", D(2022, 4, 1), {"8Q": [10, 10, 10]}))
    assert trends.months_for(quarterly, "Kent", "month") == trends.QUARTERLY  # no monthly extract: quarters
    assert trends.months_for(both, "Kent", "month") == trends.MONTHLY
    assert trends.months_for(both, "Kent", "quarter") == trends.QUARTERLY
    assert trends.months_for(both, "Kent", "year_ending") == trends.MONTHLY
    assert trends.months_for(monthly, "Kent", "quarter") == trends.QUARTERLY
    assert trends.months_for(both, "Dorset", "month") is None
    assert trends.source_name(both, "Kent", trends.QUARTERLY) == "Home Office police recorded crime"
    assert trends.source_name(monthly, "Kent", trends.QUARTERLY) == "Kent monthly extract (summed to quarters)"
    assert trends.source_name(both, "Kent", trends.MONTHLY) == "Kent monthly extract"


def test_period_labels():
    assert trends.period_label(D(2026, 10, 1), trends.MONTHLY) == "October 2026"
    assert trends.period_label(D(2026, 4, 1), trends.QUARTERLY) == "Apr–Jun 2026"
    assert trends.period_label(D(2025, 11, 1), trends.QUARTERLY) == "Nov 2025–Jan 2026"


def test_period_filter_keeps_the_chosen_range():
    series = pd.DataFrame({"period_start": [D(2022, 1, 1), D(2022, 2, 1), D(2022, 3, 1)], "count": [1.0, 2.0, 3.0]})
    assert trends.in_period(series, D(2022, 2, 1), None)["count"].tolist() == [2, 3]
    assert trends.in_period(series, None, D(2022, 2, 1))["count"].tolist() == [1, 2]
    assert trends.in_period(series, D(2022, 2, 1), D(2022, 2, 1))["count"].tolist() == [2]


# ---- year ending -------------------------------------------------------------------------------


def test_year_ending_totals_of_quarters_and_months():
    recorded = table(quarter_rows("Kent", D(2022, 4, 1), {"8Q": [1, 2, 3, 4, 5, 6]}))
    totals = trends.year_ending(trends.counts(recorded, "Kent", ["8Q"], trends.QUARTERLY), trends.QUARTERLY)
    assert list(totals["period_end"]) == [D(2023, 3, 31), D(2023, 6, 30), D(2023, 9, 30)]
    assert list(totals["period_start"]) == [D(2023, 1, 1), D(2023, 4, 1), D(2023, 7, 1)]
    assert totals["year_ending"].tolist() == [10, 14, 18]

    monthly = table(month_rows("Kent", D(2022, 4, 1), {"8Q": list(range(1, 15))}))
    totals = trends.year_ending(trends.counts(monthly, "Kent", ["8Q"], trends.MONTHLY), trends.MONTHLY)
    assert list(totals["period_end"]) == [D(2023, 3, 31), D(2023, 4, 30), D(2023, 5, 31)]
    assert totals["year_ending"].tolist() == [78, 90, 102]


def test_a_year_with_a_missing_quarter_has_no_total():
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": [1, 2, 3, 4]}),
        quarter_rows("Kent", D(2023, 7, 1), {"8Q": [6, 7, 8, 9, 10]}),  # 2023/24 Q1 not loaded
    )
    totals = trends.year_ending(trends.counts(recorded, "Kent", ["8Q"], trends.QUARTERLY), trends.QUARTERLY)
    assert list(totals["period_end"]) == [D(2023, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    assert totals["year_ending"].tolist() == [10, 30, 34]


# ---- SPC rebasing ------------------------------------------------------------------------------


def breaks(*items: tuple[dt.date, bool]) -> list[SeriesBreak]:
    return [SeriesBreak(date, f"break {date:%b %Y}", "", rebase) for date, rebase in items]


def test_rebase_positions_are_the_rebasing_breaks_inside_the_chart():
    starts = [periods.add_months(D(2019, 4, 1), 3 * i) for i in range(20)]  # 2019/20 Q1 .. 2023/24 Q4
    found = trends.rebase_positions(
        starts,
        breaks(
            (D(2018, 4, 1), True),  # before the chart: already behind every point
            (D(2019, 4, 1), True),  # at the first point: nothing to recalculate
            (D(2020, 1, 20), False),  # not a rebasing break
            (D(2020, 4, 1), True),  # a quarter start: that quarter begins the new segment
            (D(2023, 6, 1), True),  # mid-quarter: the first quarter wholly after it
            (D(2025, 4, 1), True),  # after the chart
        ),
    )
    assert found == [4, 17]
    assert starts[4] == D(2020, 4, 1) and starts[17] == D(2023, 7, 1)
    assert trends.rebase_positions([], breaks((D(2020, 4, 1), True))) == []


def test_control_recalculates_limits_at_breaks_and_names_them():
    values = [10, 12, 11, 13, 12, 30, 31, 29, 32, 30]
    starts = [periods.add_months(D(2020, 1, 1), i) for i in range(10)]
    series = pd.DataFrame({"period_start": starts, "count": [float(v) for v in values]})
    control = trends.control(series, breaks((D(2020, 6, 1), True), (D(2020, 3, 1), False)))
    assert control.rebased_at == [(D(2020, 6, 1), "break Jun 2020")]
    assert control.segment_start == (D(2020, 6, 1), "break Jun 2020")
    assert control.frame["segment"].tolist() == [0] * 5 + [1] * 5
    assert control.frame["mean"].iloc[0] == pytest.approx(11.6)
    assert control.frame["mean"].iloc[-1] == pytest.approx(30.4)
    assert control.frame["trial_limits"].all()
    unbroken = trends.control(series, ())
    assert unbroken.rebased_at == [] and unbroken.segment_start == (D(2020, 1, 1), None)


def test_control_needs_a_value():
    empty = pd.DataFrame({"period_start": [D(2020, 1, 1)], "count": [np.nan]})
    assert trends.control(empty, ()) is None


def test_by_code_compares_the_latest_year_ending_with_the_year_before(settings):
    recorded = table(
        quarter_rows("Kent", D(2021, 4, 1), {"8Q": [1, 1, 1, 1, 2, 2, 2, 2], "8L": [5, 5, 5, 5, 5, 5, 5, 5]}),
    )
    frame = trends.by_code(recorded, settings, "Kent", ["8Q", "8L", "8M"], trends.QUARTERLY)
    assert frame.attrs["end"] == D(2023, 3, 31)
    assert frame[["offence_code", "offence", "category", "current", "previous", "change"]].values.tolist() == [
        ["8Q", "Stalking", "Stalking", 8, 4, 4],
        ["8L", "Harassment", "Harassment", 20, 20, 0],
    ]
    assert frame["percent_change"].tolist() == [100.0, 0.0]
    one_year = trends.by_code(recorded[recorded["period_start"] >= "2022-04-01"], settings, "Kent", ["8Q"], 3)
    assert one_year[["current", "previous", "change"]].values.tolist() == [[8, pd.NA, pd.NA]]
    assert np.isnan(one_year["percent_change"].iloc[0])
    assert trends.by_code(recorded[recorded["period_start"] >= "2022-07-01"], settings, "Kent", ["8Q"], 3).empty
