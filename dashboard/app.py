"""The entrypoint: page settings, the shared frame around every page, and the navigation.

Run with ``streamlit run dashboard/app.py`` from the project folder. To add a page, add one
``st.Page(...)`` line to ``PAGES`` under its section.
"""

import sys
from pathlib import Path

# `streamlit run` puts this folder, not the project folder, on the import path; this makes
# `import dashboard` work when the package is not installed.
PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import streamlit as st  # noqa: E402

from dashboard import components, filters, queries  # noqa: E402

st.set_page_config(
    page_title="Stalking and harassment oversight",
    page_icon=":material/shield:",
    layout="wide",
    menu_items={"About": "Stalking and harassment oversight dashboard for a Police and Crime Commissioner."},
)

# The page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ beside
# the entrypoint as an old-style multipage app, which runs a page opened by its address (or in
# AppTest) on its own, without this frame, until some session has called st.navigation.
PAGES = {
    "Trends": [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True
        ),
        st.Page(
            "app_pages/recorded_crime.py", title="Recorded crime", icon=":material/insights:", url_path="recorded-crime"
        ),
        st.Page("app_pages/outcomes.py", title="Outcomes", icon=":material/gavel:", url_path="outcomes"),
        st.Page(
            "app_pages/prosecutions.py",
            title="Prosecutions and orders",
            icon=":material/balance:",
            url_path="prosecutions",
        ),
    ],
    "Oversight": [
        st.Page(
            "app_pages/recommendations.py",
            title="Recommendations",
            icon=":material/task_alt:",
            url_path="recommendations",
        ),
        st.Page("app_pages/inspections.py", title="Inspections", icon=":material/fact_check:", url_path="inspections"),
    ],
    "Press and meetings": [
        st.Page("app_pages/press.py", title="Press and Panel packs", icon=":material/newspaper:", url_path="press"),
        st.Page(
            "app_pages/presentation.py", title="Presentation mode", icon=":material/slideshow:", url_path="present"
        ),
    ],
    "Data": [
        st.Page("app_pages/data.py", title="Data", icon=":material/database:", url_path="data"),
    ],
}

page = st.navigation(PAGES)
try:
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
    link = chosen.to_query_params(filters.defaults_for(queries.settings()))
    st.sidebar.page_link(PRESENTATION, label="Present these charts", icon=":material/slideshow:", query_params=link)
if demo:
    components.demo_banner()
page.run()
