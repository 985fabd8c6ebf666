"""ONS "Police force area data tables": the published yearly figures and the population ONS divided them by.

ONS publishes one workbook a quarter (``policeforceareatablesyearendingmarch2019.xlsx``): a Notes
sheet, then Tables P1 to P8 (or P10), each with title rows above a two-row header. Two are read:

- **Table P1**, police recorded crime by offence group, numbers: the ``Stalking and harassment``
  column, for England and Wales (which includes British Transport Police), the 43 police force
  areas and British Transport Police;
- **Table P3**, rates per 1,000 population: the same column, and the population the rates use,
  headed ``Population figures (mid-2017) rounded to 100``: the mid-year is read from that header.

The year ending is read from the titles (``... year ending March 2019``). Area names carry footnote
markers (``ENGLAND AND WALES6``, ``Cheshire7``); areas are matched by their ONS code, which the
settings hold for every force. ``..``, ``[x]`` and ``:`` mean no figure; ``+`` marks a rate ONS
suppressed (City of London). Regions, England and Wales's parts and footnote rows are passed over.

>>> rows, problems = clean(read("policeforceareatablesyeendingmarch2019.xlsx"), get_settings())  # doctest: +SKIP
>>> rows.loc[rows["area"] == "Devon and Cornwall", ["count", "rate", "population_year"]].iloc[0].tolist()  # doctest: +SKIP
[10395, 5.943070020170419, 2017]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from data_loaders import refusals, tables
from data_loaders.forces import ForceNames
from data_loaders.settings import Settings

KIND = "ons-pfa-tables"
DESCRIPTION = (
    "ONS police force area data tables (Table P1 numbers and Table P3 rates per 1,000 with the population used)"
)
NATIONAL = "England and Wales"
NATIONAL_CODE = "K04000001"
OFFENCE_GROUP = "Stalking and harassment"
# Columns that identify the kind in a message about an unrecognised file; the sheets decide the kind.
COLUMNS = (tables.Column("area_code", ("Area Code", "Area Codes")), tables.Column("area_name", ("Area Name",)))
TABLE_SHEET = re.compile(r"^\s*table\s+p(\d+)\s*$", re.IGNORECASE)
YEAR_ENDING = re.compile(r"year\s+ending\s+([a-z]+)\s+(\d{4})", re.IGNORECASE)
FILE_YEAR_ENDING = re.compile(r"ending\s*([a-z]+?)\s*(\d{4})", re.IGNORECASE)
MID_YEAR = re.compile(r"mid\s*-?\s*(\d{4})", re.IGNORECASE)
NO_FIGURE = {"..", "[x]", ":", "-", "[z]", "[u]"}
SUPPRESSED = {"+", "[c]"}
# Area codes of the parts of England and Wales that are not police force areas: countries and regions.
PARTS = ("E92", "W92", "E12")
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
STORED_COLUMNS = ["area", "period_end", "offence_group", "count", "rate", "population", "population_year"]


def _without_footnote(text: str) -> str:
    """The text without the footnote markers after it (``ENGLAND AND WALES6``, ``Cheshire7, 8``): trailing digits,
    commas and white space, in one pass from the end (a pattern anchored at the end would rescan from each digit)."""
    end = len(text)
    while end and (text[end - 1].isdecimal() or text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return text[:end]


def recognises(book: tables.Workbook) -> bool:
    """Whether a workbook is an ONS police force area data tables workbook: it has a 'Table P1' or 'Table P3' sheet."""
    return any(_table_number(sheet) in {1, 3} for sheet in book.sheets)


def _table_number(sheet: tables.Sheet) -> int | None:
    match = TABLE_SHEET.match(sheet.name or "")
    return int(match.group(1)) if match else None


def _fold(cell: object) -> str:
    """Header text without its footnote markers, folded for matching: 'Stalking\\nand harassment5' -> 'stalking and harassment'."""
    return tables.normalise_header(_without_footnote(str(cell)))


def _header(sheet: tables.Sheet) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and the positions of the area code, area name, offence group and population."""
    for index, row in enumerate(sheet.rows[: tables.HEADER_SCAN_ROWS]):
        folded = [_fold(cell) if not tables.is_blank(cell) else "" for cell in row]
        if "area code" not in folded and "area codes" not in folded:
            continue
        positions = {"area_code": folded.index("area code" if "area code" in folded else "area codes")}
        if "area name" in folded:
            positions["area_name"] = folded.index("area name")
        for position, text in enumerate(folded):
            if text == tables.normalise_header(OFFENCE_GROUP):
                positions.setdefault("figure", position)
            elif text.startswith("population figures"):
                positions.setdefault("population", position)
        return index, positions
    return None


