"""Work Group pages: the list, one page per group, create and edit, members and invitations."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from collab.accounts.models import Invitation, User
from collab.activity.services import recent_for_groups
from collab.extensions import db
from collab.groups import services
from collab.groups.forms import ActionForm, AddSchoolForm, InviteForm, RoleForm, WorkGroupForm
from collab.groups.models import JourneyPhase, Membership, Role, School, WorkGroup
from collab.groups.permissions import can_create_group, can_invite, can_manage_group, can_view_group, is_hub_admin
from collab.sessions.models import GroupSession
from collab.timeutil import school_year
from collab.types import utcnow
from collab.web.lookups import child_or_404

bp = Blueprint("groups", __name__, url_prefix="/groups")


def url_if_exists(endpoint: str, **values) -> str | None:
    """A link to another team's page, or None while that page does not exist yet."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


@bp.context_processor
def _helpers():
    return {"url_if_exists": url_if_exists, "role_label": role_label}


def role_label(value: str | None) -> str:
    try:
        return Role(value).label
    except ValueError:
        return value or ""


def visible_groups(user) -> list[WorkGroup]:
    """My groups; a hub administrator sees every group in the hub as well."""
    query = select(WorkGroup).outerjoin(Membership, (Membership.work_group_id == WorkGroup.id)
                                        & (Membership.user_id == user.id))
    if is_hub_admin(user) and user.hub_id is not None:
        query = query.where((Membership.id.is_not(None)) | (WorkGroup.hub_id == user.hub_id))
    else:
        query = query.where(Membership.id.is_not(None))
    query = query.order_by(WorkGroup.school_year.desc(), WorkGroup.project_code)
    return list(db.session.scalars(query).unique())


def upcoming_sessions(group_ids: list[int], limit: int = 10) -> list[GroupSession]:
    if not group_ids:
        return []
    return list(db.session.scalars(
        select(GroupSession).where(GroupSession.work_group_id.in_(group_ids), GroupSession.starts_at >= utcnow())
        .order_by(GroupSession.starts_at, GroupSession.id).limit(limit)))


