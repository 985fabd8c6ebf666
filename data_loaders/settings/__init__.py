"""The one source of truth for configuration: a typed settings object read from TOML.

The shipped file `data_loaders/settings.toml` holds every default. A user's own TOML
file, named by the environment variable ``PCC_SETTINGS_FILE``, is merged over it (tables key by
key, lists replace the shipped list whole). The database URL has its own precedence, see
:func:`database_url`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from data_loaders.settings.base import Force, Offence, SeriesBreak, SettingsError
from data_loaders.settings.limits import Limits, _limits
from data_loaders.settings.outcomes import OutcomeCount, OutcomeGroup, OutcomeSettings, OutcomeType, _outcome_settings
from data_loaders.settings.outputs import (
    Branding,
    SuppressionRules,
    Targets,
    _branding,
    _population_lag,
    _suppression,
    _targets,
    contrast_ratio,
)
from data_loaders.settings.recommendations import (
    InspectionReport,
    RecommendationSettings,
    StatusCategory,
    _recommendation_settings,
    status_key,
)
from data_loaders.settings.returns import (
    CpsArea,
    EventKind,
    ProsecutionMeasure,
    _cps_areas,
    _event_kinds,
    _prosecution_measures,
)
from data_loaders.settings.sign_in import SignInThrottle, _sign_in_throttle

__all__ = [
    "Branding",
    "CpsArea",
    "EventKind",
    "Force",
    "InspectionReport",
    "Limits",
    "Offence",
    "OutcomeCount",
    "OutcomeGroup",
    "OutcomeSettings",
    "OutcomeType",
    "ProsecutionMeasure",
    "RecommendationSettings",
    "SeriesBreak",
    "Settings",
    "SettingsError",
    "SignInThrottle",
    "StatusCategory",
    "SuppressionRules",
    "Targets",
    "contrast_ratio",
    "database_url",
    "get_settings",
    "load_settings",
    "status_key",
]

# The shipped file sits beside this package, where the user's copy of it is found and documented.
SHIPPED_FILE = Path(__file__).resolve().parents[1] / "settings.toml"
SETTINGS_ENV = "PCC_SETTINGS_FILE"
DATABASE_ENV = "PCC_DATABASE_URL"
DEFAULT_SQLITE_PATH = Path("data") / "pcc_dashboard.sqlite"


def _check_returns(settings: Settings) -> None:
    """Outcome, return and event settings are well formed; CPS Areas name known forces, never spelled alike."""
    from data_loaders.forces import name_key

    settings.outcomes  # noqa: B018 - read now so that malformed settings fail at load
    settings.prosecution_measures  # noqa: B018
    settings.event_kinds  # noqa: B018
    settings.targets  # noqa: B018
    settings.population_lag_months  # noqa: B018
    settings.limits  # noqa: B018
    settings.sign_in  # noqa: B018
    settings.suppression  # noqa: B018

    forces = {f.name for f in settings.forces}
    spellings = {name_key(s) for f in settings.forces for s in (f.name, *f.aliases)}
    for area in settings.cps_areas:
        for force in area.forces:
            if force not in forces:
                raise SettingsError(f"CPS Area {area.name!r} names the force {force!r}, which is not in [[forces]]")
        for spelling in (area.name, *area.aliases):
            if name_key(spelling) in spellings:
                raise SettingsError(f"CPS Area spelling {spelling!r} is also a force's name; keep them apart")


T = TypeVar("T")


class _Section(Generic[T]):
    """A section of the settings, read from the raw TOML by ``read`` when first asked for and then kept.

    Each section is checked as it is read, so :func:`_check_returns` reads them all at load.
    """

    def __init__(self, read: Callable[[dict[str, Any]], T], doc: str) -> None:
        self.read, self.__doc__ = read, doc

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, settings: None, owner: type) -> _Section[T]: ...
    @overload
    def __get__(self, settings: Settings, owner: type) -> T: ...
    def __get__(self, settings: Settings | None, owner: type) -> T | _Section[T]:
        if settings is None:
            return self
        value = self.read(settings.raw)
        settings.__dict__[self.name] = value  # kept: the next read finds it before this descriptor
        return value


@dataclass(frozen=True)
class Settings:
    database_url: str
    home_force: str
    peers: tuple[str, ...]
    offences: tuple[Offence, ...]
    total_label: str
    series_breaks: tuple[SeriesBreak, ...]
    forces: tuple[Force, ...]
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def offence_codes(self) -> tuple[str, ...]:
        """Offence codes the dashboard counts, in configuration order."""
        return tuple(o.code for o in self.offences)

    @property
    def categories(self) -> tuple[str, ...]:
        """Category names in configuration order, each once."""
        return tuple(dict.fromkeys(o.category for o in self.offences))

    def category_of(self, code: str) -> str | None:
        """The category an offence code belongs to, or None when it is not counted."""
        for offence in self.offences:
            if offence.code == code:
                return offence.category
        return None

    @property
    def total_codes(self) -> tuple[str, ...]:
        """Offence codes that make the stalking and harassment total."""
        return tuple(o.code for o in self.offences if o.in_total)

    @property
    def territorial_forces(self) -> tuple[str, ...]:
        """Canonical names of the police force areas (England and Wales totals use these)."""
        return tuple(f.name for f in self.forces if f.territorial)

    recommendations = _Section(
        _recommendation_settings, "Status categories and words, editors and known inspection reports."
    )
    outcomes = _Section(_outcome_settings, "The two outcome counts, the outcome groups and the outcome types.")
    prosecution_measures = _Section(
        _prosecution_measures, "Measures of the local prosecutions and orders return, in configuration order."
    )
    cps_areas = _Section(_cps_areas, "CPS Areas and their forces (the two London Areas both cover both London forces).")
    event_kinds = _Section(_event_kinds, "Kinds of local event, in configuration order.")
    branding = _Section(_branding, "The office's name, logo and colours for exports and packs.")
    targets = _Section(
        _targets, "The office's targets for the headline cards (none shipped: a target is a local decision)."
    )
    limits = _Section(
        _limits, "The plausibility bounds every loaded figure and date is held to: a population, a count, the dates."
    )
    sign_in = _Section(
        _sign_in_throttle, "How failed editor sign-ins are slowed and then locked, per name and per client."
    )
    population_lag_months = _Section(
        _population_lag,
        "How far before a year ending's last day the population's mid-year falls (see ``periods.population_year``).",
    )

    def cps_areas_of(self, force: str) -> tuple[str, ...]:
        """The CPS Area(s) covering a force: two for the Metropolitan Police and the City of London."""
        return tuple(a.name for a in self.cps_areas if force in a.forces)

    @cached_property
    def suppression(self) -> SuppressionRules:
        """Small-number protection for exports, press packs, the meeting pack and presentation mode."""
        known = (*(m.key for m in self.prosecution_measures), "events")
        return _suppression(self.raw, known)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SettingsError(f"settings file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from exc


def _secrets_url(search_dirs: list[Path]) -> str | None:
    """The URL from ``[connections.pcc]`` in the first Streamlit secrets file that has one."""
    for directory in search_dirs:
        path = directory / ".streamlit" / "secrets.toml"
        if not path.is_file():
            continue
        section = _read_toml(path).get("connections", {}).get("pcc")
        if not section:
            continue
        if section.get("url"):
            return str(section["url"])
        if section.get("dialect"):
            from sqlalchemy import URL

            dialect = section["dialect"] + (f"+{section['driver']}" if section.get("driver") else "")
            return URL.create(
                dialect,
                username=section.get("username"),
                password=section.get("password"),
                host=section.get("host"),
                port=section.get("port"),
                database=section.get("database"),
            ).render_as_string(hide_password=False)
    return None


def database_url(raw: dict[str, Any], cwd: Path | None = None) -> str:
    """The database URL: ``PCC_DATABASE_URL``, then secrets, then settings, then a SQLite file.

    The default SQLite file sits under ``data/`` of the working directory so that `make run`
    from the project folder and the command line agree on one file.
    """
    cwd = cwd or Path.cwd()
    if os.environ.get(DATABASE_ENV):
        return os.environ[DATABASE_ENV]
    from_secrets = _secrets_url([cwd, Path.home()])
    if from_secrets:
        return from_secrets
    if raw.get("database", {}).get("url"):
        return str(raw["database"]["url"])
    return f"sqlite:///{(cwd / DEFAULT_SQLITE_PATH).as_posix()}"


def _build(raw: dict[str, Any]) -> Settings:
    try:
        forces = tuple(
            Force(
                name=f["name"],
                ons_code=f.get("ons_code", ""),
                territorial=bool(f.get("territorial", True)),
                aliases=tuple(f.get("aliases", ())),
            )
            for f in raw["forces"]
        )
        offences = tuple(
            Offence(code=o["code"].strip().upper(), category=o["category"], in_total=bool(o.get("in_total", True)))
            for o in raw["offences"]
        )
        breaks = tuple(
            SeriesBreak(
                date=b["date"] if isinstance(b["date"], dt.date) else dt.date.fromisoformat(b["date"]),
                label=b["label"],
                detail=b.get("detail", ""),
                rebase=bool(b.get("rebase", False)),
            )
            for b in raw.get("series_breaks", ())
        )
        settings = Settings(
            database_url=database_url(raw),
            home_force=raw["area"]["home_force"],
            peers=tuple(raw["area"].get("peers", ())),
            offences=offences,
            total_label=raw.get("total", {}).get("label", "Stalking and harassment"),
            series_breaks=tuple(sorted(breaks, key=lambda b: b.date)),
            forces=forces,
            raw=raw,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"settings are incomplete or malformed: {exc!r}") from exc
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    names = [f.name for f in settings.forces]
    if len(set(names)) != len(names):
        raise SettingsError("settings list a force twice")
    for name in (settings.home_force, *settings.peers):
        if name not in names:
            raise SettingsError(f"settings name the force {name!r}, which is not in [[forces]]")
    settings.recommendations  # noqa: B018 - read now so that malformed settings fail at load
    _check_returns(settings)
    codes = settings.offence_codes
    if len(set(codes)) != len(codes):
        raise SettingsError("settings list an offence code twice")
    for code in codes:
        if not re.fullmatch(r"[0-9A-Z]{1,4}", code):
            raise SettingsError(f"offence code {code!r} in settings is not a Home Office code")


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Settings from the shipped file merged with the user's file (argument or ``PCC_SETTINGS_FILE``)."""
    raw = _read_toml(SHIPPED_FILE)
    user = path or os.environ.get(SETTINGS_ENV)
    if user:
        raw = _merge(raw, _read_toml(Path(user)))
    return _build(raw)


@lru_cache(maxsize=1)
def _cached(user_file: str | None, url_env: str | None, cwd: str) -> Settings:
    return load_settings(user_file)


def get_settings() -> Settings:
    """The settings for this process, read once per settings file, database URL and folder."""
    return _cached(os.environ.get(SETTINGS_ENV), os.environ.get(DATABASE_ENV), os.getcwd())
