"""Chart exports: sizes, formats and their metadata, branding, alt text, CSVs, the press pack's ZIP and the command line.

Images are drawn by kaleido in the Debian Chromium: those tests are skipped without it (and fail
under PCC_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from files import png_size

import pcc_cli as cli
from dashboard.charts import base as charts
from dashboard.charts import catalogue, fonts
from dashboard.charts.base import ChartText, TimeMarker
from dashboard.charts.catalogue import Chart, Inputs
from dashboard.figures.selection import defaults_for
from dashboard.outputs import images, press_pack, release
from dashboard.outputs.inputs import filters_from_options, inputs_from_database, key_messages, load_charts
from dashboard.outputs.layout import lay_out
from data_loaders import database
from data_loaders.settings import SettingsError, load_settings

SVG = "{http://www.w3.org/2000/svg}"
AS_AT = dt.date(2026, 10, 22)


def trend_chart(settings, *, title="Recorded stalking in Devon and Cornwall, quarterly", notes=()) -> Chart:
    """A small line chart on the shared template, with two numbered markers and a footer, as the builders make."""
    starts = pd.date_range("2022-04-01", periods=8, freq="QS-APR")
    data = pd.DataFrame(
        {"quarter": list(starts) * 2, "force": ["Devon and Cornwall"] * 8 + ["Dorset"] * 8, "offences": range(16)}
    )
    text = ChartText(title, "Offences recorded each quarter", "Source: Home Office police recorded crime", AS_AT)
    markers = [TimeMarker(dt.date(2023, 6, 1), "Counting rule reversed"), TimeMarker(dt.date(2023, 10, 1), "Report")]
    figure = charts.line_chart(
        data, x="quarter", y="offences", series="force", text=text, y_label="Offences", markers=markers
    )
    return Chart("test-trend", figure, text, data, "Line chart of offences: 0 to 15.", "No signal.", list(notes))


def png_text(png: bytes) -> dict[str, str]:
    """The PNG's text chunks (tEXt and iTXt), keyword to value, as Pillow reads them."""
    from PIL import Image

    return dict(Image.open(io.BytesIO(png)).text)


# ---- sizes and layout (no browser) -----------------------------------------------------------------


def test_the_presets_and_a_custom_size():
    assert {k: (s.width, s.height, s.scale) for k, s in images.SIZES.items()} == {
        "press": (1200, 675, 2.0),
        "square": (1080, 1080, 1.0),
        "slide": (1920, 1080, 1.0),
        "a4": (1123, 794, 3.125),
    }
    assert images.size_for("a4", scale=2).pixels() == (2246, 1588)
    assert images.size_for("custom", width=800, height=600).pixels() == (800, 600)
    with pytest.raises(ValueError, match="a custom size needs a width and a height"):
        images.size_for("custom")
    with pytest.raises(ValueError, match="the width must be from 300 to 4000 pixels, not 100"):
        images.size_for("custom", width=100, height=500)
    with pytest.raises(ValueError, match="the scale must be from 0.5 to 6"):
        images.size_for("press", scale=10)
    with pytest.raises(ValueError, match="unknown size 'poster'"):
        images.size_for("poster")


@pytest.mark.parametrize("key", sorted(images.SIZES))
def test_each_size_keeps_room_for_every_part_of_the_chart(key, settings):
    chart = trend_chart(settings, notes=["Limits recalculated at the series breaks: June 2023."])
    size = images.SIZES[key]
    figure = lay_out(chart, size, settings.branding)
    layout = figure.layout
    width = size.width - layout.margin.l - layout.margin.r
    assert (layout.width, layout.height) == (size.width, size.height)
    assert layout.template.layout.font.family == charts.FONT  # the shared template, set explicitly
    plot_height = size.height - layout.margin.t - layout.margin.b
    assert plot_height > 0.35 * size.height
    # The legend sits above the numbered markers' badges, which sit on top of the plot.
    assert layout.legend.y > 1 and layout.legend.yanchor == "bottom"
    footer = next(a for a in layout.annotations if a.text.startswith("Source:"))
    assert "Data as at 22 October 2026." in footer.text
    assert "Marked: 1 Counting rule reversed (1 Jun 2023); 2 Report (1 Oct 2023)." in footer.text
    assert "Limits recalculated" in footer.text
    # Each footer line fits the plot's width at the footer's type size, measured in pixels.
    assert fonts.widest(footer.text, footer.font.size) <= width
    office = next(a for a in layout.annotations if settings.branding.office in a.text)
    assert office.font.color == settings.branding.text_colour
    band = layout.shapes[-1]
    assert band.fillcolor == settings.branding.colour and band.x0 == -1 and band.x1 == 2
    # The strip is below the footer: its top is further down than the footer's last line.
    footer_bottom = -footer.yshift + (footer.text.count("<br>") + 1) * 1.3 * footer.font.size
    assert -band.y1 >= footer_bottom


