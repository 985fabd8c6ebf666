"""The Data page's tables: what is loaded, how fresh it is, and why a load was refused.

Pure pandas: no Streamlit, no database. Inputs are what ``queries.load_status`` returns (the same
status ``pcc-dashboard status`` prints) and the loaders' own descriptions of the files they accept.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from data_loaders import kinds
from data_loaders.periods import add_months, financial_period_of, quarter_start
from data_loaders.refusals import Problem
from data_loaders.status import KindStatus, Status

# Data is probably out of date once its newest period ended more than this many months ago. The
# Home Office publishes each quarter about four months after it ends, so at any time the newest
# published quarter ended four to seven months ago; a monthly extract or return is normally a
# month behind; ONS mid-year estimates (30 June) come out about a year later, so the newest
# published one is at most two years old. The cadence is read from how a period is labelled.
STALE_AFTER_MONTHS = {"quarter": 7, "month": 2, "mid-year": 24}
FRESHNESS_RULE = (
    "Data is marked **probably out of date** when its newest period ended long enough ago that a newer one has "
    "almost certainly been published: quarterly data more than 7 months after the newest quarter ended (the Home "
    "Office publishes each quarter about four months after it ends); monthly data more than 2 months after the "
    "newest month ended; population more than 2 years after the newest mid-year estimate (30 June). Data without "
    "regular periods (inspection recommendations, local events) is not checked."
)

KIND_NAMES = {
    "recorded-crime (quarterly, Home Office)": "Recorded crime, quarterly (Home Office)",
    "recorded-crime (monthly, local extract)": "Recorded crime, monthly (local extract)",
    "population": "Population (ONS mid-year estimates)",
    "outcomes (quarterly, Home Office)": "Crime outcomes, quarterly (Home Office)",
    "prosecutions and orders (local return)": "Prosecutions and orders (local return)",
    "local events": "Local events",
    "ONS published figures (police force area tables)": "ONS published figures (police force area tables)",
    # The loaders' own names for the files they read, as the pack's notes list them.
    "recorded-crime": "Recorded crime (Home Office tables)",
    "monthly-extract": "Recorded crime, monthly (local extract)",
    "ons-mid-year-estimates": "Population (ONS mid-year estimates)",
    "ons-pfa-tables": "ONS published figures (police force area tables)",
    "outcomes": "Crime outcomes (Home Office tables)",
    "prosecutions": "Prosecutions and orders (local return)",
    "events": "Local events",
    "pcc-response": "Commissioner's response to an inspection report",
    "recommendations-tracker": "Inspection recommendations tracker",
    "hmicfrs-history": "Inspection recommendation history (HMICFRS)",
    "inspection recommendations": "Inspection recommendations",
}
DEMO, REAL = "Demo (illustrative)", "Real"
FRESHNESS_WORDS = {True: "Probably out of date", False: "Current", None: "Not checked"}


CONTENT = Path(__file__).resolve().parents[1] / "content"


@functools.cache
def help_text(name: str) -> str:
    """A help text shipped with the dashboard (``dashboard/content/<name>``), read once per process."""
    return (CONTENT / name).read_text(encoding="utf-8")


def kind_name(kind: str) -> str:
    """A kind of data as the page names it."""
    return KIND_NAMES.get(kind, kind[:1].upper() + kind[1:])


def period_end(label: str) -> tuple[dt.date, str] | None:
    """The last day of a period as ``status`` labels it, and its cadence; None for a label of no fixed length.

    >>> period_end("2023/24 Q1")
    (datetime.date(2023, 6, 30), 'quarter')
    >>> period_end("2024-04")
    (datetime.date(2024, 4, 30), 'month')
    >>> period_end("mid-2018")
    (datetime.date(2018, 6, 30), 'mid-year')
    >>> period_end("year ending March 2019")
    (datetime.date(2019, 3, 31), 'quarter')
    """
    if match := re.fullmatch(r"(\d{4}/\d{2}) Q([1-4])", label):
        start = quarter_start(match.group(1), int(match.group(2)))
        return add_months(start, 3) - dt.timedelta(days=1), "quarter"
    if match := re.fullmatch(r"(\d{4})-(\d{2})", label):
        start = dt.date(int(match.group(1)), int(match.group(2)), 1)
        return add_months(start, 1) - dt.timedelta(days=1), "month"
    if match := re.fullmatch(r"mid-(\d{4})", label):
        return dt.date(int(match.group(1)), 6, 30), "mid-year"
    if match := re.fullmatch(r"year ending ([A-Z][a-z]+) (\d{4})", label):
        start = dt.datetime.strptime(f"1 {match.group(1)} {match.group(2)}", "%d %B %Y").date()
        return add_months(start, 1) - dt.timedelta(days=1), "quarter"  # ONS publishes a year ending each quarter
    return None


def days_ago(day: dt.date, today: dt.date) -> str:
    """``today``, ``yesterday`` or ``N days ago``."""
    days = (today - day).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days:,} days ago"


def months_ago(day: dt.date, today: dt.date) -> str:
    """Whole months between ``day`` and ``today``, in words."""
    months = (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)
    if months < 1:
        return "less than a month ago"
    return "1 month ago" if months == 1 else f"{months} months ago"


def is_stale(kind: KindStatus, today: dt.date) -> bool | None:
    """Whether the newest period is probably out of date (see ``FRESHNESS_RULE``); None when it is not checked."""
    end = period_end(kind.last_period or "")
    if end is None:
        return None
    day, cadence = end
    return add_months(day, STALE_AFTER_MONTHS[cadence]) < today


def _coverage(kind: KindStatus) -> str:
    units = getattr(kind, "units", "forces")
    if not units:
        return "Not applicable"
    return f"{kind.forces:,} {units.removesuffix('s') if kind.forces == 1 else units}"


def summary_frame(status: Status, today: dt.date) -> pd.DataFrame:
    """One row per kind of data: rows, forces, periods, when last loaded, freshness, demo or real."""
    rows = []
    for kind in status.kinds:
        files = {name for period in kind.periods for name in period["files"]}
        loads = [s.loaded_at for s in status.sources if s.file_name in files and s.rows_current]
        end = period_end(kind.last_period or "")
        rows.append(
            {
                "Data": kind_name(kind.kind),
                "Rows": f"{kind.rows:,}",
                "Forces or areas": _coverage(kind),
                "First period": kind.first_period or "",
                "Latest period": kind.last_period or "",
                "Latest period ended": f"{end[0]:%d %b %Y} ({months_ago(end[0], today)})" if end else "",
                "Last loaded": f"{max(loads):%d %b %Y} ({days_ago(max(loads).date(), today)})" if loads else "",
                "Freshness": FRESHNESS_WORDS[is_stale(kind, today)],
                "Demo or real": DEMO if kind.is_demo else REAL,
            }
        )
    return pd.DataFrame(rows)


def period_sources_frame(kind: KindStatus) -> pd.DataFrame:
    """Which file and edition each period came from; consecutive periods from one file make one range."""
    runs: list[dict[str, str]] = []
    for period in kind.periods:
        files = ", ".join(period["files"])
        edition = f"{period['edition_date']:%d %B %Y}" if period["edition_date"] else "Not dated"
        if runs and (runs[-1]["File"], runs[-1]["Edition"]) == (files, edition):
            runs[-1]["last"] = period["period"]
        else:
            runs.append({"first": period["period"], "last": period["period"], "File": files, "Edition": edition})
    return pd.DataFrame(
        [
            {
                "Periods": run["first"] if run["first"] == run["last"] else f"{run['first']} to {run['last']}",
                "File": run["File"],
                "Edition": run["Edition"],
            }
            for run in runs
        ],
        columns=["Periods", "File", "Edition"],
    )


QUARTERLY_KINDS = {"recorded-crime", "outcomes"}


def _period_label(kind: str, value: str | None) -> str:
    """A file's first or last period (a date, or ``mid-YYYY``), labelled as ``status`` labels periods where it can."""
    if not value or value.startswith("mid-"):
        return value or ""
    day = dt.date.fromisoformat(value[:10])
    if kind in QUARTERLY_KINDS:
        year, quarter = financial_period_of(day)
        return f"{year} Q{quarter}"
    if kind == "monthly-extract":
        return f"{day:%Y-%m}"
    return f"{day:%d %b %Y}"


