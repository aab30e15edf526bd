"""A connection's record holds every room it joined, of every kind, and a disconnect forgets them all."""

from __future__ import annotations

from collab.realtime.connections import Connection, JoinedDiscussion, JoinedRoom


def test_forgetting_a_connections_rooms_names_every_kind_and_leaves_none():
    connection = Connection(user_id=7, bucket=None)  # type: ignore[arg-type]
    connection.documents["plan:1"] = JoinedRoom(10, "edit")
    connection.discussions["discussion:2"] = JoinedDiscussion(2, "post")
    connection.visits.add("visit:3")
    connection.notifications = "user:7"
    assert sorted(connection.forget_rooms()) == ["discussion:2", "plan:1", "user:7", "visit:3"]
    assert (connection.documents, connection.discussions, connection.visits, connection.notifications) == (
        {}, {}, set(), None)
    assert connection.forget_rooms() == []
