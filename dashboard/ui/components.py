"""Small reusable Streamlit fragments: the shared frame, banners, empty states and plain tables.

Colour is never the only cue: every banner carries an icon and words that say what it means.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st

DEMO_BANNER = "Illustrative demo data: these figures are not real."


def sidebar_frame(home_force: str) -> None:
    """The office's name and the area the dashboard covers, at the top of the sidebar."""
    st.sidebar.markdown(
        "**Police and Crime Commissioner**  \nStalking and harassment oversight\n\n"
        f":small[Police force area: {escape_markdown(home_force)}]"
    )


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


# A polite live region made once at the end of the document and kept across reruns: a screen reader speaks what is
# written into a live region that already exists, not one that arrives with its words (as a rerun's element would).
ANNOUNCE_SCRIPT = """<script>
(() => {
  let region = document.getElementById("pcc-announcement");
  if (!region) {
    region = document.createElement("div");
    region.id = "pcc-announcement";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    region.style.cssText = "position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;"
      + "clip:rect(0 0 0 0);white-space:nowrap;border:0;";
    document.body.appendChild(region);
  }
  region.textContent = %s;
})();
</script>"""


def announce(message: str) -> None:
    """Have a screen reader say ``message`` (plain text) without moving focus, as when a slide changes."""
    text = json.dumps(message).replace("<", "\\u003c")  # no "</script>" can end the script early
    st.html(ANNOUNCE_SCRIPT % text, unsafe_allow_javascript=True)


def empty_state(message: str) -> None:
    """A friendly note where there is nothing to show yet, saying what to do about it."""
    st.info(message, icon=":material/info:")


MARKDOWN_SPECIAL = r"([\\`*_\[\]<>$~|#])"  # emphasis, code, links, HTML, mathematics, tables, headings
MARKDOWN_ICON = r":(?=[A-Za-z])"  # the start of ":material/name:" or an emoji shortcode
MARKDOWN_ANY = re.compile(f"{MARKDOWN_SPECIAL}|{MARKDOWN_ICON}")


def escape_markdown(text: str) -> str:
    """``text`` with the characters Streamlit's Markdown would act on escaped, so it shows as written.

    File names and cell values come from uploaded files: a ``*``, ``$`` or ``:name:`` in them
    must not turn into emphasis, mathematics or an icon.
    """
    text = re.sub(MARKDOWN_SPECIAL, r"\\\1", text)
    return re.sub(MARKDOWN_ICON, r"\\:", text)


def key_figures(figures, label: str = "Key figures") -> None:
    """Headline numbers as cards (``dashboard.ui.cards``) with the sentences behind them as a list.

    ``figures`` are ``dashboard.charts.outcomes.KeyFigure``-like: label, value, delta (the change on
    the year before), delta_color, help and sentence. The arrow and the sign carry the direction,
    so colour is never the only cue; the help (what the figure counts) is shown, not hidden in a tooltip.
    """
    from dashboard.ui import cards

    headline_cards([cards.key_figure_card(figure) for figure in figures], label)
    sentences = [figure.sentence for figure in figures if figure.sentence]
    if sentences:
        st.markdown("\n".join(f"- {escape_markdown(sentence)}" for sentence in sentences))


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell escaped as :func:`escape_markdown` escapes it; other cells as they are."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        if any(isinstance(cell, str) and MARKDOWN_ANY.search(cell) for cell in values):  # most columns need nothing
            cells = [escape_markdown(cell) if isinstance(cell, str) else cell for cell in values]
            shown[column] = pd.Series(cells, index=values.index, dtype=object)
    return shown


def plain_table(frame: pd.DataFrame, alt: str, *, escaped: bool = False) -> None:
    """A small table as real HTML with column headers and an accessible name, without the index.

    ``escaped``: the text cells have been through :func:`escape_frame` already (a kept table).
    """
    st.table(frame if escaped else escape_frame(frame), hide_index=True, alt=alt)


def show_chart(chart, *, key: str | None = None) -> None:
    """A catalogue chart with its title, source line and markers' key as text, its text alternative, its reading
    under it, and the figures behind it.

    ``chart`` is a ``dashboard.charts.catalogue.Chart``: its figure already carries the shared template
    (``theme=None`` keeps Streamlit from restyling it, so the page matches an export); the "data"
    view shows exactly the figures drawn, with a CSV download of those figures.
    """
    from dashboard.charts.base import file_stem, plotly_config
    from dashboard.charts.page import page_words
    from dashboard.ui.glossary import reading_help

    key = key or chart.key
    words = page_words(chart.figure, chart.text)
    # The chart's words are the page's text, so they wrap at any width or zoom (Plotly never wraps its own).
    st.markdown(f"**{escape_markdown(words.title)}**")
    if words.subtitle:
        st.caption("  \n".join(escape_markdown(line) for line in words.subtitle))
    st.plotly_chart(chart.shown, theme=None, config=plotly_config(chart.text), alt=chart.alt, key=f"{key}_chart")
    small_print = [escape_markdown(words.source)]
    if words.key:
        small_print.append("Marked on the chart: " + "; ".join(escape_markdown(line) for line in words.key) + ".")
    st.caption("  \n".join(small_print))
    export_control(chart, key)
    words = [f"**Reading:** {escape_markdown(chart.reading)}"] if chart.reading else []
    words += [f":small[{escape_markdown(note)}]" for note in chart.notes]
    if words:
        st.markdown("\n\n".join(words))
    not_for_publication(chart)
    reading_help(chart, key)
    data_view = st.expander("Data behind this chart", icon=":material/table:", key=f"{key}_data", on_change="rerun")
    if data_view.open:  # built when opened: a page of charts sends no tables nobody asked for
        with data_view:
            st.dataframe(chart.data, hide_index=True, key=f"{key}_table")
            st.download_button(
                "Download these figures (CSV)",
                # Written when clicked, not on every run of the page; small numbers suppressed, as any output is.
                lambda: export_csv(chart),
                file_name=f"{file_stem(chart.text.title)}.csv",
                mime="text/csv",
                key=f"{key}_csv",
                icon=":material/download:",
            )


