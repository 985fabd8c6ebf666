"""The focus outline every page shares: its colours against the theme's, computed."""

from __future__ import annotations

import tomllib

from conftest import ROOT

from dashboard.ui import frame_style
from data_loaders.settings import contrast_ratio


def test_the_focus_outline_stands_out_3_to_1_on_the_page_the_sidebar_and_the_primary_fill():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    assert theme["primaryColor"] == frame_style.FOCUS_COLOUR
    assert round(contrast_ratio(frame_style.FOCUS_COLOUR, theme["backgroundColor"]), 1) == 10.2
    assert round(contrast_ratio(frame_style.FOCUS_COLOUR, theme["secondaryBackgroundColor"]), 1) == 9.3
    # Where the outline crosses the primary fill (a slider's filled track), the white ring inside it stands out.
    assert round(contrast_ratio(frame_style.FOCUS_RING, theme["primaryColor"]), 1) == 10.2
    assert frame_style.FOCUS_WIDTH_PX >= 2


def test_the_style_outlines_what_has_the_keyboard_focus_and_the_box_around_a_hidden_input():
    style = frame_style.FRAME_STYLE
    assert style.startswith("<style>") and style.endswith("</style>")
    shown = style.split("{")[0]
    for selector in (":focus-visible", "[data-focus-visible]"):
        assert selector in shown
    assert (
        "outline: 3px solid #12436D !important; outline-offset: 2px; box-shadow: 0 0 0 2px #FFFFFF !important;" in style
    )
