"""What a source says about inspection reports and recommendations, before anything is stored.

A report is named by its title: :func:`report_input` resolves it against the known reports of the
settings, or makes a new one (keyed by :func:`report_key`) flagged for the analyst to review. A
recommendation is named by its report and reference; its fields left None keep what is stored, and
its dated updates are appended to its history by :mod:`data_loaders.recommendations.store`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from data_loaders.settings import Settings


@dataclass(frozen=True)
class UpdateInput:
    """A dated status and/or comment to append to a recommendation's history."""

    date: dt.date
    status: str | None
    comment: str | None
    evidence_link: str | None = None


@dataclass
class RecommendationInput:
    """A recommendation as a source gives it: its report and reference, the dated updates to append to its history,
    and its fields, where a field left None keeps what is stored."""

    report_key: str
    reference: str
    updates: list[UpdateInput] = field(default_factory=list)
    text: str | None = None
    addressed_to: str | None = None
    timescale: str | None = None
    owner: str | None = None
    response_html: str | None = None


LINK_SCHEMES = ("http://", "https://", "mailto:")
# The evidence link column holds this many characters (schema.recommendation_updates, reports.link).
MAX_LINK_LENGTH = 1000
LINK_EXPECTED = "expected a web address starting http:// or https:// (or mailto:)"


def check_link(value: str | None) -> tuple[str | None, str | None]:
    """An evidence link as stored (white space round it trimmed; None for none), or None and what was expected.

    After trimming it must start with its scheme and hold something after it, with no line break or
    other control character inside (a link that hides a second line is not one address).
    """
    link = (value or "").strip()
    if not link:
        return None, None
    if not link.lower().startswith(LINK_SCHEMES) or link.lower() in LINK_SCHEMES:
        return None, LINK_EXPECTED
    if any(ord(char) < 32 or ord(char) == 127 for char in link):
        return None, f"{LINK_EXPECTED}, on one line, without control characters"
    if len(link) > MAX_LINK_LENGTH:
        return None, f"{LINK_EXPECTED}, of at most {MAX_LINK_LENGTH:,} characters"
    return link, None


@dataclass(frozen=True)
class ReportInput:
    """A report as a source names it, resolved against the known reports in the settings."""

    key: str
    title: str
    inspectorate: str
    publication_date: dt.date | None
    link: str | None
    needs_review: bool
    chief_constable_comments: str | None = None
    pcc_comments: str | None = None
    pcc_signature: str | None = None


def report_key(title: str) -> str:
    """The key of a report the settings do not know: its title folded to lower-case words and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower().replace("&", " and ")).strip("-")[:120]


def report_input(title: str, settings: Settings, **comments: str | None) -> ReportInput:
    """The report a title names: a known report from the settings, or a new one flagged for review."""
    written = " ".join(title.split())
    known = settings.recommendations.report_for_title(written)
    if known is not None:
        return ReportInput(
            key=known.key,
            title=known.title,
            inspectorate=known.inspectorate,
            publication_date=known.published,
            link=known.link or None,
            needs_review=False,
            **comments,
        )
    return ReportInput(
        key=report_key(written),
        title=written,
        inspectorate="",
        publication_date=None,
        link=None,
        needs_review=True,
        **comments,
    )
