"""Outcomes: what happened to the offences recorded, in the outcome count the user chose."""

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.figures import key_figures
from dashboard.figures import outcomes as outcome_figures
from dashboard.ui import components, filters
from data_loaders.sources import outcomes as outcome_table

NOT_LOADED = (
    "No crime outcomes are loaded. Load the Home Office crime outcomes table (one workbook per year, "
    "`prc-outcomes-open-data-marYYYY-tables-DDMMYY`) on the Data page."
)
KEY_FIGURES_NOTE = (
    "The latest year ending in the chosen period; arrows give the change on the year ending a year earlier "
    "(in percentage points for shares). Awaiting an outcome: the latest quarter."
)
# Each section is a tab holding its charts; only the open tab runs, and the address names it ("outcomes").
SECTIONS = {
    "Outcome mix": ("outcome-mix",),
    "Charge or summons rate": ("charge-rate-spc", "charge-rate-comparison"),
    "Victims who do not support action": ("victim-does-not-support",),
    "Not yet assigned an outcome": ("outcomes-not-yet-assigned",),
}


def explain_counts(settings, column: str) -> None:
    """Which count the charts use, what it means, and what both counts and the outcome groups mean."""
    used = settings.outcomes.count(column)
    st.markdown(
        f"**{outcome_figures.count_used(settings, column)}.** {used.definition} "
        "Switch between the two counts under *Outcome count* in the sidebar."
    )
    meanings = st.expander(
        "What the two counts and the outcome groups mean",
        icon=":material/help:",
        key="outcome_meanings",
        on_change="rerun",
    )
    if not meanings.open:  # the tables are built when the expander is opened
        return
    with meanings:
        counts = pd.DataFrame(
            {
                "Count (Home Office column)": [outcome_table.LABELS[c.key] for c in settings.outcomes.counts],
                "What it counts": [c.definition for c in settings.outcomes.counts],
            }
        )
        components.plain_table(counts, alt="The two outcome counts of the Home Office tables and what each counts")
        groups = pd.DataFrame(
            {
                "Outcome group": [g.label for g in settings.outcomes.groups],
                "What it covers": [g.definition for g in settings.outcomes.groups],
            }
        )
        components.plain_table(groups, alt="Outcome groups and the outcome types each covers")


chosen, settings = filters.page_heading(
    "Outcomes",
    "What happened to the offences recorded: charges, out-of-court disposals, victims not supporting action, "
    "investigations closed without a suspect, and offences still awaiting an outcome.",
)
column = outcome_figures.count_column(chosen)


def show_section(keys: tuple[str, ...], loaded: bool) -> None:
    """The charts of one section, or why each cannot be drawn."""
    for key in keys:
        chart = queries.chart(key)
        if chart is not None:
            components.show_chart(chart)
        elif loaded:
            components.empty_state(
                f"Too few outcomes for {chosen.force} in each quarter to give a rate or a share: none is given on "
                f"fewer than {settings.suppression.minimum_base}. Show rolling years ending each quarter, or choose more "
                "categories."
            )
        else:
            components.empty_state(
                f"No outcomes are loaded for {chosen.force} in the chosen categories and period. "
                "Choose another force, category or period in the sidebar."
            )


if not queries.has_rows("outcomes"):
    components.empty_state(NOT_LOADED)
else:
    subject = outcome_figures.selection_label(settings, chosen.categories)
    st.markdown(f"**{components.escape_markdown(chosen.force)}**, {components.escape_markdown(subject.lower())}.")
    explain_counts(settings, column)
    if chosen.granularity == "month":
        st.caption("Outcomes are published by quarter, so they are shown by quarter.")
    if chosen.measure == "rate":
        st.caption("Outcomes are shown as shares of outcomes: the rate per 1,000 population applies to recorded crime.")

    st.header("Key figures")
    figures = queries.derived(key_figures.outcome_key_figures)
    if figures:
        st.caption(KEY_FIGURES_NOTE)
        components.key_figures(figures)
    loaded = queries.derived(outcome_figures.has_outcomes)
    tabs = st.tabs(list(SECTIONS), key="outcomes", bind="query-params")
    for tab, (heading, keys) in zip(tabs, SECTIONS.items(), strict=True):
        if tab.open:
            with tab:
                st.header(heading)
                show_section(keys, loaded)
