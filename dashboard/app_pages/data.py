"""Data: what is loaded and how fresh it is, and loading the latest published files."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import actions, queries
from dashboard.ui import components, data_status, editing
from data_loaders.refusals import LoadRefused
from data_loaders.status import Status

OUTCOME_KEY = "data_load_outcome"
RECOMMENDATION_OUTCOME_KEY = "recommendation_load_outcome"
EMPTY_MESSAGE = (
    "Nothing is loaded yet. Load the published files below: the Home Office police recorded crime table, the ONS "
    "police force area data tables and the ONS mid-year population estimates. To look around with illustrative figures first, build the demo "
    "database from the command line with `pcc-dashboard demo`."
)


def show_loaded(status: Status, today: dt.date) -> None:
    """What is loaded, where each period came from, and the files behind it."""
    summary = queries.per_load(
        lambda: components.escape_frame(data_status.summary_frame(status, today)), "data-summary", today
    )
    components.plain_table(summary, alt="Each kind of data loaded, with its freshness", escaped=True)
    st.caption(data_status.FRESHNESS_RULE)
    stale = [data_status.kind_name(k.kind) for k in status.kinds if data_status.is_stale(k, today)]
    if stale:
        st.warning(
            f"Probably out of date: {', '.join(stale)}. Load the latest published edition below.",
            icon=":material/schedule:",
        )
    for warning in status.warnings:
        st.warning(warning, icon=":material/groups:")

    # The details one at a time: only the open tab is set out, and the address names it ("details").
    details = {
        "Files loaded": show_files,
        "Where each period came from": show_periods,
        "Events drawn on the charts": show_events,
    }
    for tab, (heading, draw) in zip(
        st.tabs(list(details), key="details", bind="query-params"), details.items(), strict=True
    ):
        if tab.open:
            with tab:
                st.header(heading)
                draw(status)


def show_periods(status: Status) -> None:
    st.caption("Consecutive periods from the same file and edition are shown as one range.")
    for kind in status.kinds:
        name = data_status.kind_name(kind.kind)
        st.subheader(f"{name} (demo)" if kind.is_demo else name)
        components.plain_table(data_status.period_sources_frame(kind), alt=f"File and edition of each period: {name}")


def show_events(status: Status) -> None:
    st.caption(
        "Every time axis marks these dates. Series breaks come from the settings; local events come from the "
        "latest events file loaded (Date, Label, Kind, Detail): to change them, edit that file and load it again."
    )
    events = queries.events()
    components.plain_table(
        pd.DataFrame(
            {
                "Date": [f"{d:%-d %b %Y}" for d in events["date"]],
                "Event": events["label"],
                "Kind": events["kind_label"],
                "From": events["source"],
                "Detail": events["detail"],
            }
        ),
        alt="Series breaks and local events drawn on every chart's time axis",
    )


def show_files(status: Status) -> None:
    st.caption(
        "Newest first. Rows in force are the rows still used: a newer edition replaces the periods it covers, "
        "so an older file may have few or none left."
    )
    files = queries.per_load(lambda: components.escape_frame(data_status.files_frame(status)), "data-files")
    components.plain_table(files, alt="Files loaded, newest first", escaped=True)


def forget_outcome() -> None:
    """Drop the last load's messages once other files are chosen: they describe files no longer shown."""
    st.session_state.pop(OUTCOME_KEY, None)


