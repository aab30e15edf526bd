"""Lesson observation visits: the Work Group's checklist templates (copying one, editing its look-fors)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.extensions import db
from collab.groups.models import WorkGroup
from collab.groups.permissions import can_manage_group, can_view_group
from collab.observations.forms import ConfirmForm, TemplateForm
from collab.observations.models import ChecklistTemplate
from collab.observations.records import checklists
from collab.observations.visits import services


def register(bp: Blueprint) -> None:
    """Add this module's routes to the blueprint (endpoint names as url_for uses them)."""
    bp.add_url_rule("/groups/<int:group_id>/checklists", "templates", templates, methods=["GET", "POST"])
    bp.add_url_rule("/checklists/<int:template_id>", "edit_template", edit_template, methods=["GET", "POST"])


def _group_or_404(group_id: int) -> WorkGroup:
    group = db.session.get(WorkGroup, group_id)
    if group is None or not can_view_group(current_user, group):
        abort(404)
    return group


@login_required
def templates(group_id: int):
    group = _group_or_404(group_id)
    can_edit = can_manage_group(current_user, group)
    if request.method == "POST":
        if not can_edit:
            abort(403)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        source = request.form.get("source", "default")
        try:
            name, criteria = services.template_choice(group, source)
        except services.InvalidVisit:
            abort(400)
        copy = checklists.copy_template(current_user, group, f"{name} (copy)"[:120], criteria)
        flash("Copied. Change its look-fors for your Work Group's focus.", "success")
        return redirect(url_for("observations.edit_template", template_id=copy.id))
    return render_template("observations/templates.html", group=group, templates=services.group_templates(group),
                           default=checklists.default_criteria(), default_name=checklists.DEFAULT_NAME,
                           can_edit=can_edit, confirm=ConfirmForm())


@login_required
def edit_template(template_id: int):
    template = db.session.get(ChecklistTemplate, template_id)
    group = db.session.get(WorkGroup, template.work_group_id) if template else None
    if group is None or not can_view_group(current_user, group):
        abort(404)
    if not can_manage_group(current_user, group):
        abort(403)
    form = TemplateForm()
    if request.method == "GET":
        form.name.data = template.name
        for key, text in checklists.look_for_texts(template.criteria).items():
            getattr(form, f"idea_{key}").data = text
    if form.validate_on_submit():
        look_fors = {key: checklists.parse_lines(getattr(form, f"idea_{key}").data)
                     for key, _title in checklists.BIG_IDEAS}
        checklists.update_template(current_user, template, form.name.data, look_fors)
        flash("Checklist saved. Visits set up from now on use it; earlier visits keep theirs.", "success")
        return redirect(url_for("observations.templates", group_id=group.id))
    return render_template("observations/template_form.html", group=group, template=template, form=form,
                           ideas=checklists.BIG_IDEAS)