def test_a_long_title_is_wrapped_to_the_width(settings):
    chart = trend_chart(settings, title="Recorded stalking and harassment " * 4)
    figure = lay_out(chart, images.SIZES["square"], settings.branding)
    lines = figure.layout.title.text.split("<br>")
    assert len(lines) == 2
    width = 1080 - figure.layout.margin.l - figure.layout.margin.r
    assert all(0.6 * width < fonts.width(line, figure.layout.title.font.size) <= width for line in lines)


def test_the_page_figure_is_left_as_it_was(settings):
    chart = trend_chart(settings)
    before = chart.figure.to_json()
    lay_out(chart, images.SIZES["slide"], settings.branding)
    assert chart.figure.to_json() == before


def test_a_chart_without_alt_text_gets_one_from_its_data(settings):
    chart = dataclasses.replace(trend_chart(settings), alt="")
    assert images.alt_text(chart).startswith("Chart: Recorded stalking in Devon and Cornwall, quarterly.")
    assert "16 rows" in images.alt_text(chart)


def test_the_csv_is_the_data_drawn_with_formulas_neutralised(settings):
    chart = trend_chart(settings)
    chart.data.loc[0, "force"] = "=HYPERLINK(1)"
    frame = pd.read_csv(io.BytesIO(images.csv_bytes(chart, settings)))
    assert list(frame.columns) == ["quarter", "force", "offences"]
    assert len(frame) == 16 and frame.loc[0, "force"] == "'=HYPERLINK(1)"


def test_the_csv_of_a_chart_below_force_level_says_what_was_suppressed(settings):
    data = pd.DataFrame({"csp": ["Exeter", "Torbay", "Plymouth"], "offences": [2, 40, 50]})
    chart = Chart("csp", go.Figure(go.Bar(x=data["csp"], y=data["offences"])), ChartText("By CSP"), data, "alt")
    frame = pd.read_csv(io.BytesIO(images.csv_bytes(chart, settings)))
    assert list(frame["offences"]) == ["[c]", "[c]", "50"]
    assert frame["note"].iloc[0].startswith("[c] Suppression applied")
    assert "[c] Suppression applied" in images.alt_text(images.protect(chart, settings))


def test_png_text_chunks_round_trip_latin_1_and_beyond():
    from PIL import Image, PngImagePlugin

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "#12436D").save(buffer, "PNG")
    png = buffer.getvalue()
    tagged = images.png_with_text(png, {"Title": "Stalking", "Description": "Apr\u2013Jun 2026: 3,767"})
    text = png_text(tagged)
    assert text == {"Title": "Stalking", "Description": "Apr\u2013Jun 2026: 3,767"}
    assert not isinstance(text["Title"], PngImagePlugin.iTXt) and isinstance(text["Description"], PngImagePlugin.iTXt)
    # The chunks go in after the header; every byte of the image as drawn is kept.
    assert tagged[: images.HEADER_END] == png[: images.HEADER_END] and tagged.endswith(png[images.HEADER_END :])


def test_a_missing_logo_and_poor_contrast_are_refused(tmp_path):
    (tmp_path / "logo.toml").write_text('[branding]\nlogo = "nowhere/logo.png"\n')
    with pytest.raises(SettingsError, match="logo 'nowhere/logo.png' does not exist"):
        load_settings(tmp_path / "logo.toml").branding  # noqa: B018
    (tmp_path / "contrast.toml").write_text('[branding]\ncolour = "#7F7F7F"\ntext_colour = "#FFFFFF"\n')
    with pytest.raises(SettingsError, match="below the 4.5:1 contrast ratio"):
        load_settings(tmp_path / "contrast.toml").branding  # noqa: B018


# ---- images (Chromium) -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(images.SIZES))
@pytest.mark.slow
def test_png_and_svg_match_each_preset(key, settings, chromium):
    chart = trend_chart(settings)
    size = images.SIZES[key]
    png = images.export_chart(chart, settings, "png", size)
    assert png_size(png.content) == size.pixels()
    assert png.file_name == ("test-trend.png" if key == "press" else f"test-trend-{key}.png")
    text = png_text(png.content)
    assert text["Title"] == chart.text.title
    assert text["Description"] == "Line chart of offences: 0 to 15."
    assert text["Author"] == settings.branding.office

    svg = images.export_chart(chart, settings, "svg", size)
    root = ET.fromstring(svg.content)
    assert (root.get("width"), root.get("height")) == (str(size.width), str(size.height))
    assert root.find(f"{SVG}title").text == chart.text.title
    assert root.find(f"{SVG}desc").text == "Line chart of offences: 0 to 15."
    assert root.get("role") == "img"
    words = " ".join(t.text or "" for t in root.iter(f"{SVG}tspan")) + " ".join(
        t.text or "" for t in root.iter(f"{SVG}text")
    )
    for part in ("Recorded stalking in Devon and Cornwall", "Data as at 22 October 2026", "Office of the Police"):
        assert part in words


