"""Places below the force: CSP rows kept as published, district populations, partnerships, the Places figures."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa
from files import write_csv
from stored import recorded_crime_rows as stored_rows
from test_suppression import with_rules

from dashboard.figures import measures
from dashboard.figures import places as place_figures
from dashboard.outputs import release, suppression
from dashboard.words import places as place_words
from data_loaders import ingest, places, schema
from data_loaders.settings import SuppressionRules

CSP_HEADER = ["Financial Year", "Financial Quarter", "Police Force", "CSP Name", "Offence Description",
              "Offence Code", "Offence Count"]  # fmt: skip


def csp_rows(engine) -> list[tuple]:
    table = schema.recorded_crime_csp
    query = sa.select(table.c.force, table.c.financial_year, table.c.quarter, table.c.csp, table.c.offence_code,
                      table.c.count).order_by(table.c.csp, table.c.offence_code)  # fmt: skip
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def test_the_csp_edition_keeps_its_rows_as_published_and_its_force_totals(engine, settings, tmp_path):
    rows = [
        ["2022/23", 1, "Devon and Cornwall", "Plymouth", "Stalking", "8Q", 40],
        ["2022/23", 1, "Devon and Cornwall", "  Exeter ", "Stalking", "8Q", 3],
        ["2022/23", 1, "Devon and Cornwall", "Exeter", "Harassment", "8L", 11],
        ["2022/23", 1, "Devon and Cornwall", "Unassigned Devon and Cornwall", "Stalking", "8Q", 2],
        ["2022/23", 1, "Devon and Cornwall", "Plymouth", "Shoplifting", "46", 500],
    ]
    path = write_csv(tmp_path / "prc-csp-mar13-mar23-tables-230726.csv", [CSP_HEADER, *rows])
    [result] = ingest.load_files([path], engine, settings)
    assert "Kept 4 rows by community safety partnership as published." in result.describe()
    assert csp_rows(engine) == [
        ("Devon and Cornwall", "2022/23", 1, "Exeter", "8L", 11),
        ("Devon and Cornwall", "2022/23", 1, "Exeter", "8Q", 3),
        ("Devon and Cornwall", "2022/23", 1, "Plymouth", "8Q", 40),
        ("Devon and Cornwall", "2022/23", 1, "Unassigned Devon and Cornwall", "8Q", 2),
    ]
    assert [(row[5], row[-1]) for row in stored_rows(engine)] == [("8L", 11), ("8Q", 45)]


def test_a_police_force_area_edition_after_it_leaves_the_partnerships_as_they_were(engine, settings, tmp_path):
    first = write_csv(
        tmp_path / "prc-csp-a-230722.csv", [CSP_HEADER, ["2022/23", 1, "Dorset", "Dorset", "Stalking", "8Q", 7]]
    )
    pfa = [["Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Code", "Number of Offences"],
           ["2022/23", 1, "Dorset", "Stalking", "8Q", 9]]  # fmt: skip
    second = write_csv(tmp_path / "prc-pfa-b-191023.csv", pfa)
    ingest.load_files([first], engine, settings)
    ingest.load_files([second], engine, settings)
    assert csp_rows(engine) == [("Dorset", "2022/23", 1, "Dorset", "8Q", 7)]
    assert [row[-1] for row in stored_rows(engine)] == [9]


def test_a_blank_csp_name_in_a_csp_edition_is_refused(engine, settings, tmp_path):
    rows = [["2022/23", 1, "Dorset", "", "Stalking", "8Q", 7]]
    path = write_csv(tmp_path / "csp.csv", [CSP_HEADER, *rows])
    refused = ingest.prepare(path, settings).problems
    assert [str(p) for p in refused] == [
        "csp.csv, row 2, column 'CSP Name': found ''; expected the community safety partnership's name: the CSP edition "
        "names one on every row"
    ]


def test_partnerships_districts_and_their_boundary_changes():
    assert places.csp_of("E06000053") == places.csp_of("e06000052 ") == "Cornwall and Isles of Scilly"
    assert places.csp_of("E10000008") is None
    devon = places.partnerships("Devon and Cornwall")
    assert len(devon) == 11 and devon["last_year"].isna().all()
    assert places.boundary_changes("Devon and Cornwall") == []
    assert [(c.year, c.before, c.after) for c in places.boundary_changes("Avon and Somerset")] == [
        (2019, ("Taunton Deane", "West Somerset"), "Somerset West and Taunton"),
        (2023, ("Mendip", "Sedgemoor", "Somerset West and Taunton", "South Somerset"), "Somerset"),
    ]
    assert places.boundary_changes("Hertfordshire") == []  # recoded, same partnerships
    assert places.boundary_changes("Avon and Somerset")[0].sentence() == (
        "From April 2019 Somerset West and Taunton covers what was Taunton Deane and West Somerset: its figures "
        "start then, and the earlier figures stay under the old names, not added together."
    )


def test_a_partnership_of_two_districts_adds_their_populations():
    districts = pd.DataFrame(
        {
            "force": "Devon and Cornwall",
            "year": 2024,
            "lad_code": ["E06000052", "E06000053", "E06000026", "E99999999"],
            "population": [570_000, 2_000, 265_000, 5],
        }  # fmt: skip
    )
    assert places.csp_population(districts).values.tolist() == [
        ["Devon and Cornwall", "Cornwall and Isles of Scilly", 2024, 572_000, 2],
        ["Devon and Cornwall", "Plymouth", 2024, 265_000, 1],
    ]


def quarters_frame() -> pd.DataFrame:
    """Eight quarters from April 2023: Plymouth 100 a quarter then 110; Exeter 3 a quarter; Unassigned 1."""
    starts = [dt.date(2023, 4, 1) + pd.DateOffset(months=3 * i) for i in range(8)]
    rows = []
    for i, start in enumerate(starts):
        for csp, count in (("Plymouth", 100 if i < 4 else 110), ("Exeter", 3), ("Unassigned Devon and Cornwall", 1)):
            rows.append(("Devon and Cornwall", pd.Timestamp(start), csp, "8Q", count))
    return pd.DataFrame(rows, columns=["force", "period_start", "csp", "offence_code", "count"])


def test_the_places_table_has_exact_counts_changes_and_rates(settings):
    districts = pd.DataFrame(
        {
            "force": "Devon and Cornwall",
            "year": 2023,
            "lad_code": ["E06000026", "E07000041"],
            "population": [200_000, 120_000],
        }
    )
    comparison = pd.DataFrame(
        {
            "area": ["Devon and Cornwall", "England and Wales"],
            "period_end": [pd.Timestamp(2025, 3, 31)] * 2,
            "rate": [8.0, 9.5],
            "year_ending": [456, 600_000],
        }
    )
    table = place_figures.table(quarters_frame(), districts, comparison, settings, "Devon and Cornwall", ["8Q"])
    assert table.end == dt.date(2025, 3, 31)
    assert (table.force_rate, table.national_rate, table.force_count) == (8.0, 9.5, 440 + 12 + 4)
    frame = table.frame.set_index("csp")
    assert list(frame.index) == ["Exeter", "Plymouth", "Unassigned Devon and Cornwall"]
    assert frame.loc["Plymouth", ["count", "previous", "change"]].tolist() == [440, 400, 40]
    assert frame.loc["Plymouth", "percent_change"] == 10.0
    assert frame.loc["Plymouth", "rate"] == 2.2  # 440 over 200,000 (mid-2023, the mid-year 15 months before)
    assert frame.loc["Exeter", "rate"] == 0.1
    assert pd.isna(frame.loc["Unassigned Devon and Cornwall", "rate"])
    assert table.unknown == ()
    assert table.force_total == 456
    words = place_words.notes(table)
    assert words == [
        "'Unassigned Devon and Cornwall' is crimes the Home Office could not give a partnership: they count for "
        "Devon and Cornwall but have no population, so no rate.",
        "No partnership in Devon and Cornwall changed its boundaries since April 2012.",
    ]
    assert place_words.place_sentence(table, table.frame.iloc[1]) == (
        "Plymouth recorded 440 offences in the year ending March 2025, +10% on the year before (400): 2.20 per "
        "1,000 people (mid-2023 population), below Devon and Cornwall (8.00) and below England and Wales (9.50)."
    )


def test_a_small_partnership_count_is_hidden_with_the_figure_that_gives_it_away():
    data = pd.DataFrame(
        {"csp": ["Exeter", "Plymouth", "Torbay"], "count": [3, 440, 200], "population": [1e5, 2e5, 1.3e5]}
    )
    spec = suppression.Spec(area="csp", counts=("count",), rates={})
    protected = suppression.suppress_frame(data, spec, SuppressionRules(threshold=4, minimum_base=10))
    assert protected.table["count"].tolist() == ["[c]", 440, "[c]"]


def hand_built_inputs(settings, torbay: int = 50):
    """Chart inputs of eight quarters: Plymouth 100 a quarter then 110, Exeter 3, Torbay ``torbay``, Unassigned 1."""
    from dashboard.charts import catalogue
    from dashboard.figures.selection import Filters

    districts = pd.DataFrame(
        {
            "force": "Devon and Cornwall",
            "year": 2023,
            "lad_code": ["E06000026", "E07000041", "E06000027"],
            "population": [200_000, 120_000, 130_000],
        }  # fmt: skip
    )
    frame = quarters_frame()
    torbay_rows = frame[frame["csp"] == "Plymouth"].assign(csp="Torbay", count=torbay)
    recorded = pd.DataFrame(columns=["force", "financial_year", "quarter", "month", "period_start", "offence_code",
                                     "offence_description", "count"])  # fmt: skip
    return catalogue.Inputs(
        settings=settings,
        filters=Filters(force="Devon and Cornwall", peers=(), categories=settings.categories, granularity="quarter"),
        recorded=recorded,
        population=pd.DataFrame(columns=["force", "year", "population"]),
        outcomes=pd.DataFrame(),
        prosecutions=pd.DataFrame(),
        places=pd.concat([frame, torbay_rows], ignore_index=True),
        district_population=districts,
    )


def test_the_partnership_chart_leaves_the_app_with_small_counts_hidden_in_its_data_and_bars(settings):
    from dashboard.charts import catalogue

    inputs = hand_built_inputs(settings)
    chart = catalogue.build("places-rates", inputs)
    assert chart.data[["csp", "count"]].values.tolist() == [
        ["Exeter", 12], ["Plymouth", 440], ["Torbay", 200], ["Unassigned Devon and Cornwall", 4]
    ]  # fmt: skip
    assert chart.data["rate"].tolist()[:3] == [0.1, 2.2, 200 / 130] and pd.isna(chart.data["rate"].iloc[3])
    protected = release.protect(chart, with_rules(settings, SuppressionRules(threshold=4, minimum_base=10)))
    # The Unassigned 4 is small; the next smallest count, Exeter's 12, goes too, or the force total gives it back.
    assert protected.data["count"].tolist() == ["[c]", 440, 200, "[c]"]
    assert protected.data.loc[0, "rate"] == "[c]"
    bars = [trace for trace in protected.figure.data if trace.type == "bar"][0]
    assert dict(zip(bars.x, bars.y, strict=True))["Exeter"] is None
    assert dict(zip(bars.x, bars.y, strict=True))["Plymouth"] == 2.2
    assert any(note.startswith("[c] Suppression applied") for note in protected.notes)


def test_every_retired_district_names_its_successor_in_the_same_force_from_the_same_april():
    frame = places.mid_year_estimates.lookup()
    retired = frame[frame["in_use_to"].notna()]
    assert len(retired) == 48 and (retired["replaced_by"] != "").all()
    assert (frame.loc[frame["in_use_to"].isna(), "replaced_by"] == "").all()
    by_code = frame.set_index("lad_code")
    for code, successor, year, force in retired[["lad_code", "replaced_by", "in_use_to", "pfa_name"]].itertuples(
        index=False
    ):
        assert by_code.loc[successor, "pfa_name"] == force, code
        assert by_code.loc[successor, "in_use_from"] == year, code
    assert (frame["csp_name"] != "").all()
    # One partnership covers two districts; six districts recoded since 2012 keep their partnership.
    assert frame["csp_name"].nunique() == len(frame) - 1 - 6


def test_one_partnerships_spc_chart_is_protected_with_its_neighbours(settings):
    """Each quarter Exeter's 3 is hidden, and Torbay's 50, the next smallest: the force's total less Plymouth's and
    Torbay's would give Exeter's back. Torbay's own chart, on its own, would have shown its 50s."""
    import dataclasses

    from dashboard.charts import places as place_charts
    from dashboard.outputs import release

    inputs = hand_built_inputs(settings)
    inputs = dataclasses.replace(inputs, places=inputs.places[~inputs.places["csp"].str.startswith("Unassigned")])
    released = {csp: release.release(place_charts.csp_spc(inputs, csp), settings) for csp in ("Torbay", "Plymouth")}
    assert released["Torbay"].data["count"].tolist() == ["[c]"] * 8
    assert released["Plymouth"].data["count"].tolist() == [100, 100, 100, 100, 110, 110, 110, 110]
    spc = [t for t in released["Torbay"].figure.data if t.name == "Offences recorded"][0]
    assert all(v is None for v in spc.y)
    assert place_charts.csp_spc(inputs, "Torbay").data["count"].tolist() == [50] * 8  # the page's own chart


