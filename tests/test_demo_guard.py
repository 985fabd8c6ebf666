"""Real data never mixes with the illustrative demo: the first real load clears it, in the same transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import DEMO_AS_OF as AS_OF

import pcc_cli as cli
from data_loaders import database, ingest, schema
from data_loaders.demo import dataset as demo
from data_loaders.recommendations import ingest as recommendation_ingest
from data_loaders.refusals import LoadRefused
from data_loaders.status import read_status

CRIME_FILE = "home-office-prc-pfa-stalking-harassment-191023.csv"


@pytest.fixture
def demo_engine(dated_demo, tmp_path):
    """An engine on this test's own copy of the shared demo, which every test here changes."""
    engine = database.make_engine(dated_demo.copy(tmp_path))
    yield engine
    engine.dispose()


def counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in schema.metadata.sorted_tables
        }


def test_the_first_real_load_clears_every_demo_figure_and_says_so(demo_engine, settings, shared_data):
    before = counts(demo_engine)
    assert read_status(demo_engine).any_demo
    [result] = ingest.load_files([shared_data / CRIME_FILE], demo_engine, settings)
    after = counts(demo_engine)
    sourced = ("recorded_crime", "recorded_crime_csp", "population", "population_district", "outcomes")
    figures = sum(before[t] for t in (*sourced, "prosecutions_return", "events"))
    assert result.describe().startswith(
        f"{CRIME_FILE}: loaded 7,263 rows as recorded-crime; edition 19 October 2023. Cleared the illustrative demo "
        f"data first ({before['sources']} demo files: {figures:,} rows of figures and {before['recommendations']} recommendations): the "
        "database now holds only real data."
    )
    assert after["recorded_crime"] == 7263
    kept = ("recorded_crime", "sources", "forces", "force_aliases", "change_stamp")
    assert {name: after[name] for name in after if name not in kept} == {
        "recorded_crime_csp": 0, "population_district": 0, "population": 0, "outcomes": 0,
        "prosecutions_return": 0, "events": 0, "published_figures": 0,
        "reports": 0, "recommendations": 0, "recommendation_updates": 0, "audit_log": 0, "sign_in_attempts": 0,
    }  # fmt: skip
    assert after["change_stamp"] == 1, "the one-row change stamp stays"
    status = read_status(demo_engine)
    assert not status.any_demo and [s.file_name for s in status.sources] == [CRIME_FILE]
    assert [k.kind for k in status.kinds] == ["recorded-crime (quarterly, Home Office)"]


def test_a_refused_real_load_leaves_the_demo_as_it_was(demo_engine, settings, tmp_path):
    before = counts(demo_engine)
    bad = tmp_path / "bad.csv"
    bad.write_text("Force,Year,Population\nKent,2020,-5\n")
    with pytest.raises(LoadRefused):
        ingest.load_files([bad], demo_engine, settings)
    assert counts(demo_engine) == before and read_status(demo_engine).any_demo


def test_a_real_recommendation_file_clears_the_demo_too(demo_engine, settings, tmp_path):
    tracker = tmp_path / "tracker.csv"
    tracker.write_text("Report,Reference,Recommendation\nLiving in fear,R1,Chief constables should review cases.\n")
    [result] = recommendation_ingest.load_recommendation_files([tracker], demo_engine, settings, author="analyst")
    assert "Cleared the illustrative demo data first" in result.describe()
    after = counts(demo_engine)
    assert (after["recorded_crime"], after["recommendations"], after["reports"]) == (0, 1, 1)
    assert not read_status(demo_engine).any_demo


def test_the_demo_is_never_loaded_over_real_data(engine, settings, shared_data):
    ingest.load_files([shared_data / CRIME_FILE], engine, settings)
    before = counts(engine)
    with pytest.raises(LoadRefused) as caught:
        demo.build(engine, settings, as_of=AS_OF)
    assert "this database holds real data, so the illustrative demo is not loaded into it" in str(caught.value)
    assert counts(engine) == before


def test_clear_demo_from_the_command_line(dated_demo, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PCC_DATABASE_URL", dated_demo.copy(tmp_path))
    assert cli.main(["clear-demo"]) == 0
    assert capsys.readouterr().out.startswith("Cleared the illustrative demo data first (24 demo files: ")
    assert cli.main(["clear-demo"]) == 0
    assert capsys.readouterr().out == "The database holds no demo data; nothing was changed.\n"
    database.engine_for.cache_clear()
