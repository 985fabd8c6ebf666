"""Inspections: each report, the Commissioner's 56-day response, and how far its recommendations have got."""

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.charts import recommendations as recommendation_charts
from dashboard.ui import components
from dashboard.ui import recommendation_views as views

EMPTY_MESSAGE = (
    "No inspection reports are loaded yet. Load the Commissioner's response document or a recommendations tracker "
    "on the Data page; to look around first, build the demo database with `pcc-dashboard demo`."
)
STATUTE = (
    "The Police Act 1996 (section 55) requires the Commissioner to publish comments on an HMICFRS report, with the "
    "Chief Constable's, within 56 days beginning with the day the report is published: the last day is the "
    "publication date plus 55 days. For each recommendation the comments explain what has been done or is proposed, "
    "or why nothing will be."
)


def summary_frame(reports: pd.DataFrame) -> pd.DataFrame:
    """One line per report: publication, the response deadline in words, and progress."""
    return pd.DataFrame(
        {
            "Report": [
                recommendation_charts.short_report(t, p)
                for t, p in zip(reports["title"], reports["publication_date"], strict=True)
            ],
            "Published": [views.published_words(row) for _, row in reports.iterrows()],
            "Commissioner's response (56 days)": [views.response_words(row) for _, row in reports.iterrows()],
            "Complete": [
                f"{c:,} of {n:,}" for c, n in zip(reports["complete"], reports["recommendations"], strict=True)
            ],
            "Overdue": [f"{o:,}" for o in reports["overdue"]],
        }
    )


def show_comments(label: str, key: str, text: str | None, signature: str | None = None) -> None:
    """Published comments in an expander, set out when it is opened: a page of reports sends no text nobody asked for."""
    comments = st.expander(label, icon=":material/format_quote:", key=key, on_change="rerun")
    if not comments.open:
        return
    with comments:
        if not text:
            st.caption("Not recorded for this report.")
            return
        paragraphs = [" ".join(p.split()) for p in str(text).split("\n") if p.strip()]
        st.markdown("\n\n".join(components.escape_markdown(p) for p in paragraphs))
        if signature:
            st.caption(
                "  \n".join(components.escape_markdown(line.strip()) for line in signature.splitlines() if line.strip())
            )


def show_report(row: pd.Series) -> None:
    """A report: when it was published, the response deadline, progress, and the comments published on it."""
    with st.container(border=True):
        st.subheader(" ".join(str(row["title"]).split()))
        inspectorate = f"{row['inspectorate']}" if row["inspectorate"] else "Inspectorate not recorded"
        link = (
            f" · [The report]({views.markdown_url(row['link'])})"
            if row["link"] and views.markdown_url(row["link"])
            else ""
        )
        st.caption(f"{components.escape_markdown(inspectorate)}{link}")
        unknown = row["publication_date"] is None or pd.isna(row["publication_date"])
        published_icon = ":material/warning:" if unknown else ":material/event:"
        state = row["response_state"]
        complete = f"{row['complete']:,} of {row['recommendations']:,} complete"
        overdue = f"; {row['overdue']:,} overdue" if row["overdue"] else "; none overdue"
        lines = [
            f"{published_icon} **Published:** {views.published_words(row)}",
            f"{views.RESPONSE_ICONS.get(state, ':material/help:')} **Commissioner's response (56 days):** "
            f"{components.escape_markdown(views.response_words(row))}",
            f":material/checklist: **Recommendations:** {complete}{overdue}",
        ]
        st.markdown("  \n".join(lines))
        left, right = st.columns(2)
        with left:
            show_comments("Chief Constable's comments", f"cc_comments_{row['id']}", row["chief_constable_comments"])
        with right:
            show_comments(
                "Commissioner's comments", f"pcc_comments_{row['id']}", row["pcc_comments"], row["pcc_signature"]
            )


st.title("Inspections")
st.caption("HMICFRS inspection reports on stalking, the Commissioner's statutory response to each, and their progress.")
reports = queries.oversight_table("inspection_reports")
if reports.empty:
    components.empty_state(EMPTY_MESSAGE)
else:
    st.markdown(components.escape_markdown(STATUTE))
    # One section at a time: only the open tab is set out, and the address names it ("inspections").
    glance, each = st.tabs(["At a glance", "Each report"], key="inspections", bind="query-params")
    if glance.open:
        with glance:
            st.header("At a glance")
            components.plain_table(
                summary_frame(reports), alt="Each inspection report, its response deadline and progress"
            )
            chart = queries.oversight_chart("recommendation-status-by-report")
            if chart is not None:
                components.show_chart(chart)
    if each.open:
        with each:
            st.header("Each report")
            for _, report in reports.iterrows():
                show_report(report)
