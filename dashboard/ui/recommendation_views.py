"""What the Recommendations and Inspections pages show, as plain data: cards, the filtered table, the
timeline, the deadline wording, and the spreadsheet downloads.

Pure pandas (no Streamlit), so the rules (what "due in the next 30 days" means, what a download
holds) are tested without the app. Every state has an icon and words, never colour alone.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pandas as pd

from dashboard.charts.recommendations import category_order, short_report
from data_loaders.sanitise import neutralise_frame
from data_loaders.settings import Settings

# Material icons: one per status category; a category added in the settings gets the generic one.
CATEGORY_ICONS = {
    "not started": ":material/radio_button_unchecked:",
    "in progress": ":material/pending:",
    "complete": ":material/check_circle:",
    "will not be progressed": ":material/block:",
    "unknown": ":material/help:",
}
OTHER_ICON = ":material/label:"
OVERDUE_ICON = ":material/schedule:"
RESPONSE_ICONS = {
    "days left": ":material/hourglass_top:",
    "met on time": ":material/check_circle:",
    "met late": ":material/assignment_late:",
    "overdue": ":material/error:",
    "no deadline": ":material/help:",
}
# The due-date windows of the table filter: key -> the words shown.
DUE_WINDOWS = {
    "any": "Any due date",
    "overdue": "Overdue",
    "30": "Due in the next 30 days",
    "90": "Due in the next 90 days",
    "none": "No due date",
}
# Status and due date come before the long text, so they show without scrolling sideways.
TABLE_COLUMNS = {
    "report_label": "Report",
    "reference": "Ref",
    "status_category": "Status",
    "due_date": "Due date",
    "overdue_words": "Overdue",
    "owner": "Owner",
    "text": "Recommendation",
    "status": "Status as written",
    "status_date": "Status date",
}
DOWNLOAD_COLUMNS = {
    "report": "Report",
    "reference": "Reference",
    "text": "Recommendation",
    "addressed_to": "Addressed to",
    "owner": "Owner",
    "timescale": "Timescale",
    "due_date": "Due date",
    "due_date_note": "How the due date was derived",
    "status": "Status as written",
    "status_category": "Status",
    "status_date": "Status date",
    "overdue": "Overdue",
}


def count_words(count: int, noun: str) -> str:
    """'1 report', '2 reports', '1,204 recommendations'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def category_icon(category: str) -> str:
    """The icon of a status category."""
    return CATEGORY_ICONS.get(category, OTHER_ICON)


@dataclass(frozen=True)
class Card:
    """A headline count: words, number and icon."""

    label: str
    count: int
    icon: str


def status_cards(recommendations: pd.DataFrame, settings: Settings) -> list[Card]:
    """One card per status category (unknown only when some status word is unknown), then overdue."""
    config = settings.recommendations
    counts = recommendations["status_category"].value_counts()
    cards = [
        Card(category.capitalize(), int(counts.get(category, 0)), category_icon(category))
        for category in config.categories
    ]
    unknown = int(counts.get(config.unknown_category, 0))
    if unknown:
        cards.append(Card("Status not recognised", unknown, category_icon(config.unknown_category)))
    cards.append(Card("Overdue", int(recommendations["overdue"].sum()), OVERDUE_ICON))
    return cards


@dataclass(frozen=True)
class TableFilter:
    """The table's filters; an empty tuple means every value."""

    reports: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    due: str = "any"


NO_OWNER = "(no owner named)"


def owner_options(recommendations: pd.DataFrame) -> list[str]:
    """The owners to filter by, in alphabetical order, with a choice for recommendations without one."""
    owners = sorted({o for o in recommendations["owner"] if isinstance(o, str) and o.strip()}, key=str.casefold)
    if recommendations["owner"].isna().any() or (recommendations["owner"] == "").any():
        owners.append(NO_OWNER)
    return owners


