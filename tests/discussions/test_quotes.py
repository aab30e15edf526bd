"""Quoting an observation note or photo into a post: a small snapshot, checked before it is stored."""

from __future__ import annotations

import pytest

from collab.discussions import services
from collab.discussions.services import Invalid, valid_quote
from tests.discussions.conftest import new_id, post_payload

NOTE = {"kind": "note", "text": "09:32 Pupil C counted on in 3s", "author": "Alex Advocate", "at": "09:32"}
PHOTO = {"kind": "photo", "text": "Pupil B's ratio table", "photo_url": "/observations/photos/7/thumb",
         "author": "Sam Lead", "at": "09:40"}


def test_a_note_and_a_photo_are_kept_as_given():
    assert valid_quote(NOTE) == {**NOTE, "photo_url": ""}
    assert valid_quote(PHOTO) == PHOTO


def test_no_quote_is_none():
    assert valid_quote(None) is None and valid_quote({}) is None


@pytest.mark.parametrize("quote", [
    {**NOTE, "kind": "video"},
    {**NOTE, "extra": "x"},
    {**NOTE, "text": ""},
    {**NOTE, "text": "x" * 1001},
    {**NOTE, "author": ["a"]},
    {**PHOTO, "photo_url": ""},
    {**PHOTO, "photo_url": "https://tracker.example.com/p.png"},
    {**PHOTO, "photo_url": "//evil.example.com/p.png"},
    {**PHOTO, "photo_url": "javascript:alert(1)"},
    {**PHOTO, "photo_url": "/x" + "y" * 400},
    "a note",
    ["note"],
])
def test_a_bad_quote_is_refused(quote):
    with pytest.raises(Invalid):
        valid_quote(quote)


def test_a_quote_over_the_socket_is_stored_with_the_post_and_broadcast(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    ack = sio.emit("discussion:post", post_payload(quote=PHOTO), callback=True)
    assert ack["post"]["quote"] == PHOTO


def test_a_bad_quote_over_the_socket_stores_nothing(world, visit, connect):
    sio = connect(world.advocate)
    sio.emit("discussion:join", visit.id, callback=True)
    ack = sio.emit("discussion:post", post_payload(quote={**NOTE, "kind": "essay"}), callback=True)
    assert ack["error"] == "malformed"
    assert services.post_count(visit) == 0


def test_the_page_shows_a_quoted_note_as_text(world, visit, login_as):
    services.create_post(world.advocate, visit, new_id(), "evidence", "See this",
                         quote={**NOTE, "text": "<b>Pupil C</b> counted"})
    page = login_as(world.lead).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    assert "&lt;b&gt;Pupil C&lt;/b&gt; counted" in page
    assert "Observation note by Alex Advocate" in page


def test_the_page_offers_the_visits_notes_to_quote_as_valid_snapshots(world, login_as):
    import html
    import json
    import re

    from tests.observations.helpers import add_note, make_visit, record_for

    visit = make_visit(world)
    add_note(record_for(visit, world.advocate), "Pupil A halves first", pupil="Pupil A")
    page = login_as(world.lead).get(f"/sessions/{visit.session_id}/discussion").get_data(as_text=True)
    offered = [json.loads(html.unescape(q)) for q in re.findall(r"data-quote='([^']*)'", page)]
    assert [q["text"] for q in offered] == ["Pupil A: Pupil A halves first"]
    assert offered[0]["author"] == "Alex Advocate"
    assert valid_quote(offered[0])["kind"] == "note"
    assert "Quote an observation note or photo" in page


def test_a_session_without_a_visit_offers_nothing_to_quote(world, visit, login_as):
    page = login_as(world.lead).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    assert "quote-picker" not in page
