"""Settings of the editor sign-in throttle (``[sign_in]``): how failed attempts are slowed, then locked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from data_loaders.settings.base import SettingsError, number, with_defaults

SECTION = "sign_in"
# The least each number may be; ``attempts_before_lock`` is a whole number.
LEAST = {"attempts_before_lock": 1, "lock_minutes": 0, "first_delay_seconds": 0, "delay_growth": 1}


@dataclass(frozen=True)
class SignInThrottle:
    """How failed editor sign-ins are slowed and locked, per name (or account) and per client.

    After the nth failure (n below ``attempts_before_lock``) the next attempt is not checked for
    ``first_delay_seconds * delay_growth ** (n - 1)`` seconds; the ``attempts_before_lock``-th failure
    locks the name and the client for ``lock_minutes``, when even the right password is refused.
    ``client_address_header`` names the header a trusted reverse proxy writes the client's address
    into (its last address is taken); empty: the address of the connection itself.
    """

    attempts_before_lock: int = 5
    lock_minutes: float = 15
    first_delay_seconds: float = 1.0
    delay_growth: float = 2.0
    client_address_header: str = ""

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


def _sign_in_throttle(raw: dict[str, Any]) -> SignInThrottle:
    section = with_defaults(raw, SECTION, SignInThrottle)
    unknown = sorted(set(section) - {f.name for f in fields(SignInThrottle)})
    if unknown:
        raise SettingsError(f"settings [{SECTION}] has unknown keys: {', '.join(unknown)}")
    header = section["client_address_header"]
    if not isinstance(header, str):
        raise SettingsError(f"settings [{SECTION}] client_address_header {header!r} must be a header name or empty")
    numbers = {
        key: number(SECTION, key, section[key], whole=key == "attempts_before_lock", least=least)
        for key, least in LEAST.items()
    }
    return SignInThrottle(**numbers, client_address_header=header.strip())
