"""The cell parsers every loader shares: each returns ``(value, None)``, or ``(None, what was expected)``.

What was expected is written for the person who fixes the file, and :class:`data_loaders.refusals.Problem`
places it at its sheet, row and column. Bounds on what is plausible (settings ``[limits]``) are added by
:mod:`data_loaders.limits`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from data_loaders import limits
from data_loaders.tables import is_blank

# The longest code in the national table is a combined one such as ``1/4.1/4.10/4.2``.
MAX_CODE_LENGTH = 40


def parse_count(value: object, *, allow_negative: bool = False) -> tuple[int | None, str | None]:
    """A whole number (of 0 or more unless ``allow_negative``); thousands separators accepted; within 64 bits."""
    return limits.whole_number(value, allow_negative=allow_negative)


def parse_offence_code(value: object) -> tuple[str | None, str | None]:
    """An offence code as the Home Office publishes it (``8Q``, ``37.2``, ``1/4.1/4.10/4.2``, ``FFA UK``).

    Every code the Home Office uses is accepted, whatever its shape: a loader keeps the codes of
    the configuration and passes over the rest. A code stored as a number is read back to the
    text the table shows: the 2012-13 sheet holds ``37.2`` as ``37.200000000000003``.
    """
    if isinstance(value, bool) or is_blank(value):
        return None, "expected an offence code such as '8Q'"
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else format(value, ".15g")
    else:
        text = " ".join(str(value).split())
    if len(text) > MAX_CODE_LENGTH:
        return None, f"expected an offence code such as '8Q' (at most {MAX_CODE_LENGTH} characters)"
    return text, None


def configured_codes(codes: Iterable[str | None], configured: Iterable[str]) -> list[str | None]:
    """Each code in the configuration's spelling (matched ignoring case), or None for a code it does not count."""
    wanted = {c.upper(): c for c in configured}
    keys, uniques = pd.factorize(np.asarray(list(codes), dtype=object), use_na_sentinel=False)
    found = [wanted.get(code.upper()) if isinstance(code, str) else None for code in uniques]
    return [found[key] for key in keys]


def code_order(code: str) -> tuple:
    """A sort key that puts codes in the Home Office's order: ``4.2`` before ``4.10``, ``8L`` before ``10A``."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", code))


FINANCIAL_YEAR = re.compile(r"^(?:fy\s*)?(\d{4})\s*[/_-]\s*(\d{2}|\d{4})$", re.IGNORECASE)


def parse_financial_year(value: object) -> tuple[str | None, str | None]:
    """A financial year written 2019/20 (also 2019-20, 2019_20, 2019/2020), returned as 2019/20."""
    expected = "expected a financial year such as '2019/20'"
    match = FINANCIAL_YEAR.match(str(value).strip())
    if not match:
        return None, expected
    start = int(match.group(1))
    if not 1 <= start < dt.MAXYEAR - 1:  # year 0 and year 10,000 are no dates at all
        return None, expected
    end = match.group(2)
    end_full = int(end) if len(end) == 4 else start + (int(end) - start) % 100
    if end_full != start + 1:
        return None, expected + " (the second year must follow the first)"
    return f"{start}/{str(start + 1)[-2:]}", None


def financial_year_within(bounds) -> Callable[[object], tuple[str | None, str | None]]:
    """A financial-year parser that also refuses a year outside the plausible range ``bounds`` (settings [limits])."""
    return limits.checked(parse_financial_year, lambda year: limits.financial_year_problem(year, bounds))


def parse_quarter(value: object) -> tuple[int | None, str | None]:
    """A financial quarter written 1-4 or Q1-Q4."""
    expected = "expected a financial quarter 1, 2, 3 or 4 (or Q1-Q4)"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().upper().replace(" ", "")
    text = text[1:] if text.startswith("Q") else text
    if text in {"1", "2", "3", "4"}:
        return int(text), None
    return None, expected
