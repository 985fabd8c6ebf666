"""The editor's form on the Recommendations page: a dated update added to a recommendation's history.

The save is refused when someone else saved first since the form was opened (optimistic locking on
the recommendation's version), keeping what the editor typed; every save reaches the audit log,
shown to editors under the form.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import actions, queries
from dashboard.ui import components, editing
from dashboard.ui import recommendation_views as views
from data_loaders.recommendations.store import ConcurrentEditError, EditRefused

NO_CHANGE = "No change: add a comment or evidence only"
OPENED_KEY = "rec_opened_version"  # {recommendation id: the version the editor's form was opened on}
NOTICE_KEY = "rec_save_notice"  # (kind, message, recommendation id) of the last save
CHOSEN_KEY = "rec_chosen"  # the recommendation last chosen, kept while the chooser's tab is hidden


def forget_opened_versions() -> None:
    """A different recommendation was chosen: a form opened later starts from the version then shown.

    Streamlit may also call this when the chooser is drawn again after its tab was hidden (its state was let go
    while hidden), with the same recommendation: that is no new choice, and the editor's opened version stays, so
    a change saved meanwhile elsewhere is still pointed out.
    """
    state = st.session_state
    if state.get(CHOSEN_KEY) == state.get("rec_choice"):
        return
    state[CHOSEN_KEY] = state.get("rec_choice")
    state.pop(OPENED_KEY, None)
    state.pop(NOTICE_KEY, None)


def conflict_message(exc: ConcurrentEditError) -> str:
    """Why a save was refused because someone else saved first, and what to do."""
    who = f": {exc.by}, on {exc.at:%-d %B %Y at %H:%M} UTC" if exc.by and exc.at else ""
    return (
        f"Not saved: someone else saved a change to this recommendation first{who}. Nothing they saved is lost, "
        "and your update is kept in the form. Reload to see their change, then save yours again if it still applies."
    )


def save_update(recommendation_id: int, author: str) -> None:
    """Save the editor's update on the version their form was opened on (a form callback)."""
    state = st.session_state
    expected = state.get(OPENED_KEY, {}).get(recommendation_id)
    status = state[f"rec_new_status_{recommendation_id}"]
    try:
        saved = actions.add_recommendation_update(
            recommendation_id,
            status=None if status == NO_CHANGE else status,
            comment=state[f"rec_new_comment_{recommendation_id}"],
            evidence_link=state[f"rec_new_link_{recommendation_id}"],
            author=author,
            expected_version=expected,
            date=state[f"rec_new_date_{recommendation_id}"],
        )
    except ConcurrentEditError as exc:
        state[NOTICE_KEY] = ("conflict", conflict_message(exc), recommendation_id)
        return
    except EditRefused as exc:
        state[NOTICE_KEY] = ("refused", f"Not saved: {exc}.", recommendation_id)
        return
    state[OPENED_KEY][recommendation_id] = saved.version
    state[f"rec_new_status_{recommendation_id}"] = NO_CHANGE
    state[f"rec_new_comment_{recommendation_id}"] = ""
    state[f"rec_new_link_{recommendation_id}"] = ""
    state[NOTICE_KEY] = ("saved", f"Saved. The status is now {saved.status_category}.", recommendation_id)


def reload_recommendation(recommendation_id: int) -> None:
    """Read the recommendation again; the form then starts from the version shown, keeping what was typed."""
    st.session_state.get(OPENED_KEY, {}).pop(recommendation_id, None)
    st.session_state.pop(NOTICE_KEY, None)
    queries.clear_caches()


def show_notice(recommendation_id: int) -> bool:
    """The outcome of the editor's last save on this recommendation; whether it was refused as stale."""
    notice = st.session_state.get(NOTICE_KEY)
    if not notice or notice[2] != recommendation_id:
        return False
    kind, message, _ = notice
    if kind == "saved":
        st.success(message, icon=":material/check_circle:")
    elif kind == "conflict":
        st.error(message, icon=":material/sync_problem:")
        st.button(
            "Reload the recommendation",
            key="rec_reload",
            icon=":material/refresh:",
            on_click=reload_recommendation,
            args=(recommendation_id,),
        )
    else:
        st.error(message, icon=":material/error:")
    return kind == "conflict"


def show_update_form(row: pd.Series, editor: editing.Editor) -> None:
    """The editor's form: a status from the configured categories, a comment, an evidence link, a date."""
    rec_id = int(row["id"])
    opened = st.session_state.setdefault(OPENED_KEY, {})
    opened.setdefault(rec_id, int(row["version"]))
    st.subheader("Record progress")
    conflict = show_notice(rec_id)
    if opened[rec_id] != int(row["version"]) and not conflict:
        st.warning(
            f"This recommendation has changed since you opened it (version {opened[rec_id]}, now {row['version']}). "
            "Reload to add to the latest version.",
            icon=":material/sync_problem:",
        )
    with st.form(f"rec_update_form_{rec_id}", border=True):
        st.caption(
            f"Adding to version {opened[rec_id]}, as {components.escape_markdown(editor.name)}. "
            "Updates are added to the history; nothing earlier is changed."
        )
        status_col, date_col = st.columns([2, 1])
        status_col.selectbox(
            "New status", [NO_CHANGE, *views.status_choices(queries.settings())], key=f"rec_new_status_{rec_id}"
        )
        date_col.date_input(
            "Date of this progress",
            value=dt.date.today(),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key=f"rec_new_date_{rec_id}",
        )
        st.text_area("Comment", key=f"rec_new_comment_{rec_id}", placeholder="What was done, and what is next")
        st.text_input(
            "Evidence link",
            key=f"rec_new_link_{rec_id}",
            placeholder="https://...",
            help="A web address starting http:// or https:// (or mailto:).",
        )
        st.form_submit_button(
            "Save update",
            type="primary",
            icon=":material/save:",
            on_click=save_update,
            args=(rec_id, editor.name),
        )


def show_audit(recommendation_id: int) -> None:
    """Every saved change to the recommendation and its history, for editors to check what was saved."""
    with st.expander("Audit log of this recommendation (editors only)", icon=":material/history:"):
        st.caption("Every change, newest first: who made it, when, and the fields before and after.")
        st.dataframe(
            views.audit_frame_for_display(queries.recommendation_audit(recommendation_id)),
            hide_index=True,
            width="stretch",
            key="rec_audit_table",
        )
