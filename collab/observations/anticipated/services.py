"""Writes for anticipated items: "Refresh from the plan" (the lead or the host teacher), and the case pupils a
visit's set-up is offered from its plan. Tags themselves are written by observers into their records' documents."""

from __future__ import annotations

from dataclasses import dataclass

from collab.extensions import db
from collab.observations.anticipated.items import copy_from_plan, plan_items
from collab.observations.models import CasePupil, Visit
from collab.observations.permissions import can_set_up_visit
from collab.observations.visits.services import MAX_CASE_PUPILS, InvalidVisit, NotAllowed, PupilInput
from collab.plans.models import LessonPlan


def case_pupils_from_plan(plan: LessonPlan) -> list[PupilInput]:
    """The plan's case pupils (pseudonym, prediction), one per pseudonym, at most a visit's number."""
    pupils: dict[str, PupilInput] = {}
    for item in plan_items(plan):
        if item.kind == "pupil" and item.pupil.lower() not in pupils:
            pupils[item.pupil.lower()] = PupilInput(item.pupil, item.text)
    return list(pupils.values())[:MAX_CASE_PUPILS]


@dataclass(frozen=True)
class Refreshed:
    added: int
    kept: int
    dropped: int
    pupils_added: int
    pupils_updated: int

    def describe(self) -> str:
        parts = [f"{self.added} new item{'s' if self.added != 1 else ''}", f"{self.kept} unchanged",
                 f"{self.dropped} no longer in the plan"]
        if self.pupils_added or self.pupils_updated:
            parts.append(f"case pupils: {self.pupils_added} added, {self.pupils_updated} predictions updated")
        return "Refreshed from the plan: " + ", ".join(parts) + "."


def _refresh_pupils(visit: Visit, plan: LessonPlan) -> tuple[int, int]:
    """Add the plan's case pupils the visit lacks and update the predictions of those it has (by pseudonym).
    None is removed: observers may follow them."""
    added = updated = 0
    current = {p.label.lower(): p for p in visit.case_pupils}
    for pupil in case_pupils_from_plan(plan):
        row = current.get(pupil.label.lower())
        if row is not None:
            if row.prediction != pupil.prediction[:2000]:
                row.prediction, updated = pupil.prediction[:2000], updated + 1
        elif len(visit.case_pupils) < MAX_CASE_PUPILS:
            visit.case_pupils.append(CasePupil(label=pupil.label, prediction=pupil.prediction[:2000],
                                               position=len(visit.case_pupils)))
            added += 1
    return added, updated


def refresh_from_plan(actor, visit: Visit) -> Refreshed:
    """Copy the plan's anticipated items (and case pupils) onto the visit again. Asking twice changes nothing more."""
    if not can_set_up_visit(actor, visit.session, visit):
        raise NotAllowed("only the Work Group lead or the host teacher refreshes a visit from its plan")
    if visit.plan is None:
        raise InvalidVisit("Link a lesson plan to the visit first (Change the set-up).")
    counts = copy_from_plan(visit)
    pupils_added, pupils_updated = _refresh_pupils(visit, visit.plan)
    db.session.commit()
    return Refreshed(counts["added"], counts["kept"], counts["dropped"], pupils_added, pupils_updated)
