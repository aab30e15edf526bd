"""A shared document has a size limit, COLLAB_MAX_DOCUMENT_BYTES: without it one member could feed a document
updates of up to a megabyte, fifty a second, until the server ran out of memory. Past it an update is refused
`document-full` with a message, nothing is stored, and what the document holds is still served to everyone."""

from __future__ import annotations

import pytest
from pycrdt import Text

from collab.realtime.store import get_store
from tests.realtime.conftest import stored_bytes

LIMIT = 40_000


@pytest.fixture
def app_config():
    return {"COLLAB_MAX_DOCUMENT_BYTES": LIMIT}


def _append(text: str):
    def change(doc) -> None:
        body = doc.get("text", type=Text)
        body.insert(len(body), text)
    return change


def _fill(peer_, pieces: int = 20, size: int = 3_000) -> tuple[int, dict, list]:
    """Append pieces until one is refused: (how many were accepted, the refusal, the log before it)."""
    for n in range(pieces):
        before = stored_bytes()
        ack = peer_.edit(_append(f"[{n}]" + "x" * size))
        if not ack["ok"]:
            return n, ack, before
    raise AssertionError("the document never filled up")


def test_an_update_past_the_limit_is_refused_with_a_message_and_stores_nothing(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    accepted, ack, before = _fill(lead)
    assert accepted > 5
    assert ack["ok"] is False and ack["error"] == "document-full"
    assert "size limit (0.04 MB)" in ack["message"] and "not saved" in ack["message"]
    assert stored_bytes() == before

    # Everything acknowledged is still there for a newcomer, the refused piece is not; sending it again is refused
    # again (a refusal for size is not malformed: eleven do not pause the person).
    advocate = peer(world.advocate, room)
    assert advocate.join()["ok"]
    text = str(advocate.replica.doc.get("text", type=Text))
    assert all(f"[{n}]" in text for n in range(accepted)) and f"[{accepted}]" not in text
    for _ in range(11):
        assert lead.resend_unacked() == [ack]
    assert stored_bytes() == before


def test_the_limit_holds_for_a_document_loaded_again_from_the_database(app, world, room, peer, plan):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    _fill(lead)
    get_store().forget(plan.document_id)  # as after the cache's idle time: the size is measured from the log
    colleague = peer(world.advocate, room)
    assert colleague.join()["ok"]
    assert colleague.edit(_append("x" * 3_000))["error"] == "document-full"


def test_a_document_under_the_limit_takes_edits_as_before(world, room, peer):
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    for n in range(30):
        assert lead.edit(_append(f"word {n} "))["ok"]


def test_a_count_that_over_states_the_document_is_measured_again_before_refusing(world, room, peer, plan):
    """The count only grows (refused updates sent again, rows seen twice); a small document is never refused as
    full because of it."""
    lead = peer(world.lead, room)
    assert lead.join()["ok"]
    entry = get_store().cached(plan.document_id)
    entry.size = LIMIT  # as after many refused or twice-counted updates
    assert lead.edit(_append("still room"))["ok"]
    assert entry.size < LIMIT // 2
