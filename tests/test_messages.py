"""Key-message sentences: rises, falls, no change, zero base and too little data."""

import datetime as dt

from dashboard.figures.metrics import YearEndingComparison
from dashboard.words import messages

END = dt.date(2025, 3, 31)


def test_rise():
    sentence = messages.change_sentence("Stalking", YearEndingComparison(END, 1624, 1490))
    assert sentence == "Recorded stalking rose 9% to 1,624 in the year ending March 2025 (from 1,490)."


def test_fall():
    sentence = messages.change_sentence("stalking and harassment", YearEndingComparison(END, 12129, 12729))
    assert sentence == (
        "Recorded stalking and harassment fell 5% to 12,129 in the year ending March 2025 (from 12,729)."
    )


def test_no_change():
    sentence = messages.change_sentence("harassment", YearEndingComparison(END, 500, 500))
    assert sentence == "Recorded harassment was unchanged at 500 in the year ending March 2025."


def test_tiny_change_is_given_as_a_count():
    sentence = messages.change_sentence("harassment", YearEndingComparison(END, 10_003, 10_000))
    assert sentence == "Recorded harassment rose by 3 to 10,003 in the year ending March 2025 (from 10,000)."


def test_from_zero():
    sentence = messages.change_sentence("stalking", YearEndingComparison(END, 4, 0))
    assert sentence == "Recorded stalking rose to 4 in the year ending March 2025, from none the year before."


def test_no_previous_year():
    sentence = messages.change_sentence("stalking", YearEndingComparison(END, 40, None))
    assert sentence == (
        "Recorded stalking was 40 in the year ending March 2025; there is no earlier full year to compare it with."
    )


def test_too_little_data():
    assert messages.change_sentence("Stalking", None) == "There is not yet a full year of data on stalking to report."
    assert (
        messages.change_sentence("stalking", YearEndingComparison(END, None, None))
        == "There is not yet a full year of data on stalking to report."
    )


def test_rate_sentences():
    assert messages.rate_sentence("Devon and Cornwall", 8.43, "England and Wales", 10.02) == (
        "Devon and Cornwall recorded 8.4 offences per 1,000 people, below the England and Wales rate of 10.0."
    )
    assert messages.rate_sentence("Devon and Cornwall", 10.04, "England and Wales", 10.01).endswith(
        "the same as the England and Wales rate of 10.0."
    )
    assert messages.rate_sentence("Kent", None, "England and Wales", 10.0) == (
        "No rate per 1,000 people can be given for Kent: its population is not loaded."
    )


def test_share_sentences():
    period = "year ending March 2025"
    assert messages.share_sentence("charges or summonses", 0.07, 0.09, period) == (
        "7.0% of outcomes assigned in the year ending March 2025 were charges or summonses, down from 9.0% the year "
        "before."
    )
    assert messages.share_sentence("charges or summonses", 0.0711, 0.0709, period).endswith(
        "the same as the year before."
    )
    assert messages.share_sentence("charges or summonses", None, None, period) == (
        "No outcomes have been assigned in the year ending March 2025, so no share of charges or summonses can be given."
    )


def test_outcome_and_conviction_shares_have_their_own_words_with_and_without_a_share():
    from dashboard.words import outcomes as outcome_words

    period = "year ending March 2025"
    assert outcome_words.outcome_share_sentence("charges or summonses", 0.125, 0.1, period, "for_recorded") == (
        "12.5% of the outcomes so far of offences recorded in the year ending March 2025 were charges or summonses, "
        "up from 10.0% the year before."
    )
    assert outcome_words.outcome_share_sentence("charges or summonses", None, 0.1, period, "for_recorded") == (
        "Too few offences recorded in the year ending March 2025 have outcomes yet to give a share of charges or "
        "summonses."
    )
    assert outcome_words.conviction_sentence("Kent", 0.8, None, period) == (
        "80.0% of prosecutions completed in Kent in the year ending March 2025 ended in a conviction."
    )
    assert outcome_words.conviction_sentence("Kent", None, 0.8, period) == (
        "No conviction rate can be given for Kent in the year ending March 2025: too few prosecutions completed."
    )


def test_a_share_ends_its_sentence_against_the_year_before_as_shown():
    from dashboard.words.messages import share_change

    assert share_change(0.07, None) == "."
    assert share_change(0.0711, 0.0709) == ", the same as the year before."  # both shown as 7.1%
    assert share_change(0.071, 0.069) == ", up from 6.9% the year before."
    assert share_change(0.10, 0.07) == ", up from 7.0% the year before."
    assert share_change(0.034, 0.04) == ", down from 4.0% the year before."


def test_the_overdue_sentence_agrees_in_number_and_says_when_nothing_is_loaded():
    assert messages.overdue_sentence(4, 15) == "4 of 15 recommendations are overdue"
    assert messages.overdue_sentence(1, 15) == "1 of 15 recommendations is overdue"
    assert messages.overdue_sentence(0, 15) == "None of the 15 recommendations loaded is overdue"
    assert messages.overdue_sentence(0, 0) == "No recommendations are loaded"
    assert messages.overdue_sentence(1_204, 2_000) == "1,204 of 2,000 recommendations are overdue"