def files_frame(status: Status) -> pd.DataFrame:
    """The files loaded, newest first: kind, edition, periods covered, when, and rows still in force."""
    columns = ["File", "Kind", "Edition", "Periods", "Loaded (UTC)", "Rows in force", "Demo or real"]
    rows = []
    for source in status.sources:
        labels = dict.fromkeys(_period_label(source.kind, v) for v in (source.first_period, source.last_period))
        rows.append(
            {
                "File": source.file_name,
                "Kind": source.kind,
                "Edition": f"{source.edition_date:%d %b %Y}" if source.edition_date else "Not dated",
                "Periods": " to ".join(label for label in labels if label) or "None in force",
                "Loaded (UTC)": f"{source.loaded_at:%d %b %Y %H:%M}",
                "Rows in force": f"{source.rows_current:,} of {source.rows_loaded:,}",
                "Demo or real": DEMO if source.is_demo else REAL,
            }
        )
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class AcceptedKind:
    """A kind of file the loaders accept, with the columns they look for."""

    description: str
    columns: str


def accepted_kinds() -> list[AcceptedKind]:
    """The kinds of file that can be loaded, each with the columns it needs (optional ones marked)."""
    out = []
    for kind in kinds.KINDS:
        columns = [f"{c.label}{'' if c.required else ' (optional)'}" for c in kind.module.COLUMNS]
        out.append(AcceptedKind(kind.description[0].upper() + kind.description[1:], ", ".join(columns)))
    return out


def _found(value: str | None) -> str:
    if value is None:
        return ""
    return value if value.strip() else "(blank)"


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """One row per problem: file, sheet, row, column, the value found and what was expected."""
    return pd.DataFrame(
        {
            "File": [p.file for p in problems],
            "Sheet": [p.sheet or "" for p in problems],
            "Row": [str(p.row) if p.row is not None else "" for p in problems],
            "Column": [p.column or "" for p in problems],
            "Found": [_found(p.found) for p in problems],
            "Expected": [p.expected for p in problems],
        },
        columns=["File", "Sheet", "Row", "Column", "Found", "Expected"],
    )
