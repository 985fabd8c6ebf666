"""Home Office recorded-crime tables: every variant stores exact rows; every broken twin is refused.

Each file is loaded through ``ingest.load_files`` into a real database (SQLite and PostgreSQL),
so the rows asserted are the rows stored; each refusal also proves the database did not change.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from files import RECORDED_CRIME_HEADER, SH, VAP, write_csv, write_ods_by_pandas, write_xlsx
from stored import recorded_crime_rows as stored_rows
from stored import refusal

from data_loaders import ingest, schema
from data_loaders.sources import recorded_crime

D = dt.date
HEADER = RECORDED_CRIME_HEADER
TITLES = [["Police recorded crime by police force area and offence code"], ["Source: Home Office"]]
NOTES = [["Notes"], ["These tables are Official Statistics."], ["Figures for the latest quarter are provisional."]]
YEAR_2019 = [
    ["2019/20", 1, "Devon & Cornwall", "Stalking", VAP, SH, "8Q", 12],
    ["2019/20", "Q2", "Dyfed Powys", "Harassment", VAP, SH, "8L", 7],
    ["2019/20", 3, "Metropolitan Police Service", "Malicious communications", VAP, SH, "8R", 150],
    ["2019/20", 1, "Devon and Cornwall", "Assault with injury", VAP, "Violence with injury", "8N", 999],
]
YEAR_2020 = [
    ["2020/21", "Q4", "Hampshire and Isle of Wight", "Controlling or coercive behaviour", VAP, SH, "8U", 20],
    ["2020/21", 1, "British Transport Police", "Stalking", VAP, SH, "8Q", 3],
    ["2020/21", "2", "Action Fraud", "Racially or religiously aggravated harassment", VAP, SH, "8M", 1],
]
# A community safety partnership edition, summed to force level; its names are synonyms of the usual ones.
CSP_HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Police Force",
    "CSP Name",
    "Offence Description",
    "Offence Code",
    "Offence Count",
]
STORED = [
    ("Action Fraud", "2020/21", 2, 0, D(2020, 7, 1), "8M", "Racially or religiously aggravated harassment", 1),
    ("British Transport Police", "2020/21", 1, 0, D(2020, 4, 1), "8Q", "Stalking", 3),
    ("Devon and Cornwall", "2019/20", 1, 0, D(2019, 4, 1), "8Q", "Stalking", 12),
    ("Dyfed-Powys", "2019/20", 2, 0, D(2019, 7, 1), "8L", "Harassment", 7),
    ("Hampshire", "2020/21", 4, 0, D(2021, 1, 1), "8U", "Controlling or coercive behaviour", 20),
    ("Metropolitan Police", "2019/20", 3, 0, D(2019, 10, 1), "8R", "Malicious communications", 150),
]


# ---- helpers: the sheets of a two-year edition and a refusal --------------------------------------


def year_sheets() -> dict[str, list[list[object]]]:
    return {"Notes": NOTES, "2019_20": [*TITLES, HEADER, *YEAR_2019], "2020_21": [*TITLES, HEADER, *YEAR_2020]}


def refused(engine, settings, *paths) -> list[str]:
    """The problems of a refused load, after checking that every table is exactly as before and the summary says so."""
    problem = refusal(engine, settings, *paths)
    assert problem.summary().splitlines()[0].endswith("nothing was written.")
    return [str(p) for p in problem.problems]


@pytest.fixture
def loaded(engine, settings, tmp_path):
    """A database already holding one earlier table, so a refusal has something to leave alone."""
    earlier = write_csv(
        tmp_path / "earlier-010123.csv",
        [HEADER, ["2018/19", 1, "Dorset", "Stalking", VAP, SH, "8Q", 30]],
    )
    ingest.load_files([earlier], engine, settings)
    return engine


# ---- every variant stores the exact rows --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ods", "xlsx", "csv"])
def test_the_police_force_area_edition_stores_exact_rows(engine, settings, tmp_path, fmt):
    name = f"prc-pfa-mar2013-onwards-tables-191023.{fmt}"
    if fmt == "ods":
        path = write_ods_by_pandas(tmp_path / name, year_sheets())
    elif fmt == "xlsx":
        path = write_xlsx(tmp_path / name, year_sheets())
    else:
        path = write_csv(tmp_path / name, [*TITLES, HEADER, *YEAR_2019, *YEAR_2020])

    [result] = ingest.load_files([path], engine, settings)

    assert stored_rows(engine) == STORED
    assert (result.kind, result.rows_read, result.rows_stored, result.rows_other_offences) == (
        "recorded-crime",
        7,
        6,
        1,
    )
    assert result.edition_date == D(2023, 10, 19)
    assert result.describe() == (
        f"{name}: loaded 6 rows as recorded-crime; edition 19 October 2023; 1 row of other offences passed over (1 code: 8N)."
    )


def test_non_territorial_bodies_are_kept_but_not_territorial(engine, settings, tmp_path):
    path = write_csv(tmp_path / "t.csv", [HEADER, *YEAR_2020])
    ingest.load_files([path], engine, settings)
    forces = schema.forces
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(forces.c.name, forces.c.territorial, forces.c.ons_code)
            .where(forces.c.name.in_(["Action Fraud", "British Transport Police", "Hampshire"]))
            .order_by(forces.c.name)
        ).all()
        territorial = connection.execute(
            sa.select(sa.func.count()).select_from(forces).where(forces.c.territorial.is_(True))
        ).scalar_one()
    assert [tuple(r) for r in rows] == [
        ("Action Fraud", False, None),
        ("British Transport Police", False, None),
        ("Hampshire", True, "E23000030"),
    ]
    assert territorial == 43


@pytest.mark.parametrize(
    "header",
    [
        [
            " FINANCIAL YEAR ",
            "financial quarter",
            " FORCE NAME ",
            "offence description",
            "OFFENCE CODE",
            "number of offences",
        ],
        ["Year", "Quarter", "Police Force", "Offence", "Code", "Offence Count"],
        ["financial_year", "Financial-Quarter", "Force", "Offence  Description", "offence code", "Count"],
    ],
    ids=["case-and-space", "short-synonyms", "punctuation"],
)
def test_headers_are_matched_by_name_synonym_case_and_spacing_in_any_order(engine, settings, tmp_path, header):
    order = [5, 2, 0, 4, 1, 3]  # columns written in a different order from the published one
    rows = [
        ["2021/22", "Q3", "Avon & Somerset", "Stalking", "8Q", "41"],
        ["2021/22", "1", "Avon and Somerset", "Harassment", "8l", "1,204"],
    ]
    path = write_csv(tmp_path / "t.csv", [[r[i] for i in order] for r in [header, *rows]])
    ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == [
        ("Avon and Somerset", "2021/22", 1, 0, D(2021, 4, 1), "8L", "Harassment", 1204),
        ("Avon and Somerset", "2021/22", 3, 0, D(2021, 10, 1), "8Q", "Stalking", 41),
    ]


@pytest.mark.parametrize(
    ("newline", "bom"),
    [("\r\n", True), ("\r", False), ("\n", True), ("\r", True)],
    ids=["bom-crlf", "cr-only", "bom-lf", "bom-cr"],
)
def test_csv_encodings_and_line_endings_store_the_same_rows(engine, settings, tmp_path, newline, bom):
    path = write_csv(tmp_path / "t.csv", [*TITLES, HEADER, *YEAR_2019], newline=newline, bom=bom)
    [result] = ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == STORED[2:4] + STORED[5:]
    assert result.rows_read == 4


def test_the_csp_edition_is_summed_to_force_level(engine, settings, tmp_path):
    rows = [
        ["2022/23", 1, "Devon and Cornwall", "Plymouth", "Stalking", "8Q", 40],
        ["2022/23", 1, "Devon and Cornwall", "Torbay", "Stalking", "8Q", 15],
        ["2022/23", 1, "Devon & Cornwall", "Cornwall and Isles of Scilly", "Stalking", "8Q", 30],
        ["2022/23", 1, "Devon and Cornwall", "Plymouth", "Harassment", "8L", 100],
        ["2022/23", 1, "Devon and Cornwall", "Torbay", "Harassment", "8L", 25],
        ["2022/23", 1, "Dorset", "Bournemouth, Christchurch and Poole", "Stalking", "8Q", 22],
        ["2022/23", 1, "Dorset", "Dorset", "Stalking", "8Q", 18],
        ["2022/23", 2, "Dorset", "Dorset", "Stalking", "8Q", 19],
        ["2022/23", 1, "Devon and Cornwall", "Plymouth", "Assault with injury", "8N", 500],
    ]
    path = write_xlsx(tmp_path / "prc-csp-tables-191023.xlsx", {"2022_23": [*TITLES, CSP_HEADER, *rows]})

    [result] = ingest.load_files([path], engine, settings)

    assert stored_rows(engine) == [
        ("Devon and Cornwall", "2022/23", 1, 0, D(2022, 4, 1), "8L", "Harassment", 125),
        ("Devon and Cornwall", "2022/23", 1, 0, D(2022, 4, 1), "8Q", "Stalking", 85),
        ("Dorset", "2022/23", 1, 0, D(2022, 4, 1), "8Q", "Stalking", 40),
        ("Dorset", "2022/23", 2, 0, D(2022, 7, 1), "8Q", "Stalking", 19),
    ]
    assert (result.rows_read, result.rows_stored, result.rows_other_offences) == (9, 4, 1)


def test_rows_are_selected_by_code_not_by_subgroup(engine, settings, tmp_path):
    """In 2012/13 the Home Office filed 8L and 8M under 'Violence without injury'."""
    rows = [
        ["2012/13", 1, "Kent", "Harassment", VAP, "Violence without injury", "8L", 210],
        [
            "2012/13",
            1,
            "Kent",
            "Racially or religiously aggravated harassment",
            VAP,
            "Violence without injury",
            "8M",
            9,
        ],
        ["2012/13", 1, "Kent", "Assault without injury", VAP, "Violence without injury", "105A", 800],
        ["2012/13", 1, "Kent", "Stalking look-alike", VAP, SH, "8P", 4],
    ]
    path = write_csv(tmp_path / "t.csv", [HEADER, *rows])
    [result] = ingest.load_files([path], engine, settings)
    assert stored_rows(engine) == [
        ("Kent", "2012/13", 1, 0, D(2012, 4, 1), "8L", "Harassment", 210),
        ("Kent", "2012/13", 1, 0, D(2012, 4, 1), "8M", "Racially or religiously aggravated harassment", 9),
    ]
    assert result.rows_other_offences == 2


def test_negative_quarters_are_accepted_and_noted(engine, settings, tmp_path):
    """Published quarters are net changes: -1 means one more crime cancelled than recorded."""
    rows = [
        ["2016/17", 1, "Gwent", "Racially or religiously aggravated harassment", VAP, SH, "8M", -1],
        ["2016/17", 2, "Gwent", "Racially or religiously aggravated harassment", VAP, SH, "8M", "3"],
        ["2016/17", 3, "Gwent", "Racially or religiously aggravated harassment", VAP, SH, "8M", "-2"],
        ["2016/17", 1, "Gwent", "Assault without injury", VAP, "Violence without injury", "105A", -5],
    ]
    path = write_csv(tmp_path / "t-191023.csv", [HEADER, *rows])
    [result] = ingest.load_files([path], engine, settings)
    assert [row[2:] for row in stored_rows(engine)] == [
        (1, 0, D(2016, 4, 1), "8M", "Racially or religiously aggravated harassment", -1),
        (2, 0, D(2016, 7, 1), "8M", "Racially or religiously aggravated harassment", 3),
        (3, 0, D(2016, 10, 1), "8M", "Racially or religiously aggravated harassment", -2),
    ]
    assert result.describe() == (
        "t-191023.csv: loaded 3 rows as recorded-crime; edition 19 October 2023; "
        "1 row of other offences passed over (1 code: 105A). 2 quarterly figures are negative: the Home Office publishes a quarter "
        "as a net change, so more crimes cancelled than recorded shows as a negative; kept so that yearly totals "
        "match the publication."
    )


def test_read_and_clean_without_a_database(settings, tmp_path):
    path = write_ods_by_pandas(tmp_path / "t.ods", year_sheets())
    frame = recorded_crime.read(path)
    assert frame["_sheet"].tolist() == ["2019_20"] * 4 + ["2020_21"] * 3
    assert frame["_row"].tolist() == [4, 5, 6, 7, 4, 5, 6]
    assert recorded_crime.clean(frame, settings)[1] == []
    rows, problems = recorded_crime.clean(frame, settings)
    assert problems == []
    assert sorted(tuple(r) for r in rows.itertuples(index=False)) == sorted(STORED)


# ---- a broken twin for each rule ----------------------------------------------------------------


def test_missing_columns_are_named(loaded, settings, tmp_path):
    header = [h for h in HEADER if h != "Number of Offences"]
    path = write_csv(tmp_path / "no-count.csv", [*TITLES, header, ["2019/20", 1, "Kent", "Stalking", VAP, SH, "8Q"]])
    assert refused(loaded, settings, path) == [
        "no-count.csv, row 3: found 'Financial Year | Financial Quarter | Force Name | Offence Description | Offence "
        "Group | Offence Subgroup | Offence Code'; the columns match no kind of table this dashboard loads; the nearest is the Home Office police recorded crime "
        "table (police force area or CSP edition), which also needs the column 'Number of Offences'"
    ]


def test_missing_columns_in_a_workbook_are_named_per_sheet(loaded, settings, tmp_path):
    header = [h for h in HEADER if h not in ("Offence Code", "Financial Quarter")]
    path = write_xlsx(tmp_path / "t.xlsx", {"Notes": NOTES, "2019_20": [*TITLES, header, ["2019/20", "Kent"]]})
    assert refused(loaded, settings, path) == [
        "t.xlsx, sheet '2019_20', row 3: found 'Financial Year | Force Name | Offence Description | Offence Group | "
        "Offence Subgroup | Number of Offences'; the columns match no kind of table this dashboard loads; the nearest is the Home Office police recorded crime "
        "table (police force area or CSP edition), which also needs the columns 'Financial Quarter', 'Offence Code'"
    ]


@pytest.mark.parametrize(
    ("force", "expected"),
    [
        ("Devon and Cornwal", "expected a police force name; did you mean 'Devon and Cornwall'?"),
        ("Devon & Cornwal", "expected a police force name; did you mean 'Devon and Cornwall'?"),
        ("Metropolitan Polise", "expected a police force name; did you mean 'Metropolitan Police'?"),
        ("Narnia", "expected a police force name as the Home Office spells it (see [[forces]] in the settings)"),
        ("", "expected a police force name"),
    ],
)
def test_an_unknown_force_is_refused_with_a_suggestion(loaded, settings, tmp_path, force, expected):
    rows = [["2019/20", 1, "Kent", "Stalking", VAP, SH, "8Q", 5], ["2019/20", 1, force, "Stalking", VAP, SH, "8Q", 5]]
    path = write_ods_by_pandas(tmp_path / "t.ods", {"2019_20": [*TITLES, HEADER, *rows]})
    assert refused(loaded, settings, path) == [
        f"t.ods, sheet '2019_20', row 5, column 'Force Name': found {force!r}; {expected}"
    ]


@pytest.mark.parametrize("quarter", [5, "5", "Q0", "Q5", "", "first"])
def test_a_quarter_outside_1_to_4_is_refused(loaded, settings, tmp_path, quarter):
    path = write_ods_by_pandas(
        tmp_path / "t.ods", {"2019_20": [*TITLES, HEADER, ["2019/20", quarter, "Kent", "Stalking", VAP, SH, "8Q", 5]]}
    )
    assert refused(loaded, settings, path) == [
        f"t.ods, sheet '2019_20', row 4, column 'Financial Quarter': found '{quarter}'; "
        "expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)"
    ]


@pytest.mark.parametrize("count", ["n/a", "..", "12.5", "", "[c]"])
def test_a_count_that_is_not_a_whole_number_is_refused(loaded, settings, tmp_path, count):
    path = write_csv(tmp_path / "t.csv", [*TITLES, HEADER, ["2019/20", 1, "Kent", "Stalking", VAP, SH, "8Q", count]])
    assert refused(loaded, settings, path) == [
        f"t.csv, row 4, column 'Number of Offences': found '{count}'; expected a whole number"
    ]


def test_bad_financial_years_and_a_blank_offence_code_are_refused(loaded, settings, tmp_path):
    rows = [
        ["2019", 1, "Kent", "Stalking", VAP, SH, "8Q", 5],
        ["2019/21", 1, "Kent", "Stalking", VAP, SH, "8Q", 5],
        ["2019/20", 1, "Kent", "Stalking", VAP, SH, "", 5],
        ["2019/20", 1, "Kent", "Unknown", VAP, SH, "8Q!", 5],
    ]
    path = write_csv(tmp_path / "t.csv", [HEADER, *rows])
    assert refused(loaded, settings, path) == [
        "t.csv, row 2, column 'Financial Year': found '2019'; expected a financial year such as '2019/20'",
        "t.csv, row 3, column 'Financial Year': found '2019/21'; expected a financial year such as '2019/20' "
        "(the second year must follow the first)",
        "t.csv, row 4, column 'Offence Code': found ''; expected an offence code such as '8Q'",
    ]


def test_every_shape_of_home_office_code_is_read_and_only_configured_codes_are_stored(engine, settings, tmp_path):
    """The national table's codes as published: dotted, combined, bodies' names, and numbers in the 2012-13 sheet."""
    vwi, theft, vehicle = "Violence without injury", "Theft offences", "Vehicle offences"
    rows = [
        ["2012/13", 1, "Kent", "Harassment", VAP, vwi, "8L", 40],
        ["2012/13", 1, "Kent", "Aggravated vehicle taking", theft, vehicle, 37.200000000000003, 9],
        ["2012/13", 1, "Kent", "Manslaughter", VAP, "Homicide", 4.1, 1],
        ["2012/13", 1, "Kent", "Murder", VAP, "Homicide", 1.0, 2],
        ["2012/13", 2, "Kent", "Harassment", VAP, vwi, "8L", 41],
        ["2012/13", 2, "Kent", "Homicide", VAP, "Homicide", "1/4.1/4.10/4.2", 3],
        ["2012/13", 2, "Kent", "Corporate manslaughter", VAP, "Homicide", "4.10", 0],
        ["2012/13", 2, "UK Finance", "Fraud", "Fraud offences", "Fraud offences", "UK Finance", 7000],
        ["2012/13", 2, "Action Fraud", "Fraud", "Fraud offences", "Fraud offences", "FFA UK", -3],
        ["2012/13", 2, "Kent", "Racially or religiously aggravated harassment", VAP, vwi, "8m", 2],
    ]
    path = write_ods_by_pandas(
        tmp_path / "prc-pfa-mar2013-onwards-tables-191023.ods", {"2012-13": [*TITLES, HEADER, *rows]}
    )
    [result] = ingest.load_files([path], engine, settings)
    assert [row[:2] + row[5:] for row in stored_rows(engine)] == [
        ("Kent", "2012/13", "8L", "Harassment", 40),
        ("Kent", "2012/13", "8L", "Harassment", 41),
        ("Kent", "2012/13", "8M", "Racially or religiously aggravated harassment", 2),
    ]
    assert result.describe() == (
        "prc-pfa-mar2013-onwards-tables-191023.ods: loaded 3 rows as recorded-crime; edition 19 October 2023; "
        "7 rows of other offences passed over (7 codes: 1, 1/4.1/4.10/4.2, 4.1, 4.10, 37.2, FFA UK, UK Finance)."
    )


def test_a_row_of_another_offence_is_still_checked_for_its_structure(loaded, settings, tmp_path):
    rows = [
        ["2019/20", 1, "Kent", "Stalking", VAP, SH, "8Q", 5],
        ["2019/20", 5, "Kent", "Shoplifting", "Theft offences", "Shoplifting", "46", 50],
        ["2019/20", 1, "Kentt", "Shoplifting", "Theft offences", "Shoplifting", "46", 50],
        ["2019/20", 1, "Kent", "Aggravated vehicle taking", "Theft offences", "Vehicle offences", "37.2", "x"],
    ]
    path = write_csv(tmp_path / "t.csv", [HEADER, *rows])
    assert refused(loaded, settings, path) == [
        "t.csv, row 3, column 'Financial Quarter': found '5'; expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)",
        "t.csv, row 4, column 'Force Name': found 'Kentt'; expected a police force name; did you mean 'Kent'?",
        "t.csv, row 5, column 'Number of Offences': found 'x'; expected a whole number",
    ]


def test_unassigned_rows_of_a_csp_edition_belong_to_their_force(engine, settings, tmp_path):
    rows = [
        ["2022/23", 1, "Dorset", "Dorset", "Stalking", "8Q", 18],
        ["2022/23", 1, "Dorset", "Bournemouth, Christchurch and Poole", "Stalking", "8Q", 22],
        ["2022/23", 1, "Dorset", "Unassigned Dorset", "Stalking", "8Q", 3],
        ["2022/23", 1, "Unassigned Devon and Cornwall", "Unassigned Devon and Cornwall", "Stalking", "8Q", 4],
    ]
    path = write_csv(tmp_path / "prc-csp-mar21-mar26-tables-230726.csv", [CSP_HEADER, *rows])
    ingest.load_files([path], engine, settings)
    assert [(row[0], row[-1]) for row in stored_rows(engine)] == [("Devon and Cornwall", 4), ("Dorset", 43)]


def test_a_financial_year_must_match_its_sheet(loaded, settings, tmp_path):
    sheets = {
        "2019_20": [*TITLES, HEADER, ["2019/20", 1, "Kent", "Stalking", VAP, SH, "8Q", 5]],
        "2020_21": [*TITLES, HEADER, ["2020/21", 1, "Kent", "Stalking", VAP, SH, "8Q", 6]]
        + [["2019-20", 2, "Kent", "Stalking", VAP, SH, "8Q", 7]],
    }
    path = write_ods_by_pandas(tmp_path / "t.ods", sheets)
    assert refused(loaded, settings, path) == [
        "t.ods, sheet '2020_21', row 5, column 'Financial Year': found '2019-20'; "
        "expected 2020/21, the year the sheet is named for"
    ]


def test_a_repeated_force_quarter_and_code_is_refused(loaded, settings, tmp_path):
    rows = [
        ["2019/20", 1, "Kent", "Stalking", VAP, SH, "8Q", 5],
        ["2019/20", 2, "Kent", "Stalking", VAP, SH, "8Q", 6],
        ["2019/20", "Q1", "Kent Police", "Stalking", VAP, SH, "8q", 5],
    ]
    header = [h if h != "Offence Code" else "Code" for h in HEADER]
    path = write_xlsx(tmp_path / "t.xlsx", {"2019_20": [*TITLES, header, *rows]})
    assert refused(loaded, settings, path) == [
        "t.xlsx, sheet '2019_20', row 6, column 'Code': found 'Kent 2019/20 Q1 8Q'; "
        "each force, quarter and offence code may appear once; this repeats row 4"
    ]


def test_a_repeated_csp_row_is_refused_rather_than_counted_twice(loaded, settings, tmp_path):
    rows = [
        ["2022/23", 1, "Dorset", "Dorset", "Stalking", "8Q", 18],
        ["2022/23", 1, "Dorset", "Bournemouth, Christchurch and Poole", "Stalking", "8Q", 22],
        ["2022/23", 1, "Dorset", "Dorset ", "Stalking", "8Q", 18],
    ]
    path = write_csv(tmp_path / "csp.csv", [CSP_HEADER, *rows])
    assert refused(loaded, settings, path) == [
        "csp.csv, row 4, column 'Offence Code': found 'Dorset Dorset 2022/23 Q1 8Q'; "
        "each force, CSP, quarter and offence code may appear once; this repeats row 2"
    ]


def test_a_header_without_data_rows_is_refused(loaded, settings, tmp_path):
    path = write_csv(tmp_path / "t.csv", [*TITLES, HEADER, [], []])
    assert refused(loaded, settings, path) == ["t.csv: the table has a header but no data rows"]


def test_every_problem_is_listed_not_only_the_first(loaded, settings, tmp_path):
    sheets = {
        "Notes": NOTES,
        "2019_20": [*TITLES, HEADER, ["2019/20", 5, "Kent", "Stalking", VAP, SH, "8Q", 5], *YEAR_2019],
        "2020_21": [*TITLES, HEADER, *YEAR_2020, ["2020/21", 1, "Devon and Cornwal", "Stalking", VAP, SH, "8Q", "n/a"]],
    }
    path = write_ods_by_pandas(tmp_path / "three.ods", sheets)
    assert refused(loaded, settings, path) == [
        "three.ods, sheet '2019_20', row 4, column 'Financial Quarter': found '5'; "
        "expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)",
        "three.ods, sheet '2020_21', row 7, column 'Force Name': found 'Devon and Cornwal'; "
        "expected a police force name; did you mean 'Devon and Cornwall'?",
        "three.ods, sheet '2020_21', row 7, column 'Number of Offences': found 'n/a'; expected a whole number",
    ]


def test_one_bad_file_among_several_means_nothing_is_written(loaded, settings, tmp_path):
    good = write_csv(tmp_path / "good-191023.csv", [HEADER, *YEAR_2019])
    population = tmp_path / "population.csv"
    population.write_text("Force,Year,Population\nKent,2020,1846500\n")
    bad = write_csv(tmp_path / "bad.csv", [HEADER, ["2019/20", "Q0", "Kent", "Stalking", VAP, SH, "8Q", 5]])
    assert refused(loaded, settings, good, population, bad) == [
        "bad.csv, row 2, column 'Financial Quarter': found 'Q0'; expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)"
    ]
