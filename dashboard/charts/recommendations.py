"""Charts of inspection recommendations: the status mix month by month, and each report's statuses.

Pure (no Streamlit): catalogue builders over :class:`dashboard.charts.catalogue.Inputs`, so the
Recommendations and Inspections pages, exports and the Panel's pack draw the same figures. Each
status category keeps its colour and fill pattern on every chart (the order of the categories
in the settings), so a category reads the same everywhere and colour is never the only cue.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from data_loaders.recommendations.queries import status_mix_by_month
from data_loaders.settings import Settings

SECTION = "Oversight"
SOURCE = "Source: HMICFRS inspection reports and the force's recorded progress updates"
SHORT_TITLE_LENGTH = 48
WRAP = 26  # characters per line of a report's label under its bar


def category_order(settings: Settings) -> list[str]:
    """The status categories in the order of the settings, then the category for unknown status words."""
    config = settings.recommendations
    return [*config.categories, config.unknown_category]


def short_report(title: str, published: dt.date | None) -> str:
    """A report's title cut to a label: the part before a colon (or the first words) and the year.

    >>> short_report("Living in fear: the police and CPS response to harassment and stalking", dt.date(2017, 7, 5))
    'Living in fear (2017)'
    """
    words = " ".join(str(title).split())
    head = words.split(":", 1)[0].strip() or words
    if len(head) > SHORT_TITLE_LENGTH:
        head = head[: SHORT_TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    year = f" ({published.year})" if published is not None and not pd.isna(published) else ""
    return f"{head}{year}"


def _overlay_patterns(figure) -> None:
    """Draw each category's pattern over its colour (by default a pattern replaces the colour)."""
    figure.update_traces(marker_pattern_fillmode="overlay", selector={"type": "bar"})


def _whole_numbers(figure, peak: int) -> None:
    """Count axes tick at whole numbers: a step of 1 for small counts (the default would tick at 0.2)."""
    figure.update_yaxes(tickformat=",d", dtick=1 if peak <= 10 else None)


def _counts_sentence(counts: dict[str, int], total: int) -> str:
    parts = [f"{count:,} {category}" for category, count in counts.items() if count]
    return f"{', '.join(parts)} (of {total:,})"


def status_mix_chart(
    recommendations: pd.DataFrame,
    updates: pd.DataFrame,
    settings: Settings,
    today: dt.date,
    *,
    data_as_at: dt.date | None = None,
) -> Chart | None:
    """How many recommendations stood in each status at the end of each month, stacked; None without any."""
    mix = status_mix_by_month(recommendations, updates, settings, today)
    if mix.empty:
        return None
    order = [c for c in category_order(settings) if c in set(mix["status_category"])]
    months = sorted(set(mix["month"]))
    grid = pd.MultiIndex.from_product([months, order], names=["month", "status_category"])
    data = (
        mix.set_index(["month", "status_category"])["recommendations"]
        .reindex(grid, fill_value=0)
        .reset_index()
        .astype({"recommendations": int})
    )
    data = data.rename(columns={"status_category": "status"})
    plotted = data.assign(month=pd.to_datetime(data["month"]))
    first, last = months[0], months[-1]
    text = ChartText(
        title="Recommendations by status, month by month",
        subtitle=f"Inspection recommendations on stalking at the end of each month, {first:%B %Y} to {last:%B %Y}",
        source=SOURCE,
        data_as_at=data_as_at,
    )
    figure = charts.bar_chart(
        plotted, x="month", y="recommendations", series="status", text=text, y_label="Recommendations", barmode="stack"
    )
    _overlay_patterns(figure)
    _whole_numbers(figure, int(data.groupby("month")["recommendations"].sum().max()))
    figure.update_layout(bargap=0.1)
    figure.update_xaxes(title_text="End of month")
    latest = data[data["month"] == last]
    counts = dict(zip(latest["status"], latest["recommendations"], strict=True))
    total = int(latest["recommendations"].sum())
    reading = f"At the end of {last:%B %Y}: {_counts_sentence(counts, total)}."
    alt = (
        f"Stacked bar chart of the number of inspection recommendations in each status at the end of each month "
        f"from {first:%B %Y} to {last:%B %Y}. {reading}"
    )
    return Chart("recommendation-status-mix", figure, text, data, alt, reading)


def status_by_report_chart(
    recommendations: pd.DataFrame, settings: Settings, *, data_as_at: dt.date | None = None
) -> Chart | None:
    """Each report's recommendations by current status, stacked; None without any."""
    if recommendations.empty:
        return None
    order = [c for c in category_order(settings) if c in set(recommendations["status_category"])]
    labels: dict[object, str] = {}
    reports = recommendations.drop_duplicates("report_id")
    for rid, title, published in zip(reports["report_id"], reports["report"], reports["publication_date"], strict=True):
        label = short_report(title, published)
        # Two reports whose titles start alike must still be told apart on the axis.
        labels[rid] = label if label not in labels.values() else f"{label} [{len(labels) + 1}]"
    counts = recommendations.groupby(["report_id", "status_category"]).size()
    rows = [
        {"report": labels[rid], "status": category, "recommendations": int(counts.get((rid, category), 0))}
        for category in order
        for rid in labels
    ]
    data = pd.DataFrame(rows, columns=["report", "status", "recommendations"])
    text = ChartText(
        title="Recommendations by report and status",
        subtitle="Current status of each inspection report's recommendations",
        source=SOURCE,
        data_as_at=data_as_at,
    )
    # Category labels wrap onto short lines instead of slanting across the footer.
    plotted = data.assign(report=data["report"].map(lambda label: "<br>".join(textwrap.wrap(label, WRAP))))
    figure = charts.bar_chart(
        plotted, x="report", y="recommendations", series="status", text=text, y_label="Recommendations", barmode="stack"
    )
    _overlay_patterns(figure)
    _whole_numbers(figure, int(data.groupby("report")["recommendations"].sum().max()))
    figure.update_xaxes(tickangle=0)
    done = recommendations["status_category"].map(settings.recommendations.is_closed)
    closed, overdue = int(done.sum()), int(recommendations["overdue"].sum())
    reading = (
        f"{closed:,} of {len(recommendations):,} recommendations {'is' if closed == 1 else 'are'} closed (complete or "
        f"not to be progressed); {overdue:,} {'is' if overdue == 1 else 'are'} overdue."
    )
    per_report = []
    for label in labels.values():
        group = data[data["report"] == label]
        shown = dict(zip(group["status"], group["recommendations"], strict=True))
        per_report.append(f"{label}: {_counts_sentence(shown, int(group['recommendations'].sum()))}")
    alt = f"Stacked bar chart of each inspection report's recommendations by current status. {'; '.join(per_report)}."
    return Chart("recommendation-status-by-report", figure, text, data, alt, reading)


@register("recommendation-status-mix", "Recommendations by status, month by month", section=SECTION)
def recommendation_status_mix(inputs: Inputs) -> Chart | None:
    if inputs.recommendations is None or inputs.recommendation_updates is None:
        return None
    as_of = inputs.as_of or dt.date.today()  # a pack stops at its quarter's end; the app shows today, edits included
    return status_mix_chart(
        inputs.recommendations, inputs.recommendation_updates, inputs.settings, as_of, data_as_at=as_of
    )


@register("recommendation-status-by-report", "Recommendations by report and status", section=SECTION)
def recommendation_status_by_report(inputs: Inputs) -> Chart | None:
    if inputs.recommendations is None:
        return None
    return status_by_report_chart(inputs.recommendations, inputs.settings, data_as_at=dt.date.today())
