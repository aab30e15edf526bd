"""The stages of a research cycle, in order, with who did what and when, and the viewer's next step.

Read from the rows the stages are made of (the study document's log, the linked plan, the sessions and their
visits, the discussions, the revised plan): nothing here is stored, so a stage is never out of date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from collab.cycles.models import CycleStatus, ResearchCycle, SessionPurpose
from collab.cycles.permissions import can_edit_study, can_manage_cycle, can_revise_plan
from collab.cycles.revisions import revision_of
from collab.cycles.services import sessions_of
from collab.cycles.study import writers
from collab.discussions.permissions import can_post_discussion
from collab.discussions.services import discussion_view
from collab.observations.permissions import can_set_up_visit
from collab.observations.visits.services import visit_for_session
from collab.sessions.models import GroupSession
from collab.timeutil import uk_date, uk_datetime
from collab.types import utcnow

DONE, NEXT, LATER, SKIPPED = "done", "next", "later", "skipped"


@dataclass
class Stage:
    key: str  # study, plan, research-lesson, discussion, revised-plan, revised-lesson
    title: str
    state: str = LATER  # done, next, later, skipped
    events: list[str] = field(default_factory=list)  # "Linked by Sam Patel on Tue 4 Mar 2025"
    sessions: list[GroupSession] = field(default_factory=list)
    details: dict[int, str] = field(default_factory=dict)  # session id -> "Taught on …; 3 observers"

    @property
    def state_label(self) -> str:
        return {DONE: "Done", NEXT: "Next step", LATER: "Not yet", SKIPPED: "Not done"}[self.state]


@dataclass
class NextStep:
    key: str  # what the page links the call to action to (views.NEXT_STEP_LINKS)
    label: str  # "Write the study document"
    can_act: bool  # the viewer may do it; otherwise the page says who will
    waiting_for: str = ""  # "the Work Group lead"
    session: GroupSession | None = None


def _lesson_taught(session: GroupSession, now: datetime) -> bool:
    visit = visit_for_session(session)
    if visit is not None and visit.lesson_ended_at is not None:
        return True
    return session.ends_at <= now


def _lesson_detail(session: GroupSession, now: datetime) -> str:
    """"Taught on Mon 30 Nov 2026, 09:00; 3 observers", "Scheduled by Sam Patel for …; the observation visit is
    not set up yet"."""
    visit = visit_for_session(session)
    taught = _lesson_taught(session, now)
    if taught:
        text = f"Taught on {uk_datetime(session.starts_at)}"
    else:
        scheduler = session.created_by.name if session.created_by else None
        text = f"Scheduled{_by(scheduler)} for {uk_datetime(session.starts_at)}"
        if visit is not None and visit.in_progress:
            text = f"In progress now (began {uk_datetime(visit.lesson_started_at)})"
    if visit is None:
        return text + ("; no observation visit was set up" if taught else "; the observation visit is not set up yet")
    observers = len(visit.records)
    return text + f"; {observers} observer{'s' if observers != 1 else ''}"


def _by(name: str | None) -> str:
    return f" by {name}" if name else ""


