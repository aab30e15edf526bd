"""Setting up a visit: who may, what the form asks (pseudonyms only), and the frozen checklist."""

from __future__ import annotations

import json

import pytest

from collab.extensions import db
from collab.observations.models import CasePupil, Visit
from collab.observations.records import checklists
from collab.observations.visits import lesson_clock, services
from collab.sessions.models import SessionKind
from tests import factories


def _form(world, **extra) -> dict:
    data = {"plan_id": "0", "template": "default", "phases": "Starter\nAnchor task\nPlenary", "host_id": "0",
            "pupil-0-used": "1", "pupil-0-label": "Pupil A", "pupil-0-prediction": "Will add 3 each time.",
            "pupil-1-used": "1", "pupil-1-label": "", "pupil-1-prediction": "",
            f"observer-{world.advocate.id}": "1", f"follows-{world.advocate.id}": "0",
            f"observer-{world.colleague.id}": "1"}
    data.update(extra)
    return data


def test_the_lead_sets_up_a_visit_with_case_pupils_and_observers(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    response = client.post(f"/sessions/{session.id}/visit", data=_form(world))
    visit = db.session.query(Visit).one()
    assert response.status_code == 302 and response.location.endswith(f"/visits/{visit.id}")
    assert [p.label for p in visit.case_pupils] == ["Pupil A", "Pupil B"]
    assert {r.observer_id for r in visit.records} == {world.advocate.id, world.colleague.id}
    follows = {r.observer_id: r.follows.label if r.follows else None for r in visit.records}
    assert follows == {world.advocate.id: "Pupil A", world.colleague.id: None}
    assert visit.phases == ["Starter", "Anchor task", "Plenary"]


def test_a_blank_pseudonym_becomes_pupil_and_a_letter(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    client.post(f"/sessions/{session.id}/visit", data=_form(world))
    assert db.session.query(CasePupil).filter_by(position=1).one().label == "Pupil B"


def test_the_form_asks_for_pseudonyms_only_and_never_a_real_name(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    page = client.get(f"/sessions/{session.id}/visit").get_data(as_text=True)
    assert "Never type a pupil's real name" in page
    assert 'name="pupil-0-label"' in page and 'value="Pupil A"' in page
    assert "first name" not in page.lower() and "surname" not in page.lower()
    assert {c.name for c in CasePupil.__table__.columns} == {"id", "visit_id", "position", "label", "prediction"}


def test_more_than_six_case_pupils_are_refused(world):
    session = factories.session(world.group)
    setup = services.VisitSetup(pupils=tuple(services.PupilInput(f"Pupil {c}") for c in "ABCDEFG"))
    with pytest.raises(services.InvalidVisit):
        services.set_up_visit(world.lead, session, setup)


def test_the_host_teacher_may_set_up_the_visit(client, world, login_as):
    session = factories.session(world.group, host=world.school_b)  # the advocate's school
    login_as(world.advocate)
    assert client.post(f"/sessions/{session.id}/visit", data=_form(world)).status_code == 302


def test_a_member_who_is_not_the_host_may_not_set_up_the_visit(client, world, login_as):
    session = factories.session(world.group, host=world.school_a)
    login_as(world.advocate)
    assert client.get(f"/sessions/{session.id}/visit").status_code == 403


def test_someone_outside_the_work_group_gets_404_for_the_set_up(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.outsider)
    assert client.get(f"/sessions/{session.id}/visit").status_code == 404


def test_a_planning_session_has_no_visit(client, world, login_as):
    session = factories.session(world.group, kind=SessionKind.PLANNING)
    login_as(world.lead)
    assert client.get(f"/sessions/{session.id}/visit").status_code == 403


def test_observers_must_be_members_of_the_work_group(world):
    session = factories.session(world.group)
    setup = services.VisitSetup(observers=(services.ObserverInput(world.outsider.id),))
    with pytest.raises(services.InvalidVisit):
        services.set_up_visit(world.lead, session, setup)


def test_the_checklist_is_frozen_into_the_visit_when_it_is_set_up(world):
    template = checklists.copy_template(world.lead, world.group, "Multiplicative reasoning",
                                        checklists.default_criteria())
    session = factories.session(world.group)
    visit = services.set_up_visit(world.lead, session, services.VisitSetup(template=str(template.id)))
    checklists.update_template(world.lead, template, "Multiplicative reasoning",
                               {"fluency": ["Pupils use the multiplier, not repeated addition"]})
    db.session.refresh(visit)
    assert visit.checklist_name == "Multiplicative reasoning"
    assert visit.criteria == checklists.default_criteria()
    assert json.loads(template.criteria_json) != visit.criteria


def test_the_checklist_cannot_be_swapped_once_the_lesson_has_started(world, visit):
    template = checklists.copy_template(world.lead, world.group, "Short", checklists.build_criteria(
        {"fluency": ["Only one look-for"]}))
    lesson_clock.start_lesson(world.lead, visit)
    services.set_up_visit(world.lead, visit.session, services.VisitSetup(template=str(template.id)))
    assert visit.criteria == checklists.default_criteria()


def test_the_default_checklist_has_the_five_big_ideas_with_two_to_four_look_fors(app):
    criteria = checklists.default_criteria()
    assert [c["title"] for c in criteria] == ["Coherence", "Representation and structure", "Mathematical thinking",
                                              "Fluency", "Variation"]
    assert all(2 <= len(c["look_fors"]) <= 4 for c in criteria)


def test_a_lead_copies_and_edits_a_checklist_one_look_for_per_line(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/checklists", data={"source": "default"})
    assert response.status_code == 302
    edit_url = response.location
    response = client.post(edit_url, data={"name": "Focus B checklist", "idea_coherence": "Small steps",
                                           "idea_fluency": "Uses the multiplier\n\nKnows x3 facts"})
    assert response.status_code == 302
    template = services.group_templates(world.group)[0]
    fluency = next(c for c in template.criteria if c["id"] == "fluency")
    assert [lf["text"] for lf in fluency["look_fors"]] == ["Uses the multiplier", "Knows x3 facts"]


def test_a_member_may_not_edit_the_groups_checklists(client, world, login_as):
    login_as(world.advocate)
    assert client.post(f"/groups/{world.group.id}/checklists", data={"source": "default"}).status_code == 403


def test_the_session_page_offers_the_set_up_to_the_lead(client, world, login_as):
    session = factories.session(world.group)
    login_as(world.lead)
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Set up the observation" in page


def test_the_session_page_links_an_observer_to_their_record(client, world, login_as, visit):
    login_as(world.advocate)
    page = client.get(f"/sessions/{visit.session_id}").get_data(as_text=True)
    record = next(r for r in visit.records if r.observer_id == world.advocate.id)
    assert f"/records/{record.id}" in page and "Open my observation record" in page


def test_saving_the_set_up_again_keeps_the_checklist_chosen_before(client, world, login_as):
    template = checklists.copy_template(world.lead, world.group, "Focus B", checklists.build_criteria(
        {"fluency": ["Uses the multiplier"]}))
    session = factories.session(world.group)
    login_as(world.lead)
    client.post(f"/sessions/{session.id}/visit", data=_form(world, template=str(template.id)))
    page = client.get(f"/sessions/{session.id}/visit").get_data(as_text=True)
    assert "Keep “Focus B” as set up" in page
    client.post(f"/sessions/{session.id}/visit", data=_form(world, template="keep"))
    assert db.session.query(Visit).one().checklist_name == "Focus B"
