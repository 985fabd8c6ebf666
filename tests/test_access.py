"""The one decision on who may record updates, and the local editor password hash."""

import pytest

from dashboard.ui.sign_in import check_password, hash_password, may_edit

EDITORS = ["analyst@opcc.example", " Chief.Exec@OPCC.example "]


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("analyst@opcc.example", True),
        ("ANALYST@OPCC.EXAMPLE", True),
        ("  Analyst@Opcc.Example ", True),
        ("chief.exec@opcc.example", True),
        ("viewer@opcc.example", False),
        ("analyst@opcc.example.evil", False),
        ("", False),
        (None, False),
    ],
)
def test_with_sign_in_only_listed_editors_may_edit(email, expected):
    assert may_edit(email, auth_configured=True, editors=EDITORS, password_ok=False) is expected


def test_with_sign_in_the_local_password_opens_nothing():
    assert may_edit("viewer@opcc.example", auth_configured=True, editors=EDITORS, password_ok=True) is False
    assert may_edit(None, auth_configured=True, editors=EDITORS, password_ok=True) is False


def test_with_sign_in_and_no_editors_nobody_may_edit():
    assert may_edit("analyst@opcc.example", auth_configured=True, editors=[], password_ok=True) is False
    assert may_edit("", auth_configured=True, editors=[""], password_ok=False) is False


def test_without_sign_in_the_password_decides():
    assert may_edit(None, auth_configured=False, editors=[], password_ok=True) is True
    assert may_edit(None, auth_configured=False, editors=[], password_ok=False) is False
    assert may_edit("analyst@opcc.example", auth_configured=False, editors=EDITORS, password_ok=False) is False


def test_password_hash_round_trip():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("scrypt$16384$8$1$")
    assert "correct horse" not in stored
    assert check_password("correct horse battery staple", stored) is True
    assert check_password("Correct horse battery staple", stored) is False
    assert check_password("", stored) is False
    assert check_password(None, stored) is False


def test_each_hash_has_its_own_salt():
    assert hash_password("same") != hash_password("same")


@pytest.mark.parametrize(
    "stored",
    [None, "", "plain text password", "scrypt$x$8$1$abc$def", "pbkdf2$1$2$3$abc$def", "scrypt$16384$8$1$!!$??"],
)
def test_a_malformed_hash_matches_nothing(stored):
    assert check_password("anything", stored) is False


def test_an_empty_password_cannot_be_hashed():
    with pytest.raises(ValueError, match="must not be empty"):
        hash_password("")
