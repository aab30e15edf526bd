"""Invitations: creating them, and accepting them with a new or an existing account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from collab.accounts.models import Invitation, User, hash_token
from collab.accounts.services import create_invitation
from collab.activity.models import Activity
from collab.extensions import db
from collab.groups.models import Membership, Role
from collab.types import utcnow
from tests import factories
from tests.accounts.conftest import link_in, path_of

NEW_PASSWORD = "a brand new passphrase"


def invite(world, email: str = "new.teacher@example.org", role: Role = Role.ADVOCATE, school=None) -> str:
    _invitation, link = create_invitation(world.lead, email, world.group, role, school=school or world.school_b)
    return path_of(link)


def join(client, path: str, name: str = "Nia New", password: str = NEW_PASSWORD):
    return client.post(path, data={"name": name, "password": password, "confirm": password})


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_the_invitation_link_uses_the_configured_base_url(app, world, outbox):
    app.config["COLLAB_BASE_URL"] = "https://collab.example.org/"
    _invitation, link = create_invitation(world.lead, "someone@example.org", world.group, Role.ADVOCATE)
    assert link.startswith("https://collab.example.org/invitations/")


def test_the_invitation_link_is_absolute_and_mailed(app, world, outbox):
    _invitation, link = create_invitation(world.lead, "New.Teacher@Example.org", world.group, Role.ADVOCATE)
    assert link.startswith("http://127.0.0.1:5000/invitations/")  # no COLLAB_BASE_URL, no request: host and port
    assert outbox[-1]["to"] == "new.teacher@example.org"
    assert link_in(outbox[-1]) == link


def test_the_token_is_stored_only_as_a_hash(world):
    invitation, link = create_invitation(world.lead, "new.teacher@example.org", world.group, Role.ADVOCATE)
    token = link.rsplit("/", 1)[1]
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash


def test_someone_who_may_not_invite_is_refused(world):
    with pytest.raises(PermissionError):
        create_invitation(world.advocate, "new.teacher@example.org", world.group, Role.ADVOCATE)


def test_the_invitation_page_shows_the_work_group_and_role(client, world):
    html = client.get(invite(world)).get_data(as_text=True)
    assert "NCP24-14b" in html
    assert "Mastery Advocate" in html
    assert 'autocomplete="new-password"' in html


def test_accepting_creates_the_account_membership_and_activity_and_signs_in(client, world):
    path = invite(world)
    response = join(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.email == "new.teacher@example.org"))
    assert user.name == "Nia New"
    assert user.school_id == world.school_b.id
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    assert (membership.work_group_id, membership.role) == (world.group.id, Role.ADVOCATE)
    assert db.session.scalar(select(Activity).where(Activity.actor_id == user.id)).summary.startswith("Nia New joined")
    assert db.session.scalar(select(Invitation)).used_at is not None
    assert client.get("/").status_code == 200


def test_the_new_account_can_sign_in_with_its_password(client, auth, world):
    join(client, invite(world))
    auth.logout()
    assert auth.login("new.teacher@example.org", NEW_PASSWORD).status_code == 302


def test_a_short_password_is_refused_and_nothing_changes(client, world):
    path = invite(world)
    before = user_count()
    response = join(client, path, password="short")
    assert response.status_code == 200
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert user_count() == before


def test_mismatched_passwords_are_refused(client, world):
    response = client.post(invite(world), data={"name": "Nia", "password": NEW_PASSWORD, "confirm": "something else"})
    assert "The two passwords are not the same." in response.get_data(as_text=True)


def test_a_used_link_is_refused_and_changes_nothing(app, client, world):
    path = invite(world)
    join(client, path)
    before = user_count()
    other = app.test_client()
    response = join(other, path, name="Someone Else")
    assert response.status_code == 410
    assert "already been used" in response.get_data(as_text=True)
    assert user_count() == before
    assert other.get("/").status_code == 302


def test_an_expired_link_is_refused(client, world):
    path = invite(world)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    before = user_count()
    response = join(client, path)
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "expired" in html
    assert "lead@example.org" in html  # who to ask
    assert user_count() == before


def test_an_unknown_token_is_not_found(client, world):
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 404
    assert "can't find this invitation" in response.get_data(as_text=True)


def test_inviting_the_same_email_again_replaces_the_earlier_link(client, world):
    first = invite(world)
    second = invite(world, role=Role.LEAD_PARTICIPANT)
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_existing_account_is_asked_to_sign_in_first(client, world):
    response = client.get(invite(world, email="outsider@example.org"))
    assert "Sign in to accept" in response.get_data(as_text=True)


def test_an_existing_account_accepting_gets_the_membership_only(client, auth, world):
    path = invite(world, email="outsider@example.org")
    before = user_count()
    auth.login("outsider@example.org", factories.PASSWORD)
    response = client.post(path)
    assert response.status_code == 302
    assert user_count() == before
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world.outsider.id))
    assert membership.role == Role.ADVOCATE
    db.session.refresh(world.outsider)
    assert world.outsider.name == "Olive Outsider"


def test_an_existing_account_not_signed_in_cannot_accept(client, world):
    path = invite(world, email="outsider@example.org")
    response = client.post(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert db.session.scalar(select(Invitation)).used_at is None


def test_accepting_as_an_existing_member_adds_no_second_membership(client, auth, world):
    path = invite(world, email="advocate@example.org", role=Role.LEAD_PARTICIPANT)
    auth.login("advocate@example.org", factories.PASSWORD)
    client.post(path)
    roles = db.session.scalars(select(Membership.role).where(Membership.user_id == world.advocate.id)).all()
    assert roles == [Role.ADVOCATE]
