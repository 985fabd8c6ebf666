"""The settings' error and the core records: offence codes, forces and series breaks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
