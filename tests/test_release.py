"""The one release step every output passes through: small numbers protected, demo figures labelled.

A hand-built district (community safety partnership) table with answers worked out by hand; the
local return's charts; the rate on a small base shown as [x]; and the settings that drive them.
The channel tests (every file that leaves the app, read back) are in ``test_release_channels.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart
from dashboard.outputs import layout, release, suppression
from dashboard.outputs.suppression import LOW_BASE, SUPPRESSED, Spec
from data_loaders.settings import SettingsError, SuppressionRules, load_settings

C, X = SUPPRESSED, LOW_BASE
RULES = SuppressionRules(threshold=4, minimum_base=10)

# Four districts under the force total, by category, with each district's total over the categories.
# Small counts: Plymouth's 3 stalking offences and Torbay's 2 harassment offences.
DISTRICTS = ("Exeter", "Plymouth", "Torbay", "Unassigned", "Devon and Cornwall")
FIGURES = {
    "Stalking": (12, 3, 9, 0, 24),
    "Harassment": (40, 55, 2, 6, 103),
    "All categories": (52, 58, 11, 6, 127),
}
CSP_TABLE = pd.DataFrame(
    [
        {"csp": district, "category": category, "offences": values[index]}
        for category, values in FIGURES.items()
        for index, district in enumerate(DISTRICTS)
    ]
)
CSP_SPEC = Spec(
    area="csp",
    force_level=("Devon and Cornwall",),
    counts=("offences",),
    keys=("category",),
    totals={"category": "All categories"},
)


def shown(protected: suppression.Protected) -> dict[str, list[object]]:
    """The protected table back as category -> the districts' figures in DISTRICTS order."""
    table = protected.table
    return {category: list(table[table["category"] == category]["offences"]) for category in FIGURES}


def cell(district: str, category: str) -> tuple[int, str]:
    row = CSP_TABLE.index[(CSP_TABLE["csp"] == district) & (CSP_TABLE["category"] == category)][0]
    return int(row), "offences"


def test_a_district_table_hides_each_small_count_and_every_figure_that_would_give_one_away():
    protected = suppression.suppress_frame(CSP_TABLE, CSP_SPEC, RULES)
    # Worked by hand: the stalking column (total 24) loses Plymouth's 3 and so Torbay's 9, its next smallest;
    # the harassment column (total 103) loses Torbay's 2 and so the Unassigned 6; Plymouth's own total (58)
    # would then give its stalking figure away, so its harassment figure goes too; the Unassigned total (6)
    # would give its harassment figure away, and its only other figure is a 0, which goes with it.
    assert shown(protected) == {
        "Stalking": [12, C, C, C, 24],
        "Harassment": [40, C, C, C, 103],
        "All categories": [52, 58, 11, 6, 127],
    }
    assert protected.primary == {cell("Plymouth", "Stalking"), cell("Torbay", "Harassment")}
    assert protected.secondary == {
        cell("Torbay", "Stalking"),
        cell("Unassigned", "Harassment"),
        cell("Plymouth", "Harassment"),
        cell("Unassigned", "Stalking"),
    }


def test_no_line_of_the_protected_district_table_holds_exactly_one_hidden_figure():
    table = suppression.suppress_frame(CSP_TABLE, CSP_SPEC, RULES).table
    districts = table[table["csp"] != "Devon and Cornwall"]
    for _, column in districts[districts["category"] != "All categories"].groupby("category"):
        assert (column["offences"] == C).sum() != 1
    for _, row in districts[districts["category"] != "All categories"].groupby("csp"):
        assert (row["offences"] == C).sum() != 1


def test_a_lower_threshold_hides_less_and_the_force_total_never():
    protected = suppression.suppress_frame(CSP_TABLE, CSP_SPEC, SuppressionRules(threshold=2, minimum_base=10))
    # Only Torbay's 2 is small now: the Unassigned 6 goes with it from the harassment column, Torbay's 9 from its
    # own total and then the Unassigned 0 from its own; Plymouth's 3 is shown.
    assert shown(protected) == {
        "Stalking": [12, 3, C, C, 24],
        "Harassment": [40, 55, C, C, 103],
        "All categories": [52, 58, 11, 6, 127],
    }


