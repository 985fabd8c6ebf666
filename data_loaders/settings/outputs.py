"""Settings for what leaves the app: branding, small-number suppression, targets, the population year rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_loaders.settings.base import SettingsError


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
    # Unpublished local figures protected like figures below force level: keys of [[prosecution_measures]]
    # (the prosecutions and orders return) and "events" (figures in the local events file).
    protected: tuple[str, ...] = ()


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


def _suppression(raw: dict[str, Any], known: tuple[str, ...] = ()) -> SuppressionRules:
    """``[suppression]``; ``known`` are the keys ``protected`` may name (the return's measures and "events")."""
    section = raw.get("suppression", {})
    for key in ("threshold", "minimum_base"):
        if isinstance(section.get(key), bool | float):
            raise SettingsError(f"settings [suppression] {key} {section[key]!r} must be a whole number")
    try:
        threshold, minimum_base = int(section.get("threshold", 4)), int(section.get("minimum_base", 10))
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"settings [suppression] must give whole numbers: {exc}") from exc
    if threshold < 0 or minimum_base < 0:
        raise SettingsError("settings [suppression] threshold and minimum_base may not be negative")
    protected = section.get("protected", [])
    if not isinstance(protected, list) or not all(isinstance(p, str) for p in protected):
        raise SettingsError('settings [suppression] protected must be a list of measure keys, such as ["spo_breaches"]')
    unknown = [p for p in protected if known and p not in known]
    if unknown:
        raise SettingsError(
            f"settings [suppression] protected names {', '.join(map(repr, unknown))}, which is not a measure of the "
            f'prosecutions and orders return or "events": choose from {", ".join(known)}'
        )
    return SuppressionRules(threshold, minimum_base, tuple(dict.fromkeys(protected)))


def _population_lag(raw: dict[str, Any]) -> int:
    value = raw.get("population", {}).get("lag_months", 15)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 36:
        raise SettingsError(f"settings [population] lag_months {value!r} must be a whole number of months from 0 to 36")
    return value
