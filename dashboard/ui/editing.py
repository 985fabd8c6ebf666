"""Signing in to record progress on recommendations: the sidebar fragment, and who the editor is.

With an ``[auth]`` block in the secrets, people sign in with their work account (``st.login``,
OpenID Connect; Microsoft Entra ID in most offices) and the editors are the e-mail addresses in
the settings. Without one, a single-machine install uses the local editor password, whose hash
(never the password) is in the secrets under :data:`dashboard.ui.sign_in.PASSWORD_SECRET`; the
session remembers only the name the editor gave. The decision itself is
:func:`dashboard.ui.sign_in.may_edit`.

Failed attempts (a wrong password; a work account that is not an editor) are slowed and then locked
per name or account and per client, in the database (:mod:`dashboard.ui.throttle`, settings
``[sign_in]``), and logged without the password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from dashboard import queries
from dashboard.ui import throttle
from dashboard.ui.components import escape_markdown
from dashboard.ui.sign_in import PASSWORD_SECRET, check_password, may_edit
from data_loaders.settings import Settings, SignInThrottle

# The session's record of a local sign-in: the editor's name, never the password.
SIGNED_IN_KEY = "editor_signed_in_as"
SIGN_IN_ERROR_KEY = "editor_sign_in_error"
# The session's decision on a work account: (e-mail, may edit, refused until or None, message).
ACCOUNT_CHECKED_KEY = "editor_account_checked"
WRONG_PASSWORD = "That password is not the editor password."
NOT_AN_EDITOR = "not listed as an editor"
SETUP_NOTE = (
    "Recording progress is not set up here: configure sign-in or an editor password "
    "(README, 'Signing in as an editor')."
)


@dataclass(frozen=True)
class Editor:
    """Someone who may record updates, named as the history and the audit log record them."""

    name: str


def _secrets() -> Mapping:
    """The secrets, or nothing when the installation has no secrets file."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def auth_configured() -> bool:
    """Whether sign-in (an ``[auth]`` block in the secrets) is configured."""
    return "auth" in _secrets()


def password_hash() -> str | None:
    """The local editor password's hash from the secrets, or None."""
    value = _secrets().get(PASSWORD_SECRET)
    return str(value).strip() if value and str(value).strip() else None


def providers() -> list[str | None]:
    """The sign-in providers: each named ``[auth.NAME]`` block, or the ``[auth]`` block itself (None)."""
    section = _secrets().get("auth", {})
    named = [name for name, value in section.items() if isinstance(value, Mapping)]
    return named or [None]


def client_address(limits: SignInThrottle) -> str | None:
    """The client's address: the last one in the trusted proxy's header when one is set, else the connection's.

    None for a browser on the server's own machine (Streamlit gives no address then).
    """
    if limits.client_address_header:
        forwarded = st.context.headers.get(limits.client_address_header)
        if isinstance(forwarded, str) and forwarded.split(",")[-1].strip():
            return forwarded.split(",")[-1].strip()
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def current_editor(settings: Settings) -> Editor | None:
    """Draw the sign-in in the sidebar; the editor signed in to this session, or None for a viewer."""
    with st.sidebar:
        st.markdown("**Recording progress**")
        if auth_configured():
            return _signed_in_editor(settings)
        stored = password_hash()
        if stored:
            return _password_editor(stored, settings.sign_in)
        st.caption(SETUP_NOTE)
        return None


def _signed_in_editor(settings: Settings) -> Editor | None:
    if not st.user.get("is_logged_in"):
        st.caption("Editors sign in with their work account to record progress.")
        for provider in providers():
            label = "Sign in" if provider is None else f"Sign in with {provider.capitalize()}"
            if st.button(label, key=f"editor_sign_in_{provider or 'default'}", icon=":material/login:"):
                _login(provider)
        return None
    email = str(st.user.get("email") or "")
    listed = may_edit(email, auth_configured=True, editors=settings.recommendations.editors, password_ok=False)
    allowed, message = _account_decision(email, listed, settings.sign_in)
    role = "editor" if allowed else f"view only: {NOT_AN_EDITOR}" if not listed else "view only"
    st.caption(f"Signed in as {escape_markdown(email or 'an account without an e-mail address')} ({role}).")
    if message:
        st.error(message, icon=":material/lock_clock:")
    if st.button("Sign out", key="editor_sign_out", icon=":material/logout:"):
        st.logout()
    return Editor(email) if allowed else None


def _account_decision(email: str, listed: bool, limits: SignInThrottle) -> tuple[bool, str]:
    """Whether the signed-in account may edit in this session, and what to tell it; counted once a session.

    An account that is not an editor counts as a failed editor sign-in for the account and the
    client; while either is locked (or inside its delay) even an editor's account is refused, and it
    is asked again once that time has passed.
    """
    state = st.session_state
    held = state.get(ACCOUNT_CHECKED_KEY)
    if held and held[0] == email and (held[2] is None or held[2] > throttle.now()):
        return held[1], held[3]
    outcome = throttle.attempt(
        queries.engine(),
        limits,
        "account",
        email,
        client_address(limits),
        lambda: listed,
        why=f"work account {NOT_AN_EDITOR}",
    )
    state[ACCOUNT_CHECKED_KEY] = (email, outcome.accepted, outcome.until, outcome.message)
    return outcome.accepted, outcome.message


def _login(provider: str | None) -> None:
    from streamlit.auth_util import is_authlib_installed

    if not is_authlib_installed():
        st.error(
            "Sign-in needs the Authlib package (1.3.2 or later), which is not installed here.",
            icon=":material/error:",
        )
        return
    st.login(provider)


def _check_password(stored_hash: str, limits: SignInThrottle) -> None:
    """Sign in with the local editor password (a form callback); the typed password is dropped at once.

    The attempt is checked only when neither the name nor the client is locked or inside its delay.
    """
    state = st.session_state
    name = " ".join(str(state.get("editor_name") or "").split())
    password = state.get("editor_password") or ""
    state["editor_password"] = ""
    if not name:
        state[SIGN_IN_ERROR_KEY] = "Give your name: it is recorded with each update."
        return
    outcome = throttle.attempt(
        queries.engine(),
        limits,
        "name",
        name,
        client_address(limits),
        lambda: check_password(password, stored_hash),
        why="wrong password",
        wrong=WRONG_PASSWORD,
    )
    if outcome.accepted:
        state[SIGNED_IN_KEY] = name
        state.pop(SIGN_IN_ERROR_KEY, None)
    else:
        state[SIGN_IN_ERROR_KEY] = outcome.message


def _sign_out() -> None:
    st.session_state.pop(SIGNED_IN_KEY, None)


def _password_editor(stored_hash: str, limits: SignInThrottle) -> Editor | None:
    name = st.session_state.get(SIGNED_IN_KEY)
    if name and may_edit(None, auth_configured=False, editors=(), password_ok=True):
        st.caption(f"Signed in as editor: {escape_markdown(name)}.")
        st.button("Sign out", key="editor_sign_out", icon=":material/logout:", on_click=_sign_out)
        return Editor(f"{name} (editor password)")
    with st.form("editor_sign_in_form", border=False):
        st.text_input("Your name", key="editor_name", help="Recorded with each update you save.")
        st.text_input("Editor password", type="password", key="editor_password")
        st.form_submit_button(
            "Sign in as editor", icon=":material/login:", on_click=_check_password, args=(stored_hash, limits)
        )
    error = st.session_state.pop(SIGN_IN_ERROR_KEY, None)
    if error:
        st.error(error, icon=":material/error:")
    return None
