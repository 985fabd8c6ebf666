"""Settings: shipped defaults, the database URL's precedence, user overrides, and that every section is documented."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from data_loaders import settings as settings_module
from data_loaders.settings import SettingsError, get_settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SECTIONS_NAMED_IN_THE_ISSUE = {"[area]", "[[offences]]", "[total]", "[[series_breaks]]", "[[forces]]", "[database]"}


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder of the test's own, so a developer's ~/.streamlit/secrets.toml is never read."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def cwd(tmp_path, home):
    """The working folder (conftest has already changed into tmp_path)."""
    assert Path.cwd() == tmp_path
    return tmp_path


def write_secrets(folder: Path, text: str) -> None:
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(text)


def write_user_settings(tmp_path: Path, text: str, monkeypatch) -> Path:
    path = tmp_path / "my-settings.toml"
    path.write_text(text)
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(path))
    return path


# ---- shipped defaults ---------------------------------------------------------------------------


def test_shipped_defaults(cwd):
    settings = load_settings()
    assert settings.home_force == "Devon and Cornwall"
    assert settings.peers == ("Avon and Somerset", "Dorset", "Gloucestershire", "Wiltshire", "Hampshire", "Cumbria")
    assert len(settings.forces) == 47
    assert len(settings.territorial_forces) == 43
    assert [f.name for f in settings.forces if not f.territorial] == [
        "British Transport Police",
        "Action Fraud",
        "CIFAS",
        "UK Finance",
    ]
    assert settings.offence_codes == ("8Q", "8L", "8M", "8R", "8U")
    assert [(o.code, o.category, o.in_total) for o in settings.offences] == [
        ("8Q", "Stalking", True),
        ("8L", "Harassment", True),
        ("8M", "Harassment", True),
        ("8R", "Malicious communications", True),
        ("8U", "Controlling or coercive behaviour", True),
    ]
    assert settings.categories == (
        "Stalking",
        "Harassment",
        "Malicious communications",
        "Controlling or coercive behaviour",
    )
    assert settings.total_codes == ("8Q", "8L", "8M", "8R", "8U")
    assert settings.total_label == "Stalking and harassment"
    assert (settings.category_of("8M"), settings.category_of("8N")) == ("Harassment", None)


def test_every_force_has_an_ons_code_and_the_territorial_ones_are_unique(cwd):
    settings = load_settings()
    codes = [f.ons_code for f in settings.forces if f.territorial]
    assert all(code[:3] in {"E23", "W15"} and len(code) == 9 for code in codes)
    assert len(set(codes)) == 43
    assert {f.name: f.ons_code for f in settings.forces}["Devon and Cornwall"] == "E23000035"


def test_series_breaks_are_in_date_order_and_rebase_where_configured(cwd):
    breaks = load_settings().series_breaks
    assert [b.date.isoformat() for b in breaks] == [
        "2012-11-25",
        "2014-04-01",
        "2015-04-01",
        "2018-04-01",
        "2020-01-20",
        "2020-04-01",
        "2023-06-01",
    ]
    assert [b.date.isoformat() for b in breaks if b.rebase] == [
        "2014-04-01",
        "2018-04-01",
        "2020-04-01",
        "2023-06-01",
    ]


# ---- the database URL -----------------------------------------------------------------------------


def test_the_default_database_is_a_sqlite_file_under_data(cwd):
    assert load_settings().database_url == f"sqlite:///{(cwd / 'data' / 'pcc_dashboard.sqlite').as_posix()}"


def test_the_settings_file_url_beats_the_default(cwd, monkeypatch, tmp_path):
    write_user_settings(tmp_path, '[database]\nurl = "sqlite:///from-settings.sqlite"\n', monkeypatch)
    assert load_settings().database_url == "sqlite:///from-settings.sqlite"


def test_secrets_beat_the_settings_file(cwd, monkeypatch, tmp_path):
    write_user_settings(tmp_path, '[database]\nurl = "sqlite:///from-settings.sqlite"\n', monkeypatch)
    write_secrets(cwd, '[connections.pcc]\nurl = "postgresql+psycopg://reader@db.internal/pcc"\n')
    assert load_settings().database_url == "postgresql+psycopg://reader@db.internal/pcc"


def test_the_environment_beats_secrets_and_settings(cwd, monkeypatch, tmp_path):
    write_user_settings(tmp_path, '[database]\nurl = "sqlite:///from-settings.sqlite"\n', monkeypatch)
    write_secrets(cwd, '[connections.pcc]\nurl = "postgresql+psycopg://reader@db.internal/pcc"\n')
    monkeypatch.setenv("PCC_DATABASE_URL", "sqlite:///from-env.sqlite")
    assert load_settings().database_url == "sqlite:///from-env.sqlite"


def test_secrets_given_as_parts(cwd):
    write_secrets(
        cwd,
        "[connections.pcc]\n"
        'dialect = "postgresql"\ndriver = "psycopg"\nhost = "db.internal"\nport = 5433\n'
        'database = "pcc_dashboard"\nusername = "pcc_reader"\npassword = "p@ss:word"\n',
    )
    assert (
        load_settings().database_url == "postgresql+psycopg://pcc_reader:p%40ss%3Aword@db.internal:5433/pcc_dashboard"
    )


def test_secrets_parts_without_a_driver(cwd):
    write_secrets(cwd, '[connections.pcc]\ndialect = "sqlite"\ndatabase = "parts.sqlite"\n')
    assert load_settings().database_url == "sqlite:///parts.sqlite"


def test_secrets_in_the_home_folder_are_used_when_the_working_folder_has_none(cwd, home):
    write_secrets(home, '[connections.pcc]\nurl = "sqlite:///from-home.sqlite"\n')
    assert load_settings().database_url == "sqlite:///from-home.sqlite"
    write_secrets(cwd, '[connections.pcc]\nurl = "sqlite:///from-cwd.sqlite"\n')
    assert load_settings().database_url == "sqlite:///from-cwd.sqlite"


def test_secrets_without_a_pcc_connection_are_passed_over(cwd):
    write_secrets(cwd, '[connections.other]\nurl = "sqlite:///other.sqlite"\n')
    assert load_settings().database_url == f"sqlite:///{(cwd / 'data' / 'pcc_dashboard.sqlite').as_posix()}"


def test_get_settings_follows_the_environment(cwd, monkeypatch):
    monkeypatch.setenv("PCC_DATABASE_URL", "sqlite:///one.sqlite")
    assert get_settings().database_url == "sqlite:///one.sqlite"
    monkeypatch.setenv("PCC_DATABASE_URL", "sqlite:///two.sqlite")
    assert get_settings().database_url == "sqlite:///two.sqlite"


# ---- a user's settings file -----------------------------------------------------------------------


def test_a_user_file_overrides_home_force_and_peers_and_keeps_the_rest(cwd, monkeypatch, tmp_path):
    write_user_settings(
        tmp_path, '[area]\nhome_force = "Dorset"\npeers = ["Devon and Cornwall", "Wiltshire"]\n', monkeypatch
    )
    settings = load_settings()
    assert (settings.home_force, settings.peers) == ("Dorset", ("Devon and Cornwall", "Wiltshire"))
    assert settings.offence_codes == ("8Q", "8L", "8M", "8R", "8U")
    assert len(settings.forces) == 47


def test_a_user_file_given_as_an_argument(cwd, tmp_path):
    path = tmp_path / "other.toml"
    path.write_text('[total]\nlabel = "Stalking, harassment and coercive control"\n')
    assert load_settings(path).total_label == "Stalking, harassment and coercive control"


def test_a_user_list_replaces_the_shipped_list_whole(cwd, monkeypatch, tmp_path):
    write_user_settings(
        tmp_path,
        '[[offences]]\ncode = "8q"\ncategory = "Stalking"\n\n[[offences]]\ncode = "8L"\ncategory = "Harassment"\n'
        "in_total = false\n",
        monkeypatch,
    )
    settings = load_settings()
    assert settings.offence_codes == ("8Q", "8L")
    assert settings.total_codes == ("8Q",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[area]\npeers = ["Dorset", "Wessex"]\n', "settings name the force 'Wessex', which is not in [[forces]]"),
        ('[area]\nhome_force = "Devon"\n', "settings name the force 'Devon', which is not in [[forces]]"),
        (
            '[[offences]]\ncode = "8Q"\ncategory = "Stalking"\n[[offences]]\ncode = "8Q"\ncategory = "Stalking"\n',
            "settings list an offence code twice",
        ),
        (
            '[[offences]]\ncode = "stalking"\ncategory = "Stalking"\n',
            "offence code 'STALKING' in settings is not a Home Office code",
        ),
        ("[limits]\nmax_count = -1\n", "settings [limits] max_count -1 must be 0 or more"),
        ("[limits]\nyears_ahead = 1.5\n", "settings [limits] years_ahead 1.5 must be a whole number of 0 or more"),
        (
            '[limits]\nearliest_year = "2000"\n',
            "settings [limits] earliest_year '2000' must be a whole number of 0 or more",
        ),
        ("[limits]\nmax_cells = 0\n", "settings [limits] max_cells 0 must be above 0 and below 2**63"),
        ("[limits]\nmax_cells = -5\n", "settings [limits] max_cells -5 must be 0 or more"),
    ],
)
def test_inconsistent_user_settings_are_refused_naming_the_problem(cwd, monkeypatch, tmp_path, text, message):
    write_user_settings(tmp_path, text, monkeypatch)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == message


def test_a_missing_or_broken_user_file_is_refused(cwd, monkeypatch, tmp_path):
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(tmp_path / "absent.toml"))
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value) == f"settings file {tmp_path / 'absent.toml'} does not exist"

    broken = write_user_settings(tmp_path, "[area\nhome_force = 1\n", monkeypatch)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"settings file {broken} is not valid TOML: ")


# ---- documentation --------------------------------------------------------------------------------


def shipped_sections() -> set[str]:
    """Each top-level key of the shipped settings.toml, written as its TOML header."""
    shipped = tomllib.loads(settings_module.SHIPPED_FILE.read_text())
    return {f"[[{key}]]" if isinstance(value, list) else f"[{key}]" for key, value in shipped.items()}


def undocumented(sections: set[str]) -> list[str]:
    readme = (ROOT / "README.md").read_text()
    return sorted(s for s in sections if f"`{s}`" not in readme)


def test_the_recorded_crime_sections_are_documented_in_the_readme():
    assert shipped_sections() >= SECTIONS_NAMED_IN_THE_ISSUE
    missing = undocumented(SECTIONS_NAMED_IN_THE_ISSUE)
    assert missing == [], f"README.md does not document these sections of settings.toml: {missing}"


def test_every_section_of_the_shipped_settings_is_documented_in_the_readme():
    missing = undocumented(shipped_sections())
    assert missing == [], f"README.md does not document these sections of settings.toml: {missing}"


# ---- targets ------------------------------------------------------------------------------------


def test_no_target_is_shipped_and_an_office_sets_its_own(cwd, tmp_path, monkeypatch):
    assert load_settings().targets.charge_rate is None
    write_user_settings(tmp_path, "[targets]\ncharge_rate = 12.5\n", monkeypatch)
    assert load_settings().targets.charge_rate == 12.5


@pytest.mark.parametrize("value", ["150", "-1", '"ten"', "true"])
def test_a_target_that_is_not_a_percentage_is_refused_at_load(cwd, tmp_path, monkeypatch, value):
    write_user_settings(tmp_path, f"[targets]\ncharge_rate = {value}\n", monkeypatch)
    with pytest.raises(SettingsError, match=r"\[targets\] charge_rate .* must be a percentage from 0 to 100"):
        load_settings()
