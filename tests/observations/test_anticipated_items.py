"""Anticipated items: read from the plan's sections, copied onto the visit at set-up, refreshed from the plan on
request (tags stay with their items), and the plan's case pupils offered at set-up."""

from __future__ import annotations

import pytest

from collab.extensions import db
from collab.observations.anticipated.items import plan_items
from collab.observations.anticipated.services import case_pupils_from_plan, refresh_from_plan
from collab.observations.visits.services import InvalidVisit, NotAllowed
from collab.plans.models import PlanKind
from collab.plans.services import MASTERY_SECTIONS, create_plan
from tests import factories
from tests.observations.anticipated_plan import ANTICIPATED, item_id, ratio_plan, tag, write_section
from tests.observations.helpers import make_visit, record_for


def test_a_new_plan_has_a_case_pupils_section_after_the_anticipated_one():
    at = MASTERY_SECTIONS.index("Anticipated misconceptions and responses")
    assert MASTERY_SECTIONS[at + 1] == "Case pupils and predictions"


def test_each_paragraph_and_list_item_of_the_anticipated_section_is_one_item(world):
    items = plan_items(ratio_plan(world))
    assert [(i.kind, i.pupil, i.text) for i in items] == [
        ("response", "", "Additive reasoning: adding 9 to both quantities."),
        ("response", "", "Unit price rounded too early."),
        ("response", "", "Scale factor applied to one quantity only."),
        ("pupil", "Pupil A", "will reach for the unitary method at once."),
        ("pupil", "Pupil B", "will add rather than scale.")]


def test_a_prediction_without_a_pseudonym_is_given_one_by_its_place(world):
    plan = ratio_plan(world, pupils=["Will finish early and need the extension."])
    assert [(i.pupil, i.text) for i in plan_items(plan) if i.kind == "pupil"] == [
        ("Pupil A", "Will finish early and need the extension.")]


def test_a_transition_plan_gives_the_anticipated_items_of_both_sides(world):
    plan = create_plan(world.lead, world.group, "Multiplication across KS2-KS3", kind=PlanKind.TRANSITION)
    write_section(plan, ANTICIPATED, ["Year 6: counts on in steps."], world.lead.id)  # the first side's
    assert [i.text for i in plan_items(plan)] == ["Year 6: counts on in steps."]


def test_setting_up_a_visit_with_a_plan_copies_its_items_onto_the_visit(world):
    visit = make_visit(world, plan=ratio_plan(world))
    assert [i.text for i in visit.anticipated][:2] == ["Additive reasoning: adding 9 to both quantities.",
                                                      "Unit price rounded too early."]
    assert len(visit.anticipated) == 5 and all(i.in_plan for i in visit.anticipated)


def test_a_visit_without_a_plan_has_no_items(world, visit):
    assert visit.anticipated == []


def test_the_items_are_a_snapshot_the_plan_changing_later_does_not_change_them(world):
    plan = ratio_plan(world)
    visit = make_visit(world, plan=plan)
    write_section(plan, ANTICIPATED, ["Confuses ratio with fraction."], world.lead.id)
    assert "Confuses ratio with fraction." not in [i.text for i in visit.anticipated]


def test_refreshing_adds_new_items_and_keeps_the_ids_of_unchanged_ones(world):
    plan = ratio_plan(world)
    visit = make_visit(world, plan=plan)
    before = item_id(visit, "Additive reasoning")
    write_section(plan, ANTICIPATED, ["Confuses ratio with fraction."], world.lead.id)
    result = refresh_from_plan(world.lead, visit)
    assert (result.added, result.kept, result.dropped) == (1, 5, 0)
    assert item_id(visit, "Additive reasoning") == before
    assert [i.text for i in visit.anticipated][0] == "Confuses ratio with fraction."


def test_refreshing_twice_changes_nothing_more(world):
    visit = make_visit(world, plan=ratio_plan(world))
    ids = [i.id for i in visit.anticipated]
    refresh_from_plan(world.lead, visit)
    result = refresh_from_plan(world.lead, visit)
    assert (result.added, result.dropped, result.pupils_added, result.pupils_updated) == (0, 0, 0, 0)
    assert [i.id for i in visit.anticipated] == ids


def test_an_item_gone_from_the_plan_is_dropped_unless_an_observer_tagged_it(world):
    plan = ratio_plan(world)
    visit = make_visit(world, plan=plan)
    tagged = item_id(visit, "Unit price")
    tag(record_for(visit, world.advocate), tagged, "seen")
    plan2 = ratio_plan(world, anticipated=["Confuses ratio with fraction."])
    visit.plan = plan2  # the same plan rewritten: here, another plan with other items
    result = refresh_from_plan(world.lead, visit)
    kept = {str(i.id): i for i in visit.anticipated}
    assert tagged in kept and not kept[tagged].in_plan
    assert "Additive reasoning: adding 9 to both quantities." not in [i.text for i in visit.anticipated]
    assert result.dropped == 2


def test_only_the_lead_or_the_host_refreshes_and_only_with_a_plan(world, visit):
    with pytest.raises(NotAllowed):
        refresh_from_plan(world.advocate, visit)
    with pytest.raises(InvalidVisit):
        refresh_from_plan(world.lead, visit)


def test_refreshing_adds_the_plans_case_pupils_the_visit_lacks_and_updates_predictions(world):
    plan = ratio_plan(world)
    visit = make_visit(world, plan=plan, pupils=("Pupil A",))
    result = refresh_from_plan(world.lead, visit)
    assert [(p.label, p.prediction) for p in visit.case_pupils] == [
        ("Pupil A", "will reach for the unitary method at once."), ("Pupil B", "will add rather than scale.")]
    assert (result.pupils_added, result.pupils_updated) == (1, 1)


def test_the_case_pupils_offered_at_set_up_come_from_the_plan(world):
    pupils = case_pupils_from_plan(ratio_plan(world))
    assert [(p.label, p.prediction) for p in pupils] == [("Pupil A", "will reach for the unitary method at once."),
                                                         ("Pupil B", "will add rather than scale.")]


def test_the_set_up_form_of_a_new_visit_is_filled_with_the_plans_case_pupils(client, world, login_as):
    session = factories.session(world.group)
    plan = ratio_plan(world)
    plan.session_id = session.id  # the plan planned for this session is the one offered
    db.session.commit()
    login_as(world.lead)
    page = client.get(f"/sessions/{session.id}/visit").get_data(as_text=True)
    assert 'value="Pupil B"' in page and ">will add rather than scale.</textarea>" in page
    assert 'name="pupil-1-used" value="1" checked' in page
    assert 'name="pupil-2-used" value="1" checked' not in page  # only the plan's two are followed
