"""Cycles' services: the theme, a cycle and its study document, linking the plan and the lessons, the stages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.activity.models import Activity
from collab.cycles import services, timeline
from collab.cycles.models import CycleStatus, SessionPurpose
from collab.cycles.study import STUDY_SECTIONS, has_writing, study_html, writers
from collab.extensions import db
from collab.plans.services import create_plan
from tests import factories
from tests.cycles.conftest import write_under


def test_the_lead_sets_the_research_theme_and_question(world):
    services.set_theme(world.lead, world.group, "Multiplicative reasoning", "How do pupils come to see scaling?")
    theme = services.theme_of(world.group)
    assert (theme.theme, theme.question, theme.updated_by_id) == (
        "Multiplicative reasoning", "How do pupils come to see scaling?", world.lead.id)


def test_an_advocate_may_not_set_the_theme(world):
    with pytest.raises(services.NotAllowed):
        services.set_theme(world.advocate, world.group, "Ours", "")


def test_a_theme_too_long_is_refused_with_the_limit_and_its_length(world):
    with pytest.raises(services.Invalid, match="at most 200 characters .this one has 201"):
        services.set_theme(world.lead, world.group, "x" * 201, "")


def test_a_new_cycle_has_a_study_document_laid_out_with_its_headings(world, cycle):
    assert cycle.status == CycleStatus.IN_PROGRESS and cycle.study is not None
    html = study_html(cycle.study)
    assert all(f"<h2>{heading.replace(chr(39), '&#x27;')}</h2>" in html for heading, _ in STUDY_SECTIONS)
    assert not has_writing(cycle.study)  # the headings alone are not written work


def test_a_cycle_needs_a_title(world):
    with pytest.raises(services.Invalid, match="Enter a title"):
        services.create_cycle(world.lead, world.group, "   ")


def test_only_the_lead_starts_a_cycle(world):
    with pytest.raises(services.NotAllowed):
        services.create_cycle(world.advocate, world.group, "Ours")


def test_starting_a_cycle_is_in_the_groups_activity(world, cycle):
    entry = db.session.scalars(select(Activity).order_by(Activity.id.desc())).first()
    assert "started the research cycle" in entry.summary
    assert entry.link == f"/cycles/{cycle.id}"


def test_writing_in_the_study_document_counts_who_wrote(world, cycle):
    write_under(cycle.study.document_id, "The maths", "Ratio as a multiplicative relationship.", world.advocate)
    names, when = writers(cycle.study)
    assert names == [world.advocate.name] and when is not None


def test_a_plan_of_another_group_cannot_be_linked(world, cycle):
    other = factories.work_group(world.hub)
    factories.member(other, world.lead)
    foreign = create_plan(world.lead, other, "Elsewhere")
    with pytest.raises(services.Invalid, match="Work Group's lesson plans"):
        services.link_plan(world.lead, cycle, foreign)


def test_a_session_is_in_one_cycle_at_most(world, cycle, research_lesson):
    services.link_session(world.lead, cycle, research_lesson, SessionPurpose.RESEARCH)
    second = services.create_cycle(world.lead, world.group, "Another cycle")
    with pytest.raises(services.Invalid, match="another research cycle"):
        services.link_session(world.lead, second, research_lesson, SessionPurpose.RESEARCH)


def test_linking_the_research_lesson_attaches_the_plan_to_it_for_the_visit_set_up(world, cycle, plan):
    services.link_plan(world.lead, cycle, plan)
    lesson = factories.session(world.group, title="Research lesson")
    services.link_session(world.lead, cycle, lesson, SessionPurpose.RESEARCH)
    assert plan.session_id == lesson.id


def test_the_stages_come_in_order_and_the_first_undone_is_next(world, cycle):
    stages = timeline.stages(cycle)
    assert [s.key for s in stages] == ["study", "plan", "research-lesson", "discussion", "revised-plan",
                                       "revised-lesson"]
    assert [s.state for s in stages] == ["next"] + ["later"] * 5


def test_the_next_step_moves_along_the_cycle(world, cycle, plan):
    assert timeline.next_step(cycle, world.lead).label == "Write the study document"
    write_under(cycle.study.document_id, "The maths", "Scaling.", world.advocate)
    assert timeline.next_step(cycle, world.lead).label == "Link the research lesson plan"
    services.link_plan(world.lead, cycle, plan)
    assert timeline.next_step(cycle, world.lead).label == "Schedule the research lesson"
    lesson = factories.session(world.group, starts_in=timedelta(days=3), title="Research lesson")
    services.link_session(world.lead, cycle, lesson, SessionPurpose.RESEARCH)
    assert timeline.next_step(cycle, world.lead).label == "Set up the observation visit"


def test_a_member_sees_who_will_take_a_step_they_cannot(world, cycle):
    write_under(cycle.study.document_id, "The maths", "Scaling.", world.advocate)
    step = timeline.next_step(cycle, world.advocate)
    assert step.label == "Link the research lesson plan" and not step.can_act
    assert step.waiting_for == "the Work Group lead"


def test_after_the_lesson_the_next_step_is_the_discussion_then_the_revision(world, linked, research_lesson,
                                                                          discussed):
    write_under(linked.study.document_id, "The maths", "Scaling.", world.advocate)
    stages = {s.key: s for s in timeline.stages(linked)}
    assert stages["research-lesson"].state == "done" and stages["discussion"].state == "done"
    assert stages["research-lesson"].details[research_lesson.id].startswith("Taught on ")
    assert stages["research-lesson"].details[research_lesson.id].endswith("; no observation visit was set up")
    assert "2 agreed actions (0 done)" in stages["discussion"].events[0]
    assert world.advocate.name in stages["discussion"].events[0]
    step = timeline.next_step(linked, world.advocate)
    assert step.label == "Revise the plan" and step.can_act


def test_a_finished_cycle_has_no_next_step(world, cycle):
    services.update_cycle(world.lead, cycle, cycle.title, cycle.research_question, CycleStatus.FINISHED)
    assert cycle.finished_at is not None
    assert timeline.next_step(cycle, world.lead) is None


def test_a_stage_the_group_went_past_is_not_done_and_not_asked_for_again(world, linked, research_lesson,
                                                                         discussed):
    stages = {s.key: s for s in timeline.stages(linked)}
    assert stages["study"].state == "skipped" and stages["study"].state_label == "Not done"
    assert timeline.next_step(linked, world.advocate).label == "Revise the plan"