def test_places_follow_the_chosen_period(demo_inputs):
    """The latest year the Places page shows is the latest the sidebar's period reaches; the SPC chart keeps to it."""
    from dataclasses import replace

    from dashboard.charts import places as place_charts

    assert measures.places(demo_inputs).end == dt.date(2025, 6, 30)
    to_march = replace(demo_inputs, filters=replace(demo_inputs.filters, end=dt.date(2024, 3, 1)))
    table = measures.places(to_march)
    assert table.end == dt.date(2024, 3, 31)
    exeter = table.frame[table.frame["csp"] == "Exeter"].iloc[0]
    assert (exeter["count"], round(exeter["rate"], 2)) == (1096, 8.35)
    assert place_charts.force_rates(to_march).end == dt.date(2024, 3, 31)
    window = replace(to_march, filters=replace(to_march.filters, start=dt.date(2020, 4, 1)))
    chart = place_charts.csp_spc(window, "Exeter")
    starts = [pd.Timestamp(s).date() for s in chart.data["period_start"]]
    assert (starts[0], starts[-1], len(starts)) == (dt.date(2020, 4, 1), dt.date(2024, 1, 1), 16)
    # A year whose district estimates are not loaded says so and which mid-year it needs.
    to_2023 = replace(demo_inputs, filters=replace(demo_inputs.filters, end=dt.date(2023, 3, 1)))
    earlier = measures.places(to_2023)
    assert (earlier.end, earlier.population_wanted, len(earlier.rated())) == (dt.date(2023, 3, 31), 2021, 0)
    assert place_words.summary(earlier)[0] == (
        "In the year ending March 2023 no partnership has a rate: no ONS mid-year estimates by local authority for "
        "mid-2021 or earlier are loaded."
    )