def filter_recommendations(recommendations: pd.DataFrame, chosen: TableFilter, closed: Collection[str]) -> pd.DataFrame:
    """The rows that pass every filter.

    "Due in the next N days" counts from today (day 0) to N days ahead, and leaves out
    recommendations already closed: they are no longer due.
    """
    keep = pd.Series(True, index=recommendations.index)
    if chosen.reports:
        keep &= recommendations["report"].isin(chosen.reports)
    if chosen.categories:
        keep &= recommendations["status_category"].isin(chosen.categories)
    if chosen.owners:
        owners = recommendations["owner"].where(recommendations["owner"].notna() & (recommendations["owner"] != ""))
        keep &= owners.fillna(NO_OWNER).isin(chosen.owners)
    if chosen.due == "overdue":
        keep &= recommendations["overdue"].astype(bool)
    elif chosen.due in {"30", "90"}:
        days = recommendations["days_to_due"]
        within = days.notna() & (days.fillna(-1) >= 0) & (days.fillna(-1) <= int(chosen.due))
        keep &= within.astype(bool) & ~recommendations["status_category"].isin(list(closed))
    elif chosen.due == "none":
        keep &= recommendations["due_date"].isna()
    return recommendations[keep]


def report_labels(recommendations: pd.DataFrame) -> dict[str, str]:
    """Each report title's short label (before a colon, with the year)."""
    reports = recommendations.drop_duplicates("report")
    return {
        title: short_report(title, published)
        for title, published in zip(reports["report"], reports["publication_date"], strict=True)
    }


def table_frame(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The table as shown: short report name, reference, text, owner, status, due date and overdue in words."""
    labels = report_labels(recommendations)
    shown = recommendations.assign(
        report_label=recommendations["report"].map(labels),
        overdue_words=["Overdue" if late else "" for late in recommendations["overdue"]],
        # As dates, a missing one shows as a blank cell (an object column would print "None") and sorts last.
        due_date=pd.to_datetime(recommendations["due_date"]),
        status_date=pd.to_datetime(recommendations["status_date"]),
    )
    return shown[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).reset_index(drop=True)


def download_frame(recommendations: pd.DataFrame) -> pd.DataFrame:
    """The filtered table for a spreadsheet: full report titles, words for yes/no, formulas made inert."""
    out = recommendations[list(DOWNLOAD_COLUMNS)].rename(columns=DOWNLOAD_COLUMNS).reset_index(drop=True)
    out["Overdue"] = ["yes" if late else "no" for late in out["Overdue"]]
    for column in ("Due date", "Status date"):
        out[column] = [day.isoformat() if isinstance(day, dt.date) else "" for day in out[column]]
    return neutralise_frame(out.astype(object).where(out.notna(), ""))


def to_csv(frame: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV with a byte-order mark, so that Excel reads the accents right."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Recommendations") -> bytes:
    """A table as an Excel workbook; every cell is written as a value, never as a formula."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
        cells = writer.sheets[sheet]
        for row in cells.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    # openpyxl reads text that starts with "=" as a formula: write it as text.
                    cell.data_type = "s"
        for column in cells.columns:
            width = max(len(str(c.value or "")) for c in column)
            cells.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 60)
    return buffer.getvalue()


def choice_label(row: pd.Series, labels: dict[str, str]) -> str:
    """How a recommendation is named in the chooser: report, reference, the start of its text."""
    text = " ".join(str(row["text"] or "").split())
    if len(text) > 70:
        text = text[:69].rsplit(" ", 1)[0] + "…"
    return f"{labels.get(row['report'], row['report'])} · {row['reference']}: {text}"


def long_date(day: dt.date | None) -> str:
    """'10 October 2019', or '' for no date."""
    if day is None or pd.isna(day):
        return ""
    return f"{day:%-d %B %Y}"


def _days(count: int) -> str:
    return f"{count:,} day{'' if count == 1 else 's'}"


