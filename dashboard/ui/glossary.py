"""The glossary in the app: the technical terms behind a chart's plain reading, one click from it, and its own page."""

from __future__ import annotations

import streamlit as st

from dashboard.ui.components import escape_markdown
from dashboard.words import glossary


def section_markdown(heading: str) -> str:
    """One glossary section as Markdown under a level-3 heading (the file's own Markdown: it is shipped, not data)."""
    return f"### {heading}\n\n{glossary.sections()[heading]}"


def reading_help(chart, key: str) -> None:
    """'What does this mean?' under a chart's reading: the reading in statistical terms and the glossary sections."""
    headings = glossary.for_chart(chart.key)
    if not headings and not chart.technical:
        return
    help_view = st.expander("What does this mean?", icon=":material/help:", key=f"{key}_glossary", on_change="rerun")
    if not help_view.open:  # written when opened: a page of charts sends no glossary nobody asked for
        return
    with help_view:
        if chart.technical:
            st.markdown(f"**In statistical terms:** {escape_markdown(chart.technical)}")
        for heading in headings:
            st.markdown(section_markdown(heading))
        st.page_link("app_pages/glossary.py", label="The whole glossary", icon=":material/menu_book:")
