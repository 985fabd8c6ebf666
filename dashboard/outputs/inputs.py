"""The chart catalogue and its inputs without Streamlit: which charts, in what order, on which data and filters.

The command line, the press pack and the meeting pack read the database through here; the app's pages
read it through ``dashboard.queries`` (cached) and build the same :class:`~dashboard.charts.catalogue.Inputs`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd

from dashboard.charts import catalogue
from dashboard.charts.base import TimeMarker
from dashboard.charts.catalogue import Inputs
from dashboard.figures.selection import Filters, defaults_for
from data_loaders.settings import Settings

# The order charts come in wherever several are shown together (presentation mode, the meeting pack).
SECTION_ORDER = ("Recorded crime", "Outcomes", "Prosecutions and orders", "Oversight", "Recommendations")


def load_charts() -> dict[str, catalogue.Entry]:
    """The whole chart catalogue (see ``catalogue.CHART_MODULES``)."""
    return catalogue.load_all()


def ordered_charts() -> list[catalogue.Entry]:
    """Every chart in the catalogue, section by section in :data:`SECTION_ORDER` (others after), as registered within."""
    entries = list(load_charts().values())
    found = list(dict.fromkeys(e.section for e in entries))
    sections = [s for s in SECTION_ORDER if s in found] + [s for s in found if s not in SECTION_ORDER]
    return [e for section in sections for e in entries if e.section == section]


def default_filters(settings: Settings, recorded: pd.DataFrame) -> Filters:
    """The view with no choices made: home force, its peers, every category, the whole period loaded."""
    chosen = defaults_for(settings)
    if len(recorded):
        starts = pd.to_datetime(recorded["period_start"])
        chosen = dataclasses.replace(chosen, start=starts.min().date().replace(day=1), end=starts.max().date())
    return chosen


def inputs_from_database(engine, settings: Settings, chosen: Filters | None = None, *, today: dt.date | None = None):
    """The catalogue's inputs read straight from the database (for the command line): no Streamlit, no cache.

    ``chosen`` defaults to the home force and the latest data. Recommendation tables are read when
    the catalogue's inputs carry them, as of ``today``.
    """
    from data_loaders import reads
    from data_loaders.recommendations import queries as recommendation_queries
    from data_loaders.sources import events
    from data_loaders.status import read_status

    recorded = reads.recorded_crime(engine)
    status = read_status(engine)
    dates = [s.edition_date or s.loaded_at.date() for s in status.sources]
    markers = tuple(
        TimeMarker(row.date, row.label, "series break" if row.source == "series break" else "local event")
        for row in events.all_events(engine, settings).itertuples()
    )
    fields = {f.name for f in dataclasses.fields(Inputs)}
    extra = {}
    today = today or dt.date.today()
    if "recommendations" in fields:
        extra["recommendations"] = recommendation_queries.recommendations_frame(engine, settings, today)
    if "recommendation_updates" in fields:
        extra["recommendation_updates"] = recommendation_queries.updates_frame(engine)
    if "reports" in fields:
        extra["reports"] = recommendation_queries.reports_frame(engine, settings, today)
    return Inputs(
        settings=settings,
        filters=chosen or default_filters(settings, recorded),
        recorded=recorded,
        population=reads.population(engine),
        published=reads.published_figures(engine),
        places=reads.recorded_crime_csp(engine),
        district_population=reads.population_district(engine),
        outcomes=reads.outcomes(engine),
        prosecutions=reads.prosecutions(engine),
        markers=markers,
        data_as_at=max(dates, default=None),
        illustrative=status.any_demo,
        **extra,
    )


def key_messages(inputs: Inputs) -> list[str]:
    """The Overview's key-message sentences for ``inputs`` (the same words as the page), or why there are none."""
    from dashboard.outputs import public_summary

    summary = public_summary.summary(inputs)
    if summary is None:
        return [f"No recorded crime is loaded for {inputs.filters.force}."]
    return list(summary.messages)


def describe_filters(chosen: Filters) -> str:
    """The filters in words, for a pack's cover and the command line."""
    period = ""
    if chosen.start and chosen.end:
        period = f", {chosen.start:%B %Y} to {chosen.end:%B %Y}"
    peers = f"; compared with {', '.join(chosen.peers)}" if chosen.peers else ""
    return f"{chosen.force}: {', '.join(chosen.categories) or 'all categories'}{period}{peers}"


def filters_from_options(
    settings: Settings,
    recorded: pd.DataFrame,
    *,
    force: str | None = None,
    peers: str | None = None,
    categories: str | None = None,
    start: str | None = None,
    end: str | None = None,
    granularity: str | None = None,
    measure: str | None = None,
    outcome_count: str | None = None,
) -> Filters:
    """Filters from command-line options (defaults: the home force, its peers, every category, all loaded data).

    Raises ``ValueError`` naming the option that is wrong, with the closest force name where one is near.
    """
    from dashboard.figures.selection import GRANULARITIES, MEASURES, OUTCOME_COUNTS
    from data_loaders.forces import ForceNames

    chosen = default_filters(settings, recorded)
    names = ForceNames(settings)

    def force_name(text: str, option: str) -> str:
        canonical = names.resolve(text)
        if canonical is None or not names.is_territorial(canonical):
            raise ValueError(f"{option} {text!r}: {names.suggestion(text)}")
        return canonical

    def month(text: str, option: str) -> dt.date:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"{option} {text!r}: expected a month written 2024-03")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def choice(text: str, options: dict[str, str], option: str) -> str:
        if text not in options:
            raise ValueError(f"{option} {text!r}: choose one of {', '.join(options)}")
        return text

    changes: dict[str, object] = {}
    if force:
        changes["force"] = force_name(force, "--force")
    if peers is not None:
        changes["peers"] = tuple(force_name(p, "--peers") for p in peers.split(",") if p.strip())
    if categories is not None:
        chosen_categories = tuple(c.strip() for c in categories.split(",") if c.strip())
        unknown = [c for c in chosen_categories if c not in settings.categories]
        if unknown or not chosen_categories:
            raise ValueError(f"--categories: choose from {', '.join(settings.categories)}")
        changes["categories"] = chosen_categories
    if start:
        changes["start"] = month(start, "--from")
    if end:
        changes["end"] = month(end, "--to")
    if granularity:
        changes["granularity"] = choice(granularity, GRANULARITIES, "--granularity")
    if measure:
        changes["measure"] = choice(measure, MEASURES, "--measure")
    if outcome_count:
        changes["outcome_count"] = choice(outcome_count, OUTCOME_COUNTS, "--outcome-count")
    chosen = dataclasses.replace(chosen, **changes)
    if chosen.start and chosen.end and chosen.start > chosen.end:
        raise ValueError("--from is after --to")
    return chosen
