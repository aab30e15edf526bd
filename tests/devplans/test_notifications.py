"""Notifications: the in-app list and live count, email straight away or as a daily digest."""

from __future__ import annotations

import re
from datetime import date

from collab.devplans.models import DevPlanComment, EmailFrequency, Notification
from collab.devplans.notifications import services as notifications
from collab.devplans.rounds import services as round_services
from collab.extensions import db, socketio
from collab.mail import outbox
from tests.conftest import sign_in


def _share(world, devplan):
    return round_services.open_round(world.advocate, devplan, world.group, "Is the timeline realistic?",
                                     date(2030, 2, 3))


def test_a_reviewer_is_emailed_straight_away_by_default(app, world, devplan, reviewer):
    _share(world, devplan)
    mail = [m for m in outbox() if m["to"] == reviewer.email]
    assert len(mail) == 1
    assert mail[0]["subject"].startswith("Collab: Riverside School shared its development plan with NCP24-14b")
    assert f"/devplans/{devplan.id}" in mail[0]["body"] and "Hello Rosa Reviewer," in mail[0]["body"]


def test_a_daily_digest_collects_the_days_notifications_in_one_email(app, world, devplan, reviewer):
    notifications.set_preference(reviewer, EmailFrequency.DAILY)
    round_ = _share(world, devplan)
    round_services.close_round(world.advocate, round_)
    round_services.open_round(world.advocate, devplan, world.group, "And now the success criteria?", date(2030, 3, 1))
    assert [m for m in outbox() if m["to"] == reviewer.email] == []
    assert notifications.send_digests() >= 1
    mail = [m for m in outbox() if m["to"] == reviewer.email]
    assert len(mail) == 1
    assert mail[0]["subject"] == "Collab: your daily digest (2 notifications)"
    assert "Is the timeline realistic?" in mail[0]["body"] and "And now the success criteria?" in mail[0]["body"]
    assert notifications.send_digests() == 0  # nothing is sent twice


def test_the_send_digests_command(runner, world, devplan, reviewer):
    notifications.set_preference(reviewer, EmailFrequency.DAILY)
    _share(world, devplan)
    result = runner.invoke(args=["collab", "send-digests"])
    assert "Sent 1 digest(s)." in result.output


def test_never_means_no_email(app, world, devplan, reviewer):
    notifications.set_preference(reviewer, EmailFrequency.NEVER)
    _share(world, devplan)
    notifications.send_digests()
    assert [m for m in outbox() if m["to"] == reviewer.email] == []


def test_the_notifications_page_lists_mine_and_marks_them_read(client, world, devplan, reviewer):
    _share(world, devplan)
    sign_in(client, reviewer)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Is the timeline realistic?" in page
    assert client.get("/notifications/count").get_json() == {"unread": 1}
    client.post("/notifications/read", data={})
    assert client.get("/notifications/count").get_json() == {"unread": 0}


def test_the_email_choice_is_saved(client, world):
    sign_in(client, world.advocate)
    client.post("/notifications", data={"email": "daily"})
    assert notifications.preference(world.advocate) == EmailFrequency.DAILY


def test_nobody_sees_anyone_elses_notifications(client, world, devplan, reviewer):
    _share(world, devplan)
    sign_in(client, world.outsider)
    assert "Is the timeline realistic?" not in client.get("/notifications").get_data(as_text=True)
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == reviewer.id))
    client.post("/notifications/read", data={"id": note.id})
    assert db.session.get(Notification, note.id).read_at is None


def test_the_unread_count_is_pushed_live_to_the_persons_own_room(app, client, world, devplan, reviewer):
    sign_in(client, reviewer)
    sio = socketio.test_client(app, flask_test_client=client)
    assert sio.emit("notify:subscribe", callback=True) == {"ok": True, "unread": 0}
    sio.get_received()
    _share(world, devplan)
    counts = [p["args"][0] for p in sio.get_received() if p["name"] == "notify:count"]
    sio.disconnect()
    assert counts == [{"unread": 1}]


def test_the_bell_shows_the_unread_count(client, world, devplan, reviewer):
    _share(world, devplan)
    sign_in(client, reviewer)
    page = client.get("/devplans").get_data(as_text=True)
    # The link reads "Notifications (1 unread)": the count shows, the words around it are for screen readers.
    assert re.search(r'> \(</span><span id="notify-count"[^>]*>1</span><span[^>]*> unread\)</span>', page)


def test_a_notification_links_to_the_plan_it_is_about(client, world, devplan, reviewer):
    _share(world, devplan)
    sign_in(client, reviewer)
    assert f'<a href="/devplans/{devplan.id}">' in client.get("/notifications").get_data(as_text=True)


def test_a_notification_about_a_comment_links_to_its_thread(client, world, devplan, reviewer):
    comment = DevPlanComment(client_id="linked-comment-1", plan_id=devplan.id, author_id=world.advocate.id,
                             body="See here", quote="Every pupil", section="Aims")
    db.session.add(comment)
    db.session.commit()
    notifications.notify([reviewer], "mention", "Sam mentioned you", comment)
    sign_in(client, reviewer)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'<a href="/devplans/{devplan.id}#comment-{comment.id}">Sam mentioned you</a>' in page


def test_a_notification_whose_target_is_gone_is_shown_without_a_link(client, world, reviewer):
    db.session.add(Notification(user_id=reviewer.id, kind="reviewed", text="Finished reviewing",
                                target_kind="devplan-round", target_id=987654))
    db.session.commit()
    sign_in(client, reviewer)
    response = client.get("/notifications")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Finished reviewing" in page and "Finished reviewing</a>" not in page