def test_a_rate_left_blank_on_a_small_base_leaves_as_x_and_a_missing_base_stays_blank():
    rows = pd.DataFrame(
        {"Quarter": ["Q1", "Q2", "Q3"], "Charged": [2, 30, None], "All assigned outcomes": [8, 200, None]}
    )
    rows["Charge rate (%)"] = [None, 15.0, None]  # the figures layer leaves a rate on a small base blank
    spec = Spec(below_force_level=False, rates={"Charge rate (%)": ("Charged", "All assigned outcomes")})
    protected = suppression.suppress_frame(rows, spec, RULES)
    assert list(protected.table["Charge rate (%)"].fillna("")) == [X, 15.0, ""]
    assert protected.table["Charged"].iloc[:2].tolist() == [2, 30]  # force-level counts stay as published


def return_chart(values: dict[str, list[int]]) -> Chart:
    """The force's Stalking Protection Orders chart as the catalogue builds it: one column and trace per measure."""
    quarters = [f"2024/25 Q{q}" for q in range(1, 5)] + [f"2025/26 Q{q}" for q in range(1, 5)]
    starts = pd.date_range("2024-04-01", periods=8, freq="QS-APR")
    data = pd.DataFrame({"Quarter": quarters, **values})
    figure = go.Figure([go.Scatter(x=list(starts), y=list(v), name=name) for name, v in values.items()])
    return Chart("spo-force", figure, ChartText("Stalking Protection Orders"), data, "Line chart.")


def test_the_local_return_is_protected_quarter_by_quarter_within_each_published_year():
    settings = load_settings()
    chart = return_chart(
        {
            "Interim Stalking Protection Orders granted": [6, 7, 3, 9, 8, 10, 12, 11],
            "Full Stalking Protection Orders granted": [10, 12, 14, 9, 2, 15, 0, 16],
        }
    )
    released = release.protect(chart, settings)
    # Interim: 2024/25's 3 is small, and that year's total is published, so its 6 goes too.
    # Full: 2025/26's 2 is small; the 0 is not, nor is it the next smallest non-zero figure: the 15 is.
    assert list(released.data["Interim Stalking Protection Orders granted"]) == [C, 7, C, 9, 8, 10, 12, 11]
    assert list(released.data["Full Stalking Protection Orders granted"]) == [10, 12, 14, 9, C, C, 0, 16]
    lines = {trace.name: list(trace.y) for trace in released.figure.data}
    assert lines["Interim Stalking Protection Orders granted"] == [None, 7, None, 9, 8, 10, 12, 11]
    assert lines["Full Stalking Protection Orders granted"] == [10, 12, 14, 9, None, None, 0, 16]
    assert released.notes[-1].startswith(
        "[c] Suppression applied: counts of 1 to 4 in the local prosecutions and orders return"
    )
    assert list(chart.data["Interim Stalking Protection Orders granted"])[2] == 3  # the page's chart is untouched


def test_the_words_about_the_latest_quarter_are_retold_without_what_is_withheld():
    chart = return_chart({"Stalking Protection Order breaches": [9, 8, 12, 10, 11, 9, 14, 3]})
    chart.alt = "Stalking Protection Orders. Line chart by quarter, 2024/25 Q1 to 2025/26 Q4. Latest (2025/26 Q4): 3."
    chart.reading = "In 2025/26 Q4: Stalking Protection Order breaches 3."
    released = release.protect(chart, load_settings())
    assert released.reading == "In 2025/26 Q4: Stalking Protection Order breaches [c]."
    assert released.alt == (
        "Stalking Protection Orders. Line chart by quarter, 2024/25 Q1 to 2025/26 Q4. "
        "Latest (2025/26 Q4): Stalking Protection Order breaches [c]."
    )


def test_a_measure_the_settings_do_not_protect_leaves_as_it_is(tmp_path, monkeypatch):
    own = tmp_path / "settings.toml"
    own.write_text('[suppression]\nprotected = ["spo_breaches"]\n')
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(own))
    chart = return_chart({"Interim Stalking Protection Orders granted": [6, 7, 3, 9, 8, 10, 12, 11]})
    assert release.protect(chart, load_settings()) is chart


