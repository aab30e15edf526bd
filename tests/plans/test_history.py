"""History: automatic versions after a pause, named versions, who took part, viewing, restoring."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from collab.extensions import db
from collab.plans import history
from collab.plans.models import PlanVersion
from collab.plans.services import plan_text
from collab.realtime.models import DocumentUpdate
from collab.types import utcnow
from tests.plans.conftest import type_paragraph


def _age_updates(plan, minutes: int) -> None:
    db.session.execute(update(DocumentUpdate).where(DocumentUpdate.document_id == plan.document_id)
                       .values(created_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def test_no_automatic_version_while_people_are_still_typing(world, plan):
    type_paragraph(plan, "Anchor task: 3 : 2", world.advocate)
    assert history.maybe_auto_version(plan) is None


def test_an_automatic_version_after_a_two_minute_pause(world, plan):
    type_paragraph(plan, "Anchor task: 3 : 2", world.advocate)
    _age_updates(plan, 3)
    version = history.maybe_auto_version(plan)
    assert version is not None and version.name is None
    assert history.maybe_auto_version(plan) is None  # nothing new since
    assert "Anchor task: 3 : 2" in history.richtext.to_text(history.version_nodes(version))


def test_opening_the_history_takes_the_pending_automatic_version(client, world, plan, login_as):
    type_paragraph(plan, "Key questions", world.advocate)
    _age_updates(plan, 5)
    login_as(world.colleague)
    html = client.get(f"/plans/{plan.id}/history").text
    assert "Automatic" in html and world.advocate.name in html


def test_a_named_version_lists_who_took_part(client, world, plan, login_as):
    type_paragraph(plan, "Prior knowledge: equivalent fractions", world.advocate)
    type_paragraph(plan, "Key vocabulary: ratio, proportion", world.colleague)
    login_as(world.lead)
    response = client.post(f"/plans/{plan.id}/versions", data={"name": "Before the visit"})
    assert response.status_code == 302
    version = db.session.scalars(select(PlanVersion).where(PlanVersion.name == "Before the visit")).one()
    row = next(r for r in history.version_rows(plan) if r.version.id == version.id)
    assert set(row.people) == {world.lead.name, world.advocate.name, world.colleague.name}
    html = client.get(f"/plans/{plan.id}/history").text
    assert "Before the visit" in html and world.colleague.name in html


def test_a_version_is_shown_read_only_as_html(client, world, plan, login_as):
    type_paragraph(plan, "Bar model", world.advocate, {"bold": {}})
    version = history.save_named_version(plan, world.lead, "Draft")
    type_paragraph(plan, "Added later", world.advocate)
    login_as(world.advocate)
    html = client.get(f"/plans/{plan.id}/versions/{version.id}").text
    assert "<strong>Bar model</strong>" in html and "<h2>Learning outcome</h2>" in html
    assert "Added later" not in html and "contenteditable" not in html


def test_restoring_is_a_new_update_and_leaves_the_log_untouched(client, world, plan, login_as):
    type_paragraph(plan, "First idea", world.advocate)
    version = history.save_named_version(plan, world.lead, "Before the visit")
    expected = plan_text(plan)
    type_paragraph(plan, "Second thoughts", world.colleague)
    before = [(u.id, u.data) for u in db.session.scalars(select(DocumentUpdate).order_by(DocumentUpdate.id))]
    assert "Second thoughts" in plan_text(plan)

    login_as(world.advocate)
    response = client.post(f"/plans/{plan.id}/versions/{version.id}/restore")
    assert response.status_code == 302

    db.session.expire_all()
    after = [(u.id, u.data, u.user_id) for u in db.session.scalars(select(DocumentUpdate).order_by(DocumentUpdate.id))]
    assert [(i, d) for i, d, _ in after[:len(before)]] == before  # old updates untouched
    assert len(after) == len(before) + 1 and after[-1][2] == world.advocate.id
    assert plan_text(plan) == expected
    assert "Second thoughts" not in plan_text(plan)


def test_a_restore_reaches_everyone_in_the_room(app, client, world, plan, login_as):
    from collab.extensions import socketio

    type_paragraph(plan, "Keep me", world.advocate)
    version = history.save_named_version(plan, world.lead, "Keep")
    type_paragraph(plan, "Lose me", world.advocate)
    login_as(world.colleague)
    peer = socketio.test_client(app, flask_test_client=client)
    assert peer.emit("doc:join", f"plan:{plan.id}", callback=True)["ok"]
    peer.get_received()
    client.post(f"/plans/{plan.id}/versions/{version.id}/restore")
    received = [r for r in peer.get_received() if r["name"] == "doc:sync"]
    assert received and received[-1]["args"][0] == f"plan:{plan.id}"
    peer.disconnect()


def test_restoring_first_keeps_the_text_it_replaces_as_a_version(client, world, plan, login_as):
    version = history.save_named_version(plan, world.lead, "Empty template")
    type_paragraph(plan, "Work in progress", world.advocate)
    login_as(world.advocate)
    client.post(f"/plans/{plan.id}/versions/{version.id}/restore")
    kept = db.session.scalars(select(PlanVersion).order_by(PlanVersion.id.desc())).first()
    assert kept.id != version.id and kept.name is None
    assert "Work in progress" in history.richtext.to_text(history.version_nodes(kept))
