"""The visit summary: plan, ratings chart across observers (inline SVG), timeline; PDF; the transition rule."""

from __future__ import annotations

from collab.observations.visits import lesson_clock
from collab.plans.services import create_plan
from collab.sessions.models import Attendance, SessionKind
from tests import factories
from tests.observations.helpers import add_note, make_visit, rate, record_for
from tests.plans.pdftext import pdf_text


def test_the_summary_counts_ratings_per_look_for_in_an_svg_chart(client, world, visit, login_as):
    rate(record_for(visit, world.advocate), "fluency-1", "seen", "Quick recall of 3x table")
    rate(record_for(visit, world.colleague), "fluency-1", "partly")
    lesson_clock.end_lesson(world.lead, visit)
    login_as(world.advocate)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page.split("<svg")[1].split("</svg>")[0]
    assert "Seen: 1" in page and "Partly: 1" in page
    assert "Quick recall of 3x table" in page


def test_evidence_typed_without_a_rating_is_kept_in_the_summary_and_its_pdf(client, world, visit, login_as):
    rate(record_for(visit, world.advocate), "fluency-1", None, "Pupil B counted on in threes")
    rate(record_for(visit, world.colleague), "fluency-1", "seen")
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert "Pupil B counted on in threes" in page and "Not rated" in page
    assert "Seen: 1" in page  # the unrated evidence counts in no bar
    pdf = " ".join(pdf_text(client.get(f"/visits/{visit.id}/summary.pdf").data).split())
    assert "Pupil B counted on in threes" in pdf


def test_the_summary_links_the_plan_and_shows_the_timeline(client, world, login_as):
    plan = create_plan(world.lead, world.group, "Year 8 ratio tables")
    visit = make_visit(world, plan=plan)
    add_note(record_for(visit, world.advocate), "Pupil A used the double number line", pupil="Pupil A")
    login_as(world.lead)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert f"/plans/{plan.id}" in page and "Pupil A used the double number line" in page


def test_the_summary_pdf_has_the_notes(client, world, visit, login_as):
    add_note(record_for(visit, world.advocate), "Exit check: 7 of 9 correct")
    login_as(world.lead)
    response = client.get(f"/visits/{visit.id}/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Exit check: 7 of 9 correct" in " ".join(pdf_text(response.data).split())


def test_control_characters_in_a_note_are_left_out_of_the_summary_pdf(client, world, visit, login_as):
    junk = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
    add_note(record_for(visit, world.advocate), f"Exit check:{junk} 7 of 9 correct", pupil=f"Pupil{junk} A")
    login_as(world.lead)
    response = client.get(f"/visits/{visit.id}/summary.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data).replace("\x0c", "")  # pdftotext ends each page with a form feed
    assert "Exit check: 7 of 9 correct" in " ".join(text.split()) and not set(junk) & set(text)


def test_the_summary_is_404_outside_the_work_group(client, world, visit, login_as):
    login_as(world.outsider)
    assert client.get(f"/visits/{visit.id}/summary").status_code == 404


def _invited_host(world, session):
    teacher = factories.user("y6@example.org", "Yasmin Year6", world.primary)
    session.attendances.append(Attendance(user=teacher))
    from collab.extensions import db
    db.session.commit()
    return teacher


def test_a_transition_summary_is_shared_with_the_host_primary_schools_invited_teacher(client, world, login_as):
    visit = make_visit(world, kind=SessionKind.TRANSITION, host=world.primary)
    add_note(record_for(visit, world.advocate), "Year 6 scaled the recipe with a ratio table")
    teacher = _invited_host(world, visit.session)
    lesson_clock.end_lesson(world.lead, visit)
    login_as(teacher)
    page = client.get(f"/visits/{visit.id}/summary").get_data(as_text=True)
    assert "Year 6 scaled the recipe with a ratio table" in page


def test_an_invited_host_of_an_observation_visit_does_not_get_the_summary(client, world, login_as):
    visit = make_visit(world, host=world.primary)
    teacher = _invited_host(world, visit.session)
    login_as(teacher)
    assert client.get(f"/visits/{visit.id}").status_code == 200
    assert client.get(f"/visits/{visit.id}/summary").status_code == 404
    assert client.get(f"/records/{record_for(visit, world.advocate).id}").status_code == 404
