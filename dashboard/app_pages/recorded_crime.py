"""Recorded crime: each category's trend with SPC, year-ending totals, rates against other forces, offence codes."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.figures import trends
from dashboard.figures.metrics import format_percent_change
from dashboard.ui import components, filters

TREND, YEAR_ENDING, COMPARED, BY_CODE = "Trend", "Year-ending totals", "Compared with other forces", "By offence code"

chosen, settings = filters.page_heading(
    "Recorded crime",
    "Offences recorded by {force}. Monthly figures come from the force's own extract where one is loaded; "
    "quarterly figures and every comparison between forces from the Home Office tables.",
)


def show(key: str, subject_filters, empty: str, chart_key: str) -> None:
    """Draw catalogue chart ``key`` for ``subject_filters``, or say why there is nothing to draw."""
    components.chart_or_empty(queries.chart(key, subject_filters), empty, key=chart_key)


def show_trends() -> None:
    st.header("Is it changing, or is it noise?")
    st.caption(
        "Each chart shows the counts with their average and the range expected by chance. A point beyond that "
        "range, or a long run, is an unusual change; anything else is usual variation. The range is worked out "
        "again after each change in the counting rules. A rise can mean better recording or more victims coming "
        "forward, not only more crime. The Glossary page explains the method (statistical process control)."
    )
    subjects = {f"{settings.total_label} (total)": trends.total_categories(settings)}
    subjects |= {c: (c,) for c in settings.categories if c in set(chosen.categories)}
    # Only the open tab runs, and the address says which is open, so a copied link shows the same chart.
    tabs = st.tabs(list(subjects), key="spc", bind="query-params")
    for index, (tab, categories) in enumerate(zip(tabs, subjects.values(), strict=True)):
        if tab.open:
            with tab:
                show(
                    "recorded-spc",
                    replace(chosen, categories=categories),
                    "No monthly or quarterly figures fall in the chosen period.",
                    f"recorded_spc_{index}",
                )


def show_year_ending() -> None:
    st.header("Year-ending totals")
    show(
        "recorded-year-ending",
        chosen,
        "There is not yet a full year of figures in the chosen period.",
        "recorded_year_ending",
    )


def show_compared() -> None:
    st.header("Compared with England and Wales and peer forces")
    show(
        "recorded-rate-comparison",
        chosen,
        "No rates per 1,000 people can be drawn: load the Home Office table for every force and the ONS population "
        "estimates on the Data page.",
        "recorded_rate_comparison",
    )
    show(
        "recorded-rate-latest",
        chosen,
        "No rate per 1,000 people for the latest year in the chosen period.",
        "recorded_rate_latest",
    )


def show_by_code() -> None:
    st.header("By offence code")
    chart = queries.chart("recorded-by-code", chosen)
    empty = "There is not yet a full year of figures by offence code in the chosen period."
    if not components.chart_or_empty(chart, empty, key="recorded_by_code"):
        return
    table = chart.data.copy()
    for column in table.columns[3:5]:
        table[column] = [f"{v:,}" if pd.notna(v) else "" for v in table[column]]
    table["Change"] = [f"{v:+,}" if pd.notna(v) else "" for v in table["Change"]]
    table["Change (%)"] = [format_percent_change(v) if pd.notna(v) else "n/a" for v in table["Change (%)"]]
    components.plain_table(table, alt=chart.text.title)


if not queries.derived(trends.loaded_for):
    components.empty_state(
        f"No recorded crime is loaded for {chosen.force}. Load the Home Office police recorded crime table (or the "
        "force's monthly extract) on the Data page, or choose another force."
    )
    st.page_link("app_pages/data.py", label="Load files on the Data page", icon=":material/database:")
    st.stop()

sections = {TREND: show_trends, YEAR_ENDING: show_year_ending, COMPARED: show_compared, BY_CODE: show_by_code}
if chosen.granularity == "year_ending":
    del sections[TREND]
    st.info(
        "Statistical process control charts need monthly or quarterly values: rolling 12-month totals overlap, so "
        "they would show signals that are not there. Choose Month or Quarter under 'Show by' to see them.",
        icon=":material/info:",
    )
# One section at a time: only the open tab runs, and the address names it ("section"), so a copied link
# opens the same section.
for tab, draw in zip(st.tabs(list(sections), key="section", bind="query-params"), sections.values(), strict=True):
    if tab.open:
        with tab:
            draw()
