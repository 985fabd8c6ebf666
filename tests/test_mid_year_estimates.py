"""ONS mid-year estimates (MYE2 Persons) summed to police force areas; refusals; the shipped lookup itself.

The populations below are test figures, not published ones: each test asserts the exact sum of what it wrote.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from data_loaders import detail
from data_loaders.refusals import LoadRefused
from data_loaders.sources import mid_year_estimates as mye

HEADER = ["Code", "Name", "Geography", "All ages", "0", "1", "90+"]
TITLES_2020 = [
    ["Mid-2020 Population Estimates for UK, England and Wales, Scotland and Northern Ireland"],
    ["Population estimates: Persons by single year of age, local authorities in the UK, mid-2020"],
    ["This worksheet contains one table."],
    [],
]
FIRST_DATA_ROW = len(TITLES_2020) + 2

DEVON_AND_CORNWALL = {
    "E06000026": ("Plymouth", "Unitary Authority", 264695),
    "E06000027": ("Torbay", "Unitary Authority", 136218),
    "E06000052": ("Cornwall", "Unitary Authority", 571802),
    "E06000053": ("Isles of Scilly", "Unitary Authority", 2226),
    "E07000040": ("East Devon", "Non-metropolitan District", 148245),
    "E07000041": ("Exeter", "Non-metropolitan District", 133572),
    "E07000042": ("Mid Devon", "Non-metropolitan District", 82802),
    "E07000043": ("North Devon", "Non-metropolitan District", 98522),
    "E07000044": ("South Hams", "Non-metropolitan District", 88802),
    "E07000045": ("Teignbridge", "Non-metropolitan District", 135589),
    "E07000046": ("Torridge", "Non-metropolitan District", 69163),
    "E07000047": ("West Devon", "Non-metropolitan District", 56188),
}
DEVON_AND_CORNWALL_TOTAL = 1787824
DEVON_DISTRICTS_TOTAL = 812883
GWENT = {
    "W06000018": ("Caerphilly", "Unitary Authority", 181731),
    "W06000019": ("Blaenau Gwent", "Unitary Authority", 70020),
    "W06000020": ("Torfaen", "Unitary Authority", 94832),
    "W06000021": ("Monmouthshire", "Unitary Authority", 95164),
    "W06000022": ("Newport", "Unitary Authority", 156447),
}
GWENT_TOTAL = 598194
DORSET_2018 = {
    "E06000028": ("Bournemouth", "Unitary Authority", 194500),
    "E06000029": ("Poole", "Unitary Authority", 151300),
    "E07000048": ("Christchurch", "Non-metropolitan District", 49600),
    "E07000049": ("East Dorset", "Non-metropolitan District", 89100),
    "E07000050": ("North Dorset", "Non-metropolitan District", 71100),
    "E07000051": ("Purbeck", "Non-metropolitan District", 46300),
    "E07000052": ("West Dorset", "Non-metropolitan District", 101600),
    "E07000053": ("Weymouth and Portland", "Non-metropolitan District", 65400),
}
DORSET_2018_TOTAL = 768900

# Rows that are not lower-tier authorities of England and Wales: each must be passed over.
COUNTRIES_REGIONS_COUNTIES = [
    ["K02000001", "UNITED KINGDOM", "Country", 67081234],
    ["K04000001", "ENGLAND AND WALES", "Country", 59719724],
    ["E92000001", "ENGLAND", "Country", 56550138],
    ["E12000009", "SOUTH WEST", "Region", 5659143],
    ["E10000008", "Devon", "County", DEVON_DISTRICTS_TOTAL],
    ["E11000001", "Greater Manchester (Met County)", "Metropolitan County", 2848286],
    ["W92000004", "WALES", "Country", 3169586],
    ["S12000033", "Aberdeen City", "Council Area", 229060],
    ["N09000001", "Antrim and Newtownabbey", "Local Government District", 143756],
]


def area_rows(areas: dict[str, tuple[str, str, int]]) -> list[list[object]]:
    return [[code, name, geography, population] for code, (name, geography, population) in areas.items()]


def with_ages(row: list[object]) -> list[object]:
    """A row as MYE2 writes it: the all-ages figure followed by a few single years of age."""
    population = row[3]
    if isinstance(population, int):
        return [*row, population // 90, population // 91, population // 150]
    return [*row, 1, 1, 1]


def write_mye(
    path,
    rows: list[list[object]],
    *,
    titles: list[list[object]] = TITLES_2020,
    header: list[str] = HEADER,
    persons: str = "MYE2 - Persons",
    males: list[list[object]] | None = None,
):
    """An ONS-shaped workbook: Contents, MYE1, MYE2 - Males (first, to be passed over), Persons, Females, MYE3."""
    book = openpyxl.Workbook()
    contents = book.active
    contents.title = "Contents"
    for line in [
        ["Population estimates for the UK, England and Wales, Scotland and Northern Ireland: mid-2020"],
        ["MYE1", "Population estimates: Summary for the UK, mid-2020"],
        ["MYE2 - Persons", "Population estimates: Persons by single year of age"],
        ["MYE2 - Males", "Population estimates: Males by single year of age"],
        ["Code", "Name", "Geography", "All ages"],
    ]:
        contents.append(line)
    summary = book.create_sheet("MYE1")
    for line in [["Population estimates: Summary for the UK, mid-2020"], ["Age group", "UK", "England"]]:
        summary.append(line)

    def table(title: str, sheet_titles: list[list[object]], body: list[list[object]]) -> None:
        sheet = book.create_sheet(title)
        for line in [*sheet_titles, header, *[with_ages(r) for r in body]]:
            sheet.append(line)

    males_titles = [[str(t[0]).replace("Persons", "Males")] if t else [] for t in titles]
    male_rows = males if males is not None else [[*r[:3], r[3] // 2] for r in rows if isinstance(r[3], int)]
    table("MYE2 - Males", males_titles, male_rows)
    table(persons, titles, rows)
    table("MYE2 - Females", [[str(t[0]).replace("Persons", "Females")] if t else [] for t in titles], male_rows)
    components = book.create_sheet("MYE3")
    components.append(["Population estimates: components of change, mid-2020"])
    components.append(["Code", "Name", "Geography", "Estimated Population mid-2019", "Births", "Deaths"])
    components.append(["E06000026", "Plymouth", "Unitary Authority", 1, 2, 3])
    book.save(path)
    return path


def load(path, settings):
    """The stored rows and problems of one workbook, as ingest would get them."""
    return mye.clean(mye.read(path), settings)


def as_tuples(frame) -> list[tuple[str, int, int]]:
    return [(force, int(year), int(population)) for force, year, population in frame.itertuples(index=False)]


def refusal(path) -> list[str]:
    with pytest.raises(LoadRefused) as caught:
        mye.read(path)
    return [str(p) for p in caught.value.problems]


# ---- summing ----------------------------------------------------------------------------------


def test_lower_tier_authorities_are_summed_to_police_force_areas(settings, tmp_path):
    rows = [
        *COUNTRIES_REGIONS_COUNTIES[:4],
        *area_rows(DEVON_AND_CORNWALL),
        *COUNTRIES_REGIONS_COUNTIES[4:],
        *area_rows(GWENT),
        ["E09000001", "City of London", "London Borough", 10938],
    ]
    stored, problems = load(write_mye(tmp_path / "ukpopestimatesmid2020.xlsx", rows), settings)
    assert problems == []
    assert as_tuples(stored) == [
        ("Devon and Cornwall", 2020, DEVON_AND_CORNWALL_TOTAL),
        ("Gwent", 2020, GWENT_TOTAL),
        ("London, City of", 2020, 10938),
    ]
    assert list(stored.columns) == ["force", "year", "population"]
    assert {k: stored.attrs[k] for k in ("rows_read", "rows_other_offences")} == {
        "rows_read": 27,
        "rows_other_offences": 0,
    }
    districts = detail.of(stored)
    assert list(districts.columns) == ["force", "year", "lad_code", "population"]
    assert len(districts) == len(DEVON_AND_CORNWALL) + len(GWENT) + 1
    assert districts.groupby("force")["population"].sum().to_dict() == {
        "Devon and Cornwall": DEVON_AND_CORNWALL_TOTAL,
        "Gwent": GWENT_TOTAL,
        "London, City of": 10938,
    }


def test_counties_regions_and_countries_are_not_double_counted(settings, tmp_path):
    rows = [*COUNTRIES_REGIONS_COUNTIES, *area_rows(DEVON_AND_CORNWALL)]
    path = write_mye(tmp_path / "mye.xlsx", rows)
    stored, problems = load(path, settings)
    assert problems == []
    # The Devon county row (E10) repeats its eight districts; the region and countries hold everyone.
    assert as_tuples(stored) == [("Devon and Cornwall", 2020, 1787824)]
    assert sum(population for _, _, population in DEVON_AND_CORNWALL.values()) == 1787824
    assert {"E10000008", "E12000009", "E92000001"} <= set(mye.read(path)["code"])


def test_the_males_and_females_sheets_are_ignored(settings, tmp_path):
    males = [*area_rows(DEVON_AND_CORNWALL), ["E07000999", "Nowhere", "Non-metropolitan District", 5]]
    path = write_mye(tmp_path / "mye.xlsx", area_rows(DEVON_AND_CORNWALL), males=males)
    stored, problems = load(path, settings)
    assert problems == []
    assert as_tuples(stored) == [("Devon and Cornwall", 2020, 1787824)]
    assert set(mye.read(path)["_sheet"]) == {"MYE2 - Persons"}


def test_dorset_in_mid_2018_from_its_districts_before_the_2019_merger(settings, tmp_path):
    titles = [
        ["Mid-2018 Population Estimates for UK, England and Wales, Scotland and Northern Ireland"],
        ["Population estimates: Persons by single year of age, local authorities in the UK, mid-2018"],
        [],
    ]
    rows = [*area_rows(DORSET_2018), *area_rows(DEVON_AND_CORNWALL)]
    path = write_mye(tmp_path / "ukpopestimatesmid2018.xlsx", rows, titles=titles, persons="MYE2 - All")
    stored, problems = load(path, settings)
    assert problems == []
    assert as_tuples(stored) == [("Devon and Cornwall", 2018, 1787824), ("Dorset", 2018, 768900)]


def test_an_edition_on_later_boundaries_than_its_mid_year_is_summed(settings, tmp_path):
    # ONS published mid-2020 on April 2021 boundaries: the two Northamptonshire unitaries, not seven districts.
    rows = [
        ["E06000061", "North Northamptonshire", "Unitary Authority", 350448],
        ["E06000062", "West Northamptonshire", "Unitary Authority", 406733],
    ]
    stored, problems = load(write_mye(tmp_path / "ukpopestimatesmid2020on2021geography.xlsx", rows), settings)
    assert problems == []
    assert as_tuples(stored) == [("Northamptonshire", 2020, 757181)]


@pytest.mark.parametrize(
    "header",
    [
        ["Code", "Name", "Geography1", "All ages", "0", "1", "90+"],
        ["ladcode21", "laname21", "Geography", "All Ages", "0", "1", "90+"],
        ["Area code", "Area name", "Geography 2", "ALL AGES", "0", "1", "90+"],
    ],
)
def test_headers_as_published_in_other_editions(settings, tmp_path, header):
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", area_rows(GWENT), header=header), settings)
    assert problems == []
    assert as_tuples(stored) == [("Gwent", 2020, 598194)]


def test_the_year_is_read_from_a_lower_case_title_and_populations_as_text(settings, tmp_path):
    titles = [["Population estimates: Persons by single year of age, local authorities in the UK, mid-2021"], []]
    rows = [[code, name, geography, f"{population:,}"] for code, (name, geography, population) in GWENT.items()]
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", rows, titles=titles), settings)
    assert problems == []
    assert as_tuples(stored) == [("Gwent", 2021, 598194)]


def test_notes_below_the_table_are_passed_over(settings, tmp_path):
    rows = [*area_rows(GWENT), ["Source: Office for National Statistics", None, None, None]]
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", rows), settings)
    assert problems == []
    assert as_tuples(stored) == [("Gwent", 2020, 598194)]


# ---- refusals ---------------------------------------------------------------------------------


def test_an_unknown_lower_tier_code_is_refused_with_its_code_name_and_row(settings, tmp_path):
    rows = [*area_rows(GWENT), ["E07000999", "Nowhere", "Non-metropolitan District", 5000]]
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", rows), settings)
    assert stored.empty
    assert [str(p) for p in problems] == [
        f"mye.xlsx, sheet 'MYE2 - Persons', row {FIRST_DATA_ROW + 5}, column 'Code': found 'E07000999 Nowhere'; "
        "not in the shipped local authority to police force area lookup (December 2023 boundaries); a district "
        "ONS created since needs a row in data_loaders/reference/lad_to_pfa.csv"
    ]


def test_a_missing_title_year_is_refused_naming_file_sheet_and_row(tmp_path):
    titles = [["Population estimates: Persons by single year of age, local authorities in the UK"], [], []]
    problems = refusal(write_mye(tmp_path / "mye.xlsx", area_rows(GWENT), titles=titles))
    assert problems == [
        "mye.xlsx, sheet 'MYE2 - Persons', row 4: no title row above the header names the mid-year (such as "
        "'Mid-2020' or 'mid-2021'); ONS writes the year of the estimates only in the titles"
    ]


def test_titles_that_disagree_on_the_year_are_refused(tmp_path):
    titles = [
        ["Mid-2020 Population Estimates for UK, England and Wales, Scotland and Northern Ireland"],
        ["Population estimates: Persons by single year of age, local authorities in the UK, mid-2021"],
        [],
    ]
    problems = refusal(write_mye(tmp_path / "mye.xlsx", area_rows(GWENT), titles=titles))
    assert problems == [
        "mye.xlsx, sheet 'MYE2 - Persons', row 2: found 'Population estimates: Persons by single year of age, "
        "local authorities in the UK, mid-2021'; the titles disagree on the mid-year: row 1 says mid-2020, this "
        "one mid-2021; expected one mid-year per sheet"
    ]


def test_a_police_force_area_missing_an_authority_is_refused_naming_it(settings, tmp_path):
    partial = {code: area for code, area in DEVON_AND_CORNWALL.items() if code not in {"E07000046", "E06000053"}}
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", [*area_rows(partial), *area_rows(GWENT)]), settings)
    assert stored.empty
    assert [str(p) for p in problems] == [
        "mye.xlsx, sheet 'MYE2 - Persons', column 'Code': Devon and Cornwall is incomplete for mid-2020: the "
        "lookup has E06000053 Isles of Scilly, E07000046 Torridge in use with the districts given, and a police "
        "force area's population is the sum of all of them"
    ]


def test_a_dorset_district_missing_before_the_merger_is_refused_naming_it(settings, tmp_path):
    titles = [["Population estimates: Persons by single year of age, local authorities in the UK, mid-2018"]]
    partial = {code: area for code, area in DORSET_2018.items() if code != "E07000051"}
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", area_rows(partial), titles=titles), settings)
    assert [str(p) for p in problems] == [
        "mye.xlsx, sheet 'MYE2 - Persons', column 'Code': Dorset is incomplete for mid-2018: the lookup has "
        "E07000051 Purbeck in use with the districts given, and a police force area's population is the sum of "
        "all of them"
    ]


def test_districts_from_both_sides_of_a_merger_are_refused(settings, tmp_path):
    rows = [
        ["E06000058", "Bournemouth, Christchurch and Poole", "Unitary Authority", 395300],
        ["E06000059", "Dorset", "Unitary Authority", 378500],
        ["E06000028", "Bournemouth", "Unitary Authority", 194500],
    ]
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", rows), settings)
    assert stored.empty
    assert [str(p) for p in problems] == [
        f"mye.xlsx, sheet 'MYE2 - Persons', row {FIRST_DATA_ROW + 2}, column 'Code': found 'E06000028 Bournemouth'; "
        "Dorset for mid-2020 mixes districts from before and after a boundary change: this one was not in use "
        "alongside E06000058 Bournemouth, Christchurch and Poole, E06000059 Dorset; summing both would count "
        "people twice"
    ]


def test_a_population_that_is_not_a_whole_number_above_zero_is_refused(settings, tmp_path):
    rows = [*area_rows(GWENT)]
    rows[1] = ["W06000019", "Blaenau Gwent", "Unitary Authority", 0]
    rows[3] = ["W06000021", "Monmouthshire", "Unitary Authority", "95,164.5"]
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", rows), settings)
    assert stored.empty
    assert [str(p) for p in problems] == [
        f"mye.xlsx, sheet 'MYE2 - Persons', row {FIRST_DATA_ROW + 1}, column 'All ages': found '0'; "
        "expected a population: a whole number above 0",
        f"mye.xlsx, sheet 'MYE2 - Persons', row {FIRST_DATA_ROW + 3}, column 'All ages': found '95,164.5'; "
        "expected a population: a whole number above 0",
    ]


def test_a_district_given_twice_is_refused(settings, tmp_path):
    rows = [*area_rows(GWENT), ["W06000022", "Newport", "Unitary Authority", 156447]]
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", rows), settings)
    assert [str(p) for p in problems] == [
        f"mye.xlsx, sheet 'MYE2 - Persons', row {FIRST_DATA_ROW + 5}, column 'Code': found 'W06000022'; "
        f"each district may appear once a year; this repeats row {FIRST_DATA_ROW + 4}"
    ]


def test_a_workbook_without_a_persons_sheet_is_refused(tmp_path):
    problems = refusal(write_mye(tmp_path / "mye.xlsx", area_rows(GWENT), persons="MYE2 - Everyone"))
    assert problems == [
        "mye.xlsx: found \"'Contents', 'MYE1', 'MYE2 - Males', 'MYE2 - Everyone', 'MYE2 - Females', 'MYE3'\"; "
        "expected a sheet named like 'MYE2 - Persons' (or 'MYE2 - All'), the MYE2 table of all persons"
    ]


def test_a_csv_saved_from_the_males_sheet_is_refused(tmp_path):
    path = tmp_path / "males.csv"
    path.write_text(
        '"Population estimates: Males by single year of age, local authorities in the UK, mid-2020"\n'
        "Code,Name,Geography,All ages\nW06000022,Newport,Unitary Authority,77000\n"
    )
    assert refusal(path) == [
        "males.csv, row 1: found 'Population estimates: Males by single year of age, local authorities in the UK, "
        "mid-2020'; this title is of one sex; expected the MYE2 table of all persons"
    ]


def test_a_table_of_only_countries_and_regions_is_refused(settings, tmp_path):
    stored, problems = load(write_mye(tmp_path / "mye.xlsx", COUNTRIES_REGIONS_COUNTIES[:4]), settings)
    assert [str(p) for p in problems] == [
        "mye.xlsx: the MYE2 table has no rows for local authorities in England and Wales (codes E06, E07, E08, "
        "E09, W06); countries, regions and counties are not summed"
    ]


# ---- the shipped lookup -----------------------------------------------------------------------


def current(frame):
    return frame[frame["in_use_to"].isna()]


def test_the_lookup_has_one_row_per_code_with_valid_prefixes():
    frame = mye.lookup()
    assert list(frame.columns) == [
        "lad_code", "lad_name", "pfa_code", "pfa_name", "in_use_from", "in_use_to", "csp_name", "replaced_by"
    ]  # fmt: skip
    assert frame["lad_code"].is_unique
    assert current(frame)["lad_code"].is_unique
    assert all(re.fullmatch(r"(E06|E07|E08|E09|W06)\d{6}", code) for code in frame["lad_code"])
    assert (len(frame), len(current(frame)), len(frame) - len(current(frame))) == (366, 318, 48)


def test_every_territorial_force_has_current_codes_and_its_settings_code(settings):
    frame = mye.lookup()
    territorial = {f.name: f.ons_code for f in settings.forces if f.territorial}
    assert set(frame["pfa_name"]) == set(territorial)
    for force in territorial:
        assert mye.districts_in_use(force, 2023), force
    assert {(n, c) for n, c in zip(frame["pfa_name"], frame["pfa_code"], strict=True)} == set(territorial.items())
    assert all(re.fullmatch(r"E23\d{6}|W15\d{6}", code) for code in territorial.values())


def test_devon_and_cornwall_is_exactly_its_twelve_current_codes():
    frame = mye.lookup()
    assert set(current(frame).loc[current(frame)["pfa_name"] == "Devon and Cornwall", "lad_code"]) == set(
        DEVON_AND_CORNWALL
    )
    assert mye.districts_in_use("Devon and Cornwall", 2012) == set(DEVON_AND_CORNWALL)


def test_the_number_of_districts_in_use_each_april():
    frame = mye.lookup()
    counts = {
        year: sum(len(mye.districts_in_use(f, year)) for f in set(frame["pfa_name"])) for year in range(2011, 2025)
    }
    # England had 326 districts until 2019, then 317, 314 (2020), 309 (2021) and 296 (2023); Wales 22 throughout.
    assert counts == {
        **dict.fromkeys(range(2011, 2019), 348),
        2019: 339,
        2020: 336,
        2021: 331,
        2022: 331,
        2023: 318,
        2024: 318,
    }


def test_the_boundary_changes_since_2012():
    assert mye.districts_in_use("Dorset", 2018) == set(DORSET_2018)
    assert mye.districts_in_use("Dorset", 2019) == {"E06000058", "E06000059"}
    assert mye.districts_in_use("Suffolk", 2018) == {
        "E07000200",
        "E07000201",
        "E07000202",
        "E07000203",
        "E07000204",
        "E07000205",
        "E07000206",
    }
    assert mye.districts_in_use("Suffolk", 2019) == {"E07000200", "E07000202", "E07000203", "E07000244", "E07000245"}
    assert mye.districts_in_use("Thames Valley", 2020) - mye.districts_in_use("Thames Valley", 2019) == {"E06000060"}
    assert mye.districts_in_use("Northamptonshire", 2021) == {"E06000061", "E06000062"}
    assert len(mye.districts_in_use("Northamptonshire", 2020)) == 7
    assert mye.districts_in_use("Cumbria", 2023) == {"E06000063", "E06000064"}
    assert mye.districts_in_use("North Yorkshire", 2023) == {"E06000014", "E06000065"}
    assert mye.districts_in_use("Avon and Somerset", 2023) == {
        "E06000022",
        "E06000023",
        "E06000024",
        "E06000025",
        "E06000066",
    }
    assert mye.districts_in_use("Avon and Somerset", 2022) - mye.districts_in_use("Avon and Somerset", 2023) == {
        "E07000187",
        "E07000188",
        "E07000189",
        "E07000246",
    }
    northumbria_2012 = mye.districts_in_use("Northumbria", 2012)
    assert {"E06000048", "E08000020"} <= northumbria_2012
    assert mye.districts_in_use("Northumbria", 2013) == northumbria_2012 - {"E06000048", "E08000020"} | {
        "E06000057",
        "E08000037",
    }
    assert mye.districts_in_use("Hertfordshire", 2013) - mye.districts_in_use("Hertfordshire", 2011) == {
        "E07000240",
        "E07000241",
        "E07000242",
        "E07000243",
    }


def test_years_of_use_are_aprils_from_2012_to_2023():
    frame = mye.lookup()
    years = [int(y) for column in ("in_use_from", "in_use_to") for y in frame[column].dropna()]
    assert min(years) == 2012 and max(years) == 2023
    both = frame.dropna(subset=["in_use_from", "in_use_to"])
    assert list(both["lad_code"]) == ["E07000246"]
    assert (both["in_use_from"] < both["in_use_to"]).all()


def test_pfa_of_a_code():
    assert mye.pfa_of("E07000048") == "Dorset"
    assert mye.pfa_of(" e09000001 ") == "London, City of"
    assert mye.pfa_of("E09000033") == "Metropolitan Police"
    assert mye.pfa_of("W06000023") == "Dyfed-Powys"
    assert mye.pfa_of("E10000008") is None


# ---- through the loader, into the database ----------------------------------------------------


def test_a_workbook_is_recognised_and_stored_as_population_with_its_source(engine, settings, tmp_path):
    from data_loaders import ingest, reads

    rows = [*COUNTRIES_REGIONS_COUNTIES, *area_rows(DEVON_AND_CORNWALL), *area_rows(GWENT)]
    path = write_mye(tmp_path / "ukpopestimatesmid2020.xlsx", rows)
    [result] = ingest.load_files([path], engine, settings)
    assert result.describe() == (
        "ukpopestimatesmid2020.xlsx: loaded 2 rows as ons-mid-year-estimates. Kept 17 district estimates as published."
    )
    assert reads.population_district(engine)["population"].sum() == DEVON_AND_CORNWALL_TOTAL + GWENT_TOTAL
    stored = reads.population(engine)
    assert stored.values.tolist() == [
        ["Devon and Cornwall", 2020, DEVON_AND_CORNWALL_TOTAL, "ukpopestimatesmid2020.xlsx"],
        ["Gwent", 2020, GWENT_TOTAL, "ukpopestimatesmid2020.xlsx"],
    ]
