"""Status words map to categories from configuration; reports are recognised from their titles."""

import datetime as dt

import pytest

from data_loaders.settings import SettingsError, load_settings

SUSSEX_TITLE = (
    "STALKING AND HARASSMENT - AN INSPECTION OF SUSSEX POLICE COMMISSIONED BY THE POLICE AND CRIME "
    "COMMISSIONER, AND AN UPDATE ON NATIONAL RECOMMENDATIONS IN HMICFRS'S 2017 REPORT"
)


@pytest.fixture
def recs(settings):
    return settings.recommendations


def test_categories_and_closed_categories(recs):
    assert recs.categories == ("not started", "in progress", "complete", "will not be progressed")
    assert recs.closed == ("complete", "will not be progressed")
    assert recs.is_closed("complete") and recs.is_closed("will not be progressed")
    assert not recs.is_closed("in progress") and not recs.is_closed("unknown")


@pytest.mark.parametrize(
    ("word", "category"),
    [
        ("awaiting-review", "not started"),
        ("Awaiting Review", "not started"),
        ("AWAITING_REVIEW", "not started"),
        ("being-progressed", "in progress"),
        ("Being progressed", "in progress"),
        ("will-not-be-progressed", "will not be progressed"),
        ("Will not be progressed", "will not be progressed"),
        ("complete", "complete"),
        ("Completed", "complete"),
        ("closed", "complete"),
        ("Achieved", "complete"),
        ("implemented", "complete"),
        ("In progress", "in progress"),
        ("not-started", "not started"),
        ("  being -  progressed ", "in progress"),
    ],
)
def test_known_status_words_map_ignoring_case_spaces_and_hyphens(recs, word, category):
    mapped = recs.categorise(word)
    assert (mapped.category, mapped.known) == (category, True)


def test_the_source_word_is_kept_as_written(recs):
    assert recs.categorise("Being progressed").source == "Being progressed"
    assert recs.categorise("  awaiting-review ").source == "awaiting-review"


def test_unknown_words_are_kept_counted_as_unknown_and_flagged(recs):
    mapped = recs.categorise("Partially achieved")
    assert (mapped.source, mapped.category, mapped.known) == ("Partially achieved", "unknown", False)


def test_no_status_yet_counts_as_not_started(recs):
    assert recs.categorise(None).category == "not started"
    assert recs.categorise("  ").source is None


def test_the_three_known_reports(recs):
    assert [(r.key, r.published) for r in recs.reports] == [
        ("living-in-fear-2017", dt.date(2017, 7, 5)),
        ("sussex-and-national-update-2019", dt.date(2019, 4, 10)),
        ("police-response-to-stalking-2024", dt.date(2024, 9, 27)),
    ]
    assert recs.reports[0].recommendation_count == 22
    assert recs.reports[2].recommendation_count == 29


@pytest.mark.parametrize(
    ("title", "key"),
    [
        (SUSSEX_TITLE, "sussex-and-national-update-2019"),
        (
            "Stalking and harassment: an inspection of Sussex Police commissioned by the Police and Crime "
            "Commissioner, and an update on national recommendations in HMICFRS\u2019s 2017 report",
            "sussex-and-national-update-2019",
        ),
        ("Living in fear \u2013 the police and CPS response to harassment and stalking", "living-in-fear-2017"),
        ("The police response to stalking: report on the super-complaint", "police-response-to-stalking-2024"),
        ("PEEL 2023: an inspection of Devon and Cornwall Police", None),
    ],
)
def test_reports_are_recognised_from_the_title(recs, title, key):
    report = recs.report_for_title(title)
    assert (report.key if report else None) == key


def test_a_users_file_adds_status_words_and_editors(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text(
        '[recommendations]\neditors = ["Analyst@OPCC.example"]\n\n[recommendations.status_words]\ndone = "complete"\n'
    )
    recs = load_settings(user).recommendations
    assert recs.categorise("Done").category == "complete"
    assert recs.categorise("awaiting-review").category == "not started"
    assert recs.editors == ("Analyst@OPCC.example",)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[recommendations.status_words]\nfinished = "finished"\n', "'finished', which is not in categories"),
        ('[recommendations]\nclosed = ["done"]\n', "'done', which is not in categories"),
        ('[recommendations]\nunknown_category = "complete"\n', "unknown_category must not be one of the categories"),
        (
            '[[inspection_reports]]\nkey = "x"\ntitle = "X"\npublished = "2019-13-01"\n',
            "[[inspection_reports]] are malformed",
        ),
        ('[[inspection_reports]]\nkey = "x"\ntitle = "X"\ntitle_patterns = ["(unclosed"]\n', "is not valid"),
    ],
)
def test_malformed_recommendation_settings_are_refused_at_load(tmp_path, toml, message):
    user = tmp_path / "bad.toml"
    user.write_text(toml)
    with pytest.raises(SettingsError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_settings(user)
