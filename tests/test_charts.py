"""Chart builders: explicit template, the words every chart carries, markers, accessible styling."""

import datetime as dt

import pandas as pd
import plotly.io as pio

from dashboard.charts import base as charts
from dashboard.charts.markers import badge_rows
from dashboard.charts.style import BADGE_ROW

TEXT = charts.ChartText("Stalking, Devon and Cornwall", "Monthly counts", "Source: Home Office", dt.date(2025, 10, 19))
X = [dt.date(2020, m, 1) for m in range(1, 7)]
SPC = pd.DataFrame(
    {
        "value": [10, 12, 11, 30, 13, 12],
        "mean": [11, 11, 11, 16.75, 16.75, 16.75],
        "upl": [14, 14, 14, 25, 25, 25],
        "lpl": [8, 8, 8, 8.5, 8.5, 8.5],
        "segment": [0, 0, 0, 1, 1, 1],
        "point_type": ["common_cause"] * 3 + ["special_cause_neutral_high"] + ["common_cause"] * 2,
    }
)
MARKERS = [
    charts.TimeMarker(dt.date(2020, 1, 20), "Stalking Protection Orders available"),
    charts.TimeMarker(dt.date(2020, 4, 1), "Counting rule change"),
    charts.TimeMarker(dt.date(2019, 1, 1), "Outside the chart"),
]


def test_every_chart_names_its_template_even_after_streamlit_changes_the_default():
    import streamlit  # noqa: F401  (importing it switches plotly's default template)

    assert pio.templates.default == "streamlit"
    fig = charts.spc_chart(SPC, X, TEXT, markers=MARKERS)
    assert fig.layout.template.layout.colorway == charts.PALETTE
    assert fig.layout.template.layout.font.family == charts.FONT


def test_title_subtitle_source_and_data_as_at():
    fig = charts.spc_chart(SPC, X, TEXT, markers=MARKERS)
    assert fig.layout.title.text == "Stalking, Devon and Cornwall"
    assert fig.layout.title.subtitle.text == "Monthly counts"
    footer = fig.layout.annotations[-1].text
    assert footer.startswith("Source: Home Office. Data as at 19 October 2025.")
    assert "1 Stalking Protection Orders available (20 Jan 2020); 2 Counting rule change (1 Apr 2020)." in footer
    assert "Outside the chart" not in footer


def test_markers_are_numbered_badges_inside_the_range_only():
    fig = charts.spc_chart(SPC, X, TEXT, markers=MARKERS)
    badges = [a.text for a in fig.layout.annotations if a.yref == "paper" and a.xref == "x"]
    assert badges == ["<b>1</b>", "<b>2</b>"]
    assert len(fig.layout.shapes) == 2


def test_spc_limits_are_broken_between_segments():
    fig = charts.spc_chart(SPC, X, TEXT)
    upper = next(t for t in fig.data if t.name == "Usual range" and t.showlegend)
    assert list(upper.y) == [14, 14, 14, None, 25, 25, 25]


def test_special_causes_have_their_own_symbol_and_legend_entry():
    fig = charts.spc_chart(SPC, X, TEXT)
    points = {t.name: t.marker.symbol for t in fig.data if t.mode == "markers"}
    assert points == {"Usual variation": "circle", "Unusually high": "diamond"}


def test_lines_differ_by_dash_and_marker_not_only_colour():
    frame = pd.DataFrame({"year": [2023, 2024] * 3, "rate": [1, 2, 3, 4, 5, 6], "area": ["A", "A", "B", "B", "C", "C"]})
    fig = charts.line_chart(frame, x="year", y="rate", series="area", text=TEXT, y_label="Rate", highlight="B")
    styles = [(t.name, t.line.dash, t.marker.symbol, t.line.width) for t in fig.data]
    assert styles == [("B", "solid", "circle", 3.5), ("A", "dash", "square", 2), ("C", "dot", "diamond", 2)]


def test_a_chart_on_a_page_has_no_modebar_to_tab_through_and_the_export_control_downloads_it():
    assert charts.plotly_config(TEXT) == {"displayModeBar": False, "displaylogo": False}


def test_badges_of_markers_close_together_stack_in_rows_for_the_plots_width():
    close = [
        charts.TimeMarker(dt.date(2020, 1, 20), "A"),
        charts.TimeMarker(dt.date(2020, 2, 1), "B"),
        charts.TimeMarker(dt.date(2020, 2, 10), "C"),
        charts.TimeMarker(dt.date(2020, 6, 1), "D"),
    ]
    span = dt.date(2019, 1, 1), dt.date(2024, 1, 1)
    # On a 1000-pixel plot a badge (24 pixels) covers 44 days of the five years: A, B and C need rows of their own.
    fig = charts.add_time_markers(charts.go.Figure(), close, *span, plot_width=1000)
    assert [a.yshift for a in fig.layout.annotations] == [2, 2 + BADGE_ROW, 2 + 2 * BADGE_ROW, 2]
    assert [a.xshift for a in fig.layout.annotations] == [None] * 4  # each badge stays on its own line
    assert fig.layout.meta["badge_rows"] == 3
    # On a phone's 260 pixels a badge covers 169 days: D, 133 days after A, needs a fourth row.
    narrow = charts.add_time_markers(charts.go.Figure(), close, *span)
    assert narrow.layout.meta["badge_rows"] == 4
    assert badge_rows([dt.date(2020, 1, 1), dt.date(2021, 1, 1)], *span, plot_width=260) == [0, 0]


def test_a_shown_figure_sends_exactly_the_json_of_its_figure_and_keeps_no_link_to_it():
    import json

    import plotly.tools

    fig = charts.spc_chart(SPC, X, TEXT, markers=MARKERS)
    shown = charts.ShownFigure(fig)
    # What st.plotly_chart does with a figure: a dict without validating it again, then JSON.
    sent = pio.to_json(plotly.tools.return_figure_from_figure_or_data(shown, validate_figure=True), validate=False)
    assert json.loads(sent) == json.loads(pio.to_json(fig, validate=False))
    assert shown.to_dict() is shown.to_dict()  # worked out once, not copied on every run
    fig.update_layout(title_text="Changed afterwards")
    assert shown.to_dict()["layout"]["title"]["text"] == "Stalking, Devon and Cornwall"


def test_two_series_take_the_duo_pair_and_more_take_the_palette():
    two = pd.DataFrame({"x": [1, 2, 1, 2], "y": [3, 4, 5, 6], "s": ["a", "a", "b", "b"]})
    three = pd.concat([two, pd.DataFrame({"x": [1, 2], "y": [7, 8], "s": ["c", "c"]})], ignore_index=True)
    lines = charts.line_chart(two, x="x", y="y", series="s", text=TEXT, y_label="y")
    assert [t.line.color for t in lines.data] == ["#12436D", "#F46A25"] == list(charts.DUO)
    bars = charts.bar_chart(two, x="x", y="y", series="s", text=TEXT, y_label="y")
    assert [t.marker.color for t in bars.data] == ["#12436D", "#F46A25"]
    lines = charts.line_chart(three, x="x", y="y", series="s", text=TEXT, y_label="y")
    assert [t.line.color for t in lines.data] == ["#12436D", "#28A197", "#801650"] == list(charts.PALETTE[:3])
    single = charts.bar_chart(two, x="x", y="y", text=TEXT, y_label="y")
    assert [t.marker.color for t in single.data] == ["#12436D"]
