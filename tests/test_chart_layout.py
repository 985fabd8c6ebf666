"""Chart layout that never clips or overlaps: measured text, badges in rows, the page's figure, the press style,
one colour per series, the home force against the range of its peers, and print resolution.

The rules are checked on the figures the catalogue builds from the demo; ``test_chart_canvas`` checks the
same charts as the browser draws them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard.charts import catalogue, fonts
from dashboard.charts import peers as peer_charts
from dashboard.charts.base import PALETTE, ChartText
from dashboard.charts.markers import TimeMarker
from dashboard.charts.page import legend_item, legend_names, legend_rows, page_figure, page_words
from dashboard.outputs import images, layout
from data_loaders.settings import load_settings

# The charts the Overview, Recorded crime and Outcomes pages open on, and the press office exports most.
MOST_USED = ("recorded-spc", "recorded-year-ending", "recorded-rate-latest", "charge-rate-comparison", "outcome-mix")
HEX = re.compile(r"#([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})$")


def colour_of(trace) -> str:
    if trace.type == "bar":
        return str(trace.marker.color)
    if trace.fill == "toself" and trace.mode == "lines":  # an area of a map: told by its fill (and pattern)
        return f"{trace.fillcolor} {trace.fillpattern.shape or ''}"
    return str(trace.line.color or trace.marker.color)


def is_grey(colour: str) -> bool:
    match = HEX.match(colour)
    if match:
        red, green, blue = (int(part, 16) for part in match.groups())
    else:
        red, green, blue = (int(float(v)) for v in re.findall(r"[\d.]+", colour)[:3])
    return red == green == blue


# ---- measured text ----------------------------------------------------------------------------------


def test_text_is_measured_in_pixels_on_the_face_the_browser_falls_back_to():
    assert fonts._face(15, False) is not None, "DejaVu Sans is installed with the browser (fonts-dejavu-core)"
    narrow, wide = fonts.width("iiiiiiiiii", 15), fonts.width("WWWWWWWWWW", 15)
    assert wide > 3 * narrow  # measured, not counted
    assert fonts.width("<b>Devon &amp; Cornwall</b>", 15) == fonts.width("Devon & Cornwall", 15, bold=True)
    lines = fonts.wrap("Recorded stalking and harassment per 1,000 people: Devon and Cornwall compared", 300, 21)
    assert lines == ["Recorded stalking and", "harassment per 1,000", "people: Devon and Cornwall", "compared"]
    assert all(fonts.width(line, 21) <= 300 for line in lines)
    # Greedy: each line would be too wide with the next line's first word.
    assert all(fonts.width(f"{a} {b.split()[0]}", 21) > 300 for a, b in zip(lines, lines[1:], strict=False))
    assert " ".join(lines) == "Recorded stalking and harassment per 1,000 people: Devon and Cornwall compared"
    # A word wider than the line is broken rather than left to run off the edge.
    assert all(fonts.width(line, 15) <= 60 for line in fonts.wrap("Supercalifragilistic", 60, 15))


# ---- the page: words as text, the figure without them -------------------------------------------------


def test_the_page_writes_the_words_and_the_whole_key_and_draws_the_plot_without_them(demo_charts):
    _, charts = demo_charts
    chart = charts["recorded-spc"]
    shown = page_figure(chart.figure)
    assert shown.layout.title.text == "" and shown.layout.title.subtitle.text == ""
    assert not [a for a in shown.layout.annotations if str(a.text).startswith("Source:")]
    words = page_words(chart.figure, chart.text)
    assert words.title == chart.text.title
    assert words.source.startswith("Source: ") and "Data as at" in words.source
    markers = chart.figure.layout.meta["markers"]
    assert len(words.key) == len(markers) > 0
    first = markers[0]
    assert words.key[0] == f"1 {first['label']} ({dt.date.fromisoformat(first['date']):%-d %b %Y}, {first['kind']})"
    # The plot keeps its height; the legend stands above every row of badges.
    built = chart.figure.layout
    plot = built.height - built.margin.t - built.margin.b
    assert shown.layout.height - shown.layout.margin.t - shown.layout.margin.b == plot
    rows = chart.figure.layout.meta["badge_rows"]
    assert shown.layout.legend.y * plot >= plot + rows * 20 + 8


def test_badges_never_share_a_row_where_they_would_touch(demo_charts):
    _, charts = demo_charts
    for key, chart in charts.items():
        meta = chart.figure.layout.meta if isinstance(chart.figure.layout.meta, dict) else {}
        if not meta.get("markers"):
            continue
        start, end = (dt.date.fromisoformat(d) for d in meta["marker_span"])
        per_pixel = (end - start).days / 260
        badges = [a for a in chart.figure.layout.annotations if a.yref == "paper" and a.y == 1 and a.xref == "x"]
        by_row: dict[float, list[pd.Timestamp]] = {}
        for badge in badges:
            by_row.setdefault(badge.yshift, []).append(pd.Timestamp(badge.x))
        for row in by_row.values():
            gaps = [(b - a).days / per_pixel for a, b in zip(sorted(row), sorted(row)[1:], strict=False)]
            assert all(gap >= 24 for gap in gaps), f"{key}: badges {gaps} pixels apart on a 260-pixel plot"


# ---- one colour per series; the home force against the range of its peers ---------------------------


def test_no_two_series_of_any_chart_share_a_colour(demo_charts):
    _, charts = demo_charts
    for key, chart in charts.items():
        named = [t for t in chart.figure.data if t.showlegend is not False and t.name]
        colours = [colour_of(t) for t in named]
        if key.endswith("-spc"):
            # An SPC chart's one series is its values; its points and limits are told apart by symbol and dash
            # too (high and low special causes share NHS purple, filled and open).
            styles = {(colour_of(t), t.marker.symbol, t.line.dash) for t in named}
            assert len(styles) == len(named), key
        else:
            assert len(set(colours)) == len(colours), (
                f"{key}: {list(zip([t.name for t in named], colours, strict=True))}"
            )


def test_a_line_chart_refuses_more_lines_than_colours():
    from dashboard.charts.base import line_chart

    eight = pd.DataFrame({"x": [1, 2] * 8, "y": range(16), "area": [f"Measure {i // 2}" for i in range(16)]})
    figure = line_chart(eight, x="x", y="y", series="area", text=ChartText("t"), y_label="y")
    assert len({t.line.color for t in figure.data}) == 8  # a CPS Area's four measures for two areas
    frame = pd.DataFrame({"x": [1, 2] * 13, "y": range(26), "area": [f"Force {i // 2}" for i in range(26)]})
    with pytest.raises(ValueError, match="13 lines would share colours"):
        line_chart(frame, x="x", y="y", series="area", text=ChartText("t"), y_label="y")


def test_the_charge_rate_draws_the_force_england_and_wales_and_a_band_for_the_peers(demo_charts):
    settings, charts = demo_charts
    chart = charts["charge-rate-comparison"]
    home = settings.home_force
    shown = [(t.name, t.showlegend is not False) for t in chart.figure.data]
    peers = [p for p in settings.peers if p != home]
    band = f"Range of the {len(peers)} peer forces (lowest to highest)"
    assert shown == [(band, False), (band, True), ("England and Wales", True), (home, True)]
    assert chart.figure.data[1].fill == "tonexty"
    assert chart.text.title == f"Charge rate: {home} against its peer forces and England and Wales"
    assert set(chart.data["Area"]) == {home, "England and Wales", *peers}
    # Every point of the band is the lowest or the highest peer of its period.
    rates = chart.data[chart.data["Area"].isin(peers)].dropna(subset=["Charge rate (%)"])
    highest = rates.groupby("Period")["Charge rate (%)"].max()
    assert sorted(chart.figure.data[1].y) == sorted(highest)


def test_a_chosen_peer_without_figures_is_named_as_missing_not_in_the_title(demo_charts):
    settings, charts = demo_charts
    chart = charts["charge-rate-comparison"]
    frame = chart.data.rename(columns={"Area": "area", "Period": "x", "Charge rate (%)": "rate"})
    frame = frame[frame["area"].isin([settings.home_force, "Dorset"])]
    figure = peer_charts.range_chart(
        frame, x="x", y="rate", area="area", home=settings.home_force, national="England and Wales",
        text=ChartText("t"), y_label="%",
    )  # fmt: skip
    assert [t.name for t in figure.data] == ["Range of the peer force"] * 2 + [settings.home_force]


# ---- the press style -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["charge-rate-comparison", "recorded-rate-comparison", "recorded-rate-latest"])
def test_the_press_style_greys_every_series_but_the_home_forces(key, demo_charts):
    settings, charts = demo_charts
    chart = charts[key]
    figure = layout.lay_out(chart, images.SIZES["press"], settings.branding, press=layout.Press("breaks"))
    home = chart.figure.layout.meta["highlight"]
    for trace in figure.data:
        if trace.name == home:
            assert colour_of(trace) == PALETTE[0], key
        else:
            assert is_grey(colour_of(trace)), f"{key}: {trace.name} is {colour_of(trace)}"
            if getattr(trace, "fill", None) == "tonexty":
                assert is_grey(trace.fillcolor)
    named = [t for t in figure.data if t.showlegend is not False]
    assert len({(colour_of(t), t.line.dash if t.type != "bar" else t.marker.pattern.shape) for t in named}) == len(
        named
    ), "the greys are told apart by their dash or pattern"


def test_the_press_style_keeps_only_the_series_breaks_or_no_markers(demo_charts):
    settings, charts = demo_charts
    chart = charts["recorded-spc"]
    kinds = [m["kind"] for m in chart.figure.layout.meta["markers"]]
    assert "series break" in kinds and set(kinds) - {"series break"}, "the demo has breaks and local events"
    breaks = layout.lay_out(chart, images.SIZES["press"], settings.branding, press=layout.Press("breaks"))
    assert [m["kind"] for m in breaks.layout.meta["markers"]] == ["series break"] * kinds.count("series break")
    footer = next(a.text for a in breaks.layout.annotations if str(a.text).startswith("Source:"))
    assert "Marked: 1 " in footer and not any(note[:30] in footer for note in chart.notes)
    bare = layout.lay_out(chart, images.SIZES["press"], settings.branding, press=layout.Press("none"))
    assert bare.layout.meta["markers"] == [] and not bare.layout.shapes[:-1]  # only the branded strip
    assert "Marked:" not in next(a.text for a in bare.layout.annotations if str(a.text).startswith("Source:"))
    with pytest.raises(ValueError, match="unknown annotations 'some'"):
        layout.Press("some")


def test_the_press_style_draws_the_offices_logo_when_one_is_set(demo_charts, tmp_path):
    _, charts = demo_charts
    logo = tmp_path / "office-logo.png"
    Image.new("RGB", (160, 40), "#FFFFFF").save(logo)
    (tmp_path / "brand.toml").write_text(f'[branding]\nlogo = "{logo}"\n')
    branding = load_settings(tmp_path / "brand.toml").branding
    figure = layout.lay_out(charts["charge-rate-comparison"], images.SIZES["press"], branding, press=layout.Press())
    [image] = figure.layout.images
    assert image.source == layout.logo_data_uri(logo) and image.xanchor == "right"
    without = layout.lay_out(charts["charge-rate-comparison"], images.SIZES["press"], load_settings().branding)
    assert not without.layout.images


# ---- every word inside the canvas, in its own room -------------------------------------------------------


@pytest.mark.parametrize("size", sorted(images.SIZES))
@pytest.mark.parametrize("press", [None, layout.Press("breaks")], ids=["page-style", "press-style"])
def test_every_line_of_words_fits_the_width_and_the_parts_stack_without_overlapping(size, press, demo_charts):
    settings, charts = demo_charts
    preset = images.SIZES[size]
    for key in MOST_USED:
        figure = layout.lay_out(charts[key], preset, settings.branding, press=press)
        margin, legend = figure.layout.margin, figure.layout.legend
        text_width = preset.width - margin.l - round(36 * preset.type_scale)
        plot_width = preset.width - margin.l - margin.r
        title = figure.layout.title
        for text, font in ((title.text, title.font.size), (title.subtitle.text, title.subtitle.font.size)):
            assert fonts.widest(text, font) <= text_width, f"{key} at {size}: {text!r}"
        footer = next(a for a in figure.layout.annotations if str(a.text).startswith("Source:"))
        assert fonts.widest(footer.text, footer.font.size) <= text_width, f"{key} at {size}: footer"
        # Top down: title and subtitle, legend, badges, plot; bottom up: strip, footer, axis labels, plot.
        lines = title.text.count("<br>") + 1
        sub = title.subtitle.text.count("<br>") + 1 if title.subtitle.text else 0
        title_bottom = 14 * preset.type_scale + lines * 1.3 * title.font.size + sub * 1.35 * title.subtitle.font.size
        plot_height = preset.height - margin.t - margin.b
        names = legend_names(figure)
        if legend.orientation == "v":  # beside the plot, in the room the right margin keeps for its widest entry
            assert legend.x > 1 and legend.yanchor == "top", key
            assert max(legend_item(n, legend.font.size) for n in names) <= margin.r - legend.x * plot_width + plot_width
            legend_top = margin.t
        else:
            legend_bottom = margin.t - (legend.y - 1) * plot_height
            legend_top = legend_bottom - legend_rows(names, plot_width, legend.font.size) * 1.75 * legend.font.size
        assert title_bottom <= legend_top, f"{key} at {size}: title runs into the legend"
        footer_bottom = -footer.yshift + (footer.text.count("<br>") + 1) * 1.3 * footer.font.size
        band_top = -figure.layout.shapes[-1].y1
        assert footer_bottom <= band_top <= figure.layout.margin.b, f"{key} at {size}: footer runs into the strip"


# ---- print resolution ------------------------------------------------------------------------------------


def test_the_print_preset_is_a4_at_300_dpi_and_the_press_preset_twice_its_pixels():
    assert images.SIZES["a4"].pixels() == (3509, 2481)  # 297 x 210 mm at 300 dots per inch
    assert images.SIZES["press"].pixels() == (2400, 1350)


def test_a_print_png_says_its_resolution(demo_charts, chromium):
    settings, charts = demo_charts
    exported = images.export_chart(charts["recorded-spc"], settings, "png", images.SIZES["a4"])
    image = Image.open(io.BytesIO(exported.content))
    assert image.size == (3509, 2481)
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)
    press = images.export_chart(
        charts["charge-rate-comparison"], settings, "png", images.SIZES["press"], press=layout.Press("none")
    )
    assert press.file_name == "charge-rate-comparison-highlighted.png"
    assert Image.open(io.BytesIO(press.content)).size == (2400, 1350)


def test_a_figure_without_markers_is_left_without_badges():
    figure = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
    chart = catalogue.Chart("plain", figure, ChartText("Plain"), pd.DataFrame({"x": [1]}), "alt")
    laid = layout.lay_out(chart, images.SIZES["press"], None)
    assert not [a for a in laid.layout.annotations if a.yref == "paper" and a.y == 1]
    assert dataclasses.replace(images.SIZES["press"], scale=1).pixels() == (1200, 675)
    assert TimeMarker(dt.date(2020, 1, 1), "x").kind == "series break"
