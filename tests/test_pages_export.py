"""The Export control beside every chart, the Press and Panel packs page and presentation mode, driven by AppTest."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from dashboard.outputs import release
from dashboard.outputs.inputs import ordered_charts

APP = ROOT / "dashboard" / "app.py"
pytestmark = pytest.mark.slow


def open_page(monkeypatch, url: str, page: str, **params: str) -> AppTest:
    monkeypatch.setenv("PCC_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=120).run()
    # After the first run: the default page (Overview) writes its own filters to the address.
    for name, value in params.items():
        app.query_params[name] = value
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def by_key(elements, key: str):
    return next(e for e in elements if e.key == key)


def open_exports(app: AppTest) -> AppTest:
    """Open every chart's Export control, as a click on each would, and run the page again."""
    for chart in app.get("plotly_chart"):
        app.session_state[chart.key.removesuffix("_chart") + "_export"] = True
    return app.run()


def test_every_chart_has_an_export_control(demo_url, monkeypatch):
    app = open_page(monkeypatch, demo_url, "app_pages/recorded_crime.py")
    charts = [element for element in app.get("plotly_chart")]
    popovers = app.get("popover")
    assert charts and len(popovers) == len(charts)
    # Closed, a control holds nothing: the page builds no export choices nobody asked for.
    assert not [r for r in app.radio if r.key.endswith("_ex_format")]
    assert not [b for b in app.get("download_button") if "_ex_" in b.key]
    open_exports(app)
    formats = [r for r in app.radio if r.key.endswith("_ex_format")]
    assert len(formats) == len(charts) and {r.value for r in formats} == {"png"}
    assert {s.value for s in app.selectbox if s.key.endswith("_ex_size")} == {"press"}
    labels = [b.label for b in app.get("download_button") if "_ex_" in b.key]
    assert labels.count("Download PNG") == len(charts)
    assert labels.count("Alt text (.txt)") == labels.count("Figures (CSV)") == len(charts)
    # The alt text is offered as text beside the image, written from the data, saying first that it is the demo.
    written = f"{release.DEMO_NOTICE} Chart of quarterly recorded stalking and harassment"
    assert any(code.value.startswith(written) for code in app.code)


def test_format_size_and_scale_choices(demo_url, monkeypatch):
    app = open_exports(open_page(monkeypatch, demo_url, "app_pages/recorded_crime.py"))
    prefix = next(r.key for r in app.radio if r.key.endswith("_ex_format")).removesuffix("_ex_format")
    by_key(app.selectbox, f"{prefix}_ex_size").set_value("a4").run()
    assert by_key(app.number_input, f"{prefix}_ex_scale_a4").value == 3.125  # 300 dots per inch by default
    by_key(app.radio, f"{prefix}_ex_format").set_value("svg").run()
    assert not [n for n in app.number_input if n.key.startswith(f"{prefix}_ex_scale")]  # no scale for vectors
    assert by_key(app.get("download_button"), f"{prefix}_ex_image").label == "Download SVG"
    by_key(app.selectbox, f"{prefix}_ex_size").set_value("custom").run()
    assert by_key(app.number_input, f"{prefix}_ex_width").value == 1200
    assert by_key(app.number_input, f"{prefix}_ex_height").value == 675
    assert not app.exception


def test_the_press_style_and_its_markers_are_chosen_in_the_export_control(demo_url, monkeypatch):
    app = open_exports(open_page(monkeypatch, demo_url, "app_pages/outcomes.py", outcomes="Charge or summons rate"))
    prefix = next(r.key for r in app.radio if r.key.endswith("_ex_format") and "comparison" in r.key)
    prefix = prefix.removesuffix("_ex_format")
    style = by_key(app.radio, f"{prefix}_ex_style")
    assert style.value == "page" and style.options == [
        "As on the page: every series in colour, every marker and note",
        "Press: the home force highlighted against grey peers, few markers",
    ]
    assert not [r for r in app.radio if r.key == f"{prefix}_ex_markers"]  # asked only for the press style
    style.set_value("press").run()
    markers = by_key(app.radio, f"{prefix}_ex_markers")
    assert markers.value == "breaks" and markers.options == ["Series breaks only", "None"]
    markers.set_value("none").run()
    assert not app.exception


