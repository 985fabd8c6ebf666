"""The floor for the page benchmark: the least a page can do, one cached Plotly chart on the shared template.

``benchmarks/pages.py`` times every page of the app against this script, in AppTest and in a browser.
"""

import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard.charts import base as charts  # noqa: E402


@st.cache_resource
def figure():
    """A 100-point line chart built once per process, as the app's charts are built once per choice."""
    frame = pd.DataFrame(
        {"month": pd.date_range("2018-04-01", periods=100, freq="MS"), "count": range(100), "series": "Floor"}
    )
    text = charts.ChartText("Floor page", "One cached chart")
    figure = charts.line_chart(frame, x="month", y="count", series="series", text=text, y_label="Count")
    return charts.ShownFigure(figure)  # drawn as the app draws its charts


if __name__ == "__main__":  # as Streamlit runs it; benchmarks/framed_floor.py imports figure() only
    st.title("Floor")
    st.plotly_chart(figure(), theme=None, config=charts.plotly_config(charts.ChartText("Floor page")))
