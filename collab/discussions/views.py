"""The post-lesson discussion page and its HTTP fallback forms.

The page is complete without JavaScript (server-rendered, forms POST with CSRF); discussion.js sends the
same writes over the socket and shows others' posts live. Anyone who may not see the session gets 404.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.discussions import action_services, post_edits, services
from collab.discussions.anticipated import live_records, live_table_config
from collab.discussions.forms import (
    ActionEditForm,
    ActionForm,
    DeletePostForm,
    DoneForm,
    EditPostForm,
    PostForm,
    new_client_id,
)
from collab.discussions.mentions import members
from collab.discussions.models import SECTIONS
from collab.discussions.permissions import (
    can_delete_post,
    can_edit_action,
    can_edit_post,
    can_post_discussion,
    can_read_discussion,
)
from collab.extensions import db
from collab.groups.permissions import is_lead
from collab.observations.anticipated.table import anticipated_for_session
from collab.observations.models import ObservationRecord, Visit
from collab.observations.records.content import RecordContent, record_content
from collab.observations.summary.build import readable_records
from collab.observations.visits.services import visit_for_session
from collab.sessions.models import GroupSession

bp = Blueprint("discussions", __name__)


@bp.app_context_processor
def _discussion_helpers() -> dict:
    """For pages that include templates/discussions/_session_link.html or _summary.html."""
    return {"discussion_for": services.discussion_view, "discussion_post_count": services.post_count,
            "discussion_sections": SECTIONS, "new_client_id": new_client_id,
            "can_edit_post": can_edit_post, "can_delete_post": can_delete_post, "can_edit_action": can_edit_action}


def _session_or_404(session_id: int) -> GroupSession:
    session = db.session.get(GroupSession, session_id)
    if session is None or not can_read_discussion(current_user, session):
        abort(404)
    return session


def _owner_choices(session: GroupSession) -> list:
    # The empty choice first: an action's owner is chosen, never one person by default.
    return [("", "Choose the owner")] + [(u.id, u.name) for u in members(session)]


def _action_form(session: GroupSession) -> ActionForm:
    form = ActionForm(prefix="action")
    form.owner_id.choices = _owner_choices(session)
    return form


def _quotable(visit: Visit | None, contents: dict[ObservationRecord, RecordContent]) -> list[dict]:
    """The visit's observation notes this user may read (`contents`), as quote snapshots (newest last)."""
    from collab.observations.summary.build import timeline

    if visit is None:
        return []
    quotes = []
    for note in timeline(visit, contents):
        text = f"{note.pupil}: {note.text}" if note.pupil and note.text else note.text
        if not (text or note.photo_id):
            continue
        quotes.append({"kind": "photo" if note.photo_id else "note", "text": text[:services.MAX_QUOTE_TEXT],
                       "photo_url": url_for("observations.photo_thumb", photo_id=note.photo_id)
                       if note.photo_id else "", "author": note.observer[:120], "at": note.clock})
    return quotes


def _page(session: GroupSession, post_form: PostForm | None = None, action_form: ActionForm | None = None,
          status: int = 200):
    can_post = can_post_discussion(current_user, session)
    # The visit's records this person may read, and what they hold, worked out once for the page: the quotes and
    # the anticipated-versus-observed table (drawn here, kept live by the script) are all made from them.
    visit = visit_for_session(session)
    wanted = visit is not None and (can_post or bool(visit.anticipated))
    records = readable_records(current_user, visit) if wanted else []
    contents = {record: record_content(record) for record in records}
    anticipated = anticipated_for_session(current_user, visit, contents)
    config = {"sessionId": session.id, "canPost": can_post,
              "isLead": can_post and is_lead(current_user, session.work_group),
              "user": {"id": current_user.id, "name": current_user.name},
              # @-mention suggestions: the Work Group's members, only for those who post (members themselves).
              "people": [{"id": u.id, "name": u.name} for u in members(session) if u.active] if can_post else []}
    return render_template("discussions/show.html", session=session, view=services.discussion_view(session),
                           sections=SECTIONS, can_post=can_post, post_form=post_form,
                           new_post_form=PostForm, action_form=action_form or _action_form(session),
                           done_form=DoneForm(), delete_form=DeletePostForm(), config=config,
                           quotable=_quotable(visit, contents) if can_post else [], anticipated=anticipated,
                           anticipated_live=live_table_config(current_user, anticipated, records)), \
        status


@bp.get("/sessions/<int:session_id>/discussion")
@login_required
def show(session_id: int):
    return _page(_session_or_404(session_id))


@bp.get("/sessions/<int:session_id>/discussion/anticipated-records")
@login_required
def anticipated_records(session_id: int):
    """The record rooms the live table may join now (disc-anticipated.js asks on visit:records): {"records": [...]},
    or {"records": null} when the table cannot follow them. 404 to whoever may not read the discussion."""
    visit = visit_for_session(_session_or_404(session_id))
    if visit is None:
        abort(404)
    # Never stored (collab.web.security: the discussions blueprint holds pupil data): who may read which record
    # changes during the lesson.
    return jsonify({"records": live_records(current_user, readable_records(current_user, visit))})


def _fail(session: GroupSession, error: services.Invalid, post_form=None, action_form=None):
    flash(f"{error} Nothing was saved.", "error")
    return _page(session, post_form=post_form, action_form=action_form, status=400)


