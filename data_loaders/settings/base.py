"""The settings' error, the reading of a table of numbers, and the core records: offence codes, forces, series breaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any


class SettingsError(ValueError):
    """A settings file is missing, unreadable or inconsistent."""


def with_defaults(raw: dict[str, Any], section: str, record: type) -> dict[str, Any]:
    """The ``[section]`` table of ``raw`` over the defaults of ``record``'s fields (keys it does not know kept)."""
    return {**{f.name: f.default for f in fields(record)}, **raw.get(section, {})}


def number(section: str, key: str, value: Any, *, whole: bool, least: float) -> Any:
    """``value`` of ``[section] key``, checked to be a number (``whole``: a whole number) of ``least`` or more."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        raise SettingsError(f"settings [{section}] {key} {value!r} must be {kind} of {least:g} or more")
    if value < least:
        raise SettingsError(f"settings [{section}] {key} {value!r} must be {least:g} or more")
    return value


@dataclass(frozen=True)
class Defined:
    """Something the settings define for the pages: its key, the label shown, and what it counts."""

    key: str
    label: str
    definition: str


def defined(entry: dict[str, Any]) -> dict[str, str]:
    """The key, label and definition (empty when not given) of a settings entry, as :class:`Defined` takes them."""
    return {"key": entry["key"], "label": entry["label"], "definition": entry.get("definition", "")}


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
