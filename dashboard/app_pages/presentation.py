"""Presentation mode for the meeting room: one chart per screen, large type, no sidebar, arrow keys to move.

The address carries the same filters as the trends pages and the slide number (``?slide=3``), so a
copied link reopens the same slide; ``charts=key,key`` chooses the charts shown. What is shown is
protected as any output leaving the app is: the room is public.
"""

from dataclasses import replace

import streamlit as st

from dashboard import queries
from dashboard.charts.base import plotly_config
from dashboard.figures import selection
from dashboard.outputs import images, slides
from dashboard.outputs.inputs import ordered_charts
from dashboard.ui import components, panel_slides

OVERVIEW = "app_pages/overview.py"
STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"], header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; padding-bottom: 1rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 2.4rem; line-height: 1.2; padding-bottom: 0.2rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.45rem; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
</style>"""

settings = queries.settings()
span = queries.recorded_span()
forces = [f.name for f in settings.forces if f.territorial]
defaults = selection.defaults_for(settings)
chosen = selection.from_query_params(dict(st.query_params), defaults, forces, settings.categories)
if span:
    first, last = (date.replace(day=1) for date in span)
    chosen = replace(chosen, start=chosen.start or first, end=chosen.end or last)

known = [entry.key for entry in ordered_charts()]
asked = [key for key in st.query_params.get("charts", "").split(",") if key in known]
drawn = [key for key in asked or known if queries.chart(key, chosen) is not None]
deck = slides.deck(drawn)  # the Panel's scorecard first

st.html(STYLE)
if not drawn:
    st.title("Presentation mode")
    components.empty_state("There is nothing to present yet: no chart has data loaded for these filters.")
    st.stop()

try:
    slide = min(max(int(st.query_params.get("slide", "1")), 1), len(deck))
except ValueError:
    slide = 1
if st.query_params.get("slide") != str(slide):
    st.query_params["slide"] = str(slide)


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


def chart_slide(key: str) -> tuple[str, tuple[str, ...]]:
    """Chart ``key`` under its title and key message; returns its title and small print."""
    shown = queries.derived(slides.slide, chosen, key)
    chart = shown.chart
    st.title(chart.text.title)
    subtitle = chart.text.subtitle.replace("<br>", " ")
    st.caption(
        components.escape_markdown(
            " \u00b7 ".join(part for part in (f"Slide {slide} of {len(deck)}", subtitle) if part)
        )
    )
    if chart.reading:
        st.markdown(f"**Key message:** {components.escape_markdown(chart.reading)}")
    st.plotly_chart(
        shown.figure, theme=None, config=plotly_config(chart.text), alt=images.alt_text(chart), key="present_chart"
    )
    return chart.text.title, slides.small_print(chart)


current = deck[slide - 1]
if current in slides.PANEL_SLIDES:
    title, footer = panel_slides.show(current, chosen, f"Slide {slide} of {len(deck)}"), ()
else:
    title, footer = chart_slide(current)
where_now = f"Slide {slide} of {len(deck)}: {title}"
st.set_page_config(page_title=f"{where_now} – Presentation mode")
components.announce(where_now)  # a slide change is said, not only seen

previous, following, where, leave = st.columns([1, 1, 2, 2], vertical_alignment="center")
previous.button(
    "Previous",
    icon=":material/arrow_back:",
    shortcut="Left",
    on_click=go,
    args=(slide - 1,),
    disabled=slide == 1,
    key="present_previous",
)
following.button(
    "Next",
    icon=":material/arrow_forward:",
    shortcut="Right",
    on_click=go,
    args=(slide + 1,),
    disabled=slide == len(deck),
    key="present_next",
    type="primary",
)
where.markdown(f"Slide {slide} of {len(deck)}")
leave.page_link(
    OVERVIEW,
    label="Leave presentation mode",
    icon=":material/close:",
    query_params=chosen.to_query_params(defaults),
)
# The small print as page text, so it wraps to the screen rather than running off the chart.
for line in footer:
    st.caption(components.escape_markdown(line))
