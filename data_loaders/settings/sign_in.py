"""Settings of the editor sign-in throttle (``[sign_in]``): how failed attempts are slowed, then locked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from data_loaders.settings.base import SettingsError

SECTION = "sign_in"
DEFAULTS: dict[str, Any] = {
    "attempts_before_lock": 5,
    "lock_minutes": 15,
    "first_delay_seconds": 1.0,
    "delay_growth": 2.0,
    "client_address_header": "",
}


@dataclass(frozen=True)
class SignInThrottle:
    """How failed editor sign-ins are slowed and locked, per name (or account) and per client.

    After the nth failure (n below ``attempts_before_lock``) the next attempt is not checked for
    ``first_delay_seconds * delay_growth ** (n - 1)`` seconds; the ``attempts_before_lock``-th failure
    locks the name and the client for ``lock_minutes``, when even the right password is refused.
    ``client_address_header`` names the header a trusted reverse proxy writes the client's address
    into (its last address is taken); empty: the address of the connection itself.
    """

    attempts_before_lock: int = DEFAULTS["attempts_before_lock"]
    lock_minutes: float = DEFAULTS["lock_minutes"]
    first_delay_seconds: float = DEFAULTS["first_delay_seconds"]
    delay_growth: float = DEFAULTS["delay_growth"]
    client_address_header: str = DEFAULTS["client_address_header"]

    @property
    def lock(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.lock_minutes)

    def delay_after(self, failures: int) -> dt.timedelta:
        """How long after the ``failures``-th failure in a row the next attempt waits (none before the first).

        >>> SignInThrottle().delay_after(3)
        datetime.timedelta(seconds=4)
        """
        if failures < 1:
            return dt.timedelta(0)
        return dt.timedelta(seconds=self.first_delay_seconds * self.delay_growth ** (failures - 1))


def _number(key: str, value: Any, *, whole: bool, least: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        kind = "a whole number" if whole else "a number"
        raise SettingsError(f"settings [{SECTION}] {key} {value!r} must be {kind} of {least:g} or more")
    if value < least:
        raise SettingsError(f"settings [{SECTION}] {key} {value!r} must be {least:g} or more")
    return value


def _sign_in_throttle(raw: dict[str, Any]) -> SignInThrottle:
    section = {**DEFAULTS, **raw.get(SECTION, {})}
    unknown = sorted(set(section) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"settings [{SECTION}] has unknown keys: {', '.join(unknown)}")
    header = section["client_address_header"]
    if not isinstance(header, str):
        raise SettingsError(f"settings [{SECTION}] client_address_header {header!r} must be a header name or empty")
    return SignInThrottle(
        attempts_before_lock=int(_number("attempts_before_lock", section["attempts_before_lock"], whole=True, least=1)),
        lock_minutes=_number("lock_minutes", section["lock_minutes"], whole=False, least=0),
        first_delay_seconds=_number("first_delay_seconds", section["first_delay_seconds"], whole=False, least=0),
        delay_growth=_number("delay_growth", section["delay_growth"], whole=False, least=1),
        client_address_header=header.strip(),
    )