def _group_or_404(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_view_group(current_user, group):
        abort(404)
    return group


def _manageable_group(group_id: int) -> WorkGroup:
    group = _group_or_404(group_id)
    if not can_manage_group(current_user, group):
        abort(403)
    return group


def _members_by_school(group: WorkGroup) -> list[tuple[str, list[Membership]]]:
    def school_name(m: Membership) -> str:
        return m.user.school.name if m.user.school else "No school"

    ordered = sorted(group.memberships, key=lambda m: (school_name(m), m.user.name.lower()))
    return [(name, list(ms)) for name, ms in groupby(ordered, key=school_name)]


@bp.get("/")
@login_required
def index():
    groups = visible_groups(current_user)
    roles = {m.work_group_id: m.role for m in current_user.memberships}
    return render_template("groups/index.html", groups=groups, roles=roles,
                           can_create=can_create_group(current_user))


@bp.get("/<int:group_id>")
@login_required
def detail(group_id: int):
    group = _group_or_404(group_id)
    return render_template("groups/detail.html", group=group, members_by_school=_members_by_school(group),
                           sessions=upcoming_sessions([group.id]), activity=recent_for_groups([group.id], limit=10))


def _hub_school_choices(hub_id: int) -> list[SelectChoice]:
    schools = db.session.scalars(select(School).where(School.hub_id == hub_id).order_by(School.name))
    return [SelectChoice(s.id, f"{s.name} ({s.phase.label})") for s in schools]


def _details(form: WorkGroupForm) -> services.GroupDetails:
    return services.GroupDetails(project_code=form.project_code.data, title=form.title.data,
                                 focus=form.focus_value(), journey_phase=JourneyPhase(form.journey_phase.data),
                                 school_year=form.school_year.data, description=form.description.data or "")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_create_group(current_user):
        abort(403)
    form = WorkGroupForm()
    form.schools.choices = _hub_school_choices(current_user.hub_id)
    form.lead.choices = [SelectChoice(p.id, p.name + (f", {p.school.name}" if p.school else ""))
                         for p in services.hub_people(current_user.hub_id)]
    if not form.is_submitted():
        form.school_year.data = school_year(utcnow().date())
        form.lead.data = current_user.id  # a lead starting a group usually leads it
    if form.validate_on_submit():
        schools = [db.session.get(School, sid) for sid in form.schools.data]
        lead = db.session.get(User, form.lead.data)
        try:
            group = services.create_group(current_user, _details(form), schools, lead)
        except services.GroupError as error:
            form.project_code.errors.append(str(error))
        else:
            flash(f"Work Group {group.project_code} created.", "success")
            return redirect(url_for(".detail", group_id=group.id))
    return render_template("groups/form.html", form=form, group=None), 400 if form.errors else 200


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    group = _manageable_group(group_id)
    form = WorkGroupForm(obj=group)
    del form.schools, form.lead  # managed on the members page
    if not form.is_submitted():
        form.journey_phase.data = group.journey_phase.value
        form.show_focus(group.focus)
    if form.validate_on_submit():
        try:
            services.update_group(current_user, group, _details(form))
        except services.GroupError as error:
            form.project_code.errors.append(str(error))
        else:
            flash("Work Group details saved.", "success")
            return redirect(url_for(".detail", group_id=group.id))
    return render_template("groups/form.html", form=form, group=group), 400 if form.errors else 200


def _members_page(group: WorkGroup, add_school_form: AddSchoolForm | None = None, status: int = 200):
    if add_school_form is None:
        add_school_form = AddSchoolForm(formdata=None)
    in_group = {link.school_id for link in group.school_links}
    add_school_form.school.choices = [c for c in _hub_school_choices(group.hub_id) if c.value not in in_group]
    role_forms = {}
    for m in group.memberships:
        role_forms[m.id] = RoleForm(formdata=None, prefix=f"m{m.id}", role=m.role.value)
    return render_template("groups/members.html", group=group, members_by_school=_members_by_school(group),
                           role_forms=role_forms, add_school_form=add_school_form, action_form=ActionForm(),
                           invitations=services.pending_invitations(group)), status


@bp.get("/<int:group_id>/members")
@login_required
def members(group_id: int):
    return _members_page(_manageable_group(group_id))


def _membership_or_404(group: WorkGroup, membership_id: int) -> Membership:
    return child_or_404(Membership, membership_id, work_group_id=group.id)


@bp.post("/<int:group_id>/members/<int:membership_id>/role")
@login_required
def change_role(group_id: int, membership_id: int):
    group = _manageable_group(group_id)
    membership = _membership_or_404(group, membership_id)
    form = RoleForm(prefix=f"m{membership.id}")
    if not form.validate_on_submit():
        flash("Choose one of the roles listed.", "error")
        return _members_page(group, status=400)
    try:
        services.change_role(current_user, membership, Role(form.role.data))
    except services.GroupError as error:
        flash(str(error), "error")
        return _members_page(group, status=400)
    flash(f"{membership.user.name} is now {membership.role.label}.", "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/<int:group_id>/members/<int:membership_id>/remove")
@login_required
def remove_member(group_id: int, membership_id: int):
    group = _manageable_group(group_id)
    membership = _membership_or_404(group, membership_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = membership.user.name
    try:
        services.remove_member(current_user, membership)
    except services.GroupError as error:
        flash(str(error), "error")
        return _members_page(group, status=400)
    flash(f"{name} was removed from the Work Group.", "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/<int:group_id>/schools")
@login_required
def add_school(group_id: int):
    group = _manageable_group(group_id)
    form = AddSchoolForm()
    in_group = {link.school_id for link in group.school_links}
    form.school.choices = [c for c in _hub_school_choices(group.hub_id) if c.value not in in_group]
    if not form.validate_on_submit():
        return _members_page(group, form, status=400)
    school = db.session.get(School, form.school.data)
    try:
        services.add_school(current_user, group, school)
    except services.GroupError as error:
        form.school.errors.append(str(error))
        return _members_page(group, form, status=400)
    flash(f"{school.name} joined the Work Group.", "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.post("/<int:group_id>/schools/<int:school_id>/remove")
@login_required
def remove_school(group_id: int, school_id: int):
    group = _manageable_group(group_id)
    school = db.session.get(School, school_id)
    if school is None or not ActionForm().validate_on_submit():
        abort(404 if school is None else 400)
    try:
        services.remove_school(current_user, group, school)
    except services.GroupError as error:
        flash(str(error), "error")
        return _members_page(group, status=400)
    flash(f"{school.name} was removed from the Work Group. Its members stay until you remove them.", "success")
    return redirect(url_for(".members", group_id=group.id))


@bp.route("/<int:group_id>/invite", methods=["GET", "POST"])
@login_required
def invite(group_id: int):
    group = _group_or_404(group_id)
    if not can_invite(current_user, group):
        abort(403)
    form = InviteForm()
    form.school.choices = [SelectChoice(0, "Not linked to a school")] + [SelectChoice(s.id, s.name)
                                                                         for s in group.schools]
    if form.validate_on_submit():
        school = db.session.get(School, form.school.data) if form.school.data else None
        try:
            invitation, link = services.invite(current_user, group, form.email.data, Role(form.role.data), school)
        except services.GroupError as error:
            form.email.errors.append(str(error))
        else:
            if current_app.config.get("COLLAB_SMTP_HOST"):
                flash(f"Invitation sent to {invitation.email}.", "success")
            else:
                flash(f"Invitation sent to {invitation.email}. In development no email is sent: "
                      f"the link is {link}", "success")
            return redirect(url_for(".members", group_id=group.id))
    return render_template("groups/invite.html", group=group, form=form), 400 if form.errors else 200


@bp.post("/<int:group_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(group_id: int, invitation_id: int):
    group = _group_or_404(group_id)
    if not can_invite(current_user, group):
        abort(403)
    invitation = child_or_404(Invitation, invitation_id, work_group_id=group.id)
    if not ActionForm().validate_on_submit():
        abort(400)
    email = invitation.email
    try:
        services.revoke_invitation(current_user, invitation)
    except services.GroupError as error:
        flash(str(error), "error")
    else:
        flash(f"The invitation to {email} was withdrawn.", "success")
    return redirect(url_for(".members", group_id=group.id))
