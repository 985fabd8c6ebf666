"""Small reusable Streamlit fragments: the shared frame, banners, empty states and plain tables.

Colour is never the only cue: every banner carries an icon and words that say what it means.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

DEMO_BANNER = "Illustrative demo data: these figures are not real."


def sidebar_frame(home_force: str) -> None:
    """The office's name and the area the dashboard covers, at the top of the sidebar."""
    with st.sidebar:
        st.markdown("**Police and Crime Commissioner**  \nStalking and harassment oversight")
        st.caption(f"Police force area: {home_force}")


def demo_banner() -> None:
    """The warning every page shows while the database holds demo data."""
    st.warning(DEMO_BANNER, icon=":material/warning:")


def data_unavailable(message: str) -> None:
    """Why no page can be shown: the settings or the database could not be read."""
    st.error(
        f"{escape_markdown(message)}\n\nCheck the settings file (`PCC_SETTINGS_FILE`), the database setting "
        "(`PCC_DATABASE_URL`, `.streamlit/secrets.toml` or the settings file) and that the database server is running.",
        icon=":material/error:",
    )


def empty_state(message: str) -> None:
    """A friendly note where there is nothing to show yet, saying what to do about it."""
    st.info(message, icon=":material/info:")


def escape_markdown(text: str) -> str:
    """``text`` with the characters Streamlit's Markdown would act on escaped, so it shows as written.

    File names and cell values come from uploaded files: a ``*``, ``$`` or ``:name:`` in them
    must not turn into emphasis, mathematics or an icon.
    """
    text = re.sub(r"([\\`*_\[\]<>$~|#])", r"\\\1", text)
    return re.sub(r":(?=[A-Za-z])", r"\\:", text)


def key_figures(figures, *, per_row: int = 4) -> None:
    """Headline numbers as bordered metric cards, a few to a row, with the sentences behind them as a list.

    ``figures`` are ``dashboard.outcome_charts.KeyFigure``-like: label, value, delta (the change on
    the year before), delta_color, help and sentence. The arrow and the sign carry the direction,
    so colour is never the only cue.
    """
    for first in range(0, len(figures), per_row):
        for column, figure in zip(st.columns(per_row), figures[first : first + per_row], strict=False):
            column.metric(
                figure.label,
                figure.value,
                figure.delta,
                delta_color=figure.delta_color,
                help=figure.help,
                border=True,
            )
    sentences = [figure.sentence for figure in figures if figure.sentence]
    if sentences:
        st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in sentences))


def plain_table(frame: pd.DataFrame, alt: str) -> None:
    """A small table as real HTML with column headers and an accessible name, without the index."""
    shown = frame.map(lambda cell: escape_markdown(cell) if isinstance(cell, str) else cell)
    st.table(shown, hide_index=True, alt=alt)


def show_chart(chart, *, key: str | None = None) -> None:
    """A catalogue chart with its text alternative, its reading under it, and the figures behind it.

    ``chart`` is a ``dashboard.catalogue.Chart``: its figure already carries the shared template
    (``theme=None`` keeps Streamlit from restyling it, so the page matches an export); the "data"
    view shows exactly the figures drawn, with a CSV download of those figures.
    """
    from dashboard.charts import file_stem, plotly_config

    key = key or chart.key
    st.plotly_chart(chart.figure, theme=None, config=plotly_config(chart.text), alt=chart.alt, key=f"{key}_chart")
    if chart.reading:
        st.markdown(f"**Reading:** {escape_markdown(chart.reading)}")
    for note in chart.notes:
        st.caption(escape_markdown(note))
    with st.expander("Data behind this chart", icon=":material/table:"):
        st.dataframe(chart.data, hide_index=True, key=f"{key}_table")
        st.download_button(
            "Download these figures (CSV)",
            chart.data.to_csv(index=False).encode("utf-8"),
            file_name=f"{file_stem(chart.text.title)}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
        )


def kpi_card(card) -> None:
    """A headline figure in a bordered box: value, change on the year before, sparkline and the lines explaining it.

    ``card`` is a ``dashboard.overview.Card``. The change always has an arrow and words; it is coloured
    only where a direction is good (``card.neutral`` False), since a rise in recorded crime may be
    better recording.
    """
    with st.container(border=True):
        st.metric(
            card.title,
            card.value,
            delta=card.delta,
            delta_color="off" if card.neutral else "normal",
            delta_arrow="auto" if card.change else "off",
            chart_data=list(card.sparkline) or None,
            chart_type="line",
        )
        words = ". ".join(
            part
            for part in (
                card.period,
                f"Line: {card.sparkline_words[:1].lower()}{card.sparkline_words[1:]}" if card.sparkline else "",
            )
            if part
        )
        if words:
            st.caption(words + ".")
        for line in card.lines:
            st.markdown(line)
