"""Overview: the headline figures for the chosen force, in plain sentences and cards, with the trend behind them."""

from dataclasses import replace

import streamlit as st

from dashboard import queries
from dashboard.figures import overview, selection, trends
from dashboard.ui import components, filters

chosen, settings = filters.page_heading(
    "Overview",
    "Stalking and harassment recorded by {force}, what happened to the crimes and the orders granted. "
    "Use the filters on the left to change the force, the peer forces or the period.",
)

summary = queries.derived(overview.summary)
if summary is None:
    components.empty_state(
        f"No recorded crime is loaded for {chosen.force}. Load the Home Office police recorded crime table (or the "
        "force's monthly extract) on the Data page, or choose another force."
    )
    st.page_link("app_pages/data.py", label="Load files on the Data page", icon=":material/database:")
    st.stop()

st.header("Key messages")
st.markdown("\n".join(f"- {components.escape_markdown(sentence)}" for sentence in summary.messages))

st.header("Headline figures")
st.caption(f"{summary.counts_note} {summary.rates_note}")
recorded_cards = [card for card in summary.cards if card.title not in (overview.CHARGE_TITLE, overview.ORDERS_TITLE)]
other_cards = [card for card in summary.cards if card not in recorded_cards]
cards = recorded_cards[:1] + other_cards + recorded_cards[1:]
components.headline_cards(cards, "Headline figures")

total = replace(chosen, categories=trends.total_categories(settings))
CHANGING, COMPARED = "Is it changing, or is it noise?", "How does it compare?"


def show_changing() -> None:
    # Monthly where a monthly extract is loaded, as the key messages and the cards' variation read.
    chart = queries.chart("recorded-spc", replace(total, granularity="month"))
    components.chart_or_empty(chart, "No monthly or quarterly figures fall in the chosen period.", key="overview_spc")


def show_compared() -> None:
    components.chart_or_empty(
        queries.chart("recorded-rate-latest", total),
        "No rate per 1,000 people can be drawn: load the Home Office table for every force and the ONS "
        "population estimates on the Data page.",
        key="overview_rates",
    )


# The two questions behind the cards, one chart each: only the open tab runs, and the address names it.
for tab, heading, draw in zip(
    st.tabs([CHANGING, COMPARED], key="question", bind="query-params"),
    (CHANGING, COMPARED),
    (show_changing, show_compared),
    strict=True,
):
    if tab.open:
        with tab:
            st.header(heading)
            draw()

st.page_link(
    "app_pages/recorded_crime.py",
    label="More on recorded crime: each category, year-ending totals and offence codes",
    icon=":material/arrow_forward:",
    query_params={name: value for name, value in st.query_params.items() if name in selection.PARAMS},
)
