"""Home Office crime outcomes open data tables: what happened to the crimes recorded.

Published one workbook per year (``prc-outcomes-open-data-mar2024-tables-DDMMYY.xlsx``, also as
ODS or CSV) in long format: the recorded-crime columns (with the same header quirks) plus
``Outcome Description``, ``Outcome Group``, ``Outcome Type`` and two counts that mean different
things and are kept apart:

* ``Force outcomes for offences recorded in quarter`` -> ``outcomes_for_offences_recorded``
* ``Force outcomes recorded in quarter`` -> ``outcomes_recorded``

Type 0 ("not yet assigned an outcome") is stored as published and never counted as an outcome:
the totals and rates here leave it out (see ``[[outcome_groups]]`` in the settings). The separate
alternate-offence file (types 1a, 2a, 3a) is refused: its outcomes are already inside types 1-3.

>>> frame = read("prc-outcomes-open-data-mar2024-tables-250724.xlsx")  # doctest: +SKIP
>>> rows, problems = clean(frame, get_settings())  # doctest: +SKIP
>>> charge_rate(rows[rows["offence_code"] == "8Q"], get_settings(), "outcomes_recorded")  # doctest: +SKIP
0.061
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from data_loaders import limits, parsers, refusals, schema, tables
from data_loaders import rows as row_checks
from data_loaders.forces import ForceNames
from data_loaders.periods import quarter_start
from data_loaders.settings import Settings

KIND = "outcomes"
DESCRIPTION = "Home Office crime outcomes table (force, quarter, offence code, outcome type and both outcome counts)"

FOR_OFFENCES_RECORDED = "outcomes_for_offences_recorded"
RECORDED = "outcomes_recorded"
COUNTS = (FOR_OFFENCES_RECORDED, RECORDED)

COLUMNS = (
    tables.FINANCIAL_YEAR_COLUMN,
    tables.QUARTER_COLUMN,
    tables.FORCE_COLUMN,
    *tables.OFFENCE_COLUMNS,
    tables.Column("outcome_description", ("Outcome Description", "Outcome"), required=False),
    tables.Column("outcome_group", ("Outcome Group",), required=False),
    tables.Column("outcome_type", ("Outcome Type", "Outcome Type Number", "Outcome Number")),
    tables.Column(
        FOR_OFFENCES_RECORDED,
        (
            "Force outcomes for offences recorded in quarter",
            "Outcomes for offences recorded in quarter",
            "Force outcomes for offences recorded in the quarter",
        ),
    ),
    tables.Column(
        RECORDED,
        (
            "Force outcomes recorded in quarter",
            "Outcomes recorded in quarter",
            "Force outcomes recorded in the quarter",
        ),
    ),
)
LABELS = {c.key: c.label for c in COLUMNS}
ALTERNATE_TYPE = re.compile(r"^\s*\d{1,2}\s*[a-z]\s*$", re.IGNORECASE)
KEYS = ["force", "financial_year", "quarter", "offence_code", "outcome_type"]
UNIQUE = row_checks.Unique(
    tuple(KEYS),
    "each force, quarter, offence code and outcome type",
    "outcome_type",
    lambda row: (
        f"{row['force']} {row['financial_year']} Q{int(row['quarter'])} {row['offence_code']} "
        f"type {int(row['outcome_type'])}"
    ),
)
STORED_COLUMNS = [
    "force",
    "financial_year",
    "quarter",
    "period_start",
    "offence_code",
    "offence_description",
    "outcome_type",
    "outcome_group",
    "outcome_description",
    FOR_OFFENCES_RECORDED,
    RECORDED,
]


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The data rows of every sheet with the outcomes columns, as raw cells with ``_sheet`` and ``_row``."""
    frame = tables.rows_of(book, COLUMNS, "a Home Office crime outcomes table")
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of a published crime outcomes table (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


def _column(frame: pd.DataFrame, key: str) -> str:
    return frame.attrs.get("headers", {}).get(key, LABELS[key])


def _alternate_offence_problem(frame: pd.DataFrame) -> refusals.Problem | None:
    """The alternate-offence file is recognised by its types (1a, 2a, 3a) and refused whole."""
    marked = [i for i, value in enumerate(frame["outcome_type"]) if ALTERNATE_TYPE.match(str(value))]
    if not marked:
        return None
    first = marked[0]
    found = sorted({str(frame["outcome_type"].iloc[i]).strip() for i in marked})
    return refusals.Problem(
        frame.attrs.get("file", "file"),
        (
            f"outcome types like {', '.join(repr(f) for f in found[:3])} ({len(marked):,} rows) mark the alternate-"
            "offence outcomes file; its outcomes (1a, 2a, 3a) are already counted within types 1-3 of the main "
            "crime outcomes table, so loading it would double count them. Load the main outcomes table instead"
        ),
        sheet=frame["_sheet"].iloc[first],
        row=int(frame["_row"].iloc[first]),
        column=_column(frame, "outcome_type"),
        found=str(frame["outcome_type"].iloc[first]).strip(),
    )


def _typed(frame: pd.DataFrame, settings: Settings, names: ForceNames) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Every row parsed (``offence_code`` None for a code the configuration does not count) and its problems."""
    known = {t.type: t for t in settings.outcomes.types}
    known_list = ", ".join(str(n) for n in sorted(known))

    def force_of(value: object) -> tuple[str | None, str | None]:
        if tables.is_blank(value):
            return None, "expected a police force name"
        canonical = names.resolve(value)
        return (canonical, None) if canonical else (None, names.suggestion(value))

    def type_of(value: object) -> tuple[int | None, str | None]:
        number, _ = parsers.parse_count(value)
        if number is None or number not in known:
            return None, f"expected an outcome type of the Home Office framework (one of {known_list})"
        return number, None

    parse_by_column = {
        "financial_year": parsers.financial_year_within(settings.limits),
        "quarter": parsers.parse_quarter,
        "force": force_of,
        "offence_code": parsers.parse_offence_code,
        "outcome_type": type_of,
        FOR_OFFENCES_RECORDED: limits.count(settings.limits),
        RECORDED: limits.count(settings.limits),
    }
    values, problems = row_checks.parse_columns(frame, parse_by_column, LABELS)
    typed = pd.DataFrame(values, dtype=object)
    typed["published_code"] = typed["offence_code"]
    typed["offence_code"] = parsers.configured_codes(typed["published_code"], settings.offence_codes)
    typed["offence_description"] = frame["offence_description"].tolist()
    typed["outcome_description"] = frame["outcome_description"].tolist()
    typed["_sheet"] = frame["_sheet"].tolist()
    typed["_row"] = frame["_row"].tolist()
    return typed, problems


def _finish(
    wanted: pd.DataFrame,
    rows_read: int,
    other_codes: set[str],
    problems: list[refusals.Problem],
    attrs: dict,
    settings: Settings,
) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """The rows to store from the parsed rows of configured codes, or every problem."""
    file = attrs.get("file", "file")
    problems = [*problems, *UNIQUE.problems(wanted, file, attrs.get("headers", {}), LABELS)]
    described = ("offence_description", "outcome_description")
    problems += limits.long_text_problems(wanted, schema.outcomes, described, file, attrs.get("headers", {}))
    if refused := row_checks.refusal(wanted, problems, file, rows_read):
        return refused
    known = {t.type: t for t in settings.outcomes.types}
    stored = wanted.astype({"quarter": int, "outcome_type": int, FOR_OFFENCES_RECORDED: int, RECORDED: int})
    for key in ("offence_description", "outcome_description"):
        stored[key] = [("" if tables.is_blank(v) else str(v).strip()) for v in stored[key]]
    stored["outcome_group"] = [known[t].group for t in stored["outcome_type"]]
    stored["outcome_description"] = [
        text or known[t].description
        for text, t in zip(stored["outcome_description"], stored["outcome_type"], strict=True)
    ]
    stored["period_start"] = [
        quarter_start(fy, q) for fy, q in zip(stored["financial_year"], stored["quarter"], strict=True)
    ]
    stored = stored.sort_values(KEYS)[STORED_COLUMNS].reset_index(drop=True)
    stored.attrs.update(
        rows_read=rows_read,
        rows_other_offences=rows_read - len(wanted),
        other_codes=sorted(other_codes, key=parsers.code_order),
    )
    return stored, []


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """Typed rows to store (configured offence codes only) and every problem found."""
    alternate = _alternate_offence_problem(frame)
    if alternate is not None:
        return frame.iloc[0:0], [alternate]
    typed, problems = _typed(frame, settings, ForceNames(settings))
    wanted = typed[typed["offence_code"].notna()]
    other = set(typed.loc[typed["offence_code"].isna(), "published_code"])
    return _finish(wanted, len(typed), other, problems, frame.attrs, settings)


def clean_chunks(frames: Iterable[pd.DataFrame], settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """:func:`clean` of a table read a chunk at a time (see ``tables.chunks_of``): only configured rows are kept."""
    names, rows, attrs = ForceNames(settings), row_checks.ConfiguredRows(), {}
    for frame in frames:
        attrs = frame.attrs
        alternate = _alternate_offence_problem(frame)
        if alternate is not None:
            return frame.iloc[0:0], [alternate]
        if not rows.add(frame, *_typed(frame, settings, names)):
            break
    wanted = rows.frame([*KEYS, "_row", "_sheet"])
    return _finish(wanted, rows.rows_read, rows.other, rows.problems.closed(attrs.get("file", "file")), attrs, settings)