@pytest.mark.slow
def test_pdf_carries_the_alt_text_and_the_size(settings, chromium):
    from pypdf import PdfReader

    chart = trend_chart(settings)
    pdf = images.export_chart(chart, settings, "pdf", images.SIZES["a4"])
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata.title == chart.text.title
    assert reader.metadata.subject == "Line chart of offences: 0 to 15."
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == round(1123 * 0.75) and round(float(box.height)) == round(794 * 0.75)
    assert "Recorded stalking in Devon and Cornwall" in reader.pages[0].extract_text()


@pytest.mark.slow
def test_a_logo_is_embedded_from_the_local_file_and_drawn_on_the_strip(tmp_path, chromium):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), "#FFFFFF").save(logo)
    (tmp_path / "brand.toml").write_text(f'[branding]\nlogo = "{logo}"\ncolour = "#801650"\n')
    settings = load_settings(tmp_path / "brand.toml")
    chart = trend_chart(settings)
    svg = images.export_chart(chart, settings, "svg", images.SIZES["press"]).content.decode()
    assert "data:image/png;base64," in svg
    assert "rgb(128, 22, 80)" in svg  # the strip in the configured colour
    png = images.export_chart(chart, settings, "png", images.SIZES["press"]).content
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The white logo sits at the right of the strip (it ends at the plot's right edge, 36 px in), over its colour;
    # the press preset draws twice the pixels.
    assert image.size == (2400, 1350)
    assert image.getpixel((2300, 1304)) == (255, 255, 255)
    assert image.getpixel((2380, 1304)) == (128, 22, 80)


@pytest.mark.slow
def test_exports_from_several_threads_queue_for_the_one_browser(settings, chromium):
    from concurrent.futures import ThreadPoolExecutor

    chart = trend_chart(settings)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: images.export_chart(chart, settings, "png", images.SIZES["press"]), range(4)))
    assert {png_size(r.content) for r in results} == {(2400, 1350)}


# ---- the press pack ----------------------------------------------------------------------------------


@pytest.fixture
def test_charts(settings):
    """Two tiny charts registered in the catalogue for the test; one has no data."""
    catalogue.register("test-trend", "Test trend", section="Test")(lambda inputs: trend_chart(inputs.settings))
    catalogue.register("test-empty", "Test chart without data", section="Test")(lambda inputs: None)
    yield
    del catalogue.CATALOGUE["test-trend"], catalogue.CATALOGUE["test-empty"]


@pytest.mark.slow
def test_the_press_pack_holds_each_charts_image_alt_text_and_csv_and_the_key_figures(
    demo_url, settings, test_charts, chromium
):
    engine = database.make_engine(demo_url)
    inputs = inputs_from_database(engine, settings)
    steps = []
    content, missing = press_pack.press_pack(
        inputs,
        ["recorded-spc", "test-trend", "test-empty"],
        "svg",
        images.SIZES["square"],
        progress=lambda fraction, message: steps.append(fraction),
        today=dt.date(2026, 11, 28),
    )
    assert missing == ["test-empty"]
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.namelist() == [
        "recorded-spc.svg",
        "recorded-spc-alt-text.txt",
        "recorded-spc.csv",
        "test-trend.svg",
        "test-trend-alt-text.txt",
        "test-trend.csv",
        "key-figures.txt",
    ]
    assert ET.fromstring(archive.read("test-trend.svg")).get("width") == "1080"
    assert (
        archive.read("test-trend-alt-text.txt").decode() == f"{release.DEMO_NOTICE} Line chart of offences: 0 to 15.\n"
    )
    key_figures = archive.read("key-figures.txt").decode()
    messages = key_messages(inputs)
    assert messages and all(f"- {message}" in key_figures for message in messages)
    assert "Prepared 28 November 2026." in key_figures
    assert "- Recorded stalking in Devon and Cornwall, quarterly (test-trend)" in key_figures
    assert steps[-1] == 1.0
    engine.dispose()