def due_words(row: pd.Series, closed: Collection[str]) -> str:
    """The due date and where it stands: '10 October 2019 (overdue by 2,241 days)', or why there is none."""
    if row["due_date"] is None or pd.isna(row["due_date"]):
        note = row["due_date_note"] or "no timescale was given"
        return f"No due date: {note}."
    shown = long_date(row["due_date"])
    days = row["days_to_due"]
    if row["status_category"] in closed or pd.isna(days):
        return shown
    if row["overdue"]:
        return f"{shown} (overdue by {_days(-int(days))})"
    return f"{shown} (due today)" if int(days) == 0 else f"{shown} ({_days(int(days))} left)"


LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def markdown_url(url: str) -> str | None:
    """A web or e-mail address made safe inside a Markdown link (spaces and brackets encoded); None for any other.

    >>> markdown_url("https://example.org/a (1).pdf"), markdown_url("javascript:alert(1)")
    ('https://example.org/a%20%281%29.pdf', None)
    """
    if urlsplit(url.strip()).scheme.lower() not in LINK_SCHEMES:
        return None
    return quote(url.strip(), safe=":/?#@!$&'*+,;=%~-._")


@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry of a recommendation's history, as the timeline shows it."""

    date: dt.date
    icon: str
    headline: str  # 'Status: in progress (being-progressed)' or 'Comment'
    status_changed: bool
    comment: str | None
    evidence_link: str | None
    recorded: str  # who recorded it, and from which file


def timeline(updates: pd.DataFrame) -> list[TimelineEntry]:
    """The history oldest first; each entry says whether it changed the status."""
    entries: list[TimelineEntry] = []
    previous: str | None = None
    for row in updates.sort_values(["date", "id"]).itertuples():
        category = row.status_category
        if category is not None and not pd.isna(category):
            written = f" ({row.status})" if row.status and row.status != category else ""
            changed = category != previous
            headline = f"{'Status changed to' if changed else 'Status still'} {category}{written}"
            previous, icon = category, category_icon(category)
        else:
            changed, headline, icon = False, "Comment", ":material/chat:"
        source = f" from {row.source_file}" if row.source_file else ""
        entries.append(
            TimelineEntry(
                row.date,
                icon,
                headline,
                changed,
                row.comment or None,
                row.evidence_link or None,
                f"Recorded by {row.author}{source}",
            )
        )
    return entries


def status_choices(settings: Settings) -> list[str]:
    """The statuses an editor may record: the configured categories, in order."""
    return [c for c in category_order(settings) if c != settings.recommendations.unknown_category]


def published_words(row: pd.Series) -> str:
    """A report's publication date, or that the analyst must fill it in."""
    if row["publication_date"] is None or pd.isna(row["publication_date"]):
        return "Not known: the analyst must fill it in" if row["needs_review"] else "Not known"
    return long_date(row["publication_date"])


def response_words(row: pd.Series) -> str:
    """Where the Commissioner's 56-day response stands, in words."""
    state, days = row["response_state"], row["response_days"]
    if state == "no deadline":
        return "No deadline until the report's publication date is known"
    due = long_date(row["response_due"])
    if state == "days left":
        return f"Due by {due}: {'due today' if days == 0 else _days(int(days)) + ' left'}"
    published = long_date(row["response_published"])
    if state == "met on time":
        return f"Published {published}, on time (due by {due})"
    if state == "met late":
        return f"Published {published}, {_days(int(days))} late (due by {due})"
    return f"Not published: overdue by {_days(int(days))} (due by {due})"


def audit_frame_for_display(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit log as editors read it: when, who, what, and the fields before and after."""
    if audit.empty:
        return pd.DataFrame(columns=["When (UTC)", "Who", "What", "Before", "After"])
    what = {
        ("recommendation_updates", "insert"): "history entry added",
        ("recommendations", "insert"): "recommendation created",
        ("recommendations", "update"): "recommendation changed",
    }
    return pd.DataFrame(
        {
            "When (UTC)": [f"{at:%Y-%m-%d %H:%M}" for at in audit["at"]],
            "Who": audit["who"],
            "What": [what.get((t, a), f"{t} {a}") for t, a in zip(audit["table_name"], audit["action"], strict=True)],
            "Before": audit["before"].fillna(""),
            "After": audit["after"].fillna(""),
        }
    )
