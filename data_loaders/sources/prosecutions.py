"""The local prosecutions and orders return: figures with no national series, supplied by the force or CPS.

Template (CSV or XLSX, one figure per row, header names matched as for the Home Office tables)::

    Period,Area,Measure,Value
    2024/25 Q1,CPS South West,Convictions,41
    2024-04,Devon and Cornwall,spo_applications,6

* ``Period``: a calendar month (``2024-04``, ``Apr 2024``) or a financial quarter (``2024/25 Q1``).
  Monthly and quarterly figures are stored apart and never added together.
* ``Area``: a police force or a CPS Area as named in the settings (``[[forces]]``, ``[[cps_areas]]``).
  An Area's figures stay at Area level; they are never split between its forces.
* ``Measure``: the key, label or an alias of a measure in ``[[prosecution_measures]]``.
* ``Value``: a whole number of 0 or more.

Rules: convictions may not exceed prosecutions completed for the same area and period in the
file; Stalking Protection Order figures for a period ending before 20 January 2020 are refused
(the orders did not exist). A newer return replaces the figures it holds for each area and period.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pandas as pd

from data_loaders import limits, parsers, refusals, tables
from data_loaders import rows as row_checks
from data_loaders.forces import ForceNames, name_key
from data_loaders.periods import financial_period_of, quarter_start
from data_loaders.settings import Settings
from data_loaders.sources.monthly_extract import parse_month

KIND = "prosecutions"
DESCRIPTION = "local prosecutions and orders return (period, area, measure, value)"

COLUMNS = (
    tables.Column("period", ("Period", "Month or Quarter", "Month", "Quarter")),
    tables.Column("area", ("Area", "Force or CPS Area", "CPS Area", "Force")),
    tables.Column("measure", ("Measure", "Indicator")),
    tables.Column("value", ("Value", "Count", "Number")),
)
LABELS = {c.key: c.label for c in COLUMNS}
QUARTER = re.compile(r"^(?:(\S+)\s*Q([1-4])|Q([1-4])\s*(\S+))$", re.IGNORECASE)
KEYS = ["area", "granularity", "period_start", "measure"]
UNIQUE = row_checks.Unique(
    tuple(KEYS),
    "each area, period and measure",
    "measure",
    lambda row: f"{row['area']} {period_label(row['granularity'], row['period_start'])} {row['measure']}",
)
STORED_COLUMNS = ["area", "area_type", "granularity", "period_start", "financial_year", "quarter", "measure", "value"]


def parse_period(value: object) -> tuple[tuple[str, dt.date] | None, str | None]:
    """``("quarter", first day)`` for ``2024/25 Q1`` or ``("month", first day)`` for ``2024-04``."""
    expected = "expected a month such as '2024-04' or a financial quarter such as '2024/25 Q1'"
    if tables.is_blank(value):
        return None, expected
    text = " ".join(str(value).split())
    match = QUARTER.match(text)
    if match:
        year_text = match.group(1) or match.group(4)
        quarter = int(match.group(2) or match.group(3))
        year, _ = parsers.parse_financial_year(year_text)
        if year is None:
            return None, expected
        return ("quarter", quarter_start(year, quarter)), None
    month, _ = parse_month(value)
    if month is None:
        return None, expected
    return ("month", month), None


def period_end(granularity: str, start: dt.date) -> dt.date:
    """The last day of a month or of a quarter starting on ``start``."""
    months = 3 if granularity == "quarter" else 1
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def period_label(granularity: str, start: dt.date) -> str:
    """``2024-04`` for a month, ``2024/25 Q1`` for a quarter."""
    if granularity == "month":
        return f"{start:%Y-%m}"
    financial_year, quarter = financial_period_of(start)
    return f"{financial_year} Q{quarter}"


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The raw rows of every sheet that holds the template's columns."""
    frame = tables.rows_of(book, COLUMNS, "a prosecutions and orders return")
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of a prosecutions and orders return (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


class _Areas:
    """Resolves a force or CPS Area spelling to ``(canonical name, "force" | "cps_area")``."""

    def __init__(self, settings: Settings):
        self.forces = ForceNames(settings)
        self.areas = {name_key(s): a.name for a in settings.cps_areas for s in (a.name, *a.aliases)}
        self.names = [a.name for a in settings.cps_areas]

    def __call__(self, value: object) -> tuple[tuple[str, str] | None, str | None]:
        if not tables.is_blank(value):
            force = self.forces.resolve(value)
            if force:
                return (force, "force"), None
            area = self.areas.get(name_key(value))
            if area:
                return (area, "cps_area"), None
        close = difflib.get_close_matches(name_key(value), list(self.areas), n=1, cutoff=0.75)
        hint = f"did you mean '{self.areas[close[0]]}'? " if close else ""
        return None, (
            f"expected a police force or a CPS Area; {hint}CPS Areas are {', '.join(self.names)} "
            "(see [[forces]] and [[cps_areas]] in the settings)"
        )


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Typed rows to store and every problem found."""
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})
    measures = {m.key: m for m in settings.prosecution_measures}
    spellings = {tables.normalise_header(s): m.key for m in measures.values() for s in (m.key, m.label, *m.aliases)}
    listed = "; ".join(f"{m.key} ({m.label})" for m in measures.values())

    def measure_of(value: object) -> tuple[str | None, str | None]:
        key = None if tables.is_blank(value) else spellings.get(tables.normalise_header(value))
        return (key, None) if key else (None, f"expected one of the measures: {listed}")

    parse_by_column = {
        "period": limits.checked(parse_period, lambda period: limits.month_problem(period[1], settings.limits)),
        "area": _Areas(settings),
        "measure": measure_of,
        "value": limits.count(settings.limits),
    }
    values, problems = row_checks.parse_columns(frame, parse_by_column, LABELS)
    periods, areas = values["period"], values["area"]
    typed = pd.DataFrame(
        {
            "area": [a[0] if a else None for a in areas],
            "area_type": [a[1] if a else None for a in areas],
            "granularity": [p[0] if p else None for p in periods],
            "period_start": [p[1] if p else None for p in periods],
            "measure": values["measure"],
            "value": values["value"],
            "_period_text": [str(v).strip() for v in frame["period"]],
            "_sheet": frame["_sheet"].tolist(),
            "_row": frame["_row"].tolist(),
        }
    )
    problems.extend(_availability_problems(typed, measures, file, headers.get("period", LABELS["period"])))
    problems.extend(UNIQUE.problems(typed, file, headers, LABELS))
    problems.extend(_ceiling_problems(typed, measures, file, headers.get("value", LABELS["value"])))
    if refused := row_checks.refusal(typed, problems, file):
        return refused

    periods_of = [financial_period_of(start) for start in typed["period_start"]]
    typed["financial_year"] = [fy for fy, _ in periods_of]
    typed["quarter"] = [q for _, q in periods_of]
    stored = typed.astype({"value": int, "quarter": int}).sort_values(KEYS)[STORED_COLUMNS].reset_index(drop=True)
    stored.attrs.update(rows_read=len(typed), rows_other_offences=0)
    return stored, []


def _availability_problems(typed: pd.DataFrame, measures: dict, file: str, column: str) -> list[refusals.Problem]:
    """A measure with ``available_from`` (Stalking Protection Orders) has no figure for earlier periods."""
    problems = []
    for _, row in typed.dropna(subset=["measure", "period_start"]).iterrows():
        measure = measures[row["measure"]]
        if measure.available_from and period_end(row["granularity"], row["period_start"]) < measure.available_from:
            problems.append(
                refusals.Problem(
                    file,
                    f"{measure.label}: no figure can fall in a period ending before "
                    f"{measure.available_from:%d %B %Y}, when the orders became available",
                    sheet=row["_sheet"],
                    row=int(row["_row"]),
                    column=column,
                    found=row["_period_text"],
                )
            )
    return problems


def _ceiling_problems(typed: pd.DataFrame, measures: dict, file: str, column: str) -> list[refusals.Problem]:
    """A measure with ``not_above`` (convictions) may not exceed that measure for the same area and period."""
    complete = typed.dropna(subset=[*KEYS, "value"]).drop_duplicates(KEYS)
    by_key = {tuple(row[k] for k in KEYS): row for _, row in complete.iterrows()}
    problems = []
    for key, row in by_key.items():
        ceiling = measures[row["measure"]].not_above
        if ceiling is None:
            continue
        other = by_key.get((*key[:3], ceiling))
        if other is None or row["value"] <= other["value"]:
            continue
        problems.append(
            refusals.Problem(
                file,
                f"{measures[row['measure']].label.lower()} ({int(row['value'])}) cannot exceed "
                f"{measures[ceiling].label.lower()} ({int(other['value'])}, row {int(other['_row'])}) for "
                f"{row['area']} in {period_label(row['granularity'], row['period_start'])}",
                sheet=row["_sheet"],
                row=int(row["_row"]),
                column=column,
                found=str(int(row["value"])),
            )
        )
    return problems
