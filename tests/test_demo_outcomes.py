"""Demo outcomes, prosecutions and events: loadable through the real loaders, and telling the published story."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest

from dashboard.figures import outcomes as outcome_figures
from data_loaders import dumps, ingest
from data_loaders.demo import outcomes as demo_outcomes
from data_loaders.periods import quarter_start
from data_loaders.sources import events, outcomes, recorded_crime
from data_loaders.sources.prosecutions import period_end

AS_OF = dt.date(2025, 6, 30)
FORCES = {"Devon and Cornwall": 1.0, "Dorset": 0.45, "Gloucestershire": 0.4}
# Quarterly level of each code at the home force by financial year (first calendar year); the
# stalking level jumps in 2020 when former-partner conduct began to be recorded as stalking.
LEVELS = {"8Q": {2014: 20, 2017: 80, 2020: 370, 2023: 460}, "8L": {2014: 430, 2017: 1000, 2020: 1250},
          "8R": {2017: 1300, 2020: 1250, 2023: 1100}, "8U": {2020: 170}}  # fmt: skip
DESCRIPTIONS = {"8Q": "Stalking", "8L": "Harassment", "8R": "Malicious Communications", "8U": "Controlling"}


def recorded_frame() -> pd.DataFrame:
    """Quarterly recorded crime in the stored shape, 2014/15 to 2024/25, for three forces of one CPS Area."""
    rows = []
    for year in range(2014, 2025):
        financial_year = f"{year}/{str(year + 1)[-2:]}"
        for quarter in range(1, 5):
            for code, levels in LEVELS.items():
                eras = [start for start in levels if start <= year]
                if not eras:
                    continue
                for force, size in FORCES.items():
                    count = round(levels[max(eras)] * size * (1 + 0.03 * quarter))
                    start = quarter_start(financial_year, quarter)
                    rows.append((force, financial_year, quarter, 0, start, code, DESCRIPTIONS[code], count))
    return pd.DataFrame(rows, columns=recorded_crime.STORED_COLUMNS)


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory):
    from data_loaders.settings import load_settings

    folder = tmp_path_factory.mktemp("demo")
    return demo_outcomes.write_files(folder, load_settings(), AS_OF, recorded_frame())


@pytest.fixture
def demo_db(engine, settings, demo_files):
    results = ingest.load_files(demo_files, engine, settings, is_demo=True)
    assert [r.kind for r in results] == ["outcomes"] * 11 + ["prosecutions", "events"]
    return engine


def test_the_files_are_named_as_published_and_the_same_inputs_give_the_same_bytes(demo_files, settings, tmp_path):
    names = [p.name for p in demo_files]
    assert names[0] == "prc-outcomes-open-data-mar2015-tables-300625.ods"
    assert names[-3:] == [
        "prc-outcomes-open-data-mar2025-tables-300625.ods",
        "demo-prosecutions-and-orders-return.csv",
        "demo-local-events.csv",
    ]
    again = demo_outcomes.write_files(tmp_path, settings, AS_OF, recorded_frame())

    def digest(path):
        return hashlib.sha256(path.read_bytes()).hexdigest()

    assert [digest(p) for p in again] == [digest(p) for p in demo_files]


def test_outcomes_of_offences_recorded_add_up_to_the_recorded_counts(settings):
    recorded = recorded_frame()
    generated = demo_outcomes.generate_outcomes(recorded, settings)
    totals = generated.groupby(["force", "financial_year", "quarter", "offence_code"])[
        "outcomes_for_offences_recorded"
    ].sum()
    expected = recorded.set_index(["force", "financial_year", "quarter", "offence_code"])["count"]
    assert totals.sort_index().tolist() == expected.sort_index().tolist()


def test_charge_rates_for_stalking_fall_from_a_third_to_under_a_tenth(demo_db, settings):
    # The outcomes are drawn (seeded), not apportioned, so the rates are exact values of the draws: about a third
    # in 2014/15 (on about 80 outcomes a year here, so the two counts differ) and under a tenth in 2024/25.
    expected = {
        outcomes.FOR_OFFENCES_RECORDED: {"2014/15": 0.3529, "2024/25": 0.0853},
        outcomes.RECORDED: {"2014/15": 0.4198, "2024/25": 0.0814},
    }
    frame = dumps.outcomes(demo_db, settings)
    stalking = frame[(frame["force"] == settings.home_force) & (frame["offence_code"] == "8Q")]
    for count in outcomes.COUNTS:
        totals = outcome_figures.outcome_totals(stalking, settings, count, by=["financial_year"])
        rate = (totals["charged"] / totals["assigned"]).set_axis(totals["financial_year"]).round(4)
        assert rate[["2014/15", "2024/25"]].to_dict() == expected[count], count


def test_victim_does_not_support_is_a_large_and_rising_share(demo_db, settings):
    frame = dumps.outcomes(demo_db, settings)
    home = frame[frame["force"] == settings.home_force]
    totals = outcome_figures.outcome_totals(home, settings, outcomes.RECORDED, by=["financial_year"])
    withdrawn = (totals["victim_does_not_support"] / totals["assigned"]).set_axis(totals["financial_year"])
    assert withdrawn.is_monotonic_increasing
    assert withdrawn["2024/25"] > 0.5 > withdrawn["2014/15"]


def test_offences_not_yet_assigned_an_outcome_are_concentrated_in_the_latest_quarters(demo_db, settings):
    frame = dumps.outcomes(demo_db, settings)
    home = frame[frame["force"] == settings.home_force]
    pending = (
        home[home["outcome_type"] == 0].groupby(["financial_year", "quarter"])[outcomes.FOR_OFFENCES_RECORDED].sum()
    )
    everything = home.groupby(["financial_year", "quarter"])[outcomes.FOR_OFFENCES_RECORDED].sum()
    share = (pending.reindex(everything.index, fill_value=0) / everything).tolist()
    assert share[-1] > 0.5
    assert share[-4:] == sorted(share[-4:])
    assert max(share[:-8]) < 0.02
    assert pending.tail(4).sum() > 0.8 * pending.sum()
    assert (home.loc[home["outcome_type"] == 0, outcomes.RECORDED] == 0).all()


def test_the_return_covers_the_home_force_and_its_cps_area_with_convictions_within_prosecutions(demo_db, settings):
    frame = dumps.prosecutions(demo_db, settings)
    assert set(frame["area"]) == {"Devon and Cornwall", "CPS South West"}
    assert set(frame["granularity"]) == {"quarter"}
    assert frame["period"].min() == "2018/19 Q1"
    assert frame["period"].max() == "2024/25 Q4"
    wide = frame.pivot_table(index=["area", "period"], columns="measure", values="value")
    assert (wide["convictions"] <= wide["prosecutions_completed"]).all()
    assert wide["charges"].gt(0).all()


def test_no_stalking_protection_order_figures_before_the_orders_existed(demo_db, settings):
    frame = dumps.prosecutions(demo_db, settings)
    orders = frame[frame["measure"].str.startswith("spo_")]
    ends = [period_end(g, s) for g, s in zip(orders["granularity"], orders["period_start"], strict=True)]
    assert min(ends) >= dt.date(2020, 1, 20)
    assert orders["period"].min() == "2019/20 Q4"
    assert set(orders["measure"]) == {"spo_applications", "spo_interim_granted", "spo_full_granted", "spo_breaches"}


def test_a_handful_of_local_events_up_to_the_build_date(demo_db, settings):
    local = events.local_events(demo_db)
    assert 3 <= len(local) <= 8
    assert local["date"].max() <= AS_OF
    assert (dt.date(2024, 9, 27), "HMICFRS super-complaint report published") in set(
        zip(local["date"], local["label"], strict=True)
    )
    assert local["is_demo"].all()