def show_outcome(outcome: dict, key: str = "problems_download") -> None:
    """The messages of the last load, or every problem that made it refuse."""
    if outcome["loaded"]:
        lines = "\n".join(f"- {components.escape_markdown(line)}" for line in outcome["loaded"])
        if outcome.get("kept"):
            st.warning(
                f"Loading finished, but {outcome['kept']} value(s) in the response documents differ from what is "
                f"stored and were not taken (each is listed below with both values).\n\n{lines}",
                icon=":material/warning:",
            )
        else:
            st.success(f"Loading finished.\n\n{lines}", icon=":material/check_circle:")
        return
    problems: pd.DataFrame = outcome["problems"]
    count = len(problems)
    st.error(
        f"Refused: {count:,} problem{'s' if count != 1 else ''}; nothing was written. "
        "Correct the file(s) and load them again.",
        icon=":material/block:",
    )
    if count <= 200:
        components.plain_table(problems, alt="Every problem found in the files")
    else:
        st.dataframe(problems, hide_index=True, width="stretch")
    st.download_button(
        "Download the problems (CSV)",
        problems.to_csv(index=False).encode("utf-8"),
        file_name="load-problems.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def load(uploads) -> None:
    """Load the chosen files with a progress bar; keep the outcome for the page to show."""
    bar = st.progress(0.0, text="Reading the files")
    try:
        results = actions.load_uploaded(
            uploads, progress=lambda fraction, message: bar.progress(min(max(fraction, 0.0), 1.0), text=message)
        )
    except LoadRefused as refused:
        bar.empty()
        st.session_state[OUTCOME_KEY] = {"loaded": [], "problems": data_status.problems_frame(refused.problems)}
        return
    st.session_state[OUTCOME_KEY] = {"loaded": [r.describe() for r in results], "problems": None}
    # Run the page again so that the tables above show what was just loaded.
    st.rerun()


def forget_recommendation_outcome() -> None:
    st.session_state.pop(RECOMMENDATION_OUTCOME_KEY, None)


def load_recommendations(uploads, editor: editing.Editor, *, prefer_document: bool) -> None:
    """Load recommendation files all or nothing in the editor's name; keep the outcome for the page to show."""
    try:
        results = actions.load_recommendation_uploads(uploads, author=editor.name, prefer_document=prefer_document)
    except LoadRefused as refused:
        problems = data_status.problems_frame(refused.problems)
        st.session_state[RECOMMENDATION_OUTCOME_KEY] = {"loaded": [], "problems": problems}
        return
    kept = sum(conflict.kept_stored for result in results for conflict in result.counts.conflicts)
    st.session_state[RECOMMENDATION_OUTCOME_KEY] = {
        "loaded": [r.describe() for r in results],
        "problems": None,
        "kept": kept,
    }
    st.rerun()


st.title("Data")
st.caption("What the dashboard holds, where each figure came from, and how to load the latest published files.")

status = queries.load_status()
st.header("What is loaded")
st.markdown(f"Database: `{status.database}`")
if status.kinds:
    show_loaded(status, dt.datetime.now(dt.UTC).date())
else:
    components.empty_state(EMPTY_MESSAGE)

st.header("Load files")
st.markdown(data_status.help_text("data_loading.md"))
kinds = st.expander(
    "Kinds of file accepted, and the columns each needs",
    icon=":material/table_view:",
    key="accepted_kinds",
    on_change="rerun",
)
if kinds.open:  # the table is set out when the expander is opened
    with kinds:
        components.plain_table(
            pd.DataFrame(
                [(kind.description, kind.columns) for kind in data_status.accepted_kinds()],
                columns=["Kind of file", "Columns it needs"],
            ),
            alt="Kinds of file accepted and their columns",
        )
uploads = st.file_uploader(
    "Published files (CSV, XLSX, XLS or ODS; several at once)",
    type=["csv", "xlsx", "xls", "ods"],
    accept_multiple_files=True,
    key="upload_files",
    on_change=forget_outcome,
)
if st.button("Load files", key="load_button", type="primary", icon=":material/upload:"):
    if uploads:
        load(uploads)
    else:
        st.warning("Choose one or more files to load first.", icon=":material/info:")
if OUTCOME_KEY in st.session_state:
    show_outcome(st.session_state[OUTCOME_KEY])

st.header("Load inspection recommendations")
st.markdown(data_status.help_text("recommendation_loading.md"))
editor = editing.current_editor(queries.settings())
if editor is None:
    st.caption(":material/lock: Sign in as an editor (in the sidebar) to load recommendation files.")
else:
    recommendation_uploads = st.file_uploader(
        "Recommendation trackers (CSV or XLSX) and response documents (TXT); several at once",
        type=["csv", "xlsx", "txt"],
        accept_multiple_files=True,
        key="upload_recommendations",
        on_change=forget_recommendation_outcome,
    )
    prefer_document = st.checkbox(
        "Where a response document differs from what is stored, use the document's values",
        key="prefer_document",
        help="Off: the stored text, addressee, timescale, owner and response are kept and every difference is "
        "listed with both values. On: the document's values replace them, and every replacement is listed.",
        on_change=forget_recommendation_outcome,
    )
    if st.button(
        "Load recommendation files", key="load_recommendations_button", type="primary", icon=":material/upload:"
    ):
        if recommendation_uploads:
            load_recommendations(recommendation_uploads, editor, prefer_document=prefer_document)
        else:
            st.warning("Choose one or more files to load first.", icon=":material/info:")
    if RECOMMENDATION_OUTCOME_KEY in st.session_state:
        show_outcome(st.session_state[RECOMMENDATION_OUTCOME_KEY], key="recommendation_problems_download")
