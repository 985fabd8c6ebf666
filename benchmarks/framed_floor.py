"""The floor inside the app's frame: the navigation, the sidebar filters and the banner as ``dashboard/app.py``
draws them around a trends page, and then one cached Plotly chart.

``benchmarks/pages.py`` reports each page against this too, so that what the frame costs every page
is told apart from what the page itself adds.
"""

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import streamlit as st  # noqa: E402

from benchmarks.floor_page import figure  # noqa: E402
from dashboard import queries  # noqa: E402
from dashboard.charts import base as charts  # noqa: E402
from dashboard.ui import components, filters  # noqa: E402


def floor() -> None:
    st.title("Floor")
    st.plotly_chart(figure(), theme=None, config=charts.plotly_config(charts.ChartText("Floor page")))


page = st.navigation([st.Page(floor, title="Floor", default=True)])
queries.refresh()
demo = queries.demo_loaded()
components.sidebar_frame(queries.settings().home_force)
filters.draw(queries.settings(), [f.name for f in queries.settings().forces if f.territorial], queries.recorded_span())
if demo:
    components.demo_banner()
page.run()
