"""Settings of the local returns: prosecution and order measures, CPS Areas, kinds of local event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from data_loaders.settings.base import Defined, SettingsError, defined
from data_loaders.settings.recommendations import _date_or_none


@dataclass(frozen=True)
class ProsecutionMeasure(Defined):
    """A measure of the local prosecutions and orders return."""

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
                **defined(m),
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
