"""Force names as the tables spell them: aliases folded to the canonical Home Office spelling."""

from __future__ import annotations

import difflib
import re

from data_loaders.settings import Settings


def name_key(name: object) -> str:
    """A force name folded for matching: lower case, '&' as 'and', punctuation as space."""
    text = str(name).replace("\ufeff", "").strip().lower().replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


class ForceNames:
    """Resolves any known spelling of a force to its canonical name."""

    def __init__(self, settings: Settings):
        self._canonical: dict[str, str] = {}
        for force in settings.forces:
            for spelling in (force.name, *force.aliases):
                self._canonical[name_key(spelling)] = force.name
        self._territorial = {f.name: f.territorial for f in settings.forces}

    def resolve(self, name: object) -> str | None:
        """The canonical name, or None when the spelling is unknown."""
        return self._canonical.get(name_key(name))

    def is_territorial(self, canonical: str) -> bool:
        return self._territorial[canonical]

    def suggestion(self, name: object) -> str:
        """What to say about an unknown force: the closest known name, if any."""
        close = difflib.get_close_matches(name_key(name), list(self._canonical), n=1, cutoff=0.75)
        if close:
            return f"expected a police force name; did you mean '{self._canonical[close[0]]}'?"
        return "expected a police force name as the Home Office spells it (see [[forces]] in the settings)"
