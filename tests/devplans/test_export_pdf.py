"""The PDF of a development plan with its comments: the text, then every thread with author, date and whether it
is resolved. Comments may be personal data, so only people who may read the plan get it (the rest: 404)."""

from __future__ import annotations

import pytest

from collab.devplans.models import DevPlanComment
from collab.extensions import db
from collab.timeutil import uk_datetime
from tests.conftest import sign_in
from tests.devplans.helpers import anchor_for, write
from tests.plans.pdftext import pdf_text

SENTENCE = "Every pupil in KS3 explains their reasoning with a ratio table."


@pytest.fixture
def commented(client, world, devplan, open_round, reviewer):
    """Two threads by the reviewer, one with the advocate's reply and resolved by her."""
    client_id, first = write(devplan, SENTENCE)
    start, end = anchor_for(client_id, first, first + len("Every pupil") - 1)
    sign_in(client, reviewer)
    for n, body in enumerate(["How will you measure reasoning?", "Which ratio tables?"]):
        client.post(f"/devplans/{devplan.id}/comments", json={
            "clientId": f"pdf-thread-{n}", "body": body, "anchor": {"start": start, "end": end},
            "quote": "Every pupil"})
    root = db.session.scalar(db.select(DevPlanComment).where(DevPlanComment.body == "Which ratio tables?"))
    sign_in(client, world.advocate)
    client.post(f"/devplans/{devplan.id}/comments", json={
        "clientId": "pdf-reply", "body": "The department bank of tables.", "anchor": {"start": start, "end": end},
        "parentId": root.id})
    client.post(f"/devplans/{devplan.id}/comments/{root.id}/resolve", json={"resolved": True})
    return devplan


def _pdf(client, plan) -> str:
    response = client.get(f"/devplans/{plan.id}/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return " ".join(pdf_text(response.data).split())


def test_the_pdf_has_the_plan_text_and_title(client, world, commented):
    text = _pdf(client, commented)
    assert commented.title in text and "Aims (based on evidence of need)" in text
    assert "Every pupil in KS3 explains their reasoning" in text


def test_the_pdf_lists_each_comment_with_author_date_and_state(client, world, reviewer, commented):
    text = _pdf(client, commented)
    assert "How will you measure reasoning?" in text and "Which ratio tables?" in text
    first = db.session.scalar(db.select(DevPlanComment).where(DevPlanComment.body == "How will you measure reasoning?"))
    assert reviewer.name in text and "Open" in text and uk_datetime(first.created_at) in text
    assert f"Resolved by {world.advocate.name}" in text
    assert "The department bank of tables." in text


def test_the_pdf_is_named_after_the_plan(client, world, devplan):
    sign_in(client, world.colleague)
    response = client.get(f"/devplans/{devplan.id}/export.pdf")
    assert 'filename="riverside-school-mathematics-development-plan.pdf"' in response.headers["Content-Disposition"]


def test_a_reviewer_may_export_only_while_the_round_is_open(client, world, reviewer, commented, open_round):
    from collab.devplans.rounds import services as round_services

    sign_in(client, reviewer)
    assert client.get(f"/devplans/{commented.id}/export.pdf").status_code == 200
    round_services.close_round(world.advocate, open_round)
    assert client.get(f"/devplans/{commented.id}/export.pdf").status_code == 404


def test_an_outsider_cannot_export_the_comments(client, world, commented):
    sign_in(client, world.outsider)
    assert client.get(f"/devplans/{commented.id}/export.pdf").status_code == 404
