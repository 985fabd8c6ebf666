"""Who may record recommendation updates: the one decision, and the local editor password.

With sign-in configured (an ``[auth]`` block in ``.streamlit/secrets.toml``; offices commonly
use Microsoft Entra ID through ``st.login``), editors are the signed-in people whose e-mail is
listed in the settings. Without sign-in, on a single-machine install, editing needs the local
editor password; only its hash is kept in the secrets, made with ``pcc-dashboard hash-password``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable

# The key in .streamlit/secrets.toml that holds the local editor password's hash.
PASSWORD_SECRET = "editor_password_hash"
SCHEME = "scrypt"
# scrypt cost: n=2**14, r=8, p=1 takes about 16 MB and a few tens of milliseconds, as OWASP advises.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32


def email_key(email: str) -> str:
    """An e-mail address folded for comparison: spaces trimmed, case ignored."""
    return email.strip().casefold()


def may_edit(
    user_email: str | None,
    *,
    auth_configured: bool,
    editors: Iterable[str],
    password_ok: bool,
) -> bool:
    """Whether this person may record updates.

    With sign-in configured only a signed-in editor named in the settings may edit, and the
    local password is ignored (it must not open a back door round sign-in). Without sign-in,
    the local editor password decides.

    >>> may_edit("Analyst@Opcc.example", auth_configured=True, editors=["analyst@opcc.example"], password_ok=False)
    True
    """
    if auth_configured:
        if not user_email or not user_email.strip():
            return False
        allowed = {email_key(e) for e in editors if e and e.strip()}
        return email_key(user_email) in allowed
    return bool(password_ok)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=KEY_BYTES)


def hash_password(password: str) -> str:
    """A salted scrypt hash of a password, as ``scrypt$n$r$p$salt$key`` (the salt and key base64)."""
    if not password:
        raise ValueError("the editor password must not be empty")
    salt = os.urandom(SALT_BYTES)
    key = _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def check_password(password: str | None, stored_hash: str | None) -> bool:
    """Whether a password matches a hash from :func:`hash_password`; a malformed hash matches nothing.

    The comparison takes the same time however much of the key matches.
    """
    if not password or not stored_hash:
        return False
    try:
        scheme, n, r, p, salt, key = stored_hash.strip().split("$")
        if scheme != SCHEME:
            return False
        expected = _unb64(key)
        actual = _derive(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)
