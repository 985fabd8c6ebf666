"""A force's own monthly extract of recorded crime: one row per month, force and offence code.

Template (CSV or XLSX, header names matched as for the Home Office tables)::

    Month,Force,Offence Code,Offence Description,Count
    2024-04,Devon and Cornwall,8Q,Stalking,131

``Month`` is a calendar month written ``2024-04``, ``Apr 2024``, ``April 2024`` or as a date in
the month; ``Offence Description`` is optional (the configured category is used when absent).
Monthly figures are what trend and SPC charts want; the Home Office tables are quarterly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from data_loaders import limits, parsers, periods, refusals, schema, tables
from data_loaders import rows as row_checks
from data_loaders.forces import ForceNames
from data_loaders.periods import financial_period_of
from data_loaders.settings import Settings
from data_loaders.sources import recorded_crime

KIND = "monthly-extract"
DESCRIPTION = "local monthly recorded-crime extract (month, force, offence code, count)"

COLUMNS = (
    tables.Column("month", ("Month", "Month Start", "Period", "Date")),
    tables.Column("force", ("Force", "Force Name", "Police Force")),
    tables.Column("offence_code", ("Offence Code", "Code")),
    tables.Column("offence_description", ("Offence Description", "Offence"), required=False),
    tables.Column("count", ("Count", "Number of Offences", "Offence Count", "Offences")),
)
LABELS = {c.key: c.label for c in COLUMNS}
UNIQUE = row_checks.Unique(
    ("force", "month", "offence_code"),
    "each force, month and offence code",
    "offence_code",
    lambda row: f"{row['force']} {row['month']:%Y-%m} {row['offence_code']}",
)


def parse_month(value: object) -> tuple[dt.date | None, str | None]:
    """The first day of a calendar month written 2024-04, 2024-04-01, Apr 2024, April 2024 or a date."""
    month = periods.parse_month(value)
    return (month, None) if month else (None, "expected a month such as '2024-04' or 'Apr 2024'")


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The raw rows of every sheet that holds the template's columns."""
    frame = tables.rows_of(book, COLUMNS, "a monthly recorded-crime extract")
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of a monthly extract (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Typed rows to store (configured offence codes only) and every problem found."""
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})
    names = ForceNames(settings)

    def force_of(value: object) -> tuple[str | None, str | None]:
        canonical = None if tables.is_blank(value) else names.resolve(value)
        return (canonical, None) if canonical else (None, names.suggestion(value))

    parse_by_column = {
        "month": limits.checked(parse_month, lambda month: limits.month_problem(month, settings.limits)),
        "force": force_of,
        "offence_code": parsers.parse_offence_code,
        "count": limits.count(settings.limits),
    }
    values, problems = row_checks.parse_columns(frame, parse_by_column, LABELS)
    typed = pd.DataFrame(values)
    typed["published_code"] = typed["offence_code"]
    typed["offence_code"] = parsers.configured_codes(typed["published_code"], settings.offence_codes)
    typed["_row"] = frame["_row"].tolist()
    typed["_sheet"] = frame["_sheet"].tolist()
    typed["offence_description"] = [
        (str(v).strip() if not tables.is_blank(v) else "") for v in frame["offence_description"]
    ]
    # Codes the configuration does not count are never stored, so their rows (no code here) are not checked.
    problems += UNIQUE.problems(typed, file, headers, LABELS)
    configured = typed[typed["offence_code"].notna()]
    problems += limits.long_text_problems(configured, schema.recorded_crime, ("offence_description",), file, headers)
    if refused := row_checks.refusal(typed, problems, file):
        return refused

    stored = typed[typed["offence_code"].notna()].copy()
    periods = [financial_period_of(m) for m in stored["month"]]
    stored["financial_year"] = [fy for fy, _ in periods]
    stored["quarter"] = [q for _, q in periods]
    stored["period_start"] = stored["month"]
    stored["month"] = [m.month for m in stored["month"]]
    stored["offence_description"] = [
        desc or (settings.category_of(code) or code)
        for desc, code in zip(stored["offence_description"], stored["offence_code"], strict=True)
    ]
    stored = stored[recorded_crime.STORED_COLUMNS].reset_index(drop=True)
    other = typed.loc[typed["offence_code"].isna(), "published_code"]
    stored.attrs.update(
        rows_read=len(typed),
        rows_other_offences=int(len(other)),
        other_codes=sorted(set(other), key=parsers.code_order),
    )
    return stored, []
