"""Filters survive a round trip through the page URL; hand-edited links fall back safely."""

import datetime as dt

from dashboard.figures.selection import Filters, from_query_params

FORCES = ["Devon and Cornwall", "Dorset", "Kent", "Wiltshire"]
CATEGORIES = ["Stalking", "Harassment", "Malicious communications"]
DEFAULTS = Filters(force="Devon and Cornwall", peers=("Dorset", "Wiltshire"), categories=tuple(CATEGORIES))


def test_defaults_make_an_empty_query():
    assert DEFAULTS.to_query_params(DEFAULTS) == {}


def test_round_trip():
    chosen = Filters(
        force="Kent",
        peers=("Dorset",),
        categories=("Stalking",),
        start=dt.date(2020, 4, 1),
        end=dt.date(2024, 3, 1),
        granularity="month",
        measure="rate",
        outcome_count="for_offences",
    )
    params = chosen.to_query_params(DEFAULTS)
    assert params == {
        "force": "Kent",
        "peers": "Dorset",
        "cat": "Stalking",
        "from": "2020-04",
        "to": "2024-03",
        "gran": "month",
        "measure": "rate",
        "oc": "for_offences",
    }
    assert from_query_params(params, DEFAULTS, FORCES, CATEGORIES) == chosen


def test_no_peers_is_kept_as_a_choice():
    chosen = Filters(force="Devon and Cornwall", peers=(), categories=tuple(CATEGORIES))
    params = chosen.to_query_params(DEFAULTS)
    assert params == {"peers": "-"}
    assert from_query_params(params, DEFAULTS, FORCES, CATEGORIES).peers == ()


def test_hand_edited_nonsense_falls_back_to_defaults():
    params = {"force": "Atlantis", "peers": "Nowhere", "from": "2020-13", "gran": "weekly", "measure": "x", "oc": "?"}
    assert from_query_params(params, DEFAULTS, FORCES, CATEGORIES) == DEFAULTS


def test_unknown_names_are_dropped_from_lists():
    params = {"peers": "Kent,Nowhere", "cat": "Stalking,Burglary"}
    parsed = from_query_params(params, DEFAULTS, FORCES, CATEGORIES)
    assert (parsed.peers, parsed.categories) == (("Kent",), ("Stalking",))


def test_every_parameter_the_filters_write_is_one_they_own():
    from dashboard.figures.selection import PARAMS

    everything = Filters(
        force="Kent",
        peers=(),
        categories=(),
        start=dt.date(2020, 4, 1),
        end=dt.date(2024, 3, 1),
        granularity="month",
        measure="rate",
        outcome_count="for_offences",
    )
    assert set(everything.to_query_params(DEFAULTS)) == set(PARAMS)