@bp.post("/sessions/<int:session_id>/discussion/posts")
@login_required
def create_post(session_id: int):
    session = _session_or_404(session_id)
    if not can_post_discussion(current_user, session):
        abort(403)
    form = PostForm()
    if not form.validate_on_submit():
        problems = [e for errors in form.errors.values() for e in errors]
        return _fail(session, services.Invalid(" ".join(str(p) for p in problems)), post_form=form)
    try:
        quote = json.loads(form.quote.data) if form.quote.data else None
    except ValueError:
        return _fail(session, services.Invalid("The quote could not be read."), post_form=form)
    try:
        post, _created = services.create_post(current_user, session, form.client_id.data, form.section.data,
                                              form.body.data, form.parent_id.data or None, quote)
    except services.Invalid as error:
        db.session.rollback()
        return _fail(session, error, post_form=form)
    flash("Your post is saved.", "success")
    return redirect(url_for("discussions.show", session_id=session.id, _anchor=f"post-{post.id}"))


@bp.post("/sessions/<int:session_id>/discussion/actions")
@login_required
def create_action(session_id: int):
    session = _session_or_404(session_id)
    if not can_post_discussion(current_user, session):
        abort(403)
    form = _action_form(session)
    if not form.validate_on_submit():
        problems = [e for errors in form.errors.values() for e in errors]
        return _fail(session, services.Invalid(" ".join(str(p) for p in problems)), action_form=form)
    try:
        action_services.create_action(current_user, session, form.client_id.data, form.text.data, form.owner_id.data,
                               form.due_date.data)
    except services.Invalid as error:
        db.session.rollback()
        return _fail(session, error, action_form=form)
    flash("Agreed action added.", "success")
    return redirect(url_for("discussions.show", session_id=session.id, _anchor="actions"))


@bp.post("/sessions/<int:session_id>/discussion/actions/<int:action_id>/done")
@login_required
def action_done(session_id: int, action_id: int):
    session = _session_or_404(session_id)
    if not can_post_discussion(current_user, session):
        abort(403)
    form = DoneForm()
    if not form.validate_on_submit() or form.done.data not in ("yes", "no"):
        abort(400)
    try:
        action_services.set_action_done(current_user, session, action_id, form.done.data == "yes")
    except services.Invalid:
        db.session.rollback()
        abort(404)
    return redirect(url_for("discussions.show", session_id=session.id, _anchor=f"action-{action_id}"))


# --- correcting posts and actions (without JavaScript; discussion.js does the same over the socket) -----------

def _poster_or_403(session_id: int) -> GroupSession:
    session = _session_or_404(session_id)
    if not can_post_discussion(current_user, session):
        abort(403)
    return session


def _post_or_404(session: GroupSession, post_id: int):
    try:
        return post_edits.post_in(session, post_id)
    except services.Invalid:
        abort(404)


@bp.route("/sessions/<int:session_id>/discussion/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(session_id: int, post_id: int):
    session = _poster_or_403(session_id)
    post = _post_or_404(session, post_id)
    if not can_edit_post(current_user, session, post):
        abort(403)
    form = EditPostForm(data={"body": post.body_markdown})
    status = 200
    if form.validate_on_submit():
        try:
            post_edits.edit_post(current_user, session, post.id, form.body.data)
        except services.Invalid as error:
            db.session.rollback()
            flash(f"{error} Nothing was saved.", "error")
            status = 400
        else:
            flash("Your post is updated.", "success")
            return redirect(url_for("discussions.show", session_id=session.id, _anchor=f"post-{post.id}"))
    elif request.method == "POST":
        status = 400
    return render_template("discussions/edit_post.html", session=session, post=post, form=form), status


@bp.post("/sessions/<int:session_id>/discussion/posts/<int:post_id>/delete")
@login_required
def delete_post(session_id: int, post_id: int):
    session = _poster_or_403(session_id)
    post = _post_or_404(session, post_id)
    if not can_delete_post(current_user, session, post):
        abort(403)
    if not DeletePostForm().validate_on_submit():
        abort(400)
    post_edits.delete_post(current_user, session, post.id)
    flash("The post is deleted.", "success")
    return redirect(url_for("discussions.show", session_id=session.id, _anchor=f"section-{post.section}"))


@bp.route("/sessions/<int:session_id>/discussion/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit_action(session_id: int, action_id: int):
    session = _poster_or_403(session_id)
    try:
        action = action_services.action_in(session, action_id)
    except services.Invalid:
        abort(404)
    if not can_edit_action(current_user, session, action):
        abort(403)
    form = ActionEditForm(prefix="action", data={
        "text": action.text, "owner_id": action.owner_id,
        "due_date": action.due_date.isoformat() if action.due_date else ""})
    form.owner_id.choices = _owner_choices(session)
    status = 200
    if form.validate_on_submit():
        try:
            action_services.edit_action(current_user, session, action.id, form.text.data, form.owner_id.data,
                                        form.due_date.data)
        except services.Invalid as error:
            db.session.rollback()
            flash(f"{error} Nothing was saved.", "error")
            status = 400
        else:
            flash("The agreed action is updated.", "success")
            return redirect(url_for("discussions.show", session_id=session.id, _anchor=f"action-{action.id}"))
    elif request.method == "POST":
        status = 400
    return render_template("discussions/edit_action.html", session=session, action=action, form=form), status