@pytest.mark.slow
def test_key_messages_are_the_overviews(demo_url, settings):
    from dashboard.figures import overview

    engine = database.make_engine(demo_url)
    inputs = inputs_from_database(engine, settings)
    assert key_messages(inputs) == list(overview.summary(inputs).messages)
    engine.dispose()


def test_inputs_are_cut_at_a_month(settings):
    frame = pd.DataFrame(
        {"period_start": pd.to_datetime(["2024-12-01", "2025-03-01", "2025-04-01"]), "count": [1, 2, 3]}
    )
    empty = pd.DataFrame()
    inputs = Inputs(settings, defaults_for(settings), frame, empty, frame, frame, places=frame)
    cut = inputs.cut_to(dt.date(2025, 3, 1))
    assert list(cut.recorded["count"]) == [1, 2] and list(cut.outcomes["count"]) == [1, 2]
    # The partnerships too: a pack for the quarter to March shows their year ending March, not a later one.
    assert list(cut.places["count"]) == [1, 2]
    assert (
        Inputs(settings, defaults_for(settings), frame, empty, frame, frame).cut_to(dt.date(2025, 3, 1)).places is None
    )


def test_filters_from_command_line_options(settings):
    recorded = pd.DataFrame({"period_start": pd.to_datetime(["2020-04-01", "2025-01-01"])})
    chosen = filters_from_options(
        settings,
        recorded,
        force="Devon & Cornwall",
        peers="Dorset,Avon & Somerset",
        categories="Stalking",
        end="2024-03",
    )
    assert (chosen.force, chosen.peers, chosen.categories) == (
        "Devon and Cornwall",
        ("Dorset", "Avon and Somerset"),
        ("Stalking",),
    )
    assert (chosen.start, chosen.end) == (dt.date(2020, 4, 1), dt.date(2024, 3, 1))
    with pytest.raises(ValueError, match="did you mean 'Devon and Cornwall'"):
        filters_from_options(settings, recorded, force="Devon and Cornwal")
    with pytest.raises(ValueError, match="--to '2024-13': expected a month written 2024-03"):
        filters_from_options(settings, recorded, end="2024-13")
    with pytest.raises(ValueError, match="--granularity 'weekly': choose one of month, quarter, year_ending"):
        filters_from_options(settings, recorded, granularity="weekly")


# ---- the command line ----------------------------------------------------------------------------------


def test_export_list_names_every_chart(capsys):
    assert cli.main(["export", "--list"]) == 0
    listed = capsys.readouterr().out
    for key in load_charts():
        assert key in listed


@pytest.mark.slow
def test_export_writes_the_image_its_alt_text_and_csv(demo_url, monkeypatch, tmp_path, capsys, chromium):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    out = tmp_path / "spc.png"
    code = cli.main(
        ["export", "recorded-spc", "--size", "slide", "--scale", "1", "--out", str(out)]
        + ["--alt-text", str(tmp_path / "spc.txt"), "--csv", str(tmp_path / "spc.csv"), "--categories", "Stalking"]
    )
    assert code == 0, capsys.readouterr().err
    assert png_size(out.read_bytes()) == (1920, 1080)
    assert "Recorded stalking in Devon and Cornwall" in png_text(out.read_bytes())["Title"]
    assert (
        (tmp_path / "spc.txt")
        .read_text()
        .startswith(f"{release.DEMO_NOTICE} Chart of quarterly recorded stalking in Devon and Cornwall")
    )
    assert list(pd.read_csv(tmp_path / "spc.csv", skiprows=1).columns)[1] == "Offences recorded"
    assert f"Wrote {out}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["export", "nonesuch"], "no chart is named 'nonesuch'"),
        (["export", "recorded-spc", "--force", "Devon and Cornwal"], "did you mean 'Devon and Cornwall'"),
        (["export", "recorded-spc", "--size", "custom"], "a custom size needs a width and a height"),
        (["export", "recorded-spc", "--out", "chart.gif"], "cannot tell the format from 'chart.gif'"),
    ],
)
def test_export_refusals_exit_non_zero_and_say_why(arguments, message, demo_url, monkeypatch, capsys):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    assert cli.main(arguments) == 1
    assert message in capsys.readouterr().err


def test_export_without_a_chart_is_a_usage_error(capsys):
    assert cli.main(["export"]) == 2
    assert "name the chart to export" in capsys.readouterr().err


def test_no_browser_is_a_clear_refusal(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(images.ExportError, match="BROWSER_PATH names /nonexistent/chromium, which does not exist"):
        images.browser_path()
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setattr(images, "BROWSER_CANDIDATES", ("/nonexistent/chromium",))
    with pytest.raises(images.ExportError, match="apt-get install chromium"):
        images.browser_path()
    assert os.environ.get("BROWSER_PATH") is None
