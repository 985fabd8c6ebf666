"""The sidebar filters shared by every trends page, carried in the page URL.

A copied link reopens exactly the same view, which is how panel members share what they saw:
every filter is written to ``st.query_params`` and read back from it. Parsing is forgiving
(an unknown force or a malformed date in a hand-edited link falls back to the default) and
pure, so it is tested without Streamlit.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from dashboard.figures.selection import (
    GRANULARITIES,
    MEASURES,
    OUTCOME_COUNTS,
    PARAMS,
    Filters,
    defaults_for,
    from_query_params,
)
from data_loaders.settings import Settings


@functools.lru_cache(maxsize=8)
def _month_options(first: dt.date, last: dt.date) -> tuple[tuple[dt.date, ...], dict[dt.date, str]]:
    """Every month from ``first`` to ``last`` and its label ("Apr 2014"): made once per span, not on every run."""
    out = [first.replace(day=1)]
    while out[-1] < last:
        month = out[-1]
        out.append(dt.date(month.year + month.month // 12, month.month % 12 + 1, 1))
    return tuple(out), {month: f"{month:%b %Y}" for month in out}


def _choice(label: str, choices: dict[str, str], chosen: str, key: str, help: str | None = None) -> str:
    """One of ``choices`` (value to its label) as radio buttons, ``chosen`` selected to begin with."""
    values = list(choices)
    return st.radio(label, values, index=values.index(chosen), format_func=choices.get, key=key, help=help)


def sidebar(
    defaults: Filters, forces: Sequence[str], categories: Sequence[str], span: tuple[dt.date, dt.date] | None
) -> Filters:
    """Draw the filters in the sidebar, seeded from the URL, and write the choice back to the URL."""
    params = {name: value for name, value in st.query_params.items() if name in PARAMS}
    remembered = st.session_state.get(STATE_KEY)
    if not params and remembered is not None:
        # Back from a page without the filters (Data): the page switch dropped them from the URL, not the user.
        params = remembered.to_query_params(defaults)
    current = from_query_params(params, defaults, forces, categories)
    with st.sidebar:
        st.header("Filters")
        force = st.selectbox("Force", forces, index=list(forces).index(current.force), key="filter_force")
        peers = st.multiselect(
            "Compare with (peer forces)",
            [f for f in forces if f != force],
            default=[p for p in current.peers if p != force],
            key="filter_peers",
        )
        chosen_categories = st.multiselect(
            "Offence categories", list(categories), default=list(current.categories), key="filter_categories"
        )
        start, end = current.start, current.end
        if span is not None:
            options, labels = _month_options(*span)
            start = start if start in labels else options[0]
            end = end if end in labels else options[-1]
            start, end = st.select_slider(
                "Period",
                options=options,
                value=(start, end),
                format_func=labels.__getitem__,
                key="filter_period",
            )
        granularity = _choice("Show by", GRANULARITIES, current.granularity, "filter_granularity")
        measure = _choice("Measure", MEASURES, current.measure, "filter_measure")
        outcome_count = _choice(
            "Outcome count",
            OUTCOME_COUNTS,
            current.outcome_count,
            "filter_outcome_count",
            help="The Home Office publishes two counts. 'Recorded in the period' counts outcomes assigned in the "
            "period, whatever the offence's date; 'for offences recorded in the period' follows the offences "
            "recorded in the period to the outcomes they have had so far.",
        )
    chosen = replace(
        current,
        force=force,
        peers=tuple(peers),
        categories=tuple(chosen_categories),
        start=start if span and start != span[0].replace(day=1) else None,
        end=end if span and end != _month_options(*span)[0][-1] else None,
        granularity=granularity,
        measure=measure,
        outcome_count=outcome_count,
    )
    params = chosen.to_query_params(defaults)
    # Only the filters' own parameters: a page's own (a tab bound to the URL) stay as they are.
    for name in PARAMS:
        if name in params and st.query_params.get(name) != params[name]:
            st.query_params[name] = params[name]
        elif name not in params and name in st.query_params:
            del st.query_params[name]
    return replace(chosen, start=start, end=end)


STATE_KEY = "pcc_filters"


def draw(settings, forces: Sequence[str], span: tuple[dt.date, dt.date] | None) -> Filters:
    """Draw the shared filters (app.py does this for every trends page) and remember the choice."""
    chosen = sidebar(defaults_for(settings), forces, settings.categories, span)
    st.session_state[STATE_KEY] = chosen
    return chosen


def current() -> Filters:
    """The filters drawn for this run by app.py; a trends page reads them here."""
    return st.session_state[STATE_KEY]


def page_heading(title: str, caption: str) -> tuple[Filters, Settings]:
    """Title a trends page and say under it what it shows (``{force}``: the chosen force); its filters and settings."""
    from dashboard import queries
    from dashboard.ui.components import escape_markdown

    chosen = current()
    st.title(title)
    st.caption(caption.replace("{force}", escape_markdown(chosen.force)))
    return chosen, queries.settings()