def chart_or_empty(chart, empty: str, *, key: str | None = None) -> bool:
    """Show ``chart`` (see :func:`show_chart`), or where there is none the note ``empty``; whether it was shown."""
    if chart is None:
        empty_state(empty)
        return False
    show_chart(chart, key=key)
    return True


NOT_FOR_PUBLICATION = (
    "**Not for publication:** this chart shows true figures that small-number protection withholds from every "
    "export, pack and slide"
)


def not_for_publication(chart) -> None:
    """Say so under a chart whose page shows figures its exports withhold (``dashboard.outputs.release``)."""
    from dashboard import queries
    from dashboard.outputs import release

    withheld = release.withheld_on_release(chart, queries.settings())
    if withheld:
        listed = " ".join(escape_markdown(note) for note in withheld)
        st.markdown(f":material/lock: {NOT_FOR_PUBLICATION}. :small[{listed}]")


def export_csv(chart) -> bytes:
    """The chart's figures as a CSV fit to leave the app (see ``dashboard.outputs.images.csv_bytes``)."""
    from dashboard import queries
    from dashboard.outputs import images

    return images.csv_bytes(chart, queries.settings())


STYLES = {
    "page": "As on the page: every series in colour, every marker and note",
    "press": "Press: the home force highlighted against grey peers, few markers",
}


def export_control(chart, key: str) -> None:
    """The chart's "Export" control: a branded image in a chosen format and size, its alt text, its figures.

    Everything offered here has small numbers suppressed (``dashboard.outputs.suppression``); the image is
    drawn only when its button is pressed.
    """
    from dashboard import queries
    from dashboard.outputs import images, layout

    popover = st.popover(
        "Export",
        icon=":material/ios_share:",
        help="Download this chart for a press release or a slide",
        key=f"{key}_export",
        on_change="rerun",
    )
    if not popover.open:  # filled in when opened: a page of charts builds no export controls nobody asked for
        return
    settings = queries.settings()
    protected = images.protect(chart, settings)
    with popover:
        fmt = st.radio("Format", list(images.FORMATS), format_func=str.upper, horizontal=True, key=f"{key}_ex_format")
        sizes = [*images.SIZES, images.CUSTOM]
        labels = {**{k: s.label for k, s in images.SIZES.items()}, images.CUSTOM: "Custom size"}
        size_key = st.selectbox("Size", sizes, format_func=labels.get, key=f"{key}_ex_size")
        width = height = None
        if size_key == images.CUSTOM:
            left, right = st.columns(2)
            width = left.number_input("Width (pixels)", 300, 4000, 1200, step=10, key=f"{key}_ex_width")
            height = right.number_input("Height (pixels)", 300, 4000, 675, step=10, key=f"{key}_ex_height")
        scale = None
        if fmt == "png":
            preset = images.SIZES.get(size_key)
            scale = st.number_input(
                "Resolution scale",
                0.5,
                6.0,
                preset.scale if preset else 1.0,
                step=0.5,
                key=f"{key}_ex_scale_{size_key}",
                help="Pixels per layout pixel: 1 for the web, 3 or more for print.",
            )
        size = images.size_for(size_key, width=width, height=height, scale=scale)
        press = None
        style = st.radio("Style", list(STYLES), format_func=STYLES.get, key=f"{key}_ex_style")
        if style == "press":
            markers = st.radio(
                "Markers on the chart",
                list(layout.ANNOTATIONS),
                format_func=layout.ANNOTATIONS.get,
                horizontal=True,
                key=f"{key}_ex_markers",
                help="Numbered lines for the series breaks (changes in how crimes are counted), or none at all.",
            )
            press = layout.Press(markers)
        problem = images.unavailable()
        st.download_button(
            f"Download {fmt.upper()}",
            lambda: images.export_chart(protected, settings, fmt, size, protected=True, press=press).content,
            file_name=images.file_name(chart, fmt, size, press=press),
            mime=images.FORMATS[fmt],
            key=f"{key}_ex_image",
            type="primary",
            icon=":material/download:",
            disabled=problem is not None,
        )
        if problem:
            st.caption(escape_markdown(problem))
        st.markdown("**Alt text** (put it beside the image wherever it is published)")
        alt = images.alt_text(protected)
        st.code(alt, language=None, wrap_lines=True)
        left, right = st.columns(2)
        left.download_button(
            "Alt text (.txt)", alt + "\n", file_name=f"{images.stem(chart)}-alt-text.txt", key=f"{key}_ex_alt"
        )
        right.download_button(
            "Figures (CSV)",
            lambda: images.csv_bytes(protected, settings, protected=True),
            file_name=f"{images.stem(chart)}.csv",
            mime="text/csv",
            key=f"{key}_ex_csv",
        )


def headline_cards(items, label: str) -> None:
    """Headline-figure cards (``dashboard.figures.overview.Card``) in a grid that wraps, as one element (``dashboard.ui.cards``)."""
    from dashboard.ui import cards

    st.html(cards.STYLE)  # style only: Streamlit puts it out of the page's flow
    st.html(cards.grid_html(items, label))
