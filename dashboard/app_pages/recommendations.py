"""Recommendations: is the force doing what the inspectorate asked? Counts, progress, the tracker and each one's history."""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import recommendations as recommendation_charts
from dashboard.ui import components, editing, update_form
from dashboard.ui import recommendation_views as views
from data_loaders.sanitise import safe_html

EMPTY_MESSAGE = (
    "No inspection recommendations are loaded yet. Load a recommendations tracker or the Commissioner's response "
    "document on the Data page; to look around first, build the demo database with `pcc-dashboard demo`."
)


def show_cards(recommendations: pd.DataFrame) -> None:
    """The headline counts, each with an icon and words."""
    cards = views.status_cards(recommendations, queries.settings())
    # Widths follow the labels, so that a long category name is not cut short.
    widths = [max(len(card.label), 10) for card in cards]
    for column, card in zip(st.columns(widths, gap="small"), cards, strict=True):
        column.metric(card.label, f"{card.count:,}", icon=card.icon, border=True)
    st.caption(
        f"{views.count_words(len(recommendations), 'recommendation')} from "
        f"{views.count_words(recommendations['report'].nunique(), 'report')}. "
        "Each counts in the category of its latest recorded status. Overdue: past the due date and neither "
        "complete nor marked as not to be progressed."
    )


def read_filter(recommendations: pd.DataFrame) -> views.TableFilter:
    """The table's filter widgets, in one row."""
    labels = views.report_labels(recommendations)
    report_col, status_col, owner_col, due_col = st.columns([3, 2, 2, 2])
    reports = report_col.multiselect(
        "Report", list(labels), format_func=labels.get, key="rec_filter_reports", placeholder="All reports"
    )
    categories = status_col.multiselect(
        "Status",
        [
            c
            for c in recommendation_charts.category_order(queries.settings())
            if c in set(recommendations["status_category"])
        ],
        key="rec_filter_status",
        placeholder="Every status",
    )
    owners = owner_col.multiselect(
        "Owner", views.owner_options(recommendations), key="rec_filter_owner", placeholder="Every owner"
    )
    due = due_col.selectbox("Due", list(views.DUE_WINDOWS), format_func=views.DUE_WINDOWS.get, key="rec_filter_due")
    return views.TableFilter(tuple(reports), tuple(categories), tuple(owners), due)


def show_table(shown: pd.DataFrame) -> None:
    """The filtered tracker and its downloads."""
    st.dataframe(
        views.table_frame(shown),
        hide_index=True,
        width="stretch",
        key="rec_table",
        placeholder="not set",
        column_config={
            "Ref": st.column_config.TextColumn(width="small"),
            "Recommendation": st.column_config.TextColumn(width="large"),
            "Due date": st.column_config.DateColumn(format="D MMM YYYY"),
            "Status date": st.column_config.DateColumn(format="D MMM YYYY"),
        },
    )
    # Written when a button is pressed, not on every run of the page (an Excel workbook takes a while).
    stem = f"recommendations-{dt.date.today():%Y-%m-%d}"
    csv_col, xlsx_col, _ = st.columns([1, 1, 2])
    download_button(csv_col, shown, stem, "csv")
    download_button(xlsx_col, shown, stem, "xlsx")


