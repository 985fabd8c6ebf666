"""ONS mid-year population estimates by local authority (MYE2 "Persons"), summed to police force areas.

ONS publishes ``ukpopestimatesmid2020.xlsx`` (or ``.xls``): a Contents sheet, then MYE1 to MYE5. The
sheet ``MYE2 - Persons`` (``MYE2 - All`` in older editions) holds every area's population by single
year of age, under title rows that are the only place the mid-year is written::

    Mid-2020 Population Estimates for UK, England and Wales, Scotland and Northern Ireland
    Code      | Name           | Geography         | All ages | 0    | 1    | ... | 90+
    K02000001 | UNITED KINGDOM | Country           | 67081234 | ...
    E06000026 | Plymouth       | Unitary Authority | 264695   | ...

Countries, regions and counties repeat the people of the districts inside them, so only lower-tier
authorities (E06, E07, E08, E09, W06) are summed, each to the police force area the shipped lookup
``reference/lad_to_pfa.csv`` puts it in (see ``reference/README.md``). Scotland and Northern Ireland
are outside England and Wales and are passed over. The Males and Females sheets are never read.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pandas as pd

from data_loaders import detail, limits, refusals, tables
from data_loaders import rows as row_checks
from data_loaders.forces import ForceNames
from data_loaders.settings import Settings
from data_loaders.sources.population import parse_population

KIND = "ons-mid-year-estimates"
DESCRIPTION = "ONS mid-year population estimates by local authority (MYE2 Persons: Code, Name, All ages)"

# ONS suffixes some code and name headers with the two-digit boundary year (ladcode21, laname21).
_BOUNDARY_YEARS = range(11, 31)
COLUMNS = (
    tables.Column("code", ("Code", "Area code", "Area codes", "ladcode", *(f"ladcode{yy}" for yy in _BOUNDARY_YEARS))),
    tables.Column("name", ("Name", "Area name", "Area names", "laname", *(f"laname{yy}" for yy in _BOUNDARY_YEARS))),
    tables.Column("geography", ("Geography", "Geography1"), required=False),
    tables.Column("all_ages", ("All ages", "All Ages")),
)
LABELS = {c.key: c.label for c in COLUMNS}

LOOKUP_FILE = Path(__file__).resolve().parents[1] / "reference" / "lad_to_pfa.csv"
LOOKUP_BOUNDARIES = "December 2023 boundaries"
LOWER_TIER = ("E06", "E07", "E08", "E09", "W06")
AREA_CODE = re.compile(r"^[A-Z]\d{8}$")
TITLE_YEAR = re.compile(r"\bmid[\s-]*(\d{4})\b", re.IGNORECASE)
PERSONS_SHEET = re.compile(r"^mye\s*2\s*(persons|all persons|all)$")
SEXES = re.compile(r"\b(males|females|persons)\b", re.IGNORECASE)


# ---- the shipped lookup ------------------------------------------------------------------------


@cache
def _lookup() -> pd.DataFrame:
    frame = pd.read_csv(LOOKUP_FILE, dtype=str, keep_default_na=False)
    for column in ("in_use_from", "in_use_to"):
        frame[column] = pd.array([int(v) if v.strip() else None for v in frame[column]], dtype="Int64")
    return frame


def lookup() -> pd.DataFrame:
    """The shipped district to police force area lookup: one row per district code used since April 2012."""
    return _lookup().copy()


@cache
def _pfa_by_code() -> dict[str, str]:
    frame = _lookup()
    return dict(zip(frame["lad_code"], frame["pfa_name"], strict=True))


@cache
def _names_by_code() -> dict[str, str]:
    frame = _lookup()
    return dict(zip(frame["lad_code"], frame["lad_name"], strict=True))


def pfa_of(code: object) -> str | None:
    """The police force area a district code lies in, spelled as in the settings; None when the lookup lacks it."""
    return _pfa_by_code().get(str(code).strip().upper())


@cache
def _boundary_years() -> range:
    """Every April from the year before the first change to the last: the boundary sets the lookup can describe."""
    frame = _lookup()
    years = [int(y) for column in ("in_use_from", "in_use_to") for y in frame[column].dropna()]
    return range(min(years) - 1, max(years) + 1)


def _in_use(frame: pd.DataFrame, year: int) -> pd.Series:
    started = frame["in_use_from"].isna() | (frame["in_use_from"] <= year)
    ended = frame["in_use_to"].notna() & (frame["in_use_to"] <= year)
    return (started & ~ended).astype(bool)


def districts_in_use(pfa: str, year: int) -> frozenset[str]:
    """The district codes that made up a police force area in April of ``year``."""
    frame = _lookup()
    own = frame[frame["pfa_name"] == pfa]
    return frozenset(own.loc[_in_use(own, year), "lad_code"])


@cache
def _district_sets(pfa: str) -> tuple[tuple[int, frozenset[str]], ...]:
    return tuple((year, districts_in_use(pfa, year)) for year in _boundary_years())


# ---- reading the MYE2 sheet --------------------------------------------------------------------


def _fold(value: object) -> str:
    """A header folded for matching, a trailing footnote marker dropped (``Geography1`` reads as ``Geography``)."""
    return re.sub(r"(?<=[a-z])\s*\d+$", "", tables.normalise_header(value))


def _header(book: tables.Workbook, sheet: tables.Sheet) -> tuple[int, dict[str, int]]:
    """The header row (0-based) and column positions, or a refusal naming the columns the best row lacks."""
    located = tables.find_header(sheet, COLUMNS, _fold)
    if located is not None:
        return located
    best = tables.best_partial_header(sheet, COLUMNS, _fold)
    needed = [c.label for c in COLUMNS if c.required and (best is None or c.key not in best[1])]
    raise refusals.LoadRefused.one(
        book.file,
        f"the header row lacks the column(s) {', '.join(repr(n) for n in needed)} of the MYE2 Persons table",
        sheet=sheet.name,
        row=best[0] + 1 if best else None,
    )


def _persons_sheets(book: tables.Workbook) -> list[tables.Sheet]:
    """The MYE2 Persons sheet(s); a CSV is its only sheet. The Males and Females sheets are never chosen."""
    if book.format == "csv":
        return book.sheets
    chosen = [s for s in book.sheets if s.name and PERSONS_SHEET.match(tables.normalise_header(s.name))]
    if chosen:
        return chosen
    names = ", ".join(repr(s.name) for s in book.sheets)
    raise refusals.LoadRefused.one(
        book.file,
        "expected a sheet named like 'MYE2 - Persons' (or 'MYE2 - All'), the MYE2 table of all persons",
        found=names,
    )


def _title_year(book: tables.Workbook, sheet: tables.Sheet, header_index: int) -> int:
    """The mid-year the title rows above the header name; refused when none does or two disagree."""
    seen: list[tuple[int, int, str]] = []
    for index, row in enumerate(sheet.rows[:header_index]):
        for cell in row:
            if tables.is_blank(cell):
                continue
            text = str(cell).strip()
            # A CSV saved from the Males or Females sheet has no sheet name to tell it by, only its title.
            if {sex.lower() for sex in SEXES.findall(text)} in ({"males"}, {"females"}):
                raise refusals.LoadRefused.one(
                    book.file,
                    "this title is of one sex; expected the MYE2 table of all persons",
                    sheet=sheet.name,
                    row=index + 1,
                    found=text,
                )
            seen.extend((index + 1, int(year), text) for year in TITLE_YEAR.findall(text))
    if not seen:
        raise refusals.LoadRefused.one(
            book.file,
            "no title row above the header names the mid-year (such as 'Mid-2020' or 'mid-2021'); "
            "ONS writes the year of the estimates only in the titles",
            sheet=sheet.name,
            row=header_index + 1,
        )
    first_row, first_year, _ = seen[0]
    for row, year, text in seen[1:]:
        if year != first_year:
            raise refusals.LoadRefused.one(
                book.file,
                f"the titles disagree on the mid-year: row {first_row} says mid-{first_year}, this one "
                f"mid-{year}; expected one mid-year per sheet",
                sheet=sheet.name,
                row=row,
                found=text,
            )
    if not 1971 <= first_year <= 2100:
        raise refusals.LoadRefused.one(
            book.file,
            "expected a mid-year such as 2020",
            sheet=sheet.name,
            row=first_row,
            found=str(first_year),
        )
    return first_year


def parse(book: tables.Workbook) -> pd.DataFrame:
    """The raw rows of the MYE2 Persons sheet, each with the mid-year its title rows name (column ``year``)."""
    frames = []
    headers: dict[str, str] = {}
    found: set[str] = set()
    for sheet in _persons_sheets(book):
        header_index, positions = _header(book, sheet)
        year = _title_year(book, sheet, header_index)
        table = tables.table_from(sheet, header_index, positions)
        frames.append(table.frame.assign(year=year))
        headers.update(table.headers)
        found.update(table.columns)
    frame = pd.concat(frames, ignore_index=True)
    for column in COLUMNS:
        if column.key not in frame.columns:
            frame[column.key] = None
    frame.attrs.update(file=book.file, headers=headers, found=found)
    return frame


def read(path: str | Path) -> pd.DataFrame:
    """The raw rows of an ONS mid-year estimates workbook (see :func:`parse`)."""
    return parse(tables.open_workbook(path))


# ---- checking and summing ----------------------------------------------------------------------


def _listed(codes: set[str] | frozenset[str]) -> str:
    names = _names_by_code()
    return ", ".join(f"{code} {names.get(code, '')}".strip() for code in sorted(codes))


def _completeness(file: str, pfa: str, year: int, rows: pd.DataFrame, column: str) -> list[refusals.Problem]:
    """Problems when a force area's districts are not one whole set the lookup knows for some April.

    ONS publishes some editions on boundaries later than the mid-year (``ukpopestimatesmid2020on2021geography``
    gives mid-2020 for the two Northamptonshire unitaries of April 2021), so the set may belong to any boundary
    year; police force areas did not change, so every such set gives the same area. Ties go to the boundary
    year nearest the mid-year.
    """
    present = set(rows["code"])
    sets = _district_sets(pfa)
    if any(present == codes for _, codes in sets):
        return []
    _, best = min(sets, key=lambda item: (len(item[1] ^ present), abs(item[0] - year), -item[0]))
    sheet = rows["_sheet"].iloc[0]
    problems = []
    stray = present - best
    for code, row in zip(rows["code"], rows["_row"], strict=True):
        if code in stray:
            problems.append(
                refusals.Problem(
                    file,
                    f"{pfa} for mid-{year} mixes districts from before and after a boundary change: this one was "
                    f"not in use alongside {_listed(present & best)}; summing both would count people twice",
                    sheet=sheet,
                    row=int(row),
                    column=column,
                    found=_listed({code}),
                )
            )
    missing = best - present
    if missing:
        problems.append(
            refusals.Problem(
                file,
                f"{pfa} is incomplete for mid-{year}: the lookup has {_listed(missing)} in use with the districts "
                "given, and a police force area's population is the sum of all of them",
                sheet=sheet,
                column=column,
            )
        )
    return problems


def clean(frame: pd.DataFrame, settings: Settings) -> tuple[pd.DataFrame, list[refusals.Problem]]:
    """One row per police force area and mid-year (force, year, population) and every problem found.

    Each district's own estimate goes with the rows (``attrs["detail"]``, stored in ``population_district``):
    community safety partnerships are made of districts, so their rates divide by these.
    """
    file = frame.attrs.get("file", "file")
    headers = frame.attrs.get("headers", {})
    code_column = headers.get("code", LABELS["code"])
    names = ForceNames(settings)
    problems: list[refusals.Problem] = []

    codes = ["" if tables.is_blank(v) else tables.display_cell(v).strip().upper() for v in frame["code"]]
    is_area = [bool(AREA_CODE.match(code)) for code in codes]
    for code, cell, population, sheet, row in zip(
        codes, frame["code"], frame["all_ages"], frame["_sheet"], frame["_row"], strict=True
    ):
        # Notes and sources below the table sit in the code column with no population beside them.
        if code and not AREA_CODE.match(code) and not tables.is_blank(population):
            problems.append(
                refusals.Problem(
                    file,
                    "expected an ONS area code such as E06000026",
                    sheet=sheet,
                    row=int(row),
                    column=code_column,
                    found=tables.display_cell(cell),
                )
            )
    typed = frame.assign(code=codes)[is_area]
    lower = typed[typed["code"].str[:3].isin(LOWER_TIER)].copy()
    lower.attrs.update(frame.attrs)

    lower["pfa"] = [pfa_of(code) for code in lower["code"]]
    for _, row in lower[lower["pfa"].isna()].iterrows():
        name = "" if tables.is_blank(row["name"]) else tables.display_cell(row["name"]).strip()
        problems.append(
            refusals.Problem(
                file,
                f"not in the shipped local authority to police force area lookup ({LOOKUP_BOUNDARIES}); a district "
                "ONS created since needs a row in data_loaders/reference/lad_to_pfa.csv",
                sheet=row["_sheet"],
                row=int(row["_row"]),
                column=code_column,
                found=f"{row['code']} {name}".strip(),
            )
        )

    district = limits.checked(parse_population, lambda number: limits.population_problem(number, settings.limits))
    values, population_problems = row_checks.parse_columns(lower, {"all_ages": district}, LABELS)
    problems += population_problems
    lower["population"] = values["all_ages"]

    problems += row_checks.repeat_problems(
        lower,
        ["year", "code"],
        file=file,
        what="each district",
        rule="each district may appear once a year",
        column=code_column,
        found=lambda row: row["code"],
    )

    known = lower.dropna(subset=["pfa"]).drop_duplicates(["year", "code"])
    forces: dict[str, str] = {}
    for pfa in sorted(set(known["pfa"])):
        canonical = names.resolve(pfa)
        if canonical is None:
            problems.append(
                refusals.Problem(
                    file, f"the lookup's police force area {pfa!r} is not a force in the settings ([[forces]])"
                )
            )
        else:
            forces[pfa] = canonical
    for (pfa, year), rows in known.groupby(["pfa", "year"], sort=True):
        problems.extend(_completeness(file, pfa, int(year), rows, code_column))

    if lower.empty and not problems:
        problems.append(
            refusals.Problem(
                file,
                "the MYE2 table has no rows for local authorities in England and Wales (codes "
                f"{', '.join(LOWER_TIER)}); countries, regions and counties are not summed",
            )
        )
    if problems:
        return pd.DataFrame(columns=["force", "year", "population"]), problems
    totals = (
        known.assign(force=known["pfa"].map(forces))
        .groupby(["force", "year"], as_index=False)["population"]
        .sum()
        .astype({"year": int, "population": int})
        .sort_values(["force", "year"])
        .reset_index(drop=True)
    )
    for force, year, population in totals[["force", "year", "population"]].itertuples(index=False):
        if reason := limits.population_problem(population, settings.limits):
            problems.append(refusals.Problem(file, f"{reason}; its districts add up to more", found=f"{force} {year}"))
    if problems:
        return pd.DataFrame(columns=["force", "year", "population"]), problems
    stored = totals[["force", "year", "population"]]
    districts = pd.DataFrame(
        {
            "force": known["pfa"].map(forces).to_numpy(),
            "year": known["year"].astype(int).to_numpy(),
            "lad_code": known["code"].to_numpy(),
            "population": known["population"].astype(int).to_numpy(),
        }
    ).sort_values(["force", "year", "lad_code"], ignore_index=True)
    stored.attrs = {"rows_read": int(sum(is_area)), "rows_other_offences": 0, detail.KEY: detail.Detail(districts)}
    return stored, []
