"""Home Office police recorded crime open data tables (police force area and CSP editions).

The police force area edition (``prc-pfa-mar2013-onwards-tables-DDMMYY.ods``) has one sheet per
financial year (``2019_20``) in long format; the community safety partnership edition adds a
``CSP Name`` column: its rows are kept as published (``rows.attrs["detail"]``, stored in
``recorded_crime_csp``) and summed to force level for ``recorded_crime``. Columns are matched by name
and known synonyms, never by position.

>>> frame = read("prc-pfa-mar2013-onwards-tables-191023.ods")  # doctest: +SKIP
>>> clean(frame, get_settings())[0].columns.tolist()  # doctest: +SKIP
['force', 'financial_year', 'quarter', 'month', 'period_start', 'offence_code', ...]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from data_loaders import detail, limits, parsers, refusals, schema, tables
from data_loaders import rows as row_checks
from data_loaders.forces import ForceNames
from data_loaders.periods import quarter_start
from data_loaders.settings import Settings

KIND = "recorded-crime"
DESCRIPTION = "Home Office police recorded crime table (police force area or CSP edition)"

COLUMNS = (
    tables.FINANCIAL_YEAR_COLUMN,
    tables.QUARTER_COLUMN,
    tables.FORCE_COLUMN,
    tables.Column("csp", ("CSP Name", "Community Safety Partnership", "CSP"), required=False),
    *tables.OFFENCE_COLUMNS,
    tables.Column("count", ("Number of Offences", "Offence Count", "Offences", "Count")),
)
LABELS = {c.key: c.label for c in COLUMNS}
SHEET_YEAR = re.compile(r"^\s*(\d{4})[_/-](\d{2})\s*$")
UNASSIGNED = "unassigned "
STORED_COLUMNS = [
    "force",
    "financial_year",
    "quarter",
    "month",
    "period_start",
    "offence_code",
    "offence_description",
    "count",
]
CSP_COLUMNS = ["force", "financial_year", "quarter", "month", "csp", "offence_code", "period_start", "count"]


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The data rows of every year sheet as raw cells, with ``_sheet``, ``_row`` and header labels."""
    frame = tables.rows_of(book, COLUMNS, "a Home Office recorded crime table")
    frame.attrs["csp_edition"] = "csp" in frame.attrs["found"]
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of a published recorded-crime table (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


def _column(frame: pd.DataFrame, key: str) -> str:
    return frame.attrs.get("headers", {}).get(key, LABELS[key])


def _typed(frame: pd.DataFrame, settings: Settings, names: ForceNames) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Every row parsed (``offence_code`` None for a code the configuration does not count) and its problems."""
    file = frame.attrs.get("file", "file")

    def force_of(value: object) -> tuple[str | None, str | None]:
        if tables.is_blank(value):
            return None, "expected a police force name"
        canonical = names.resolve(value)
        if canonical is None:
            # The CSP editions give the crimes no partnership could be assigned to a row of their own,
            # named "Unassigned <force>": they belong to that force.
            text = str(value).strip()
            if text.lower().startswith(UNASSIGNED):
                canonical = names.resolve(text[len(UNASSIGNED) :])
        return (canonical, None) if canonical else (None, names.suggestion(value))

    def csp_of(value: object) -> tuple[str | None, str | None]:
        if tables.is_blank(value):
            return None, "expected the community safety partnership's name: the CSP edition names one on every row"
        return " ".join(str(value).split()), None

    parse_by_column = {
        "financial_year": parsers.financial_year_within(settings.limits),
        "quarter": parsers.parse_quarter,
        "force": force_of,
        "offence_code": parsers.parse_offence_code,
        # The Home Office publishes a quarter's figure as a net change, which is negative now and then
        # (more crimes cancelled than recorded); the yearly totals it publishes include them.
        "count": limits.count(settings.limits, allow_negative=True),
    }
    if "csp" in frame.attrs.get("found", ()):
        parse_by_column["csp"] = csp_of
    values, problems = row_checks.parse_columns(frame, parse_by_column, LABELS)
    typed = pd.DataFrame(
        {
            "force": values["force"],
            "financial_year": values["financial_year"],
            "quarter": values["quarter"],
            "published_code": values["offence_code"],
            "offence_code": parsers.configured_codes(values["offence_code"], settings.offence_codes),
            "count": values["count"],
            "offence_description": frame["offence_description"].tolist(),
            "csp": values.get("csp", frame["csp"].tolist()),
            "_sheet": frame["_sheet"].tolist(),
            "_row": frame["_row"].tolist(),
        },
        dtype=object,  # plain Python values: turning 300,000 strings into pandas' string arrays costs more than it saves
    )
    problems.extend(_sheet_year_problems(typed, frame, file))
    return typed, problems


def _finish(
    wanted: pd.DataFrame, rows_read: int, other_codes: set[str], problems: list[refusals.Problem], attrs: dict
) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """The rows to store from the parsed rows of configured codes (CSP rows summed), or every problem."""
    file = attrs.get("file", "file")
    by_csp = bool(attrs.get("csp_edition"))
    column = attrs.get("headers", {}).get("offence_code", LABELS["offence_code"])
    problems = [*problems, *_duplicate_problems(wanted, file, column, by_csp=by_csp)]
    # Only the rows of configured codes are stored, so only their descriptions must fit the column.
    problems += limits.long_text_problems(
        wanted, schema.recorded_crime, ("offence_description",), file, attrs.get("headers", {})
    )
    if refused := row_checks.refusal(wanted, problems, file, rows_read):
        return refused
    wanted = wanted.assign(
        offence_description=[("" if tables.is_blank(v) else str(v).strip()) for v in wanted["offence_description"]]
    )
    stored = (
        wanted.groupby(["force", "financial_year", "quarter", "offence_code"], as_index=False, sort=True)
        .agg(count=("count", "sum"), offence_description=("offence_description", "first"))
        .astype({"quarter": int, "count": int})
    )
    stored["month"] = 0
    stored["period_start"] = [
        quarter_start(fy, q) for fy, q in zip(stored["financial_year"], stored["quarter"], strict=True)
    ]
    stored = stored[STORED_COLUMNS]
    if by_csp:
        stored.attrs[detail.KEY] = detail.Detail(_csp_rows(wanted))
    other = rows_read - len(wanted)
    stored.attrs.update(
        rows_read=rows_read, rows_other_offences=other, other_codes=sorted(other_codes, key=parsers.code_order)
    )
    return stored, []


def _csp_rows(wanted: pd.DataFrame) -> pd.DataFrame:
    """The CSP edition's rows of configured codes as published, one per force, quarter, partnership and code."""
    rows = (
        wanted.groupby(["force", "financial_year", "quarter", "csp", "offence_code"], as_index=False, sort=True)[
            "count"
        ]
        .sum()
        .astype({"quarter": int, "count": int})
    )
    rows["month"] = 0
    rows["period_start"] = [quarter_start(fy, q) for fy, q in zip(rows["financial_year"], rows["quarter"], strict=True)]
    return rows[CSP_COLUMNS]


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Typed rows to store (configured offence codes only, CSP rows summed, kept in ``attrs``) and every problem."""
    typed, problems = _typed(frame, settings, ForceNames(settings))
    wanted = typed[typed["offence_code"].notna()]
    other = set(typed.loc[typed["offence_code"].isna(), "published_code"])
    return _finish(wanted, len(typed), other, problems, frame.attrs)


def clean_chunks(frames: Iterable[pd.DataFrame], settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """:func:`clean` of a table read a chunk at a time (see ``tables.chunks_of``): only configured rows are kept."""
    names, rows, attrs = ForceNames(settings), row_checks.ConfiguredRows(), {}
    for frame in frames:
        attrs = {**frame.attrs, "csp_edition": attrs.get("csp_edition") or "csp" in frame.attrs.get("found", ())}
        if not rows.add(frame, *_typed(frame, settings, names)):
            break
    wanted = rows.frame(["offence_code"])
    return _finish(wanted, rows.rows_read, rows.other, rows.problems.closed(attrs.get("file", "file")), attrs)


def _sheet_year_problems(typed: pd.DataFrame, frame: pd.DataFrame, file: str) -> list[refusals.Problem]:
    """A year sheet (``2019_20``) must hold rows of that year only."""
    problems = []
    for sheet, rows in typed.groupby("_sheet", dropna=True):
        match = SHEET_YEAR.match(str(sheet))
        if not match:
            continue
        year = f"{match.group(1)}/{match.group(2)}"
        wrong = rows[rows["financial_year"].notna() & (rows["financial_year"] != year)]
        for position, row in wrong.iterrows():
            problems.append(
                refusals.Problem(
                    file,
                    f"expected {year}, the year the sheet is named for",
                    sheet=str(sheet),
                    row=int(row["_row"]),
                    column=_column(frame, "financial_year"),
                    found=str(frame["financial_year"].iloc[position]).strip(),
                )
            )
    return problems


def _duplicate_problems(typed: pd.DataFrame, file: str, column: str, *, by_csp: bool) -> list[refusals.Problem]:
    """Each force (each CSP in the CSP edition), quarter and offence code appears once: a repeat counts twice."""
    place = ["force", "csp"] if by_csp else ["force"]
    keys = [*place, "financial_year", "quarter", "offence_code"]
    csp = typed["csp"].map(lambda v: None if tables.is_blank(v) else str(v).strip())
    return row_checks.repeat_problems(
        typed.assign(csp=csp),
        keys,
        file=file,
        what=f"each {'force, CSP' if by_csp else 'force'}, quarter and offence code",
        column=column,
        found=lambda row: (
            " ".join(str(row[k]) for k in place)
            + f" {row['financial_year']} Q{int(row['quarter'])} {row['offence_code']}"
        ),
    )
