"""Press and Panel packs: a ZIP of charts for the press office, the Panel's meeting pack, presentation mode."""

import datetime as dt

import streamlit as st

from dashboard import queries
from dashboard.figures import selection
from dashboard.outputs import images, meeting_pack, press_pack
from dashboard.outputs.inputs import describe_filters, ordered_charts
from dashboard.ui import components, filters

PRESENTATION = "app_pages/presentation.py"
chosen, settings = filters.page_heading(
    "Press and Panel packs",
    "Charts for {force} on the filters in the sidebar. Everything here leaves the app, so small numbers below force "
    "level are suppressed first.",
)
problem = images.unavailable()
if problem:
    st.error(components.escape_markdown(problem), icon=":material/error:")

entries = ordered_charts()
titles = {e.key: f"{e.section}: {e.title}" for e in entries}

st.header("Press pack")
st.markdown(
    "One ZIP file: each chart as a branded image, its alt text and the figures behind it (CSV), and the key figures "
    "in the same words as the Overview."
)
keys = st.multiselect(
    "Charts",
    list(titles),
    default=[k for k in ("recorded-spc", "recorded-rate-comparison") if k in titles],
    format_func=titles.get,
    key="press_charts",
)
left, right = st.columns(2)
fmt = left.radio("Format", list(images.FORMATS), format_func=str.upper, horizontal=True, key="press_format")
size_key = right.selectbox("Size", list(images.SIZES), format_func=lambda k: images.SIZES[k].label, key="press_size")


def press_zip() -> bytes:
    content, _ = press_pack.press_pack(queries.inputs(chosen), keys, fmt, images.SIZES[size_key])
    return content


st.download_button(
    "Download the press pack (ZIP)",
    press_zip,
    file_name=f"press-pack-{dt.date.today():%Y-%m-%d}.zip",
    mime="application/zip",
    key="press_download",
    type="primary",
    icon=":material/folder_zip:",
    disabled=not keys or problem is not None,
)
st.caption(f"Filters: {components.escape_markdown(describe_filters(chosen))}.")

st.header("Panel meeting pack")
st.markdown(
    "A PDF for the Police and Crime Panel: cover, contents, headline figures, every chart with its key message, "
    "outcomes and prosecutions, the recommendations (overdue first), statutory deadlines and notes. It always shows "
    f"the home force, {components.escape_markdown(settings.home_force)}, with data up to the end of the quarter chosen."
)
latest = queries.derived(meeting_pack.latest_quarter, chosen)
if latest is None:
    components.empty_state("No Home Office quarterly figures are loaded for the home force, so there is no pack yet.")
else:
    left, middle, right = st.columns(3)
    period = left.text_input(
        "Quarter", latest.code, key="pack_period", help="Financial year and quarter, as the Home Office writes them."
    )
    meeting = middle.text_input("Meeting", "Police and Crime Panel", key="pack_meeting")
    meeting_date = right.date_input("Meeting date", dt.date.today(), key="pack_date", format="DD/MM/YYYY")
    try:
        quarter = meeting_pack.parse_quarter(period)
    except meeting_pack.PackError as exc:
        st.error(components.escape_markdown(str(exc)), icon=":material/error:")
    else:

        def pack_pdf() -> bytes:
            return meeting_pack.meeting_pack(
                queries.engine(), settings, quarter, meeting=meeting, meeting_date=meeting_date
            )

        st.download_button(
            f"Download the pack for {quarter.describe()} (PDF)",
            pack_pdf,
            file_name=f"panel-pack-{quarter.code.replace('/', '-')}.pdf",
            mime="application/pdf",
            key="pack_download",
            type="primary",
            icon=":material/picture_as_pdf:",
            disabled=problem is not None,
        )
        st.caption("Making the pack takes a few seconds.")
        # The command in a code block at full contrast: inline code in a caption is drawn faded (3.0:1).
        st.markdown("The same pack from the command line:")
        st.code(f"pcc-dashboard pack --period {quarter.code} --out pack.pdf", language=None)

st.header("Presentation mode")
st.markdown(
    "One chart per screen for the meeting room: large type, no sidebar, and the arrow keys (or the buttons) move "
    "between charts. The address carries the filters and the slide, so a copied link opens the same slide."
)
st.page_link(
    PRESENTATION,
    label="Present these charts",
    icon=":material/slideshow:",
    query_params={**chosen.to_query_params(selection.defaults_for(settings)), "slide": "1"},
)
