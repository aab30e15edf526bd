"""A member whose device stops reading (a tablet asleep, a stalled Wi-Fi link) holds up no one else in the room,
and once it reads again it gets every edit, in the order they were made. Against the real server (eventlet), where
collab/server/fastsend.py writes straight to idle websockets and queues behind whatever the kernel did not take."""

from __future__ import annotations

import re
import threading
import time

import pytest
from pycrdt import Text

from tests import factories
from tests.realtime.client import RealtimeClient, sync_message
from tests.realtime.server import serving_a_plan

pytestmark = pytest.mark.slow

EDITS = 160
EDIT_BYTES = 100_000  # 16 MB in all: more than the kernel buffers between the server and the stalled client
# What these tests push through one document is past the documents' size limit (COLLAB_MAX_DOCUMENT_BYTES, tested in
# test_document_size.py): their servers have none.
UNLIMITED = {"COLLAB_MAX_UPDATES_PER_SECOND": "100000", "COLLAB_MAX_DOCUMENT_BYTES": "0"}
MARKER = re.compile(rb"<edit (\d{4})>")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with serving_a_plan(tmp_path_factory.mktemp("slow"), "Slow reader",
                        env=UNLIMITED) as served:
        yield served


class StallingClient(RealtimeClient):
    """Stops reading from its socket at the first edit it receives until `resume` is set (handlers run on the
    read thread), and records the order in which edits arrive."""

    def __init__(self, base_url: str, room: str) -> None:
        super().__init__(base_url, room)
        self.stalled, self.resume = threading.Event(), threading.Event()
        self.order: list[int] = []

    def _on_event(self, event, *args):
        markers = [int(m) for m in MARKER.findall(bytes(args[1]))] if event == "doc:sync" and len(args) > 1 else []
        if markers and not self.resume.is_set():
            self.stalled.set()
            self.resume.wait(60)
        self.order.extend(markers)
        super()._on_event(event, *args)


def _signed_in(client, email):
    assert client.sign_in(email, factories.PASSWORD)
    client.connect()
    assert client.join()["ok"]
    return client


def _wait(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)
    return condition()


def test_a_member_whose_device_stops_reading_holds_up_no_one_and_then_gets_every_edit_in_order(live):
    server, room = live
    writer = _signed_in(RealtimeClient(server.url, room), "lead@example.org")
    reader = _signed_in(RealtimeClient(server.url, room), "advocate@example.org")
    stalled = _signed_in(StallingClient(server.url, room), "colleague@example.org")
    try:
        for i in range(EDITS):
            text = f"<edit {i:04d}>" + "x" * EDIT_BYTES
            ack = writer.edit(lambda doc, text=text: doc.get("text", type=Text).insert(
                len(doc.get("text", type=Text)), text), timeout=30)
            assert ack == {"ok": True}, (i, ack)
        expected = writer.replica.text_now()
        assert stalled.stalled.is_set()
        # Everyone else got everything while the stalled client still held most of it unread.
        assert _wait(lambda: reader.replica.text_now() == expected, 30)
        assert len(stalled.order) == 0
        stalled.resume.set()
        assert _wait(lambda: stalled.replica.text_now() == expected, 60)
        assert stalled.order == list(range(EDITS))  # every edit once, in the order it was made
    finally:
        stalled.resume.set()
        for client in (writer, reader, stalled):
            client.disconnect()


BURST = 300
BURST_MARKER = re.compile(rb"<burst (\d{4})>")


class OrderRecorder(RealtimeClient):
    def __init__(self, base_url: str, room: str) -> None:
        super().__init__(base_url, room)
        self.order: list[int] = []

    def _on_event(self, event, *args):
        if event == "doc:sync" and len(args) > 1:
            self.order.extend(int(m) for m in BURST_MARKER.findall(bytes(args[1])))
        super()._on_event(event, *args)


def test_a_burst_of_edits_sent_without_waiting_reaches_a_peer_once_each_and_in_order(live):
    """Many messages for one connection in one pass of the server's loop are written together
    (collab/server/fastsend.py): none may be lost, doubled or reordered, and every edit is acknowledged."""
    server, room = live
    writer = _signed_in(RealtimeClient(server.url, room), "lead@example.org")
    peer = _signed_in(OrderRecorder(server.url, room), "advocate@example.org")
    acks: list[dict] = []
    try:
        for i in range(BURST):
            _seq, update = writer.replica.edit(lambda doc, i=i: doc.get("text", type=Text).insert(
                len(doc.get("text", type=Text)), f"<burst {i:04d}>"))
            writer.sio.emit("doc:sync", (room, sync_message(2, update)), callback=acks.append)
        assert _wait(lambda: len(acks) == BURST, 30)
        assert all(ack == {"ok": True} for ack in acks)
        assert _wait(lambda: len(peer.order) == BURST, 30)
        assert peer.order == list(range(BURST))
        assert _wait(lambda: peer.replica.text_now() == writer.replica.text_now(), 10)
    finally:
        for client in (writer, peer):
            client.disconnect()


def test_a_connection_that_never_reads_is_closed_once_its_backlog_is_full_and_others_go_on(tmp_path):
    with serving_a_plan(tmp_path, "Backlog", env={**UNLIMITED, "COLLAB_MAX_QUEUED_PACKETS": "40"}) as (server, room):
        writer = _signed_in(RealtimeClient(server.url, room), "lead@example.org")
        stalled = _signed_in(StallingClient(server.url, room), "colleague@example.org")
        try:
            for i in range(EDITS):  # more than the kernel buffers hold, then 40 packets more
                text = f"<edit {i:04d}>" + "x" * EDIT_BYTES
                ack = writer.edit(lambda doc, text=text: doc.get("text", type=Text).insert(0, text), timeout=30)
                assert ack == {"ok": True}, (i, ack)
            assert _wait(lambda: "not reading; closing it" in server.log_file.read_text(), 10)
        finally:
            stalled.resume.set()
            stalled.disconnect()
            writer.disconnect()
