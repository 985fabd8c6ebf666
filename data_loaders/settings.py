"""The one source of truth for configuration: a typed settings object read from TOML.

The shipped file `settings.toml` beside this module holds every default. A user's own TOML
file, named by the environment variable ``PCC_SETTINGS_FILE``, is merged over it (tables key by
key, lists replace the shipped list whole). The database URL has its own precedence, see
:func:`database_url`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

SHIPPED_FILE = Path(__file__).with_name("settings.toml")
SETTINGS_ENV = "PCC_SETTINGS_FILE"
DATABASE_ENV = "PCC_DATABASE_URL"
DEFAULT_SQLITE_PATH = Path("data") / "pcc_dashboard.sqlite"


class SettingsError(ValueError):
    """A settings file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Offence:
    code: str
    category: str
    in_total: bool


@dataclass(frozen=True)
class Force:
    name: str
    ons_code: str
    territorial: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SeriesBreak:
    date: dt.date
    label: str
    detail: str
    rebase: bool


def status_key(word: object) -> str:
    """A status word folded for matching: lower case; spaces, hyphens and underscores as one space."""
    return re.sub(r"[\s_\-]+", " ", str(word).strip().lower()).strip()


@dataclass(frozen=True)
class StatusCategory:
    """A status as the source wrote it, the category it counts in, and whether the word was known."""

    source: str | None
    category: str
    known: bool


@dataclass(frozen=True)
class InspectionReport:
    """An inspection report the dashboard knows by title."""

    key: str
    title: str
    inspectorate: str
    published: dt.date | None
    recommendation_count: int | None
    title_patterns: tuple[str, ...]
    link: str = ""

    def matches(self, title: str) -> bool:
        """Whether a document's title names this report (patterns ignore case and runs of space)."""
        folded = " ".join(str(title).replace("\u2019", "'").split())
        return any(re.search(pattern, folded, re.IGNORECASE) for pattern in self.title_patterns)


@dataclass(frozen=True)
class RecommendationSettings:
    """Status categories, the source words mapped to them, editors and the known inspection reports."""

    categories: tuple[str, ...]
    closed: tuple[str, ...]
    unknown_category: str
    no_status_category: str
    status_words: tuple[tuple[str, str], ...]  # (word folded by status_key, category)
    editors: tuple[str, ...]
    reports: tuple[InspectionReport, ...]

    def categorise(self, word: str | None) -> StatusCategory:
        """The category of a source status word; unknown words keep their text and count as unknown."""
        if word is None or not str(word).strip():
            return StatusCategory(None, self.no_status_category, True)
        source = " ".join(str(word).split())
        key = status_key(source)
        for category in self.categories:
            if status_key(category) == key:
                return StatusCategory(source, category, True)
        for known, category in self.status_words:
            if known == key:
                return StatusCategory(source, category, True)
        return StatusCategory(source, self.unknown_category, False)

    def is_closed(self, category: str) -> bool:
        """Whether a category ends a recommendation (it can then never be overdue)."""
        return category in self.closed

    def report_for_title(self, title: str) -> InspectionReport | None:
        """The known report a document's title names, or None."""
        for report in self.reports:
            if report.matches(title):
                return report
        return None