def _title_year_ending(sheet: tables.Sheet) -> dt.date | None:
    for row in sheet.rows[: tables.HEADER_SCAN_ROWS]:
        for cell in row:
            match = YEAR_ENDING.search(str(cell)) if not tables.is_blank(cell) else None
            if match and match.group(1).lower() in MONTHS:
                return _month_end(int(match.group(2)), MONTHS[match.group(1).lower()])
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _sheets(book: tables.Workbook) -> tuple[dict[int, tables.Sheet], list[refusals.Problem]]:
    sheets = {}
    for sheet in book.sheets:
        number = _table_number(sheet)
        if number in {1, 3} and number not in sheets:
            sheets[number] = sheet
    problems = [
        refusals.Problem(
            book.file, f"the workbook has no sheet 'Table P{number}' ({what}); expected the ONS workbook as published"
        )
        for number, what in ((1, "numbers of offences"), (3, "rates per 1,000 population and the population used"))
        if number not in sheets
    ]
    return sheets, problems


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The raw cells of Tables P1 and P3 by area: ``area_code``, ``area_name``, ``count``, ``rate``, ``population``.

    ``attrs`` carry the year ending (``period_end``), the mid-year of the population
    (``population_year``) and, for messages, each value's sheet, row and column header.
    """
    sheets, problems = _sheets(book)
    if problems:
        raise refusals.LoadRefused(problems)
    located = {}
    for number, sheet in sheets.items():
        header = _header(sheet)
        if header is None:
            problems.append(
                refusals.Problem(
                    book.file, "no header row with 'Area Code' and 'Area Name' in the top rows", sheet=sheet.name
                )
            )
            continue
        index, positions = header
        needed = {"figure": f"'{OFFENCE_GROUP}' (published from the year ending June 2017)"}
        if number == 3:
            needed["population"] = "'Population figures (mid-YYYY)'"
        for key, label in needed.items():
            if key not in positions:
                problems.append(
                    refusals.Problem(
                        book.file, f"the header row has no column {label}", sheet=sheet.name, row=index + 1
                    )
                )
        located[number] = (sheet, index, positions)
    if problems:
        raise refusals.LoadRefused(problems)

    p3_sheet, p3_index, p3_positions = located[3]
    p3_header = str(p3_sheet.rows[p3_index][p3_positions["population"]])
    mid_year = MID_YEAR.search(p3_header)
    if mid_year is None:
        raise refusals.LoadRefused.one(
            book.file,
            "expected the mid-year of the population in the header, such as 'Population figures (mid-2017)'",
            sheet=p3_sheet.name,
            row=p3_index + 1,
            column=" ".join(p3_header.split()),
            found=" ".join(p3_header.split()),
        )
    period_end = _period_end(book, located)
    by_area: dict[str, dict[str, object]] = {}
    for number, (sheet, index, positions) in located.items():
        for offset, row in enumerate(sheet.rows[index + 1 :]):
            code = _cell(row, positions["area_code"])
            name = _cell(row, positions.get("area_name", positions["area_code"] + 1))
            if tables.is_blank(code) and tables.is_blank(name):
                continue
            key = (
                str(code).strip()
                if not tables.is_blank(code)
                else "name:" + _without_footnote(str(name)).strip().lower()
            )
            entry = by_area.setdefault(
                key, {"area_code": "" if tables.is_blank(code) else str(code).strip(), "area_name": name}
            )
            spreadsheet_row = index + 2 + offset
            if number == 1:
                entry.update(count=_cell(row, positions["figure"]), count_at=(sheet.name, spreadsheet_row))
            else:
                entry.update(
                    rate=_cell(row, positions["figure"]),
                    population=_cell(row, positions["population"]),
                    rate_at=(sheet.name, spreadsheet_row),
                )
    frame = pd.DataFrame(list(by_area.values()), dtype=object)
    for key in ("count", "rate", "population", "count_at", "rate_at"):
        if key not in frame.columns:
            frame[key] = None
    frame.attrs.update(
        file=book.file,
        period_end=period_end,
        population_year=int(mid_year.group(1)),
        headers={
            "count": _label(located[1]),
            "rate": _label(located[3]),
            "population": " ".join(p3_header.split()),
            "area": "Area Name",
        },
    )
    return frame


def _label(located: tuple[tables.Sheet, int, dict[str, int]]) -> str:
    sheet, index, positions = located
    return " ".join(str(sheet.rows[index][positions["figure"]]).split())


def _cell(row: list[object], position: int) -> object:
    return row[position] if position < len(row) else None


def _period_end(book: tables.Workbook, located: dict[int, tuple[tables.Sheet, int, dict[str, int]]]) -> dt.date:
    """The year ending from P3's title (P1's where it gives a four-digit year must agree), else from the file name."""
    ends = {number: _title_year_ending(sheet) for number, (sheet, _, _) in located.items()}
    found = [end for end in (ends[3], ends[1]) if end is not None]
    if len(set(found)) > 1:
        raise refusals.LoadRefused.one(
            book.file,
            f"Table P1's title gives the year ending {ends[1]:%B %Y} and Table P3's {ends[3]:%B %Y}; "
            "expected one year ending for the workbook",
            sheet=located[1][0].name,
            row=1,
        )
    if found:
        return found[0]
    match = FILE_YEAR_ENDING.search(book.file)
    if match and match.group(1).lower() in MONTHS:
        return _month_end(int(match.group(2)), MONTHS[match.group(1).lower()])
    raise refusals.LoadRefused.one(
        book.file,
        "expected the year ending in the title of Table P3 (such as '... year ending March 2019') or in the "
        "file name as ONS publishes it",
        sheet=located[3][0].name,
        row=1,
    )


def read(path: str | Path) -> pd.DataFrame:
    """The raw cells of a published ONS police force area tables workbook (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


def _number(value: object, *, whole: bool) -> tuple[float | int | None, str | None]:
    """A published figure: a number, None for no figure ('..', '[x]', '+'), or the reason it is neither."""
    if tables.is_blank(value):
        return None, None
    if isinstance(value, bool):
        return None, "expected a number"
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text in NO_FIGURE or text in SUPPRESSED:
            return None, None
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return None, "expected a number, or '..' or '[x]' where ONS published none"
    if number != number or number < 0 or number > 1e12:
        return None, "expected a number of 0 or more"
    if whole:
        if not number.is_integer():
            return None, "expected a whole number"
        return int(number), None
    return number, None


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """One row per area with a figure (``STORED_COLUMNS``) and every problem found."""
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})
    names = ForceNames(settings)
    by_code = {f.ons_code: f.name for f in settings.forces if f.ons_code}
    problems: list[refusals.Problem] = []
    rows = []
    for entry in frame.to_dict("records"):
        code, name = entry["area_code"], entry["area_name"]
        plain_name = "" if tables.is_blank(name) else _without_footnote(str(name)).strip()
        at = entry["count_at"] if isinstance(entry["count_at"], tuple) else entry["rate_at"]
        if code == NATIONAL_CODE:
            area = NATIONAL
        elif code.startswith(PARTS):
            continue
        elif code:
            area = by_code.get(code)
            if area is None:
                if code[:3] in {"E23", "W15"}:
                    problems.append(
                        refusals.Problem(
                            file,
                            "expected the ONS code of a police force area in the settings ([[forces]] ons_code)",
                            sheet=at[0],
                            row=at[1],
                            column="Area Code",
                            found=code,
                        )
                    )
                continue
        else:
            area = names.resolve(plain_name)
            if area is None:
                continue  # a footnote or source line below the table
        count, count_problem = _number(entry["count"], whole=True)
        rate, rate_problem = _number(entry["rate"], whole=False)
        population, population_problem = _number(entry["population"], whole=True)
        for reason, key, where in (
            (count_problem, "count", entry["count_at"]),
            (rate_problem, "rate", entry["rate_at"]),
            (population_problem, "population", entry["rate_at"]),
        ):
            if reason:
                problems.append(
                    refusals.Problem(
                        file,
                        reason,
                        sheet=where[0],
                        row=where[1],
                        column=headers.get(key, key),
                        found=tables.display_cell(entry[key]),
                    )
                )
        if rate is not None and not population:
            problems.append(
                refusals.Problem(
                    file,
                    "expected the population the rate is divided by",
                    sheet=entry["rate_at"][0],
                    row=entry["rate_at"][1],
                    column=headers.get("population", "population"),
                    found="" if tables.is_blank(entry["population"]) else tables.display_cell(entry["population"]),
                )
            )
        if count is None and rate is None and population is None:
            continue
        rows.append(
            {
                "area": area,
                "period_end": frame.attrs["period_end"],
                "offence_group": OFFENCE_GROUP,
                "count": count,
                "rate": rate,
                "population": population or None,
                "population_year": frame.attrs["population_year"] if population else None,
            }
        )
    stored = pd.DataFrame(rows, columns=STORED_COLUMNS)
    repeated = stored[stored.duplicated(["area"], keep="first")]
    for area in repeated["area"]:
        problems.append(refusals.Problem(file, f"{area} appears twice in the tables; expected each area once"))
    if stored.empty and not problems:
        problems.append(refusals.Problem(file, "the tables hold no figure for any police force area"))
    if problems:
        return stored.iloc[0:0], problems
    # Plain Python values with None for no figure: the database takes neither NaN nor pandas' NA.
    stored = stored.astype(object).where(stored.notna(), None)
    stored = stored.sort_values("area", key=lambda a: a.map(lambda v: (v != NATIONAL, v))).reset_index(drop=True)
    forces = sum(1 for area in stored["area"] if area != NATIONAL and names.is_territorial(area))
    covered = [NATIONAL] if NATIONAL in set(stored["area"]) else []
    covered.append(f"{forces} police force area{'s' if forces != 1 else ''}")
    covered += [a for a in stored["area"] if a != NATIONAL and not names.is_territorial(a)]
    listed = ", ".join(covered[:-1]) + " and " + covered[-1] if len(covered) > 1 else covered[0]
    note = (
        f"Year ending {frame.attrs['period_end']:%B %Y}: figures for {listed}; rates per 1,000 over ONS's "
        f"mid-{frame.attrs['population_year']} population."
    )
    stored.attrs.update(rows_read=len(frame), rows_other_offences=0, notes=[note])
    return stored, []
