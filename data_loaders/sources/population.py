"""Mid-year population estimates by police force area (ONS), for rates per 1,000 population.

Template (CSV or XLSX)::

    Force,Year,Population
    Devon and Cornwall,2018,1751524

``Year`` is the ONS mid-year (30 June) of the estimate; an optional ``ONS Code`` column is
accepted and checked against the force's code in the settings.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data_loaders import limits, parsers, refusals, tables
from data_loaders import rows as row_checks
from data_loaders.forces import ForceNames
from data_loaders.settings import Settings

KIND = "population"
DESCRIPTION = "population by police force area and mid-year (force, year, population)"

COLUMNS = (
    tables.Column("force", ("Force", "Force Name", "Police Force", "Police Force Area", "PFA")),
    tables.Column("year", ("Year", "Mid Year", "Mid-year", "Mid Year Estimate")),
    tables.Column("population", ("Population", "Mid Year Population", "Usual Resident Population", "All Ages")),
    tables.Column("ons_code", ("ONS Code", "Code", "Area Code", "PFA Code"), required=False),
)
LABELS = {c.key: c.label for c in COLUMNS}
UNIQUE = row_checks.Unique(
    ("force", "year"), "each force and year", "year", lambda row: f"{row['force']} {int(row['year'])}"
)


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The raw rows of every sheet that holds the template's columns."""
    frame = tables.rows_of(book, COLUMNS, "a population table")
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of a population file (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


def _year(value: object) -> tuple[int | None, str | None]:
    number, _ = parsers.parse_count(value)
    if number is None or not 1971 <= number <= 2100:
        return None, "expected a mid-year such as 2023"
    return number, None


def parse_population(value: object) -> tuple[int | None, str | None]:
    """A population: a whole number above 0 (and within 64 bits)."""
    number, reason = parsers.parse_count(value)
    if not number:
        too_large = reason is not None and "at most" in reason
        return None, reason if too_large else "expected a population: a whole number above 0"
    return number, None


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Typed rows to store and every problem found."""
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})
    names = ForceNames(settings)
    codes = {f.name: f.ons_code for f in settings.forces}

    def force_of(value: object) -> tuple[str | None, str | None]:
        canonical = None if tables.is_blank(value) else names.resolve(value)
        return (canonical, None) if canonical else (None, names.suggestion(value))

    bounds = settings.limits
    parse_by_column = {
        "force": force_of,
        "year": limits.checked(_year, lambda year: limits.year_problem(year, bounds)),
        "population": limits.checked(parse_population, lambda number: limits.population_problem(number, bounds)),
    }
    values, problems = row_checks.parse_columns(frame, parse_by_column, LABELS)
    typed = pd.DataFrame(values)
    typed["_row"] = frame["_row"].tolist()
    typed["_sheet"] = frame["_sheet"].tolist()

    for force, code, sheet, row in zip(typed["force"], frame["ons_code"], typed["_sheet"], typed["_row"], strict=True):
        if force and not tables.is_blank(code) and codes.get(force) and str(code).strip() != codes[force]:
            problems.append(
                refusals.Problem(
                    file,
                    f"expected {codes[force]}, the ONS code of {force}",
                    sheet=sheet,
                    row=int(row),
                    column=headers.get("ons_code", LABELS["ons_code"]),
                    found=str(code).strip(),
                )
            )
    problems += UNIQUE.problems(typed, file, headers, LABELS)
    if refused := row_checks.refusal(typed, problems, file):
        return refused
    stored = typed[["force", "year", "population"]].astype({"year": int, "population": int}).reset_index(drop=True)
    stored.attrs.update(rows_read=len(typed), rows_other_offences=0)
    return stored, []
