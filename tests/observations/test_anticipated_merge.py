"""Concurrent tag edits merge: one observer tags on a tablet and a phone, both offline, and the two copies of the
record (and the server's, whichever arrives first) end up the same, keeping every change only one device made.

Tags are fine-grained map entries (collab/observations/anticipated/tags.py), so tagging an item on one device and
linking a note on the other never overwrite each other; the same entry changed on both keeps one of the values."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Map

from collab.observations.anticipated.tags import LINK_KEY, TAG_KEY, TAGS, read_tags
from collab.observations.records.content import record_content
from collab.realtime.store import get_store
from tests.observations.helpers import record_for

ITEMS = ("1", "2", "3")
NOTES = ("n1", "n2", "n3")
# (what, which, value): tag an item (None clears it), or link a note to an item (None unlinks it)
edit = st.one_of(
    st.tuples(st.just("tag"), st.sampled_from(ITEMS), st.one_of(st.none(), st.sampled_from(TAGS))),
    st.tuples(st.just("link"), st.sampled_from(NOTES), st.one_of(st.none(), st.sampled_from(ITEMS))))
edits = st.lists(edit, max_size=8)


def _apply(doc: Doc, changes) -> dict[tuple[str, str], str | None]:
    """Make the changes, one transaction each, as the record page does; returns each entry's last value here."""
    last: dict[tuple[str, str], str | None] = {}
    for what, key, value in changes:
        entries = doc.get(TAG_KEY if what == "tag" else LINK_KEY, type=Map)
        with doc.transaction():
            if value is None:
                if key in entries:
                    del entries[key]
            else:
                entries[key] = value
        last[(what, key)] = value
    return last


def _copy(state: bytes) -> Doc:
    doc: Doc = Doc()
    doc.apply_update(state)
    return doc


def _entries(doc: Doc) -> dict[tuple[str, str], str]:
    tags, links = read_tags(doc)
    return {("tag", k): v for k, v in tags.items()} | {("link", k): v for k, v in links.items()}


@pytest.fixture
def record(world, visit):
    return record_for(visit, world.advocate)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tablet_edits=edits, phone_edits=edits, tablet_first=st.booleans())
def test_tags_made_on_two_devices_offline_merge_the_same_everywhere(record, tablet_edits, phone_edits, tablet_first):
    store = get_store()
    base = store.full_state(record.document_id)
    tablet, phone = _copy(base), _copy(base)
    before = _entries(tablet)
    tablet_vector, phone_vector = tablet.get_state(), phone.get_state()
    tablet_last, phone_last = _apply(tablet, tablet_edits), _apply(phone, phone_edits)
    tablet_update, phone_update = tablet.get_update(tablet_vector), phone.get_update(phone_vector)

    # Back online: each device sends its update to the server, in either order, and gets the other's.
    for update in ((tablet_update, phone_update) if tablet_first else (phone_update, tablet_update)):
        store.submit(record.document_id, update, record.observer_id)
    tablet.apply_update(phone_update)
    phone.apply_update(tablet_update)

    merged = _entries(tablet)
    assert merged == _entries(phone) == _entries(_copy(store.full_state(record.document_id)))
    content = record_content(record)
    assert {("tag", k): v for k, v in content.tags.items()} | {("link", k): v for k, v in content.links.items()} \
        == merged
    for key in set(tablet_last) | set(phone_last):
        if key in tablet_last and key in phone_last:  # both changed it: one of their values, never a mixture
            assert merged.get(key) in (tablet_last[key], phone_last[key])
        else:  # one device changed it: that change survives
            assert merged.get(key) == (tablet_last.get(key) if key in tablet_last else phone_last[key])
    for key, value in before.items():
        if key not in tablet_last and key not in phone_last:
            assert merged[key] == value  # nobody touched it
