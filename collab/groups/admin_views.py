"""Hub administration: schools, people, Work Groups and roles, for a hub's administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from wtforms import SelectChoice

from collab.accounts.models import User
from collab.extensions import db
from collab.groups import services
from collab.groups.forms import ActionForm, PeopleSearchForm, PersonForm, SchoolForm
from collab.groups.models import Hub, Phase, School, WorkGroup
from collab.groups.permissions import can_administer_hub

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _only_hub_admins():
    # 403 with the generic message: a non-admin learns nothing about the hub.
    if current_user.hub_id is None or not can_administer_hub(current_user, current_user.hub_id):
        abort(403)


def _hub() -> Hub:
    return db.session.get(Hub, current_user.hub_id)


def _school_or_404(school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None or school.hub_id != current_user.hub_id:
        abort(404)
    return school


def _person_or_404(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or not services.person_in_hub(person, current_user.hub_id):
        abort(404)
    return person


def _school_choices(blank: str) -> list[SelectChoice]:
    return [SelectChoice(0, blank)] + [SelectChoice(s.id, s.name) for s in _hub().schools]


@bp.get("/")
@login_required
def index():
    hub = _hub()
    groups = db.session.scalar(select(func.count()).select_from(WorkGroup).where(WorkGroup.hub_id == hub.id))
    return render_template("admin/index.html", hub=hub, school_count=len(hub.schools),
                           people_count=len(services.hub_people(hub, active_only=False)), group_count=groups)


# --- schools -------------------------------------------------------------------------------------

@bp.get("/schools")
@login_required
def schools():
    return render_template("admin/schools.html", hub=_hub(), schools=_hub().schools)


def _school_details(form: SchoolForm) -> services.SchoolDetails:
    return services.SchoolDetails(name=form.name.data, urn=form.urn.data, phase=Phase(form.phase.data),
                                  town=form.town.data or None)


@bp.route("/schools/new", methods=["GET", "POST"])
@login_required
def new_school():
    form = SchoolForm()
    if form.validate_on_submit():
        try:
            school = services.create_school(current_user, _hub(), _school_details(form))
        except services.GroupError as error:
            form.urn.errors.append(str(error))
        else:
            flash(f"{school.name} added.", "success")
            return redirect(url_for(".schools"))
    return render_template("admin/school_form.html", form=form, school=None), 400 if form.errors else 200


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
@login_required
def edit_school(school_id: int):
    school = _school_or_404(school_id)
    form = SchoolForm(obj=school)
    if not form.is_submitted():
        form.phase.data = school.phase.value
    if form.validate_on_submit():
        try:
            services.update_school(current_user, school, _school_details(form))
        except services.GroupError as error:
            form.urn.errors.append(str(error))
        else:
            flash(f"{school.name} saved.", "success")
            return redirect(url_for(".schools"))
    return render_template("admin/school_form.html", form=form, school=school), 400 if form.errors else 200


# --- people --------------------------------------------------------------------------------------

@bp.get("/people")
@login_required
def people():
    form = PeopleSearchForm(request.args)
    form.school.choices = _school_choices("Any school")
    found = services.hub_people(current_user.hub_id, active_only=False)
    if form.q.data:
        needle = form.q.data.lower()
        found = [p for p in found if needle in p.name.lower() or needle in p.email.lower()]
    if form.school.data:
        found = [p for p in found if p.school_id == form.school.data]
    if form.state.data in ("active", "inactive"):
        found = [p for p in found if p.active == (form.state.data == "active")]
    return render_template("admin/people.html", form=form, people=found, action_form=ActionForm())


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def new_person():
    form = PersonForm()
    form.school.choices = _school_choices("No school (hub staff)")
    if form.validate_on_submit():
        school = _school_or_404(form.school.data) if form.school.data else None
        try:
            person = services.create_person(current_user, _hub(), form.name.data, form.email.data, school,
                                            hub_admin=form.hub_admin.data)
        except services.GroupError as error:
            form.email.errors.append(str(error))
        else:
            flash(f"{person.name} added. They have no password yet: invite them to a Work Group, or ask them "
                  "to use “Forgotten your password?” on the sign-in page to set one.", "success")
            return redirect(url_for(".people"))
    return render_template("admin/person_form.html", form=form), 400 if form.errors else 200


def _person_action(person_id: int, action, done: str):
    person = _person_or_404(person_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, person)
    except services.GroupError as error:
        flash(str(error), "error")
    else:
        flash(done.format(name=person.name), "success")
    return redirect(url_for(".people"))


@bp.post("/people/<int:person_id>/deactivate")
@login_required
def deactivate(person_id: int):
    return _person_action(person_id, services.deactivate_person,
                          "{name} is deactivated and has been signed out everywhere.")


@bp.post("/people/<int:person_id>/reactivate")
@login_required
def reactivate(person_id: int):
    return _person_action(person_id, services.reactivate_person, "{name} can sign in again.")


@bp.post("/people/<int:person_id>/make-admin")
@login_required
def make_admin(person_id: int):
    return _person_action(person_id, lambda actor, p: services.set_hub_admin(actor, p, True),
                          "{name} is now a hub administrator.")


@bp.post("/people/<int:person_id>/remove-admin")
@login_required
def remove_admin(person_id: int):
    return _person_action(person_id, lambda actor, p: services.set_hub_admin(actor, p, False),
                          "{name} is no longer a hub administrator.")


# --- Work Groups ---------------------------------------------------------------------------------

@bp.get("/groups")
@login_required
def groups():
    found = db.session.scalars(select(WorkGroup).where(WorkGroup.hub_id == current_user.hub_id)
                               .order_by(WorkGroup.school_year.desc(), WorkGroup.project_code))
    return render_template("admin/groups.html", hub=_hub(), groups=list(found))
