"""Writing the demo's files as the published tables and the documented templates lay them out.

CSV files in UTF-8 with a header row and ``\\n`` line ends; the recorded crime workbooks' sheets as the
Home Office lays them out, one a financial year.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from data_loaders import periods
from data_loaders.demo.figures import Offence

# Every demo file says so at its top: its figures are not real.
NOTICE = "ILLUSTRATIVE DEMO DATA, not real figures"


def slug(name: str) -> str:
    """A name as it goes into a file name: 'Devon and Cornwall' -> 'devon-and-cornwall'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def sheet_name(start_year: int) -> str:
    """The workbook sheet of a financial year: 2019 -> '2019_20'."""
    return f"{start_year}_{str(start_year + 1)[-2:]}"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """Write ``header`` and then ``rows`` to ``path``; return ``path``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def recorded_crime_sheets(
    rows: pd.DataFrame, offences: dict[str, Offence], title: str, header: Sequence[str], places: Sequence[str]
) -> dict[str, list[list[object]]]:
    """One sheet per financial year (``year``) of ``rows``, by sheet name: ``title`` with the year, the notice and
    ``header``, then each quarter's counts by the ``places`` columns and offence code, the offence as published."""
    sheets = {}
    for year, in_year in rows.groupby("year", sort=True):
        label = periods.financial_year_label(int(year))
        sheet: list[list[object]] = [[title.format(year=label)], [NOTICE], list(header)]
        for quarter, *where, code, count in in_year[["quarter", *places, "code", "count"]].itertuples(index=False):
            offence = offences[code]
            sheet.append([label, quarter, *where, offence.description, offence.group, offence.subgroup, code, count])
        sheets[sheet_name(int(year))] = sheet
    return sheets