def stages(cycle: ResearchCycle) -> list[Stage]:
    now = utcnow()
    study = Stage("study", "Study document")
    if cycle.study is not None:
        names, changed_at = writers(cycle.study)
        if changed_at is not None:
            study.state = DONE
            who = f"Written by {', '.join(names)}" if names else "Written"
            study.events.append(f"{who}; last changed {uk_datetime(changed_at)}")

    plan = Stage("plan", "Research lesson plan")
    if cycle.research_plan is not None:
        plan.state = DONE
        linked_by = cycle.plan_linked_by.name if cycle.plan_linked_by else None
        plan.events.append(f"“{cycle.research_plan.title}” linked{_by(linked_by)}"
                           + (f" on {uk_date(cycle.plan_linked_at)}" if cycle.plan_linked_at else ""))

    lesson = Stage("research-lesson", "Research lesson and observation visit")
    research = sessions_of(cycle, SessionPurpose.RESEARCH)
    lesson.sessions = research
    for session in research:
        lesson.details[session.id] = _lesson_detail(session, now)
    if any(_lesson_taught(s, now) for s in research):
        lesson.state = DONE

    discussion = Stage("discussion", "Post-lesson discussion")
    discussion.sessions = research
    for session in research:
        view = discussion_view(session)
        if view.count or view.actions:
            people = sorted({pv.post.author.name for posts in view.sections.values() for pv in posts
                             if pv.post.author is not None and not pv.post.deleted})
            done = sum(1 for a in view.actions if a.done)
            discussion.events.append(
                f"{view.count} post{'s' if view.count != 1 else ''}"
                + (f" by {', '.join(people)}" if people else "")
                + f"; {len(view.actions)} agreed action{'s' if len(view.actions) != 1 else ''} ({done} done)")
            discussion.state = DONE

    revised = Stage("revised-plan", "Revised plan")
    if cycle.revised_plan is not None:
        revised.state = DONE
        link = revision_of(cycle.revised_plan)
        author = link.created_by.name if link is not None and link.created_by else None
        when = f" on {uk_date(link.created_at)}" if link is not None else ""
        revised.events.append(f"“{cycle.revised_plan.title}” written{_by(author)}{when}"
                              + (f", after the discussion of “{link.session.title}”"
                                 if link is not None and link.session is not None else ""))

    again = Stage("revised-lesson", "Revised lesson (taught again)")
    again.sessions = sessions_of(cycle, SessionPurpose.REVISED)
    for session in again.sessions:
        again.details[session.id] = _lesson_detail(session, now)
    if any(_lesson_taught(s, now) for s in again.sessions):
        again.state = DONE

    ordered = [study, plan, lesson, discussion, revised, again]
    # The next step comes after the last stage done: a stage the group went past (a cycle whose lesson was taught
    # with no study document written) is shown as not done, not asked for again.
    last_done = max((i for i, s in enumerate(ordered) if s.state == DONE), default=-1)
    for stage in ordered[:max(last_done, 0)]:
        if stage.state != DONE:
            stage.state = SKIPPED
    if cycle.status == CycleStatus.IN_PROGRESS and last_done + 1 < len(ordered):
        ordered[last_done + 1].state = NEXT
    return ordered


def next_step(cycle: ResearchCycle, user, ordered: list[Stage] | None = None) -> NextStep | None:
    """What the viewer should do next in the cycle, or None when the cycle is finished."""
    if cycle.status == CycleStatus.FINISHED:
        return None
    ordered = ordered if ordered is not None else stages(cycle)
    lead = can_manage_cycle(user, cycle)
    stage = next((s for s in ordered if s.state == NEXT), None)
    if stage is None:
        return NextStep("finish", "Mark the cycle finished", lead, "the Work Group lead")
    if stage.key == "study":
        return NextStep("study", "Write the study document", can_edit_study(user, cycle))
    if stage.key == "plan":
        return NextStep("plan", "Link the research lesson plan", lead, "the Work Group lead")
    if stage.key in ("research-lesson", "revised-lesson"):
        which = "research" if stage.key == "research-lesson" else "revised"
        upcoming = next((s for s in stage.sessions), None)
        if upcoming is None:
            return NextStep(f"schedule-{which}", f"Schedule the {which} lesson", lead, "the Work Group lead")
        if visit_for_session(upcoming) is None and upcoming.kind.value in ("observation", "transition"):
            return NextStep("set-up-visit", "Set up the observation visit",
                            can_set_up_visit(user, upcoming, None), "the Work Group lead or the host teacher",
                            upcoming)
        return NextStep("lesson", f"Observe the {which} lesson on {uk_date(upcoming.starts_at)}", True,
                        session=upcoming)
    if stage.key == "discussion":
        session = stage.sessions[-1]
        return NextStep("discussion", "Hold the post-lesson discussion", can_post_discussion(user, session),
                        session=session)
    if stage.key == "revised-plan":
        plan = cycle.research_plan
        can = plan is not None and can_revise_plan(user, plan)
        return NextStep("revise", "Revise the plan", can, "the plan's co-planners")
    raise AssertionError(f"no next step for the stage {stage.key}")  # every stage's key is handled above
