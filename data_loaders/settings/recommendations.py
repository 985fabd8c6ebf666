"""Inspection recommendation settings: status categories, the words mapped to them, the known reports."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from data_loaders.settings.base import SettingsError


def status_key(word: object) -> str:
    """A status word folded for matching: lower case; spaces, hyphens and underscores as one space."""
    return re.sub(r"[\s_\-]+", " ", str(word).strip().lower()).strip()


@dataclass(frozen=True)
class StatusCategory:
    """A status as the source wrote it, the category it counts in, and whether the word was known."""

    source: str | None
    category: str
    known: bool


@dataclass(frozen=True)
class InspectionReport:
    """An inspection report the dashboard knows by title."""

    key: str
    title: str
    inspectorate: str
    published: dt.date | None
    recommendation_count: int | None
    title_patterns: tuple[str, ...]
    link: str = ""

    def matches(self, title: str) -> bool:
        """Whether a document's title names this report (patterns ignore case and runs of space)."""
        folded = " ".join(str(title).replace("\u2019", "'").split())
        return any(re.search(pattern, folded, re.IGNORECASE) for pattern in self.title_patterns)


@dataclass(frozen=True)
class RecommendationSettings:
    """Status categories, the source words mapped to them, editors and the known inspection reports."""

    categories: tuple[str, ...]
    closed: tuple[str, ...]
    unknown_category: str
    no_status_category: str
    status_words: tuple[tuple[str, str], ...]  # (word folded by status_key, category)
    editors: tuple[str, ...]
    reports: tuple[InspectionReport, ...]

    def categorise(self, word: str | None) -> StatusCategory:
        """The category of a source status word; unknown words keep their text and count as unknown."""
        if word is None or not str(word).strip():
            return StatusCategory(None, self.no_status_category, True)
        source = " ".join(str(word).split())
        key = status_key(source)
        for category in self.categories:
            if status_key(category) == key:
                return StatusCategory(source, category, True)
        for known, category in self.status_words:
            if known == key:
                return StatusCategory(source, category, True)
        return StatusCategory(source, self.unknown_category, False)

    def is_closed(self, category: str) -> bool:
        """Whether a category ends a recommendation (it can then never be overdue)."""
        return category in self.closed

    def report_for_title(self, title: str) -> InspectionReport | None:
        """The known report a document's title names, or None."""
        for report in self.reports:
            if report.matches(title):
                return report
        return None


def _recommendation_settings(raw: dict[str, Any]) -> RecommendationSettings:
    try:
        section = raw.get("recommendations", {})
        categories = tuple(section["categories"])
        reports = tuple(
            InspectionReport(
                key=r["key"],
                title=r["title"],
                inspectorate=r.get("inspectorate", ""),
                published=(
                    None
                    if not r.get("published")
                    else r["published"]
                    if isinstance(r["published"], dt.date)
                    else dt.date.fromisoformat(r["published"])
                ),
                recommendation_count=r.get("recommendation_count"),
                title_patterns=tuple(r.get("title_patterns", ())),
                link=r.get("link", ""),
            )
            for r in raw.get("inspection_reports", ())
        )
        result = RecommendationSettings(
            categories=categories,
            closed=tuple(section.get("closed", ())),
            unknown_category=section.get("unknown_category", "unknown"),
            no_status_category=section.get("no_status_category", categories[0]),
            status_words=tuple((status_key(w), c) for w, c in section.get("status_words", {}).items()),
            editors=tuple(str(e).strip() for e in section.get("editors", ())),
            reports=reports,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise SettingsError(f"settings [recommendations] or [[inspection_reports]] are malformed: {exc!r}") from exc
    if len(set(categories)) != len(categories):
        raise SettingsError("settings [recommendations] list a category twice")
    if result.unknown_category in categories:
        raise SettingsError("settings [recommendations] unknown_category must not be one of the categories")
    for name in (*result.closed, result.no_status_category, *(c for _, c in result.status_words)):
        if name not in categories:
            raise SettingsError(f"settings [recommendations] name the category {name!r}, which is not in categories")
    keys = [r.key for r in reports]
    if len(set(keys)) != len(keys):
        raise SettingsError("settings list an inspection report key twice")
    for report in reports:
        for pattern in report.title_patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SettingsError(f"title pattern {pattern!r} of report {report.key!r} is not valid: {exc}") from exc
    return result


def _date_or_none(value: object) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
