"""The five most-used charts as the browser draws them: every line of words inside the canvas and on its own.

Each chart is drawn by kaleido in Chromium as an SVG, at every export preset in the page's style and the
press style, and as the page draws it at a 1366- and 1920-pixel screen's width and a 320-pixel phone's;
``canvas.problems`` lists any text cut off by the edge or overlapping other text.
"""

from __future__ import annotations

import pytest
from canvas import problems, text_boxes
from test_chart_layout import MOST_USED

from dashboard.outputs import images, layout

pytestmark = pytest.mark.slow
# The chart's width on the page: the main column beside the sidebar at 1366 and 1920 pixels, and a phone's.
PAGE_WIDTHS = {"1366": 980, "1920": 1180, "320": 290}


@pytest.mark.parametrize("size", sorted(images.SIZES))
@pytest.mark.parametrize("press", [None, layout.Press("breaks"), layout.Press("none")], ids=["page", "breaks", "none"])
def test_no_word_of_an_export_is_cut_off_or_overlaps_another(size, press, demo_charts, chromium):
    settings, charts = demo_charts
    for key in MOST_USED:
        svg = images.export_chart(charts[key], settings, "svg", images.SIZES[size], press=press).content
        width, height, boxes = text_boxes(svg)
        assert (width, height) == (images.SIZES[size].width, images.SIZES[size].height)
        assert any(box.text == charts[key].text.title.split()[0] or box.text.startswith(charts[key].text.title[:20])
                   for box in boxes), f"{key}: the title is drawn"  # fmt: skip
        assert problems(svg) == [], f"{key} at {size}"


@pytest.mark.parametrize("screen", sorted(PAGE_WIDTHS))
def test_no_word_of_a_page_chart_is_cut_off_or_overlaps_another(screen, demo_charts, chromium):
    _, charts = demo_charts
    for key in MOST_USED:
        shown = charts[key].shown.to_dict()
        height = shown["layout"]["height"]
        svg = images.RENDERER.render(shown, "svg", PAGE_WIDTHS[screen], height)
        assert problems(svg) == [], f"{key} on a {screen}-pixel screen"


def test_the_canvas_check_finds_words_cut_off_and_overlapping(chromium):
    import plotly.graph_objects as go

    figure = go.Figure(go.Scatter(x=[1, 2], y=[1, 2]))
    figure.update_layout(title_text="A title far too long for the narrow canvas it is drawn on, running off it")
    figure.add_annotation(text="One note", x=1, y=1, showarrow=False)
    figure.add_annotation(text="Another note", x=1, y=1, showarrow=False)
    found = problems(images.RENDERER.render(figure, "svg", 320, 300))
    assert any("runs off the canvas" in p and "A title far too long" in p for p in found)
    assert any("'One note' overlaps annotation-text 'Another note'" in p for p in found)