def _recommendation_settings(raw: dict[str, Any]) -> RecommendationSettings:
    try:
        section = raw.get("recommendations", {})
        categories = tuple(section["categories"])
        reports = tuple(
            InspectionReport(
                key=r["key"],
                title=r["title"],
                inspectorate=r.get("inspectorate", ""),
                published=(
                    None
                    if not r.get("published")
                    else r["published"]
                    if isinstance(r["published"], dt.date)
                    else dt.date.fromisoformat(r["published"])
                ),
                recommendation_count=r.get("recommendation_count"),
                title_patterns=tuple(r.get("title_patterns", ())),
                link=r.get("link", ""),
            )
            for r in raw.get("inspection_reports", ())
        )
        result = RecommendationSettings(
            categories=categories,
            closed=tuple(section.get("closed", ())),
            unknown_category=section.get("unknown_category", "unknown"),
            no_status_category=section.get("no_status_category", categories[0]),
            status_words=tuple((status_key(w), c) for w, c in section.get("status_words", {}).items()),
            editors=tuple(str(e).strip() for e in section.get("editors", ())),
            reports=reports,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise SettingsError(f"settings [recommendations] or [[inspection_reports]] are malformed: {exc!r}") from exc
    if len(set(categories)) != len(categories):
        raise SettingsError("settings [recommendations] list a category twice")
    if result.unknown_category in categories:
        raise SettingsError("settings [recommendations] unknown_category must not be one of the categories")
    for name in (*result.closed, result.no_status_category, *(c for _, c in result.status_words)):
        if name not in categories:
            raise SettingsError(f"settings [recommendations] name the category {name!r}, which is not in categories")
    keys = [r.key for r in reports]
    if len(set(keys)) != len(keys):
        raise SettingsError("settings list an inspection report key twice")
    for report in reports:
        for pattern in report.title_patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SettingsError(f"title pattern {pattern!r} of report {report.key!r} is not valid: {exc}") from exc
    return result


def _date_or_none(value: object) -> dt.date | None:
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class OutcomeCount:
    """One of the two counts of the outcomes tables, with the words charts use for it."""

    key: str
    label: str
    definition: str


@dataclass(frozen=True)
class OutcomeGroup:
    """A group of outcome types; ``counted`` is False for "not yet assigned", which is no outcome."""

    key: str
    label: str
    definition: str
    counted: bool
    charge: bool


@dataclass(frozen=True)
class OutcomeType:
    """An outcome type of the Home Office framework and the group it counts in."""

    type: int
    description: str
    group: str
    current: bool


@dataclass(frozen=True)
class OutcomeSettings:
    """The outcome counts, groups and types, in configuration order."""

    counts: tuple[OutcomeCount, ...]
    groups: tuple[OutcomeGroup, ...]
    types: tuple[OutcomeType, ...]

    def type_of(self, number: int) -> OutcomeType | None:
        """The configured outcome type with this number, or None when it is not known."""
        return next((t for t in self.types if t.type == number), None)

    def group(self, key: str) -> OutcomeGroup:
        return next(g for g in self.groups if g.key == key)

    def count(self, key: str) -> OutcomeCount:
        return next(c for c in self.counts if c.key == key)

    @property
    def not_counted_types(self) -> tuple[int, ...]:
        """Types that are not outcomes ("not yet assigned"): never in a total or a denominator."""
        return tuple(t.type for t in self.types if not self.group(t.group).counted)

    @property
    def charge_types(self) -> tuple[int, ...]:
        """Types that make the numerator of the charge rate."""
        return tuple(t.type for t in self.types if self.group(t.group).charge)


def _outcome_settings(raw: dict[str, Any]) -> OutcomeSettings:
    try:
        result = OutcomeSettings(
            counts=tuple(OutcomeCount(c["key"], c["label"], c.get("definition", "")) for c in raw["outcome_counts"]),
            groups=tuple(
                OutcomeGroup(
                    key=g["key"],
                    label=g["label"],
                    definition=g.get("definition", ""),
                    counted=bool(g.get("counted", True)),
                    charge=bool(g.get("charge", False)),
                )
                for g in raw["outcome_groups"]
            ),
            types=tuple(
                OutcomeType(int(t["type"]), t["description"], t["group"], bool(t.get("current", True)))
                for t in raw["outcome_types"]
            ),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"settings [[outcome_*]] are incomplete or malformed: {exc!r}") from exc
    groups = [g.key for g in result.groups]
    numbers = [t.type for t in result.types]
    if len(set(groups)) != len(groups) or len(set(numbers)) != len(numbers):
        raise SettingsError("settings list an outcome group or outcome type twice")
    for outcome in result.types:
        if outcome.group not in groups:
            raise SettingsError(
                f"outcome type {outcome.type} names the group {outcome.group!r}, not in [[outcome_groups]]"
            )
    if {c.key for c in result.counts} != {"outcomes_for_offences_recorded", "outcomes_recorded"}:
        raise SettingsError(
            "settings [[outcome_counts]] must describe outcomes_for_offences_recorded and outcomes_recorded"
        )
    if not result.charge_types:
        raise SettingsError("settings mark no outcome group with charge = true")
    return result


@dataclass(frozen=True)
class ProsecutionMeasure:
    """A measure of the local prosecutions and orders return."""

    key: str
    label: str
    definition: str
    aliases: tuple[str, ...]
    available_from: dt.date | None  # figures for periods ending before this are refused
    not_above: str | None  # the measure whose value (same area and period) this may not exceed


@dataclass(frozen=True)
class CpsArea:
    """A Crown Prosecution Service Area and the police forces it covers."""

    name: str
    forces: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class EventKind:
    key: str
    label: str


def _prosecution_measures(raw: dict[str, Any]) -> tuple[ProsecutionMeasure, ...]:
    try:
        measures = tuple(
            ProsecutionMeasure(
                key=m["key"],
                label=m["label"],
                definition=m.get("definition", ""),
                aliases=tuple(m.get("aliases", ())),
                available_from=_date_or_none(m.get("available_from")),
                not_above=m.get("not_above") or None,
            )
            for m in raw["prosecution_measures"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SettingsError(f"settings [[prosecution_measures]] are incomplete or malformed: {exc!r}") from exc
    keys = [m.key for m in measures]
    if len(set(keys)) != len(keys):
        raise SettingsError("settings list a prosecution measure twice")
    for measure in measures:
        if measure.not_above is not None and measure.not_above not in keys:
            raise SettingsError(f"measure {measure.key!r} may not exceed {measure.not_above!r}, which is not a measure")
    return measures


def _cps_areas(raw: dict[str, Any]) -> tuple[CpsArea, ...]:
    try:
        areas = tuple(
            CpsArea(a["name"], tuple(a["forces"]), tuple(a.get("aliases", ()))) for a in raw.get("cps_areas", ())
        )
    except (KeyError, TypeError) as exc:
        raise SettingsError(f"settings [[cps_areas]] are incomplete or malformed: {exc!r}") from exc
    names = [a.name for a in areas]
    if len(set(names)) != len(names):
        raise SettingsError("settings list a CPS Area twice")
    return areas


def _event_kinds(raw: dict[str, Any]) -> tuple[EventKind, ...]:
    try:
        kinds = tuple(EventKind(k["key"], k["label"]) for k in raw["event_kinds"])
    except (KeyError, TypeError) as exc:
        raise SettingsError(f"settings [[event_kinds]] are incomplete or malformed: {exc!r}") from exc
    if not kinds or len({k.key for k in kinds}) != len(kinds):
        raise SettingsError("settings [[event_kinds]] must list at least one kind, each once")
    return kinds


@dataclass(frozen=True)
class Branding:
    """How exports and packs are branded: the office's name, an optional local logo and two colours."""

    office: str
    logo: Path | None  # a PNG, JPEG or SVG file on this machine, embedded in each export (never fetched)
    colour: str  # the strip along the foot of an export, the rules and headings of the meeting pack
    text_colour: str  # text on that strip


@dataclass(frozen=True)
class SuppressionRules:
    """Small-number protection for everything that leaves the app."""

    threshold: int  # counts from 1 to this, below force level, are shown as [c]
    minimum_base: int  # no rate or percentage on a base below this


HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _branding(raw: dict[str, Any]) -> Branding:
    section = raw.get("branding", {})
    office = str(section.get("office", "")).strip()
    if not office:
        raise SettingsError("settings [branding] must give the office's name")
    colours = {
        key: str(section.get(key, default)) for key, default in (("colour", "#12436D"), ("text_colour", "#FFFFFF"))
    }
    for key, value in colours.items():
        if not HEX_COLOUR.fullmatch(value):
            raise SettingsError(f"settings [branding] {key} {value!r} is not a colour written #RRGGBB")
    if contrast_ratio(colours["colour"], colours["text_colour"]) < 4.5:
        raise SettingsError("settings [branding] text_colour on colour is below the 4.5:1 contrast ratio for text")
    logo = None
    if str(section.get("logo", "")).strip():
        logo = Path(str(section["logo"])).expanduser()
        if logo.suffix.lower() not in LOGO_SUFFIXES:
            raise SettingsError(f"settings [branding] logo {str(logo)!r} must be a PNG, JPEG or SVG file")
        if not logo.is_file():
            raise SettingsError(f"settings [branding] logo {str(logo)!r} does not exist on this machine")
    return Branding(office, logo, colours["colour"], colours["text_colour"])


@dataclass(frozen=True)
class Targets:
    """Targets set by the office, judged on the headline cards with the SPC assurance icon; None: no target."""

    charge_rate: float | None = None  # percent of assigned outcomes that are charges or summonses


def _targets(raw: dict[str, Any]) -> Targets:
    value = raw.get("targets", {}).get("charge_rate")
    if value is None or (isinstance(value, str) and not value.strip()):
        return Targets()
    problem = f"settings [targets] charge_rate {value!r} must be a percentage from 0 to 100, such as 12.5"
    if isinstance(value, bool):
        raise SettingsError(problem)
    try:
        rate = float(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(problem) from exc
    if not 0 <= rate <= 100:
        raise SettingsError(problem)
    return Targets(charge_rate=rate)


def _suppression(raw: dict[str, Any]) -> SuppressionRules:
    section = raw.get("suppression", {})
    try:
        rules = SuppressionRules(int(section.get("threshold", 4)), int(section.get("minimum_base", 10)))
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"settings [suppression] must give whole numbers: {exc}") from exc
    if rules.threshold < 0 or rules.minimum_base < 0:
        raise SettingsError("settings [suppression] threshold and minimum_base may not be negative")
    return rules


def _population_lag(raw: dict[str, Any]) -> int:
    value = raw.get("population", {}).get("lag_months", 15)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36:
        raise SettingsError(f"settings [population] lag_months {value!r} must be a whole number of months from 0 to 36")
    return value


def _check_returns(settings: Settings) -> None:
    """Outcome, return and event settings are well formed; CPS Areas name known forces, never spelled alike."""
    from data_loaders.forces import name_key

    settings.outcomes  # noqa: B018 - read now so that malformed settings fail at load
    settings.prosecution_measures  # noqa: B018
    settings.event_kinds  # noqa: B018
    settings.targets  # noqa: B018
    settings.population_lag_months  # noqa: B018

    forces = {f.name for f in settings.forces}
    spellings = {name_key(s) for f in settings.forces for s in (f.name, *f.aliases)}
    for area in settings.cps_areas:
        for force in area.forces:
            if force not in forces:
                raise SettingsError(f"CPS Area {area.name!r} names the force {force!r}, which is not in [[forces]]")
        for spelling in (area.name, *area.aliases):
            if name_key(spelling) in spellings:
                raise SettingsError(f"CPS Area spelling {spelling!r} is also a force's name; keep them apart")


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

    @cached_property
    def recommendations(self) -> RecommendationSettings:
        """Status categories and words, editors and known inspection reports."""
        return _recommendation_settings(self.raw)

    @cached_property
    def outcomes(self) -> OutcomeSettings:
        """The two outcome counts, the outcome groups and the outcome types."""
        return _outcome_settings(self.raw)

    @cached_property
    def prosecution_measures(self) -> tuple[ProsecutionMeasure, ...]:
        """Measures of the local prosecutions and orders return, in configuration order."""
        return _prosecution_measures(self.raw)

    @cached_property
    def cps_areas(self) -> tuple[CpsArea, ...]:
        """CPS Areas and their forces (the two London Areas both cover both London forces)."""
        return _cps_areas(self.raw)

    def cps_areas_of(self, force: str) -> tuple[str, ...]:
        """The CPS Area(s) covering a force: two for the Metropolitan Police and the City of London."""
        return tuple(a.name for a in self.cps_areas if force in a.forces)

    @cached_property
    def event_kinds(self) -> tuple[EventKind, ...]:
        """Kinds of local event, in configuration order."""
        return _event_kinds(self.raw)

    @cached_property
    def branding(self) -> Branding:
        """The office's name, logo and colours for exports and packs."""
        return _branding(self.raw)

    @cached_property
    def targets(self) -> Targets:
        """The office's targets for the headline cards (none shipped: a target is a local decision)."""
        return _targets(self.raw)

    @cached_property
    def suppression(self) -> SuppressionRules:
        """Small-number protection for exports, press packs, the meeting pack and presentation mode."""
        return _suppression(self.raw)

    @property
    def population_lag_months(self) -> int:
        """How far before a year ending's last day the population's mid-year falls (see ``periods.population_year``)."""
        return _population_lag(self.raw)


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
