"""Places: the home force's community safety partnerships (counts, change, rates, SPC) and every force's rate."""

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import places as place_charts
from dashboard.figures import measures
from dashboard.figures.metrics import format_percent_change
from dashboard.ui import components, filters
from dashboard.words import places as place_words

chosen = filters.current()
settings = queries.settings()
force = settings.home_force
st.title("Places")
st.caption(
    f"Where in {force} offences are recorded: each community safety partnership (the council areas the Home "
    "Office publishes recorded crime for), beside the force and England and Wales."
)

table = queries.derived(measures.places, chosen)
if table is None:
    components.empty_state(
        f"No community safety partnership figures are loaded for {force}. Load the Home Office recorded crime "
        "table's community safety partnership edition (prc-csp-...-tables-DDMMYY.ods) and the ONS mid-year "
        "estimates by local authority on the Data page."
    )
    st.page_link("app_pages/data.py", label="Load files on the Data page", icon=":material/database:")
    st.stop()

definitions = measures.definitions(settings)
st.markdown("\n".join(f"- {components.escape_markdown(m)}" for m in place_words.summary(table)))


def partnership_table() -> pd.DataFrame:
    """The partnerships' figures as the page shows them: whole numbers, signed changes, rates to two places."""
    frame = table.frame
    return pd.DataFrame(
        {
            "Partnership": frame["csp"],
            "Offences": [f"{v:,.0f}" if pd.notna(v) else "no figure" for v in frame["count"]],
            "Year before": [f"{v:,.0f}" if pd.notna(v) else "no figure" for v in frame["previous"]],
            "Change": [format_percent_change(v) if pd.notna(v) else "n/a" for v in frame["percent_change"]],
            "Per 1,000": [f"{v:,.2f}" if pd.notna(v) else "no rate" for v in frame["rate"]],
            "Is it changing?": frame["spc"],
        }
    )


def show_partnerships() -> None:
    st.header("Community safety partnerships")
    st.caption(
        f"{definitions['csp_rate_per_1000'].definition} Figures on this page are as recorded, small numbers "
        "included: not for publication. Exports and downloads hide counts of 1 to "
        f"{settings.suppression.threshold} and any figure that would give one away."
    )
    chart = queries.chart("places-rates", chosen)
    if chart is None:
        components.empty_state(
            "No map or rates for this year: load the ONS mid-year estimates by local authority it needs on the Data "
            "page, or choose a later end to the period."
        )
    else:
        show_map(queries.chart("places-map", chosen), "places_map", "Partnership", table.frame, "csp")
        components.show_chart(chart, key="places_rates")
    components.plain_table(partnership_table(), alt=f"Community safety partnerships in {force}")
    with st.expander("Each partnership in words", icon=":material/notes:", key="places_words", on_change="rerun"):
        st.markdown("\n".join(f"- {components.escape_markdown(place_words.place_sentence(table, row))}"
                              for _, row in table.frame.iterrows()))  # fmt: skip


def show_map(chart, key: str, label: str, frame: pd.DataFrame, column: str) -> None:
    """A map with the rates it shows in a table beside it (below it on a narrow screen), highest first."""
    if chart is None:
        return
    shown = frame[frame["rate"].notna()].sort_values("rate", ascending=False)
    drawn, beside = st.columns([5, 2], gap="medium")
    with drawn:
        components.show_chart(chart, key=key)
    with beside:
        components.plain_table(
            pd.DataFrame({label: shown[column], "Per 1,000": [f"{v:,.2f}" for v in shown["rate"]]}),
            alt=f"{chart.text.title}: the rates drawn, highest first",
        )


def show_spc() -> None:
    st.header("Is it changing, or is it noise?")
    st.caption(
        "Each partnership's quarterly counts with their mean and process limits, recalculated at the counting changes."
    )
    names = list(table.frame["csp"])
    csp = st.selectbox("Partnership", names, key="places_csp")
    chart = queries.derived(place_charts.csp_spc, chosen, csp)
    if chart is None:
        components.empty_state(f"No quarters to chart for {csp}.")
    else:
        components.show_chart(chart, key="places_spc")


def show_forces() -> None:
    st.header("Every police force area")
    chart = queries.chart("places-forces", chosen)
    if chart is not None:
        show_map(
            queries.chart("places-forces-map", chosen), "places_forces_map", "Police force area", chart.data, "force"
        )
    empty = "No rates per 1,000: load the Home Office table for every force and the populations."
    if not components.chart_or_empty(chart, empty, key="places_forces"):
        return
    with st.expander("Every force's figures", icon=":material/table:", key="places_forces_table"):
        shown = chart.data.sort_values("rate", ascending=False)
        components.plain_table(
            pd.DataFrame(
                {
                    "Police force area": shown["force"],
                    "Offences": [f"{v:,.0f}" for v in shown["year_ending"]],
                    "Per 1,000": [f"{v:,.2f}" for v in shown["rate"]],
                }
            ),
            alt="Police force areas by rate per 1,000",
        )


sections = {"Partnerships": show_partnerships, "Is it changing?": show_spc, "All forces": show_forces}
tabs = st.tabs(list(sections), key="places_section", bind="query-params")
for tab, draw in zip(tabs, sections.values(), strict=True):
    if tab.open:
        with tab:
            draw()
if not tabs[0].open:  # the partnerships' chart carries these notes itself
    st.markdown("\n".join(f"- :small[{components.escape_markdown(note)}]" for note in place_words.notes(table)))
