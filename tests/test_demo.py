"""The demo: official formats, loaded by the real loaders, calibrated to the published totals."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from conftest import DEMO_AS_OF as AS_OF
from files import RECORDED_CRIME_HEADER

import pcc_cli as cli
from data_loaders import database, places, schema
from data_loaders.demo import dataset as demo
from data_loaders.settings import load_settings
from data_loaders.sources import recorded_crime
from data_loaders.tables import open_workbook

# Published stalking and harassment totals (Home Office release of 19 October 2023).
PUBLISHED_HOME = {
    "2014/15": 1_791, "2015/16": 2_970, "2016/17": 4_545, "2017/18": 7_924, "2018/19": 10_303,
    "2019/20": 10_208, "2020/21": 12_143, "2021/22": 12_729, "2022/23": 12_129,
}  # fmt: skip
PUBLISHED_NATIONAL = {
    "2014/15": 86_278, "2015/16": 158_786, "2016/17": 214_326, "2017/18": 296_083, "2018/19": 444_838,
    "2019/20": 494_735, "2020/21": 629_843, "2021/22": 718_300, "2022/23": 707_210,
}  # fmt: skip
TABLE = "prc-pfa-mar2013-onwards-tables-231025.ods"
MONTHLY = "demo-monthly-extract-devon-and-cornwall.csv"
POPULATION = "demo-population-by-force.csv"
CSP_TABLE = "prc-csp-mar2013-onwards-tables-231025.ods"
DISTRICTS = [f"ukpopestimatesmid{year}-devon-and-cornwall.csv" for year in range(2022, 2026)]
OUTCOME_BOOKS = [f"prc-outcomes-open-data-mar{year}-tables-281125.ods" for year in range(2015, 2027)]
RETURNS = ["demo-prosecutions-and-orders-return.csv", "demo-local-events.csv"]
FIGURES = [TABLE, MONTHLY, POPULATION, CSP_TABLE, *DISTRICTS, *OUTCOME_BOOKS, *RETURNS]
RESPONSE = "dc-response-to-hmicfrs-stalking-2019.txt"
TRACKER = "demo-recommendations-tracker.csv"
REPORT_DETAILS = "demo-inspection-report-details.csv"
# The report details are applied as an analyst's edits, not loaded as a source.
LOADED = [*FIGURES, RESPONSE, TRACKER]
FILES = [*LOADED, REPORT_DETAILS]


def table_rows(engine, table: sa.Table) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(sa.select(table))
        return pd.DataFrame(result.all(), columns=list(result.keys()))


@pytest.fixture(scope="module")
def demo_db(dated_demo):
    """The shared demo for the read-only checks: SQLite, built at AS_OF, files kept."""
    engine = database.make_engine(dated_demo.url)
    yield engine, load_settings(), dated_demo.results, dated_demo.files
    engine.dispose()


@pytest.fixture(scope="module")
def quarters(demo_db) -> pd.DataFrame:
    rows = table_rows(demo_db[0], schema.recorded_crime)
    return rows[rows["month"] == 0]


@pytest.fixture(scope="module")
def months(demo_db) -> pd.DataFrame:
    rows = table_rows(demo_db[0], schema.recorded_crime)
    return rows[rows["month"] != 0]


def test_files_are_written_in_the_official_formats_and_loaded_by_kind(demo_db):
    _, _, results, folder = demo_db
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    assert [(r.file_name, r.kind) for r in results] == [
        (TABLE, "recorded-crime"),
        (MONTHLY, "monthly-extract"),
        (POPULATION, "population"),
        (CSP_TABLE, "recorded-crime"),
        *[(name, "ons-mid-year-estimates") for name in DISTRICTS],
        *[(name, "outcomes") for name in OUTCOME_BOOKS],
        (RETURNS[0], "prosecutions"),
        (RETURNS[1], "events"),
        (RESPONSE, "pcc-response"),
        (TRACKER, "recommendations-tracker"),
    ]
    assert results[0].edition_date == dt.date(2025, 10, 23)
    assert results[0].rows_other_offences > 0, "the workbook holds other offences, which the loader passes over"
    book = open_workbook(folder / TABLE)
    assert book.format == "ods"
    assert book.sheets[0].name == "Notes"
    assert any(demo.NOTICE in str(cell) for row in book.sheets[0].rows for cell in row)
    assert [s.name for s in book.sheets[1:]] == [f"{y}_{str(y + 1)[-2:]}" for y in range(2014, 2026)]
    assert book.sheets[1].rows[2] == RECORDED_CRIME_HEADER


def test_the_home_force_partnerships_add_up_to_its_quarters_and_its_people(demo_db, quarters):
    engine, settings, _, _ = demo_db
    home = settings.home_force
    csp = table_rows(engine, schema.recorded_crime_csp)
    assert set(csp["force"]) == {home}
    assert set(csp["csp"]) == {*places.partnerships(home)["csp"], f"Unassigned {home}"}
    summed = csp.groupby(["financial_year", "quarter", "offence_code"])["count"].sum()
    own = quarters[quarters["force"] == home].set_index(["financial_year", "quarter", "offence_code"])["count"]
    assert summed.sort_index().to_dict() == own.sort_index().to_dict()
    districts = table_rows(engine, schema.population_district)
    population = table_rows(engine, schema.population)
    by_year = districts.groupby("year")["population"].sum().to_dict()
    assert sorted(by_year) == [2022, 2023, 2024, 2025]
    forces = population[population["force"] == home].set_index("year")["population"]
    assert {year: int(forces[year]) for year in by_year} == by_year


def test_every_source_is_marked_as_demo(demo_db):
    sources = table_rows(demo_db[0], schema.sources)
    assert sources["file_name"].tolist() == LOADED
    assert sources["is_demo"].map(bool).tolist() == [True] * len(LOADED)


def test_workbook_lists_all_47_forces_and_fraud_bodies_report_fraud_only(demo_db):
    _, settings, _, folder = demo_db
    raw = recorded_crime.read(folder / TABLE)
    assert raw["force"].nunique() == 47
    assert set(raw["force"]) == {f.name for f in settings.forces}
    fraud = raw[raw["force"].isin(["Action Fraud", "CIFAS", "UK Finance"])]
    assert set(fraud["offence_code"]) == {demo.FRAUD.code}
    assert set(raw.loc[raw["offence_code"] == "8Q", "offence_subgroup"]) == {"Stalking and harassment"}


def test_recorded_crime_holds_the_forces_that_record_stalking(demo_db, quarters):
    _, settings, _, _ = demo_db
    assert set(quarters["force"]) == {*settings.territorial_forces, "British Transport Police"}
    assert len(set(quarters["force"])) == 44
    assert set(quarters["offence_code"]) == {"8L", "8M", "8Q", "8R", "8U"}
    assert table_rows(demo_db[0], schema.forces)["name"].nunique() == 47
    assert (quarters["count"] >= 0).all()


def test_home_force_yearly_totals_follow_the_published_ones_within_1_percent(quarters):
    home = quarters[quarters["force"] == "Devon and Cornwall"].groupby("financial_year")["count"].sum()
    for year, published in PUBLISHED_HOME.items():
        assert home[year] == pytest.approx(published, rel=0.01), year


def test_england_and_wales_totals_follow_the_published_ones_within_2_percent(demo_db, quarters):
    territorial = quarters[quarters["force"].isin(demo_db[1].territorial_forces)]
    national = territorial.groupby("financial_year")["count"].sum()
    for year, published in PUBLISHED_NATIONAL.items():
        assert national[year] == pytest.approx(published, rel=0.02), year


def test_year_ending_june_2025_is_near_the_later_published_figures(demo_db, quarters):
    in_year = ((quarters["financial_year"] == "2024/25") & (quarters["quarter"] >= 2)) | (
        (quarters["financial_year"] == "2025/26") & (quarters["quarter"] == 1)
    )
    year = quarters[in_year]
    assert year.loc[year["force"] == "Devon and Cornwall", "count"].sum() == pytest.approx(15_127, rel=0.03)
    national = year.loc[year["force"].isin(demo_db[1].territorial_forces), "count"].sum()
    assert national == pytest.approx(605_728, rel=0.03)


def test_series_steps_at_the_april_2018_and_april_2020_counting_changes(demo_db, quarters):
    territorial = quarters[quarters["force"].isin(demo_db[1].territorial_forces)]
    by_quarter = territorial.groupby(["financial_year", "quarter"])["count"].sum()
    # Each force's quarters vary around its season, so the national steps are exact values of the draws: up
    # 23.7% into April 2018 and 8.6% into April 2020 (within the years the totals grow 50% and 27%).
    assert round(by_quarter[("2018/19", 1)] / by_quarter[("2017/18", 4)], 3) == 1.237
    assert round(by_quarter[("2020/21", 1)] / by_quarter[("2019/20", 4)], 3) == 1.086
    home = quarters[quarters["force"] == "Devon and Cornwall"]
    stalking_share = (
        home[home["offence_code"] == "8Q"].groupby("financial_year")["count"].sum()
        / home.groupby("financial_year")["count"].sum()
    )
    assert stalking_share["2019/20"] < 0.07 < 0.10 < stalking_share["2020/21"]


def test_codes_start_when_the_home_office_began_counting_them(quarters):
    first_year = quarters.groupby("offence_code")["financial_year"].min()
    assert first_year.to_dict() == {"8L": "2014/15", "8M": "2014/15", "8Q": "2014/15", "8R": "2017/18", "8U": "2020/21"}


def test_latest_quarter_is_the_one_published_by_as_of(quarters, months):
    latest = quarters[["financial_year", "quarter"]].drop_duplicates().sort_values(["financial_year", "quarter"])
    assert tuple(latest.iloc[-1]) == ("2025/26", 1)
    assert tuple(latest.iloc[0]) == ("2014/15", 1)
    assert len(latest) == 45
    assert months["period_start"].min() == dt.date(2018, 4, 1)
    assert months["period_start"].max() == dt.date(2025, 10, 1)


def test_monthly_rows_add_up_exactly_to_the_home_force_quarters(quarters, months):
    keys = ["financial_year", "quarter", "offence_code"]
    monthly = months[months["force"] == "Devon and Cornwall"]
    assert set(monthly["force"]) == {"Devon and Cornwall"}
    summed = monthly.groupby(keys)["count"].agg(["sum", "size"])
    home = quarters[quarters["force"] == "Devon and Cornwall"].set_index(keys)["count"]
    published = summed[summed.index.isin(home.index)]
    assert (published["size"] == 3).all()
    assert published["sum"].to_dict() == home[home.index.isin(published.index)].to_dict()
    assert len(published) == len(home[home.index.get_level_values("financial_year") >= "2018/19"])
    assert set(summed.index.difference(home.index)) == {("2025/26", 2, c) for c in ("8L", "8M", "8Q", "8R", "8U")} | {
        ("2025/26", 3, c) for c in ("8L", "8M", "8Q", "8R", "8U")
    }


def test_population_covers_the_43_force_areas(demo_db):
    population = table_rows(demo_db[0], schema.population)
    assert population["force"].nunique() == 43
    assert set(population["force"]) == set(demo_db[1].territorial_forces)
    assert sorted(population["year"].unique().tolist()) == list(range(2014, 2026))
    by = population.set_index(["force", "year"])["population"]
    assert by[("Devon and Cornwall", 2018)] == pytest.approx(1_750_000, rel=0.02)
    assert by[("Devon and Cornwall", 2019)] / by[("Devon and Cornwall", 2018)] == pytest.approx(1.007, abs=0.004)
    assert by[("Metropolitan Police", 2018)] == pytest.approx(8_900_000, rel=0.02)
    assert by[("London, City of", 2018)] == pytest.approx(8_600, rel=0.05)
    for year in range(2018, 2023):
        assert 59_000_000 <= population.loc[population["year"] == year, "population"].sum() <= 61_000_000


def ods_cells(path) -> list[tuple[str | None, list[list[object]]]]:
    return [(sheet.name, sheet.rows) for sheet in open_workbook(path).sheets]


def test_write_files_is_deterministic(tmp_path, settings):
    first = demo.write_files(tmp_path / "first", settings, AS_OF)
    second = demo.write_files(tmp_path / "second", settings, AS_OF)
    assert [p.name for p in first] == [p.name for p in second] == FIGURES
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name
    assert ods_cells(first[0]) == ods_cells(second[0])


def test_a_later_as_of_adds_periods_and_changes_none(tmp_path, settings):
    earlier = demo.write_files(tmp_path / "earlier", settings, AS_OF)
    later = demo.write_files(tmp_path / "later", settings, dt.date(2026, 2, 27))
    assert later[0].name == "prc-pfa-mar2013-onwards-tables-220126.ods"
    before = recorded_crime.read(earlier[0]).drop(columns="_row")
    after = recorded_crime.read(later[0]).drop(columns="_row")
    assert len(after) > len(before)
    common = after.merge(before, how="inner", on=list(before.columns))
    assert len(common) == len(before)
    monthly_before = pd.read_csv(earlier[1])
    monthly_after = pd.read_csv(later[1])
    assert monthly_after.iloc[: len(monthly_before)].equals(monthly_before)
    assert monthly_after["Month"].max() == "2026-01"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2025, 11, 28), (2025, 1, dt.date(2025, 10, 23))),
        (dt.date(2025, 10, 23), (2025, 1, dt.date(2025, 10, 23))),
        (dt.date(2025, 10, 22), (2024, 4, dt.date(2025, 7, 24))),
        (dt.date(2024, 1, 25), (2023, 2, dt.date(2024, 1, 25))),
        (dt.date(2024, 4, 30), (2023, 3, dt.date(2024, 4, 25))),
    ],
)
def test_latest_quarter_follows_the_home_office_calendar(as_of, expected):
    assert demo.latest_quarter(as_of) == expected


def test_an_as_of_before_the_monthly_series_is_refused(tmp_path, settings):
    with pytest.raises(ValueError, match="too early"):
        demo.write_files(tmp_path, settings, dt.date(2018, 4, 30))


def test_build_twice_on_both_backends_changes_nothing(engine, settings):
    steps: list[float] = []
    first = demo.build(engine, settings, as_of=AS_OF, progress=lambda fraction, _: steps.append(fraction))
    assert [r.already_loaded for r in first] == [False] * len(LOADED)
    assert steps[0] == 0.0 and steps[-1] == 1.0
    before = {t.name: table_rows(engine, t) for t in schema.metadata.sorted_tables}
    second = demo.build(engine, settings, as_of=AS_OF)
    assert [r.already_loaded for r in second] == [True] * len(LOADED)
    assert all("already loaded" in r.describe() for r in second)
    for table in schema.metadata.sorted_tables:
        after = table_rows(engine, table)
        assert after.equals(before[table.name]), table.name


def test_command_line_builds_the_demo(monkeypatch, sqlite_url, tmp_path, capsys):
    monkeypatch.setenv("PCC_DATABASE_URL", sqlite_url)
    assert cli.main(["demo", "--folder", str(tmp_path / "files")]) == 0
    out = capsys.readouterr().out
    assert "illustrative, not real" in out
    written = sorted(p.name for p in (tmp_path / "files").iterdir())
    assert {MONTHLY, POPULATION, *RETURNS} <= set(written)
    figures = sorted(set(written) - {RESPONSE, TRACKER, REPORT_DETAILS})
    assert sorted(line.split(":")[0] for line in out.splitlines() if ": loaded " in line) == figures
    assert [line.split(":")[0] for line in out.splitlines() if " recommendations as " in line] == [RESPONSE, TRACKER]
    assert {RESPONSE, TRACKER, REPORT_DETAILS} <= set(written)
    assert cli.main(["demo", "--if-empty"]) == 0
    assert "already holds data" in capsys.readouterr().out
