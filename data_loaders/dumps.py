"""The cleaned tables as CSV-ready frames for ``pcc-dashboard dump``: each row with the file it came from.

A dump of a local return or of local events is in the template's shape, so it loads back as it is.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy.engine import Engine

from data_loaders import reads, schema
from data_loaders.settings import Settings


def recorded_crime(engine: Engine, settings: Settings) -> pd.DataFrame:
    """The recorded-crime rows as loaded, one per force, period and offence code (``month`` as YYYY-MM or blank)."""
    order = ("force", "period_start", "month", "offence_code")
    query = reads.rows_query(schema.recorded_crime, reads.RECORDED_COLUMNS, order, sourced=True)
    frame = reads._read(engine, query)
    frame["month"] = [
        f"{start:%Y-%m}" if month else "" for start, month in zip(frame["period_start"], frame["month"], strict=True)
    ]
    return frame.drop(columns="period_start")


def outcomes(engine: Engine, settings: Settings) -> pd.DataFrame:
    """The outcome rows as loaded, one per force, quarter, offence code and outcome type (type 0 included)."""
    columns = ("force", "financial_year", "quarter", "offence_code", "offence_description", "outcome_type",
               "outcome_group", "outcome_description", "outcomes_for_offences_recorded", "outcomes_recorded")  # fmt: skip
    order = ("force", "period_start", "offence_code", "outcome_type")
    return reads._read(engine, reads.rows_query(schema.outcomes, columns, order, sourced=True))


def prosecutions(engine: Engine, settings: Settings) -> pd.DataFrame:
    """The prosecutions and orders return in the template's shape (it loads back as it is)."""
    from data_loaders.sources.prosecutions import period_label

    order = ("area", "granularity", "period_start", "measure")
    query = reads.rows_query(schema.prosecutions_return, reads.RETURN_COLUMNS, order, sourced=True)
    frame = reads._read(engine, query)
    frame.insert(
        0, "period", [period_label(g, s) for g, s in zip(frame["granularity"], frame["period_start"], strict=True)]
    )
    return frame


def events(engine: Engine, settings: Settings) -> pd.DataFrame:
    """The loaded local events in the template's shape: edit the file and load it again to change them."""
    from data_loaders.sources.events import local_events

    return local_events(engine)


def recommendations(engine: Engine, settings: Settings) -> pd.DataFrame:
    """The recommendations tracker as of today, formulas neutralised for spreadsheets."""
    from data_loaders.recommendations.queries import recommendations_dump

    return recommendations_dump(engine, settings, dt.date.today())


DUMPS = {
    "recorded-crime": recorded_crime,
    "outcomes": outcomes,
    "prosecutions": prosecutions,
    "events": events,
    "recommendations": recommendations,
}
