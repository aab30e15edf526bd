"""Test data builders. Each returns committed rows with sensible defaults."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher

from collab.accounts.models import User
from collab.extensions import db
from collab.groups.models import (
    Department,
    Hub,
    JourneyPhase,
    Membership,
    Phase,
    Role,
    School,
    WorkGroup,
    WorkGroupSchool,
)
from collab.sessions.models import Attendance, GroupSession, SessionKind
from collab.types import utcnow

PASSWORD = "correct horse battery"
# argon2 is slow on purpose (~130 ms a check with production's parameters): the suite's apps use cheap ones
# (COLLAB_PASSWORD_HASHING), and every factory user shares one hash made with them.
FAST_PASSWORD_HASHING = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
_PASSWORD_HASH = PasswordHasher(**FAST_PASSWORD_HASHING).hash(PASSWORD)
_seq = itertools.count(1)


def hub(name: str | None = None) -> Hub:
    h = Hub(name=name or f"Hub {next(_seq)}")
    db.session.add(h)
    db.session.commit()
    return h


def school(hub: Hub, name: str | None = None, phase: Phase = Phase.SECONDARY) -> School:
    n = next(_seq)
    s = School(hub=hub, name=name or f"School {n}", urn=f"{100000 + n}", phase=phase)
    if phase != Phase.PRIMARY:
        s.departments.append(Department(name="Mathematics"))
    db.session.add(s)
    db.session.commit()
    return s


def user(email: str | None = None, name: str | None = None, school: School | None = None,
         hub: Hub | None = None, hub_admin: bool = False, active: bool = True) -> User:
    n = next(_seq)
    u = User(email=email or f"person{n}@example.org", name=name or f"Person {n}", password_hash=_PASSWORD_HASH,
             school=school, department=school.maths_department if school else None,
             hub=hub or (school.hub if school else None), is_hub_admin=hub_admin, active=active)
    db.session.add(u)
    db.session.commit()
    return u


def work_group(hub: Hub, code: str | None = None, schools: list[School] = ()) -> WorkGroup:
    g = WorkGroup(hub=hub, project_code=code or f"NCP24-{next(_seq)}b", title="Developing fluency",
                  focus="Focus B: Developing fluency with multiplicative reasoning in Key Stage 3",
                  journey_phase=JourneyPhase.SUSTAINING, school_year="2024/25")
    for s in schools:
        g.school_links.append(WorkGroupSchool(school=s))
    db.session.add(g)
    db.session.commit()
    return g


def member(group: WorkGroup, person: User, role: Role = Role.ADVOCATE) -> Membership:
    m = Membership(work_group=group, user=person, role=role)
    db.session.add(m)
    db.session.commit()
    return m


def session(group: WorkGroup, kind: SessionKind = SessionKind.OBSERVATION, starts_in: timedelta = timedelta(days=7),
            host: School | None = None, attendees: list[User] = (), title: str = "Year 8 ratio lesson") -> GroupSession:
    start = (utcnow() + starts_in).replace(second=0, microsecond=0)
    s = GroupSession(work_group=group, kind=kind, title=title, host_school=host, starts_at=start,
                     ends_at=start + timedelta(hours=2), place="Maths block, room M4", agenda="Observe, then discuss.")
    for person in attendees:
        s.attendances.append(Attendance(user=person))
    db.session.add(s)
    db.session.commit()
    return s


@dataclass
class World:
    hub: Hub
    other_hub: Hub
    school_a: School
    school_b: School
    primary: School
    group: WorkGroup
    lead: User
    advocate: User
    colleague: User
    outsider: User
    admin: User
    other_admin: User


def build_world() -> World:
    h = hub("Yorkshire and the Humber Maths Hub")
    other = hub("East Midlands South Maths Hub")
    a = school(h, "Castle Hill Academy")
    b = school(h, "Riverside School")
    p = school(h, "Meadow Primary School", phase=Phase.PRIMARY)
    g = work_group(h, "NCP24-14b", [a, b, p])
    lead = user("lead@example.org", "Sam Lead", a)
    advocate = user("advocate@example.org", "Alex Advocate", b)
    colleague = user("colleague@example.org", "Chris Colleague", b)
    outsider = user("outsider@example.org", "Olive Outsider", school(h, "Hillside High"))
    admin = user("admin@example.org", "Hana Admin", hub=h, hub_admin=True)
    other_admin = user("other-admin@example.org", "Oscar Admin", hub=other, hub_admin=True)
    member(g, lead, Role.LEAD)
    member(g, advocate, Role.ADVOCATE)
    member(g, colleague, Role.DEPARTMENT_COLLEAGUE)
    return World(h, other, a, b, p, g, lead, advocate, colleague, outsider, admin, other_admin)


def at(days: int = 7, hour: int = 9) -> datetime:
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
