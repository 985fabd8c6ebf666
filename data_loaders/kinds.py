"""Which kind of published table a file holds, judged from its header rows; and, when it is none, why.

Every kind the loaders accept is one :class:`Kind` in :data:`KINDS`: the module that reads it (one
per format under ``data_loaders/sources``) and the table its rows go to. :func:`detect` picks the
first kind whose columns a sheet holds; :func:`refusal` says what a file holds instead, the nearest
kind and the columns it lacks, or that the file is a recommendations tracker or response meant for
``load-recommendations``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import sqlalchemy as sa

from data_loaders import schema
from data_loaders.refusals import Problem
from data_loaders.sources import (
    events,
    mid_year_estimates,
    monthly_extract,
    ons_pfa_tables,
    outcomes,
    population,
    prosecutions,
    recorded_crime,
)
from data_loaders.tables import HEADER_SCAN_ROWS, HEADER_WIDTH, Workbook, best_partial_header, find_header, is_blank


@dataclass(frozen=True)
class Kind:
    """A kind of file the loaders accept: how to read it and where its rows go."""

    name: str
    module: ModuleType
    table: sa.Table
    # Columns that name the periods a file covers: a newer file replaces existing rows with these.
    replace_keys: tuple[str, ...]
    # Where the finer rows a file carries go (see data_loaders.detail), replaced by the same keys.
    detail_table: sa.Table | None = None

    @property
    def description(self) -> str:
        return self.module.DESCRIPTION


# Order matters only for detection: the first kind whose required columns a sheet holds wins.
# Outcomes come before recorded crime: an outcomes table also has the recorded-crime columns
# (except the offence count), and it needs `Outcome Type`, which no recorded-crime table has.
# Events replace by `scope`, which every row of an events file shares: a new file replaces them all.
KINDS: tuple[Kind, ...] = (
    Kind(ons_pfa_tables.KIND, ons_pfa_tables, schema.published_figures, ("area", "period_end", "offence_group")),
    Kind(outcomes.KIND, outcomes, schema.outcomes, ("force", "financial_year", "quarter")),
    Kind(
        recorded_crime.KIND,
        recorded_crime,
        schema.recorded_crime,
        ("force", "financial_year", "quarter", "month"),
        schema.recorded_crime_csp,
    ),
    Kind(monthly_extract.KIND, monthly_extract, schema.recorded_crime, ("force", "financial_year", "quarter", "month")),
    Kind(population.KIND, population, schema.population, ("force", "year")),
    Kind(
        mid_year_estimates.KIND,
        mid_year_estimates,
        schema.population,
        ("force", "year"),
        schema.population_district,
    ),
    Kind(prosecutions.KIND, prosecutions, schema.prosecutions_return, ("area", "granularity", "period_start")),
    Kind(events.KIND, events, schema.events, ("scope",)),
)


def detect(book: Workbook) -> Kind | None:
    """The kind of table a workbook holds, judged from its header rows."""
    for kind in KINDS:
        recognises = getattr(kind.module, "recognises", None)
        if recognises is not None:
            if recognises(book):
                return kind
        elif any(find_header(sheet, kind.module.COLUMNS) is not None for sheet in book.sheets):
            return kind
    return None


HEADERS_SHOWN = 12


def _headers_seen(sheet) -> tuple[int, list[str]] | None:
    """The row that looks most like a header in the top rows (most text cells) and its cells, shortened."""
    best: tuple[int, list[str]] | None = None
    for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        texts = [
            " ".join(str(cell).split())[:40] for cell in row[:HEADER_WIDTH] if isinstance(cell, str) and cell.strip()
        ]
        if len(texts) >= 2 and (best is None or len(texts) > len(best[1])):
            best = (index, texts)
    return best


def _shown(cells: list[str]) -> str:
    more = len(cells) - HEADERS_SHOWN
    return " | ".join(cells[:HEADERS_SHOWN]) + (f" | ... ({more} more)" if more > 0 else "")


def _recommendation_file(book: Workbook) -> str | None:
    """What to say when a recommendation tracker or a response document is given to ``load``."""
    from data_loaders.recommendations import response as pcc_response
    from data_loaders.recommendations import tracker

    command = "load it with: pcc-dashboard load-recommendations FILE (or on the Data page, signed in as an editor)"
    if any(find_header(sheet, tracker.COLUMNS) is not None for sheet in book.sheets):
        return f"this is a recommendations tracker, not a table of figures; {command}"
    for sheet in book.sheets:
        for row in sheet.rows:
            line = "\t".join(str(cell) for cell in row if not is_blank(cell)).strip()
            if pcc_response.table_header(line) is not None:
                return f"this is a response to an inspection report, not a table of figures; {command}"
    return None


def refusal(book: Workbook) -> list[Problem]:
    """What the file holds, the kind of table it comes closest to and what that kind lacks."""
    recommendations = _recommendation_file(book)
    if recommendations:
        return [Problem(book.file, recommendations)]

    def closeness(kind: Kind) -> tuple[float, int, dict[str, int]] | None:
        required = {c.key for c in kind.module.COLUMNS if c.required}
        best = None
        for index, sheet in enumerate(book.sheets):
            partial = best_partial_header(sheet, kind.module.COLUMNS)
            if partial:
                share = len(required & partial[1].keys()) / len(required)
                if best is None or share > best[0]:
                    best = (share, index, partial)
        return best

    scored = [(closeness(kind), kind) for kind in KINDS]
    scored = [(score, kind) for score, kind in scored if score is not None and score[0] > 0]
    accepted = "; ".join(kind.description for kind in KINDS)
    problems = []
    if scored:
        (share, index, (row, found)), kind = max(scored, key=lambda item: item[0][0])
        sheet = book.sheets[index]
        missing = [repr(c.label) for c in kind.module.COLUMNS if c.required and c.key not in found]
        seen = _headers_seen(sheet)
        problems.append(
            Problem(
                book.file,
                f"the columns match no kind of table this dashboard loads; the nearest is the {kind.description}, "
                f"which also needs the column{'s' if len(missing) != 1 else ''} {', '.join(missing)}",
                sheet=sheet.name,
                row=row + 1,
                found=_shown(seen[1]) if seen and seen[0] == row else None,
            )
        )
        others = [(i, sh) for i, sh in enumerate(book.sheets) if i != index]
    else:
        problems.append(
            Problem(book.file, f"the columns match no kind of table this dashboard loads (it loads: {accepted})")
        )
        others = list(enumerate(book.sheets))
    for _, sheet in others:
        seen = _headers_seen(sheet)
        if seen:
            problems.append(
                Problem(
                    book.file, "headers found on this sheet", sheet=sheet.name, row=seen[0] + 1, found=_shown(seen[1])
                )
            )
    return problems
