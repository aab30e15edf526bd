"""A Work Group lead's view of delivery: each member school's development plan, side by side, in figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from collab.devplans.delivery.models import PlanAim, ProgressUpdate
from collab.devplans.models import DevPlan
from collab.extensions import db
from collab.groups.models import Department, School, WorkGroup


@dataclass
class AimStatus:
    aim: PlanAim
    latest: ProgressUpdate | None


@dataclass
class PlanFigures:
    school: School
    department: Department
    plan: DevPlan | None
    aims: list[AimStatus] = field(default_factory=list)
    actions_done: int = 0
    actions_total: int = 0
    last_update: datetime | None = None


def group_delivery(group: WorkGroup) -> list[PlanFigures]:
    """One row per department of the group's schools (a school without a department has none), by school."""
    rows: list[PlanFigures] = []
    for school in group.schools:
        for department in school.departments:
            plan = db.session.scalar(select(DevPlan).where(DevPlan.department_id == department.id))
            row = PlanFigures(school, department, plan)
            if plan is not None:
                aims = db.session.scalars(select(PlanAim).where(PlanAim.plan_id == plan.id)
                                          .order_by(PlanAim.id)).all()
                for aim in aims:
                    row.aims.append(AimStatus(aim, aim.latest_update))
                    row.actions_total += len(aim.actions)
                    row.actions_done += sum(1 for a in aim.actions if a.done)
                    dates = [u.updated_at for u in aim.updates]
                    if dates and (row.last_update is None or max(dates) > row.last_update):
                        row.last_update = max(dates)
            rows.append(row)
    return rows