def test_without_chromium_the_image_button_says_why(demo_url, monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr("dashboard.outputs.images.BROWSER_CANDIDATES", ("/nonexistent/chromium",))
    app = open_exports(open_page(monkeypatch, demo_url, "app_pages/recorded_crime.py"))
    images = [b for b in app.get("download_button") if b.key.endswith("_ex_image")]
    assert images and all(b.disabled for b in images)
    assert any("apt-get install chromium" in caption.value for caption in app.caption)


def test_the_press_page_builds_a_pack_of_the_chosen_charts(demo_url, monkeypatch, chromium):
    app = open_page(monkeypatch, demo_url, "app_pages/press.py")
    assert app.title[0].value == "Press and Panel packs"
    charts = by_key(app.multiselect, "press_charts")
    assert charts.value == ["recorded-spc", "recorded-rate-comparison"]
    assert len(charts.options) == len(ordered_charts())
    assert not by_key(app.get("download_button"), "press_download").disabled
    charts.set_value([]).run()
    assert by_key(app.get("download_button"), "press_download").disabled
    assert by_key(app.text_input, "pack_period").value == "2026/27-Q1"  # the latest quarter loaded
    by_key(app.text_input, "pack_period").input("2024/25-Q9").run()
    assert "is not a quarter" in app.error[0].value
    by_key(app.text_input, "pack_period").input("2024/25-Q4").run()
    assert by_key(app.get("download_button"), "pack_download").label.startswith(
        "Download the pack for Quarter 4 2024/25 (January to March 2025)"
    )


def param(app: AppTest, name: str) -> str:
    value = app.query_params[name]
    return value[0] if isinstance(value, list) else value


def test_presentation_mode_moves_between_slides_and_keeps_the_filters(demo_url, monkeypatch):
    app = open_page(monkeypatch, demo_url, "app_pages/presentation.py", slide="2", cat="Stalking")
    assert param(app, "slide") == "2"
    second = app.title[0].value
    assert "Slide 2 of" in " ".join(m.value for m in app.markdown)
    by_key(app.button, "present_next").click().run()
    assert param(app, "slide") == "3"
    assert app.title[0].value != second
    by_key(app.button, "present_previous").click().run()
    by_key(app.button, "present_previous").click().run()
    assert param(app, "slide") == "1"
    # The first slide is the Panel's scorecard, the second the key messages, then the charts.
    assert app.title[0].value == "At a glance: Devon and Cornwall"
    assert param(app, "cat") == "Stalking"
    assert by_key(app.button, "present_previous").disabled
    by_key(app.button, "present_next").click().run()
    assert app.title[0].value == "Key messages: Devon and Cornwall"
    by_key(app.button, "present_next").click().run()
    # The first chart is the SPC chart, drawn for the category the address chose.
    assert app.title[0].value == "Recorded stalking in Devon and Cornwall, quarterly"
    # Large type: the chart's words are drawn at the presentation scale, and it fills the screen's width.
    layout = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["font"]["size"] == round(15 * 1.3, 1) and layout["autosize"] is True


def test_presentation_mode_forgives_a_slide_number_out_of_range(demo_url, monkeypatch):
    app = open_page(monkeypatch, demo_url, "app_pages/presentation.py", slide="999")
    assert by_key(app.button, "present_next").disabled
    last = param(app, "slide")
    assert f"Slide {last} of {last}" in " ".join(m.value for m in app.markdown)
    app = open_page(monkeypatch, demo_url, "app_pages/presentation.py", slide="first")
    assert param(app, "slide") == "1" and by_key(app.button, "present_previous").disabled
