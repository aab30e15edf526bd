"""Writes for hubs, schools, people and Work Groups.

Every function takes the acting user first, checks permission (PermissionError), refuses
bad requests with GroupError (a message fit to show the user), records activity and commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from collab.accounts.models import Invitation, User, new_token
from collab.activity.services import record
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
from collab.groups.permissions import can_administer_hub, can_create_group, can_invite, can_manage_group
from collab.groups.signals import member_role_changed
from collab.realtime.access import announce_access_change
from collab.types import utcnow


class GroupError(Exception):
    """A request that breaks a rule of the domain; the message is shown to the user."""


@dataclass
class GroupDetails:
    project_code: str
    title: str
    focus: str
    journey_phase: JourneyPhase
    school_year: str
    description: str = ""


@dataclass
class SchoolDetails:
    name: str
    urn: str
    phase: Phase
    town: str | None = None


# --- reading helpers (used by views and forms) ---------------------------------------------------

def hub_people(hub: Hub | int, active_only: bool = True) -> list[User]:
    """Everyone who belongs to a hub: through their school, or directly (hub staff)."""
    hub_id = hub if isinstance(hub, int) else hub.id
    query = (select(User).outerjoin(School, User.school_id == School.id)
             .where(or_(User.hub_id == hub_id, School.hub_id == hub_id)))
    if active_only:
        query = query.where(User.active.is_(True))
    return list(db.session.scalars(query.order_by(User.name)))


def person_in_hub(person: User, hub: Hub | int) -> bool:
    hub_id = hub if isinstance(hub, int) else hub.id
    return person.hub_id == hub_id or (person.school is not None and person.school.hub_id == hub_id)


def pending_invitations(group: WorkGroup) -> list[Invitation]:
    return list(db.session.scalars(
        select(Invitation)
        .where(Invitation.work_group_id == group.id, Invitation.used_at.is_(None),
               Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc())))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionError


# --- Work Groups ---------------------------------------------------------------------------------

def _check_code_free(hub_id: int, details: GroupDetails, group: WorkGroup | None = None) -> None:
    clash = db.session.scalar(select(WorkGroup).where(
        WorkGroup.hub_id == hub_id,
        func.upper(WorkGroup.project_code) == details.project_code.upper(),
        WorkGroup.school_year == details.school_year))
    if clash is not None and clash is not group:
        raise GroupError(f"There is already a Work Group {details.project_code} in {details.school_year}.")


def create_group(actor: User, details: GroupDetails, schools: list[School], lead: User) -> WorkGroup:
    _require(can_create_group(actor))
    hub_id = actor.hub_id
    if hub_id is None:  # a hub administrator who belongs to no hub passes can_create_group; a group needs a hub
        raise GroupError("Your account belongs to no hub, so it cannot create Work Groups.")
    if any(s.hub_id != hub_id for s in schools):
        raise GroupError("Choose schools from your own hub.")
    if not lead.active or not person_in_hub(lead, hub_id):
        raise GroupError("Choose a lead who belongs to your hub.")
    _check_code_free(hub_id, details)
    group = WorkGroup(hub_id=hub_id, **vars(details))
    group.school_links = [WorkGroupSchool(school=s) for s in schools]
    group.memberships = [Membership(user=lead, role=Role.LEAD)]
    announce_access_change(users=[lead.id])  # a lead edits their department's development plan
    db.session.add(group)
    db.session.flush()
    record(group.id, actor, f"{actor.name} created Work Group {group.project_code} with {lead.name} as lead",
           group)
    db.session.commit()
    return group


def update_group(actor: User, group: WorkGroup, details: GroupDetails) -> WorkGroup:
    _require(can_manage_group(actor, group))
    _check_code_free(group.hub_id, details, group)
    for name, value in vars(details).items():
        setattr(group, name, value)
    record(group.id, actor, f"{actor.name} updated the details of {group.project_code}", group)
    db.session.commit()
    return group


# --- members and schools -------------------------------------------------------------------------

def _lead_count(group: WorkGroup) -> int:
    return sum(1 for m in group.memberships if m.role == Role.LEAD)


def change_role(actor: User, membership: Membership, role: Role) -> Membership:
    group = membership.work_group
    _require(can_manage_group(actor, group))
    if membership.role == Role.LEAD and role != Role.LEAD and _lead_count(group) == 1:
        raise GroupError("A Work Group needs a lead. Make someone else lead first.")
    if membership.role == role:
        return membership
    membership.role = role
    announce_access_change(users=[membership.user_id])
    record(group.id, actor, f"{actor.name} made {membership.user.name} {role.label}", group)
    db.session.commit()
    member_role_changed.send(group, user_id=membership.user_id)
    return membership


def remove_member(actor: User, membership: Membership) -> None:
    group = membership.work_group
    _require(can_manage_group(actor, group))
    if membership.role == Role.LEAD and _lead_count(group) == 1:
        raise GroupError("You can't remove the only lead. Make someone else lead first.")
    name, user_id = membership.user.name, membership.user_id
    group.memberships.remove(membership)
    announce_access_change(users=[user_id])
    record(group.id, actor, f"{actor.name} removed {name} from {group.project_code}", group)
    db.session.commit()
    member_role_changed.send(group, user_id=user_id)


def add_school(actor: User, group: WorkGroup, school: School) -> None:
    _require(can_manage_group(actor, group))
    if school.hub_id != group.hub_id:
        raise GroupError("That school is not in this Work Group's hub.")
    if any(link.school_id == school.id for link in group.school_links):
        raise GroupError(f"{school.name} is already in this Work Group.")
    group.school_links.append(WorkGroupSchool(school=school))
    record(group.id, actor, f"{actor.name} added {school.name} to {group.project_code}", group)
    db.session.commit()


def remove_school(actor: User, group: WorkGroup, school: School) -> None:
    """Members from the school stay in the group: removing people is a separate, deliberate step."""
    _require(can_manage_group(actor, group))
    link = next((link for link in group.school_links if link.school_id == school.id), None)
    if link is None:
        raise GroupError(f"{school.name} is not in this Work Group.")
    group.school_links.remove(link)
    record(group.id, actor, f"{actor.name} removed {school.name} from {group.project_code}", group)
    db.session.commit()


def invite(actor: User, group: WorkGroup, email: str, role: Role, school: School | None = None
           ) -> tuple[Invitation, str]:
    """Returns the invitation and its absolute link (shown to the inviter when no mail is sent)."""
    _require(can_invite(actor, group))
    if school is not None and all(link.school_id != school.id for link in group.school_links):
        raise GroupError("Choose one of this Work Group's schools.")
    email = email.strip().lower()
    existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if existing is not None and any(m.work_group_id == group.id for m in existing.memberships):
        raise GroupError(f"{existing.name} is already a member of this Work Group.")
    # Imported here: the accounts package imports from groups, never the other way at import time.
    from collab.accounts.services import create_invitation
    invitation, link = create_invitation(actor, email, group, role, school=school)
    record(group.id, actor, f"{actor.name} invited {email} as {role.label}", group)
    db.session.commit()
    return invitation, link


def revoke_invitation(actor: User, invitation: Invitation) -> None:
    group = invitation.work_group
    _require(group is not None and can_invite(actor, group))
    if invitation.used_at is not None:
        raise GroupError("That invitation has already been accepted.")
    # Expired rather than deleted, so the link, if followed, says it is no longer valid.
    invitation.expires_at = utcnow()
    record(group.id, actor, f"{actor.name} withdrew the invitation to {invitation.email}", group)
    db.session.commit()


# --- hub administration --------------------------------------------------------------------------

def _check_urn_free(urn: str, school: School | None = None) -> None:
    clash = db.session.scalar(select(School).where(School.urn == urn))
    if clash is not None and clash is not school:
        raise GroupError(f"URN {urn} already belongs to {clash.name}.")


def _ensure_maths_department(school: School) -> None:
    # Secondary schools take part through their maths department, so one must always exist.
    if school.phase != Phase.PRIMARY and not school.departments:
        school.departments.append(Department(name="Mathematics"))


def create_school(actor: User, hub: Hub, details: SchoolDetails) -> School:
    _require(can_administer_hub(actor, hub))
    _check_urn_free(details.urn)
    school = School(hub_id=hub.id, **vars(details))
    _ensure_maths_department(school)
    db.session.add(school)
    db.session.commit()
    return school


def update_school(actor: User, school: School, details: SchoolDetails) -> School:
    _require(can_administer_hub(actor, school.hub_id))
    _check_urn_free(details.urn, school)
    for name, value in vars(details).items():
        setattr(school, name, value)
    _ensure_maths_department(school)
    db.session.commit()
    return school


def create_person(actor: User, hub: Hub, name: str, email: str, school: School | None,
                  hub_admin: bool = False) -> User:
    """No password: the person sets one through an invitation or the password-reset link."""
    _require(can_administer_hub(actor, hub))
    email = email.strip().lower()
    if db.session.scalar(select(User).where(func.lower(User.email) == email)) is not None:
        raise GroupError(f"Someone already has the email address {email}.")
    if school is not None and school.hub_id != hub.id:
        raise GroupError("Choose a school in your hub.")
    person = User(name=name.strip(), email=email, password_hash=None, school=school,
                  department=school.maths_department if school else None, hub_id=hub.id,
                  is_hub_admin=hub_admin, active=True)
    db.session.add(person)
    db.session.commit()
    return person


def _administer(actor: User, person: User) -> None:
    _require(actor.hub_id is not None and can_administer_hub(actor, actor.hub_id)
             and person_in_hub(person, actor.hub_id))


def deactivate_person(actor: User, person: User) -> None:
    _administer(actor, person)
    if person.id == actor.id:
        raise GroupError("You can't deactivate your own account.")
    person.active = False
    # A new token invalidates every session cookie the person holds, on every device.
    person.session_token = new_token()
    announce_access_change(users=[person.id])
    db.session.commit()


def reactivate_person(actor: User, person: User) -> None:
    _administer(actor, person)
    person.active = True
    announce_access_change(users=[person.id])
    db.session.commit()


def set_hub_admin(actor: User, person: User, make_admin: bool) -> None:
    _administer(actor, person)
    if person.id == actor.id and not make_admin:
        raise GroupError("You can't remove your own hub administrator role; ask another administrator.")
    if make_admin and not person.active:
        raise GroupError("Reactivate this person before making them a hub administrator.")
    person.is_hub_admin = make_admin
    if make_admin and person.hub_id is None:
        person.hub_id = actor.hub_id
    announce_access_change(users=[person.id])  # a hub administrator who is a member leads the group's work
    db.session.commit()
