"""Rates per 1,000: which mid-year estimate divides each year ending, England and Wales over all 43 forces or
the forces it lacks named, and ONS's published figures kept beside the dashboard's own."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from test_trends import population, quarter_rows, table

from dashboard.figures import rates
from data_loaders import periods

D = dt.date
FOUR = [10, 20, 30, 40]


@pytest.mark.parametrize(
    ("end", "lag", "year"),
    [
        # ONS's own choices in its police force area tables (the shipped lag of 15 months)
        (D(2018, 3, 31), 15, 2016),
        (D(2018, 6, 30), 15, 2017),
        (D(2018, 12, 31), 15, 2017),
        (D(2019, 3, 31), 15, 2017),
        (D(2019, 6, 30), 15, 2018),
        (D(2019, 12, 31), 15, 2018),
        # the mid-year inside the 12 months
        (D(2025, 3, 31), 9, 2024),
        (D(2024, 12, 31), 9, 2024),
    ],
)
def test_the_population_year_of_a_year_ending(end, lag, year):
    assert periods.population_year(end, lag) == year


def test_an_estimate_is_stale_when_more_than_a_year_older_than_the_12_months():
    assert periods.mid_year_within(D(2019, 3, 31)) == 2018
    assert periods.mid_year_within(D(2019, 6, 30)) == 2019
    assert not periods.population_is_stale(D(2019, 3, 31), 2017)  # what ONS used
    assert periods.population_is_stale(D(2019, 12, 31), 2017)
    assert periods.population_is_stale(D(2023, 3, 31), 2018)


def test_add_months_keeps_within_the_month():
    assert periods.add_months(D(2019, 3, 31), -15) == D(2017, 12, 31)
    assert periods.add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
    assert periods.month_end(D(2023, 2, 1)) == D(2023, 2, 28)


def test_each_year_ending_uses_the_mid_year_ons_would_and_says_so(settings):
    recorded = table(quarter_rows("Kent", D(2017, 4, 1), {"8Q": [10] * 12}))
    people = population({("Kent", 2016): 1_000, ("Kent", 2017): 2_000})
    frame = rates.year_ending_rates(recorded, people, settings, ["Kent"], ["8Q"]).frame
    assert frame["period_end"].tolist()[:5] == [D(2018, 3, 31), D(2018, 6, 30), D(2018, 9, 30), D(2018, 12, 31),
                                                D(2019, 3, 31)]  # fmt: skip
    assert frame["population_wanted"].tolist() == [2016, 2017, 2017, 2017, 2017, 2018, 2018, 2018, 2018]
    assert frame["population_year"].tolist() == [2016, 2017, 2017, 2017, 2017, 2017, 2017, 2017, 2017]
    assert frame["rate"].tolist() == [40.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0]
    assert frame["stale"].tolist() == [False] * 5 + [True] * 4  # mid-2017 for the year ending June 2019 on
    assert rates.population_words(frame.iloc[0]) == "mid-2016 population"
    assert rates.population_words(frame.iloc[5]) == (
        "mid-2017 population (mid-2018 not loaded): more than a year older than the 12 months"
    )


def test_no_rate_before_the_first_estimate(settings):
    recorded = table(quarter_rows("Kent", D(2015, 4, 1), {"8Q": FOUR}))
    frame = rates.year_ending_rates(recorded, population({("Kent", 2016): 1_000}), settings, ["Kent"], ["8Q"]).frame
    assert frame["population_wanted"].tolist() == [2014]
    assert np.isnan(frame["rate"].iloc[0]) and frame["population_year"].iloc[0] is None
    assert rates.population_words(frame.iloc[0]) == "no population loaded (mid-2014 wanted)"


def test_england_and_wales_is_the_territorial_forces_only(settings):
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": FOUR}),
        quarter_rows("Dorset", D(2022, 4, 1), {"8Q": [1, 2, 3, 4], "8L": [5, 5, 5, 5]}),
        quarter_rows("British Transport Police", D(2022, 4, 1), {"8Q": [1000] * 4}),
    )
    people = population({("Kent", 2021): 10_000, ("Dorset", 2021): 5_000})
    found = rates.year_ending_rates(recorded, people, settings, ["Kent", "Dorset", rates.NATIONAL], ["8Q"])
    frame = found.frame.set_index("area")
    assert frame.loc[rates.NATIONAL, "year_ending"] == 110  # British Transport Police left out
    assert frame.loc[rates.NATIONAL, "population"] == 15_000
    assert frame.loc[rates.NATIONAL, "rate"] == pytest.approx(1000 * 110 / 15_000)
    assert frame.loc["Kent", "rate"] == pytest.approx(10.0)
    assert frame.loc["Dorset", "rate"] == pytest.approx(2.0)
    assert frame.loc["Kent", "period_end"] == D(2023, 3, 31)
    assert frame.loc["Kent", "population_year"] == 2021
    assert frame.loc[rates.NATIONAL, "missing"] == () and frame.loc[rates.NATIONAL, "older"] == ()
    assert found.excluded == () and found.incomplete == ()
    assert set(found.latest()["area"]) == {"Kent", "Dorset", rates.NATIONAL}


def test_forces_without_population_are_left_out_of_the_national_rate_and_named(settings):
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": FOUR}),
        quarter_rows("Dorset", D(2022, 4, 1), {"8Q": FOUR}),
    )
    found = rates.year_ending_rates(recorded, population({("Kent", 2021): 10_000}), settings, [rates.NATIONAL], ["8Q"])
    national = found.frame.iloc[0]
    assert national["year_ending"] == 200  # the count is still the whole of England and Wales
    assert national["rate"] == pytest.approx(10.0)  # the rate only over forces with a population
    assert national["missing"] == ("Dorset",)
    assert found.excluded == ("Dorset",)
    assert rates.national_notes(found)[1] == (
        "The England and Wales rate for the year ending March 2023 is worked out over 42 forces: no population is "
        "loaded for Dorset."
    )


def test_an_england_and_wales_population_ons_published_covers_a_missing_force(settings):
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": FOUR}),
        quarter_rows("Dorset", D(2022, 4, 1), {"8Q": FOUR}),
    )
    published = pd.DataFrame(
        [{"area": rates.NATIONAL, "period_end": D(2023, 3, 31), "offence_group": "Stalking and harassment",
          "count": 210, "rate": 14.0, "population": 15_000, "population_year": 2021, "source": "p.xlsx"}]
    )  # fmt: skip
    people = population({("Kent", 2021): 10_000})
    found = rates.year_ending_rates(recorded, people, settings, [rates.NATIONAL], ["8Q"], published)
    national = found.frame.iloc[0]
    assert national["population"] == 15_000 and national["missing"] == ()
    assert national["rate"] == pytest.approx(1000 * 200 / 15_000)
    assert national["population_source"] == "p.xlsx (ONS Table P3, rounded to 100)"
    assert pd.isna(national["published_rate"])  # 8Q alone is not the published stalking and harassment total


def test_a_force_with_an_older_estimate_is_named_in_the_national_note(settings):
    recorded = table(
        quarter_rows("Kent", D(2018, 4, 1), {"8Q": FOUR}),
        quarter_rows("Dorset", D(2018, 4, 1), {"8Q": FOUR}),
    )
    people = population({("Kent", 2017): 10_000, ("Dorset", 2016): 5_000})
    found = rates.year_ending_rates(recorded, people, settings, ["Dorset", rates.NATIONAL], ["8Q"])
    frame = found.frame.set_index("area")
    assert frame.loc[rates.NATIONAL, "older"] == ("Dorset",)
    assert frame.loc["Dorset", "older"] == ("Dorset",) and frame.loc["Dorset", "population_year"] == 2016
    assert frame.loc[rates.NATIONAL, "population"] == 15_000
    assert rates.national_notes(found)[1] == (
        "For the year ending March 2019, Dorset is divided by an older estimate than mid-2017, which is not loaded."
    )


def test_published_figures_sit_beside_the_dashboards_own(settings):
    total = list(settings.total_codes)
    recorded = table(quarter_rows("Kent", D(2018, 4, 1), {code: FOUR for code in total}))
    published = pd.DataFrame(
        [{"area": "Kent", "period_end": D(2019, 3, 31), "offence_group": "Stalking and harassment", "count": 520,
          "rate": 52.0, "population": 10_000, "population_year": 2017, "source": "p.xlsx"}]
    )  # fmt: skip
    people = population({("Kent", 2017): 10_000})
    row = rates.year_ending_rates(recorded, people, settings, ["Kent"], total, published).frame.iloc[0]
    assert row["year_ending"] == 500 and row["rate"] == pytest.approx(50.0)
    assert row["published_count"] == 520 and row["published_rate"] == pytest.approx(52.0)
    assert row["published_population_year"] == 2017
    found = rates.year_ending_rates(recorded, people, settings, ["Kent"], total, published)
    assert rates.published_note(found, "Kent") == (
        "ONS published 520 offences and a rate of 52.00 per 1,000 for Kent in the year ending March 2019 (on its "
        "mid-2017 population); the dashboard's 500 and 50.00 come from the Home Office table loaded, which revises "
        "earlier years in each edition."
    )


def test_a_quarter_missing_for_some_force_leaves_england_and_wales_without_a_total(settings):
    recorded = table(
        quarter_rows("Kent", D(2022, 4, 1), {"8Q": [*FOUR, 50]}),
        quarter_rows("Dorset", D(2022, 4, 1), {"8Q": FOUR}),  # Dorset's 2023/24 Q1 is not loaded yet
    )
    people = population({("Kent", 2021): 10_000, ("Dorset", 2021): 10_000, ("Kent", 2022): 10_000})
    found = rates.year_ending_rates(recorded, people, settings, ["Kent", rates.NATIONAL], ["8Q"])
    national = found.frame[found.frame["area"] == rates.NATIONAL]
    assert national["year_ending"].tolist()[0] == 200
    assert np.isnan(national["year_ending"].tolist()[1])
    assert found.incomplete == (D(2023, 4, 1),)
    assert set(found.latest()["period_end"]) == {D(2023, 3, 31)}


def test_force_rates_of_monthly_year_endings(settings):
    totals = pd.DataFrame({"period_end": [D(2019, 3, 31), D(2019, 4, 30), D(2019, 6, 30)], "year_ending": [20, 30, 40]})
    people = population({("Kent", 2017): 2_000, ("Kent", 2018): 4_000})
    out = rates.force_rates(totals, people, "Kent", settings.population_lag_months)
    assert out["population_year"].tolist() == [2017, 2018, 2018]  # April 2019 less 15 months is in 2018
    assert out["rate"].tolist() == [10.0, 7.5, 10.0]
    assert out["stale"].tolist() == [False, False, False]
    lagged = rates.force_rates(totals, people, "Kent", 9)
    assert lagged["population_year"].tolist() == [2018, 2018, 2018]


def test_the_method_note_names_the_rule(settings):
    assert rates.method_note(15).startswith(
        "Rates per 1,000 people divide each year's total by ONS's mid-year population estimate: the estimate ONS "
        "itself used in its police force area tables"
    )
    assert rates.method_note(9) == (
        "Rates per 1,000 people divide each year's total by ONS's mid-year population estimate: the mid-year "
        "estimate of the year 9 months before each year ending's last day."
    )
    assert replace(settings).population_lag_months == 15