def test_small_numbers_in_the_words_of_local_events_are_withheld():
    assert release.protect_words("Clinic reviewed 3 cases in 12 weeks from 1 Feb 2019", 4) == (
        "Clinic reviewed [c] cases in 12 weeks from 1 Feb 2019",
        1,
    )
    assert release.protect_words("Phase 2.5 of 8Q recording, 4% more, 2019/20", 4) == (
        "Phase 2.5 of 8Q recording, 4% more, 2019/20",
        0,
    )


def test_a_series_break_keeps_its_number_while_a_local_event_loses_a_small_one():
    from dashboard.charts.markers import TimeMarker, marker_key

    markers = [
        TimeMarker(dt.date(2018, 4, 1), "Counting rule 2 of the Home Office", "series break"),
        TimeMarker(dt.date(2020, 1, 20), "Clinic opened with 3 advocates", "local event"),
    ]
    figure = go.Figure()
    figure.layout.meta = {
        "marker_key": marker_key(markers),
        "markers": [{"date": m.date.isoformat(), "label": m.label, "kind": m.kind} for m in markers],
    }
    chart = Chart("events", figure, ChartText("Events"), pd.DataFrame({"x": [1]}), "alt")
    protected = release.protect(chart, load_settings())
    assert protected.figure.layout.meta["marker_key"] == (
        "1 Counting rule 2 of the Home Office (1 Apr 2018); 2 Clinic opened with [c] advocates (20 Jan 2020)"
    )
    assert protected.notes == ["[c] Numbers from 1 to 4 in the local events are not shown."]
    # The small print every output writes under the chart reads the markers themselves, not only their key.
    footer = " ".join(layout.footer_lines(protected, 10_000))
    assert "Clinic opened with [c] advocates (20 Jan 2020)" in footer and "with 3 advocates" not in footer
    assert "Counting rule 2 of the Home Office" in footer


def test_releasing_labels_a_demo_chart_once_and_says_so_in_its_figure_and_notes():
    settings = load_settings()
    chart = return_chart({"Full Stalking Protection Orders granted": [10, 12, 14, 9, 20, 15, 30, 16]})
    chart.illustrative = True
    released = release.release(chart, settings)
    marks = [a.text for a in released.figure.layout.annotations if a.name == "illustrative-mark"]
    assert marks == [f"<b>{release.DEMO_MARK}</b>"]
    assert released.notes[0] == release.DEMO_NOTICE and released.released
    assert release.release(released, settings) is released
    real = dataclasses.replace(chart, illustrative=False)
    assert not [a for a in release.release(real, settings).figure.layout.annotations if a.name]


def test_the_csv_of_a_demo_chart_starts_with_the_notice():
    data = pd.DataFrame({"Quarter": ["Q1"], "Offences": [5]})
    text = release.csv_bytes(data, illustrative=True).decode("utf-8").splitlines()
    assert text == [f'"{release.DEMO_NOTICE}"', "Quarter,Offences", "Q1,5"]
    assert release.csv_bytes(data, illustrative=False).decode("utf-8").splitlines() == ["Quarter,Offences", "Q1,5"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ('[suppression]\nprotected = ["spo_breaches", "arrests"]\n', "'arrests', which is not a measure"),
        ('[suppression]\nprotected = "spo_breaches"\n', "protected must be a list"),
        ("[suppression]\nminimum_base = 2.5\n", "minimum_base 2.5 must be a whole number"),
    ],
)
def test_bad_suppression_settings_are_refused_naming_the_key(tmp_path, text, problem):
    own = tmp_path / "settings.toml"
    own.write_text(text)
    with pytest.raises(SettingsError, match=problem):
        load_settings(own).suppression  # noqa: B018


def test_the_shipped_settings_protect_the_whole_local_return_and_the_events():
    rules = load_settings().suppression
    keys = [m.key for m in load_settings().prosecution_measures]
    assert rules.protected == (*keys, "events")
    assert (rules.threshold, rules.minimum_base) == (4, 10)
