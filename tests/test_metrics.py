"""Headline figures on hand-built frames with exact answers."""

import datetime as dt

import pandas as pd
import pytest

from dashboard.figures import metrics
from data_loaders import periods


def quarters(first: dt.date, counts: list[int]) -> pd.DataFrame:
    starts = [periods.add_months(first, 3 * i) for i in range(len(counts))]
    return pd.DataFrame({"period_start": starts, "count": counts})


def test_year_ending_series_sums_four_quarters():
    frame = quarters(dt.date(2023, 4, 1), [10, 20, 30, 40, 50, 60])
    rolling = metrics.year_ending_series(frame, 3)
    assert rolling.to_dict("records") == [
        {"period_end": dt.date(2024, 3, 31), "year_ending": 100},
        {"period_end": dt.date(2024, 6, 30), "year_ending": 140},
        {"period_end": dt.date(2024, 9, 30), "year_ending": 180},
    ]


def test_year_ending_series_leaves_a_gap_uncounted():
    frame = quarters(dt.date(2023, 4, 1), [10, 20, 30, 40, 50]).drop(index=2)
    rolling = metrics.year_ending_series(frame, 3)
    assert rolling.empty


def test_compare_year_ending_monthly():
    months = pd.DataFrame(
        {"period_start": [periods.add_months(dt.date(2023, 1, 1), i) for i in range(24)], "count": list(range(1, 25))}
    )
    comparison = metrics.compare_year_ending(months, 1)
    assert comparison.end == dt.date(2024, 12, 31)
    assert comparison.current == sum(range(13, 25))
    assert comparison.previous == sum(range(1, 13))
    assert comparison.change == 144
    assert comparison.percent_change == pytest.approx(100 * 144 / 78)


def test_compare_year_ending_without_previous_year():
    comparison = metrics.compare_year_ending(quarters(dt.date(2024, 4, 1), [1, 2, 3, 4]), 3)
    assert (comparison.current, comparison.previous, comparison.change, comparison.percent_change) == (
        10,
        None,
        None,
        None,
    )


def test_percent_change_from_zero_is_none():
    comparison = metrics.YearEndingComparison(dt.date(2025, 3, 31), 5, 0)
    assert comparison.change == 5
    assert comparison.percent_change is None


def test_compare_year_ending_empty():
    assert metrics.compare_year_ending(pd.DataFrame({"period_start": [], "count": []}), 3) is None


def test_rate_per_1000():
    assert metrics.rate_per_1000(15127, 1_800_000) == pytest.approx(8.403888889)
    assert metrics.rate_per_1000(10, None) is None
    assert metrics.rate_per_1000(None, 100) is None


def test_labels_and_formats():
    assert periods.year_ending_label(dt.date(2025, 3, 31)) == "year ending March 2025"
    assert metrics.format_percent_change(9.26) == "+9%"
    assert metrics.format_percent_change(-0.26) == "-0.3%"
    assert metrics.format_percent_change(None) == "n/a"
    assert metrics.format_count(15127) == "15,127"
    assert periods.month_end(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
