"""Crime outcome settings: the two outcome counts, the outcome groups and the outcome types 0-22."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data_loaders.settings.base import Defined, SettingsError, defined


@dataclass(frozen=True)
class OutcomeCount(Defined):
    """One of the two counts of the outcomes tables, with the words charts use for it."""


@dataclass(frozen=True)
class OutcomeGroup(Defined):
    """A group of outcome types; ``counted`` is False for "not yet assigned", which is no outcome."""

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
            counts=tuple(OutcomeCount(**defined(c)) for c in raw["outcome_counts"]),
            groups=tuple(
                OutcomeGroup(
                    **defined(g),
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
