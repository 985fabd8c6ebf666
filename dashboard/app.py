"""The entrypoint: page settings, the shared frame around every page, and the navigation.

Run with ``streamlit run dashboard/app.py`` from the project folder. The pages and their sections
are listed in ``dashboard/navigation.py``.
"""

import sys
from pathlib import Path

# `streamlit run` puts this folder, not the project folder, on the import path; this makes
# `import dashboard` work when the package is not installed.
PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import streamlit as st  # noqa: E402

from dashboard import navigation, queries  # noqa: E402
from dashboard.figures import selection  # noqa: E402
from dashboard.ui import components, filters, frame_style  # noqa: E402

APP_NAME = "Stalking and harassment oversight"
st.set_page_config(
    page_title=APP_NAME,
    page_icon=":material/shield:",
    layout="wide",
    menu_items={"About": "Stalking and harassment oversight dashboard for a Police and Crime Commissioner."},
)

PAGES = navigation.sections()
page = st.navigation(PAGES)
# Each page its own browser title, so a tab, a bookmark and a screen reader name the page, not only the app.
st.set_page_config(page_title=f"{page.title} – {APP_NAME}")
st.html(frame_style.FRAME_STYLE)  # style only: Streamlit puts it out of the page's flow
try:
    queries.refresh()  # the database's change stamp, read once a run: what changed anywhere shows now
    home_force = queries.settings().home_force
    demo = queries.demo_loaded()
except queries.DataUnavailable as exc:
    components.data_unavailable(str(exc))
    st.stop()
components.sidebar_frame(home_force)
PRESS, PRESENTATION = PAGES["Press and meetings"]
if page in PAGES["Trends"] or page == PRESS:
    span = queries.recorded_span()
    forces = [f.name for f in queries.settings().forces if f.territorial]
    chosen = filters.draw(queries.settings(), forces, span)
    link = chosen.to_query_params(selection.defaults_for(queries.settings()))
    st.sidebar.page_link(PRESENTATION, label="Present these charts", icon=":material/slideshow:", query_params=link)
if demo:
    components.demo_banner()
page.run()
