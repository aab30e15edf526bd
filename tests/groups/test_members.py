"""Managing a Work Group's members, schools and invitations."""

from __future__ import annotations

from sqlalchemy import func, select

from collab.accounts.models import Invitation
from collab.extensions import db
from collab.groups.models import Membership, Role
from collab.types import utcnow
from tests import factories


def _membership(group, user) -> Membership:
    return db.session.scalar(select(Membership).where(Membership.work_group_id == group.id,
                                                      Membership.user_id == user.id))


def _invitations() -> int:
    return db.session.scalar(select(func.count()).select_from(Invitation))


def test_the_lead_sees_the_members_page(client, world, login_as):
    login_as(world.lead)
    page = client.get(f"/groups/{world.group.id}/members").get_data(as_text=True)
    assert "Alex Advocate" in page and "Change role" in page


def test_an_advocate_gets_403_on_the_members_page(client, world, login_as):
    login_as(world.advocate)
    assert client.get(f"/groups/{world.group.id}/members").status_code == 403


def test_the_lead_changes_a_members_role(client, world, login_as):
    login_as(world.lead)
    m = _membership(world.group, world.colleague)
    response = client.post(f"/groups/{world.group.id}/members/{m.id}/role", data={f"m{m.id}-role": "advocate"})
    assert response.status_code == 302
    db.session.refresh(m)
    assert m.role == Role.ADVOCATE


def test_an_advocate_may_not_change_roles(client, world, login_as):
    login_as(world.advocate)
    m = _membership(world.group, world.advocate)
    response = client.post(f"/groups/{world.group.id}/members/{m.id}/role", data={f"m{m.id}-role": "lead"})
    assert response.status_code == 403
    db.session.refresh(m)
    assert m.role == Role.ADVOCATE


def test_an_outsider_gets_404_when_posting_to_a_group(client, world, login_as):
    login_as(world.outsider)
    m = _membership(world.group, world.advocate)
    assert client.post(f"/groups/{world.group.id}/members/{m.id}/remove").status_code == 404


def test_the_lead_removes_a_member(client, world, login_as):
    login_as(world.lead)
    m = _membership(world.group, world.colleague)
    assert client.post(f"/groups/{world.group.id}/members/{m.id}/remove").status_code == 302
    assert _membership(world.group, world.colleague) is None


def test_an_advocate_may_not_remove_a_member(client, world, login_as):
    login_as(world.advocate)
    m = _membership(world.group, world.colleague)
    assert client.post(f"/groups/{world.group.id}/members/{m.id}/remove").status_code == 403
    assert _membership(world.group, world.colleague) is not None


def test_the_last_lead_cannot_be_removed(client, world, login_as):
    login_as(world.admin)
    m = _membership(world.group, world.lead)
    response = client.post(f"/groups/{world.group.id}/members/{m.id}/remove")
    assert response.status_code == 400
    assert "only lead" in response.get_data(as_text=True)
    assert _membership(world.group, world.lead) is not None


def test_the_last_lead_cannot_be_demoted(client, world, login_as):
    login_as(world.lead)
    m = _membership(world.group, world.lead)
    response = client.post(f"/groups/{world.group.id}/members/{m.id}/role", data={f"m{m.id}-role": "advocate"})
    assert response.status_code == 400
    db.session.refresh(m)
    assert m.role == Role.LEAD


def test_a_lead_can_be_removed_when_there_is_another(client, world, login_as):
    factories.member(world.group, world.outsider, Role.LEAD)
    login_as(world.admin)
    m = _membership(world.group, world.lead)
    assert client.post(f"/groups/{world.group.id}/members/{m.id}/remove").status_code == 302
    assert _membership(world.group, world.lead) is None


def test_a_membership_of_another_group_is_404(client, world, login_as):
    other = factories.work_group(world.hub, "NCP24-50a")
    m = factories.member(other, world.outsider, Role.ADVOCATE)
    login_as(world.lead)
    assert client.post(f"/groups/{world.group.id}/members/{m.id}/remove").status_code == 404
    assert _membership(other, world.outsider) is not None


def test_the_lead_adds_a_school(client, world, login_as):
    extra = factories.school(world.hub, "Hillcrest Academy")
    login_as(world.lead)
    assert client.post(f"/groups/{world.group.id}/schools", data={"school": extra.id}).status_code == 302
    db.session.refresh(world.group)
    assert extra in world.group.schools


