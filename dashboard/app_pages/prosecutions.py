"""Prosecutions and orders: court outcomes and Stalking Protection Orders from the locally supplied return."""

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.figures import key_figures
from dashboard.figures import prosecutions as prosecution_figures
from dashboard.ui import components, filters

NOT_LOADED = (
    "No prosecutions and orders return is loaded. No national series exists for these figures: load the force's "
    "or CPS Area's own return (a CSV or workbook with the columns Period, Area, Measure and Value; see the README) "
    "on the Data page."
)


def explain_measures(settings) -> None:
    """What each measure of the return counts, in an expander whose table is built when it is opened."""
    meanings = st.expander(
        "What each measure counts", icon=":material/help:", key="measure_meanings", on_change="rerun"
    )
    if not meanings.open:
        return
    with meanings:
        measures = pd.DataFrame(
            {
                "Measure": [m.label for m in settings.prosecution_measures],
                "What it counts": [m.definition for m in settings.prosecution_measures],
            }
        )
        components.plain_table(measures, alt="Measures of the prosecutions and orders return and what each counts")


def show(key: str, missing: str) -> None:
    components.chart_or_empty(queries.chart(key), missing)


chosen, settings = filters.page_heading(
    "Prosecutions and orders",
    "Prosecutions, convictions and Stalking Protection Orders from the return the force and the Crown Prosecution "
    "Service supply: management information, not official statistics.",
)
force = chosen.force

if not queries.has_rows("prosecutions"):
    components.empty_state(NOT_LOADED)
else:
    areas = settings.cps_areas_of(force)
    lines = [f"**{components.escape_markdown(force)}**: the force's own figures."]
    lines += [
        f"**{components.escape_markdown(prosecution_figures.cps_area_label(settings, area))}**: the CPS Area's "
        "figures, which include other forces' cases and are never split between them."
        for area in areas
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption("The return counts stalking and harassment offences as a whole: the category filter does not apply.")
    explain_measures(settings)

    st.header("Key figures")
    figures = queries.derived(key_figures.prosecution_key_figures)
    if figures:
        area = queries.derived(key_figures.key_figures_area)
        st.caption(
            "The latest year ending in the chosen period; arrows give the change on the year ending a year earlier "
            "(in percentage points for the conviction rate)."
            + ("" if area == force else f" No figures of {force}'s own are loaded: these are {area}'s.")
        )
        components.key_figures(figures)
    else:
        components.empty_state(f"No return figures are loaded for {force} or its CPS Area in the chosen period.")

    missing_force = f"No return figures are loaded for {force} in the chosen period."
    missing_area = (
        f"No return figures are loaded for {' or '.join(areas)} in the chosen period."
        if areas
        else f"{force} is in no CPS Area of the settings."
    )
    # One section at a time: only the open tab runs, and the address names it ("orders").
    courts, orders = st.tabs(
        ["Prosecutions and convictions", "Stalking Protection Orders"], key="orders", bind="query-params"
    )
    if courts.open:
        with courts:
            st.header("Prosecutions and convictions")
            show(
                "conviction-rate",
                f"No prosecutions completed are loaded for {force} or its CPS Area in the chosen period.",
            )
            show("prosecutions-force", missing_force)
            show("prosecutions-cps-area", missing_area)
    if orders.open:
        with orders:
            st.header("Stalking Protection Orders")
            show("spo-force", f"No Stalking Protection Order figures are loaded for {force} in the chosen period.")
            show(
                "spo-cps-area",
                f"No Stalking Protection Order figures are loaded for {' or '.join(areas)} in the chosen period."
                if areas
                else f"{force} is in no CPS Area of the settings.",
            )
