"""The hub's library: its list, a published item, publishing a cycle, taking an item out, and copying its plan.

404 when the viewer may not read the item (or the cycle), 403 when they may read it but lack the role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.cycles.models import ResearchCycle
from collab.cycles.permissions import can_read_cycle
from collab.extensions import db
from collab.groups.models import Hub, WorkGroup
from collab.library import services
from collab.library.forms import ConfirmForm, CopyForm, PublishForm
from collab.library.models import PublishedItem
from collab.library.permissions import can_publish_cycle, can_read_item, can_unpublish, copy_targets, library_hub_ids

bp = Blueprint("library", __name__)


def _item_or_404(item_id: int) -> PublishedItem:
    item = db.session.get(PublishedItem, item_id)
    if item is None or not can_read_item(current_user, item):
        abort(404)
    return item


@bp.get("/library")
@login_required
def index():
    hub_ids = library_hub_ids(current_user)
    hubs = db.session.scalars(select(Hub).where(Hub.id.in_(hub_ids)).order_by(Hub.name)).all() if hub_ids else []
    items = db.session.scalars(select(PublishedItem).where(PublishedItem.hub_id.in_(hub_ids))
                               .order_by(PublishedItem.published_at.desc(), PublishedItem.id.desc())).all() \
        if hub_ids else []
    return render_template("library/index.html", hubs=hubs, items=items)


@bp.get("/library/<int:item_id>")
@login_required
def show(item_id: int):
    item = _item_or_404(item_id)
    form = CopyForm()
    targets = copy_targets(current_user, item)
    form.group_id.choices = [(g.id, f"{g.project_code} · {g.title}") for g in targets]
    return render_template("library/show.html", item=item, copy_form=form, targets=targets,
                           confirm_form=ConfirmForm(), can_unpublish=can_unpublish(current_user, item))


@bp.post("/library/<int:item_id>/copy")
@login_required
def copy(item_id: int):
    item = _item_or_404(item_id)
    form = CopyForm()
    targets = copy_targets(current_user, item)
    form.group_id.choices = [(g.id, g.project_code) for g in targets]
    if not targets:
        abort(403)
    if not form.validate_on_submit():
        flash("Choose one of your Work Groups to copy the plan into.", "error")
        return redirect(url_for("library.show", item_id=item.id))
    group = db.session.get(WorkGroup, form.group_id.data)
    if group is None:
        abort(404)
    try:
        plan = services.copy_into(current_user, item, group)
    except services.NotAllowed:
        abort(403)
    flash(f"“{plan.title}” is now a plan of {group.project_code}: change it to suit your lesson.", "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.post("/library/<int:item_id>/unpublish")
@login_required
def unpublish(item_id: int):
    item = _item_or_404(item_id)
    if not can_unpublish(current_user, item):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    cycle_id = item.cycle_id
    services.unpublish(current_user, item)
    flash("The cycle is no longer in the hub's library.", "success")
    cycle = db.session.get(ResearchCycle, cycle_id) if cycle_id is not None else None
    if cycle is not None and can_read_cycle(current_user, cycle):
        return redirect(url_for("cycles.show", cycle_id=cycle.id))
    return redirect(url_for("library.index"))


@bp.route("/cycles/<int:cycle_id>/publish", methods=["GET", "POST"])
@login_required
def publish(cycle_id: int):
    cycle = db.session.get(ResearchCycle, cycle_id)
    if cycle is None or not can_read_cycle(current_user, cycle):
        abort(404)
    if not can_publish_cycle(current_user, cycle):
        abort(403)
    existing = services.published_item_of(cycle)
    form = PublishForm(obj=existing) if existing is not None else PublishForm(
        research_question=cycle.research_question)
    if form.validate_on_submit():
        try:
            item = services.publish(current_user, cycle, form.summary.data or "", form.research_question.data or "")
        except services.Invalid as error:
            form.summary.errors = [*form.summary.errors, str(error)]
        else:
            flash("Published to the hub's library: every member of the hub's Work Groups can read it now.",
                  "success")
            return redirect(url_for("library.show", item_id=item.id))
    return render_template("library/publish.html", cycle=cycle, form=form, existing=existing)


def _publication(cycle: ResearchCycle) -> dict:
    """For the cycle page: its published item, and whether the viewer may publish it."""
    return {"item": services.published_item_of(cycle), "can_publish": can_publish_cycle(current_user, cycle)}


bp.add_app_template_global(_publication, "cycle_publication")
