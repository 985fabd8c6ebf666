"""The app's pages by section: add a page with one ``st.Page(...)`` line under its section."""

import streamlit as st


def sections() -> dict[str, list[st.Page]]:
    """The navigation's sections and their pages, made anew on every run: a page object belongs to one run.

    The page scripts live in app_pages/, not pages/: Streamlit treats a folder named pages/ beside
    the entrypoint as an old-style multipage app, which runs a page opened by its address (or in
    AppTest) on its own, without the app's frame, until some session has called st.navigation.
    Their paths are relative to ``dashboard/app.py``.
    """
    return {
        "Trends": [
            st.Page(
                "app_pages/overview.py",
                title="Overview",
                icon=":material/dashboard:",
                url_path="overview",
                default=True,
            ),
            st.Page(
                "app_pages/recorded_crime.py",
                title="Recorded crime",
                icon=":material/insights:",
                url_path="recorded-crime",
            ),
            st.Page("app_pages/places.py", title="Places", icon=":material/map:", url_path="places"),
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
            st.Page(
                "app_pages/inspections.py", title="Inspections", icon=":material/fact_check:", url_path="inspections"
            ),
        ],
        "Press and meetings": [
            st.Page("app_pages/press.py", title="Press and Panel packs", icon=":material/newspaper:", url_path="press"),
            st.Page(
                "app_pages/presentation.py", title="Presentation mode", icon=":material/slideshow:", url_path="present"
            ),
        ],
        "Data": [
            st.Page("app_pages/data.py", title="Data", icon=":material/database:", url_path="data"),
            st.Page("app_pages/glossary.py", title="Glossary", icon=":material/menu_book:", url_path="glossary"),
        ],
    }