# Each download by its file extension: the button's name for it, what writes it, and its MIME type.
DOWNLOADS = {
    "csv": ("CSV", views.to_csv, "text/csv"),
    "xlsx": ("Excel", views.to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def download_button(column, shown: pd.DataFrame, stem: str, extension: str) -> None:
    """A button in ``column`` that downloads the ``shown`` table as the file ``stem.extension``."""
    kind, write, mime = DOWNLOADS[extension]
    column.download_button(
        f"Download this table ({kind})",
        lambda: write(views.download_frame(shown)),
        file_name=f"{stem}.{extension}",
        mime=mime,
        key=f"rec_download_{extension}",
        icon=":material/download:",
    )


def show_facts(row: pd.Series, closed: list[str]) -> None:
    """What was asked, by when, of whom, and where it stands."""
    st.markdown(f"> {components.escape_markdown(' '.join(str(row['text']).split()))}")
    written = f" (as written: {row['status']})" if row["status"] and row["status"] != row["status_category"] else ""
    since = f", since {views.long_date(row['status_date'])}" if row["status_date"] else ""
    overdue = "  \n:material/schedule: **Overdue**" if row["overdue"] else ""
    facts = [
        ("Report", row["report"]),
        ("Timescale", row["timescale"] or "None given"),
        ("Due", views.due_words(row, closed)),
        ("Owner", row["owner"] or "Not named"),
        ("Addressed to", row["addressed_to"] or "Not stated"),
    ]
    left, right = st.columns([3, 2])
    left.markdown("  \n".join(f"**{name}:** {components.escape_markdown(str(value))}" for name, value in facts))
    right.markdown(
        f"{views.category_icon(row['status_category'])} **Status:** "
        f"{components.escape_markdown(row['status_category'] + written + since)}{overdue}"
    )
    right.caption(f"Version {row['version']}: each saved change raises it.")


def show_response(row: pd.Series) -> None:
    """The force's response, sanitised: it comes from documents written outside the office."""
    st.subheader("The force's response")
    cleaned = safe_html(row["response_html"])
    if not cleaned.strip():
        st.caption("No response from the force is recorded for this recommendation.")
        return
    with st.container(border=True):
        st.html(cleaned)


def show_history(updates: pd.DataFrame) -> None:
    """The history as a timeline, oldest first."""
    st.subheader("History")
    entries = views.timeline(updates)
    if not entries:
        st.caption("Nothing recorded yet.")
        return
    for entry in entries:
        lines = [f"{entry.icon} **{views.long_date(entry.date)}**: {components.escape_markdown(entry.headline)}"]
        if entry.comment:
            lines.append(components.escape_markdown(entry.comment))
        if entry.evidence_link:
            url = views.markdown_url(entry.evidence_link)
            shown = f"[{components.escape_markdown(entry.evidence_link)}]({url})" if url else "not a web address"
            lines.append(f":material/link: Evidence: {shown}")
        with st.container(border=True):
            st.markdown("  \n".join(lines))
            st.caption(components.escape_markdown(entry.recorded))


def show_detail(shown: pd.DataFrame, editor: editing.Editor | None) -> None:
    """The chosen recommendation: what it asks, the force's response, its history, and (editors) the form."""
    st.header("One recommendation in detail")
    if shown.empty:
        components.empty_state("No recommendation matches the filters above: clear a filter to choose one.")
        return
    labels = views.report_labels(shown)
    by_id = {int(rid): row for rid, (_, row) in zip(shown["id"], shown.iterrows(), strict=True)}
    chosen = st.selectbox(
        "Recommendation",
        list(by_id),
        format_func=lambda rid: views.choice_label(by_id[rid], labels),
        key="rec_choice",
        on_change=update_form.forget_opened_versions,
    )
    st.session_state.setdefault(update_form.CHOSEN_KEY, chosen)
    row = by_id[chosen]
    closed = list(queries.settings().recommendations.closed)
    show_facts(row, closed)
    show_response(row)
    updates = queries.oversight_table("recommendation_updates")
    show_history(updates[updates["recommendation_id"] == chosen])
    if editor is None:
        return
    update_form.show_update_form(row, editor)
    update_form.show_audit(chosen)


st.title("Recommendations")
st.caption(
    "Is the force doing what the inspectorate asked? HMICFRS recommendations on stalking, when each is due, "
    "and the progress the force has reported."
)
editor = editing.current_editor(queries.settings())
recommendations = queries.oversight_table("recommendations")
if recommendations.empty:
    components.empty_state(EMPTY_MESSAGE)
else:
    # One part at a time: only the open tab is set out, and the address names it ("recommendations").
    standing, listed = st.tabs(
        ["Where things stand", "The recommendations"], key="recommendations", bind="query-params"
    )
    if standing.open:
        with standing:
            st.header("Where things stand")
            show_cards(recommendations)
            st.header("Progress over time")
            components.chart_or_empty(
                queries.oversight_chart("recommendation-status-mix"),
                "No dated history is recorded yet, so progress over time cannot be drawn.",
            )
    if listed.open:
        with listed:
            st.header("The recommendations")
            shown = views.filter_recommendations(
                recommendations, read_filter(recommendations), queries.settings().recommendations.closed
            )
            st.caption(f"Showing {len(shown):,} of {len(recommendations):,}.")
            show_table(shown)
            show_detail(shown, editor)
