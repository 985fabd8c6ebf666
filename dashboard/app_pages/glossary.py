"""Glossary: the words behind the readings (variation, the icons, targets, outcomes, the two counts, statuses)."""

import streamlit as st

from dashboard.outputs import icons
from dashboard.ui.glossary import section_markdown
from dashboard.words import glossary, readings

st.title("Glossary")
st.caption(
    "What the readings on every page mean, and the technical terms behind them. The same text is printed in the "
    "notes of the Panel's meeting pack."
)
pictures = {
    glossary.ICONS: [("variation", kind) for kind in readings.VARIATION_LABELS],
    glossary.TARGETS: [("assurance", kind) for kind in readings.ASSURANCE_LABELS if kind != "none"],
}
for heading in glossary.sections():
    st.markdown(section_markdown(heading))
    if heading in pictures:
        st.html(
            '<ul style="list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:0.75rem 1.5rem">'
            + "".join(f"<li>{icons.img_html(family, kind, 40)}</li>" for family, kind in pictures[heading])
            + "</ul>"
        )