def test_a_school_from_another_hub_cannot_be_added(client, world, login_as):
    far = factories.school(world.other_hub, "Far Academy")
    login_as(world.lead)
    assert client.post(f"/groups/{world.group.id}/schools", data={"school": far.id}).status_code == 400
    db.session.refresh(world.group)
    assert far not in world.group.schools


def test_the_lead_removes_a_school(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/schools/{world.primary.id}/remove")
    assert response.status_code == 302
    db.session.refresh(world.group)
    assert world.primary not in world.group.schools


def test_an_advocate_may_not_remove_a_school(client, world, login_as):
    login_as(world.advocate)
    assert client.post(f"/groups/{world.group.id}/schools/{world.primary.id}/remove").status_code == 403


def test_the_lead_invites_someone_and_sees_the_link_in_development(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/invite", follow_redirects=True, data={
        "email": "New.Teacher@Riverside.example", "role": "advocate", "school": world.school_b.id})
    page = response.get_data(as_text=True)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "new.teacher@riverside.example"
    assert invitation.role == "advocate" and invitation.school_id == world.school_b.id
    assert "In development no email is sent: the link is http" in page
    assert "/invitations/" in page


def test_a_pending_invitation_is_listed_on_the_members_page(client, world, login_as):
    login_as(world.lead)
    client.post(f"/groups/{world.group.id}/invite", data={"email": "new@example.org", "role": "advocate",
                                                           "school": 0})
    page = client.get(f"/groups/{world.group.id}/members").get_data(as_text=True)
    assert '<th scope="row">new@example.org</th>' in page


def test_an_invitation_with_a_bad_email_shows_an_error_and_creates_nothing(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/invite", data={"email": "not-an-email", "role": "advocate",
                                                                      "school": 0})
    assert response.status_code == 400
    assert "Enter an email address" in response.get_data(as_text=True)
    assert _invitations() == 0


def test_an_invitation_to_a_school_outside_the_group_is_refused(client, world, login_as):
    elsewhere = factories.school(world.hub, "Not In Group High")
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/invite", data={"email": "x@example.org", "role": "advocate",
                                                                      "school": elsewhere.id})
    assert response.status_code == 400
    assert _invitations() == 0


def test_an_advocate_may_not_invite(client, world, login_as):
    login_as(world.advocate)
    response = client.post(f"/groups/{world.group.id}/invite", data={"email": "x@example.org", "role": "lead",
                                                                      "school": 0})
    assert response.status_code == 403
    assert _invitations() == 0


def test_the_admin_of_another_hub_cannot_invite(client, world, login_as):
    login_as(world.other_admin)
    response = client.post(f"/groups/{world.group.id}/invite", data={"email": "x@example.org", "role": "lead",
                                                                      "school": 0})
    assert response.status_code == 404
    assert _invitations() == 0


def test_the_lead_withdraws_an_invitation(client, world, login_as):
    login_as(world.lead)
    client.post(f"/groups/{world.group.id}/invite", data={"email": "gone@example.org", "role": "advocate",
                                                           "school": 0})
    invitation = db.session.scalar(select(Invitation))
    response = client.post(f"/groups/{world.group.id}/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.expires_at <= utcnow()
    page = client.get(f"/groups/{world.group.id}/members").get_data(as_text=True)
    assert '<th scope="row">gone@example.org</th>' not in page


def test_inviting_someone_already_in_the_group_is_refused(client, world, login_as):
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/invite", data={"email": "ADVOCATE@example.org",
                                                                      "role": "advocate", "school": 0})
    assert response.status_code == 400
    assert "already a member" in response.get_data(as_text=True)
    assert _invitations() == 0


def test_a_hub_admin_who_is_not_a_member_may_invite(client, world, login_as):
    login_as(world.admin)
    response = client.post(f"/groups/{world.group.id}/invite", data={"email": "hub@example.org",
                                                                      "role": "lead-participant", "school": 0})
    assert response.status_code == 302
    assert _invitations() == 1


def test_the_invitation_link_is_not_shown_when_mail_is_configured(app, client, world, login_as, monkeypatch):
    import collab.mail
    monkeypatch.setattr(collab.mail, "send_mail", lambda *args, **kwargs: None)
    app.config.update(COLLAB_MAIL_BACKEND="smtp", COLLAB_SMTP_HOST="smtp.example.org")
    login_as(world.lead)
    response = client.post(f"/groups/{world.group.id}/invite", follow_redirects=True, data={
        "email": "mailed@example.org", "role": "advocate", "school": 0})
    page = response.get_data(as_text=True)
    assert "Invitation sent to mailed@example.org." in page
    assert "no email is sent" not in page
