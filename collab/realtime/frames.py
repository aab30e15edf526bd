"""What a client's Socket.IO packets may be, checked where python-socketio decodes them, before any dispatch.

python-socketio turns a packet it cannot decode into an exception that Engine.IO logs with a whole traceback,
parses any text packet up to Engine.IO's buffer size (twice COLLAB_MAX_MESSAGE_BYTES, so that an oversized
*binary* update reaches its handler and is refused `too-large`), and dispatches an event named `connect` or
`disconnect` from a client to the connect or disconnect handler. `CheckedPacket` is the server's packet class
(`install`); on decoding it refuses:
- a text packet over COLLAB_MAX_MESSAGE_BYTES, before parsing it;
- a packet that does not decode, of a type a client never sends, or an event without a name;
- an event named `connect`, `disconnect` or `connect_error` (python-socketio's reserved names);
- a binary event with more than MAX_ATTACHMENTS attachments (held in memory until the last arrives).
A refused packet becomes an event whose name is `REFUSED`, a value no client can send (it is not JSON), with
the refusal's code and message: the catch-all handler (collab.realtime.events.unknown_event) answers it like
any refusal (doc:error and the ack, if one was asked for) and logs one line. Nothing else is dispatched.
"""

from __future__ import annotations

import re
from typing import Any

from socketio import packet as sio_packet

MAX_ATTACHMENTS = 8  # our events carry one binary argument (docs/realtime-protocol.md)
RESERVED_EVENTS = frozenset({"connect", "disconnect", "connect_error"})
CLIENT_TYPES = frozenset({sio_packet.CONNECT, sio_packet.DISCONNECT, sio_packet.EVENT, sio_packet.ACK,
                          sio_packet.BINARY_EVENT, sio_packet.BINARY_ACK})
EVENTS = (sio_packet.EVENT, sio_packet.BINARY_EVENT)
# type, attachments, namespace, ack id: read from the first characters of a packet that is not parsed whole
HEADER = re.compile(r"([0-9])(?:(\d{1,10})-)?(?:/[^,]{0,100},)?(\d{1,19})?")
MESSAGES = {
    "too-large": "The message is over the size limit; nothing was changed.",
    "malformed": "That message could not be read; nothing was changed.",
}


class Refusal:
    """The event name of a refused packet (`REFUSED`): JSON has no such value, so no client can send it."""

    def __repr__(self) -> str:
        return "<refused packet>"

    __str__ = __repr__


REFUSED = Refusal()


def too_large(text: str, limit: int) -> bool:
    """Whether `text` is over `limit` bytes in UTF-8 (encoded only when its length alone does not tell)."""
    return len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit)


class CheckedPacket(sio_packet.Packet):
    """python-socketio's Packet, whose decoding refuses what a client may not send (see the module docstring).
    `install` makes a subclass per server with the app's limit."""

    max_text_bytes = 1024 * 1024

    def __init__(self, *args: Any, encoded_packet: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, encoded_packet=encoded_packet, **kwargs)
        if encoded_packet is not None and not encoded_packet:  # Packet leaves an empty one an event with no data
            self.attachment_count = self.decode(encoded_packet)

    def decode(self, encoded_packet: Any) -> int:
        if isinstance(encoded_packet, str) and too_large(encoded_packet, self.max_text_bytes):
            return self._refuse(encoded_packet, "too-large", "text packet over the size limit")
        try:
            attachments = super().decode(encoded_packet)
        except Exception as exc:  # noqa: BLE001  (whatever a parse of untrusted input raises, it is refused)
            return self._refuse(encoded_packet, "malformed", f"{type(exc).__name__}: {exc}")
        if self.packet_type not in CLIENT_TYPES:
            return self._refuse(encoded_packet, "malformed", f"packet type {self.packet_type!r}")
        if attachments > MAX_ATTACHMENTS:
            return self._refuse(encoded_packet, "malformed", f"{attachments} binary attachments")
        if self.packet_type in EVENTS:
            if not (isinstance(self.data, list) and self.data and isinstance(self.data[0], str)):
                return self._refuse(encoded_packet, "malformed", "an event without a name")
            if self.data[0] in RESERVED_EVENTS:
                name = self.data[0]
                self._refusal(attachments, "unknown-event", f"Clients cannot send the event {name!r}.",
                              f"the reserved event {name!r}")
        return attachments

    def add_attachment(self, attachment: Any) -> bool:
        try:
            return super().add_attachment(attachment)
        except Exception as exc:  # noqa: BLE001  (a placeholder that names no attachment, say)
            self._refusal(1, "malformed", MESSAGES["malformed"], f"binary attachments: {type(exc).__name__}")
            self.attachments: list[Any] = []
            return True

    def _refuse(self, encoded_packet: Any, code: str, reason: str) -> int:
        """Make this packet the refusal of `encoded_packet`, read no further than its header: its ack id (so a
        client waiting for the ack gets the refusal) and how many binary attachments follow (so that they are
        taken as this packet's, not as packets of their own). Returns that number."""
        header = HEADER.match(encoded_packet[:160]) if isinstance(encoded_packet, str) else None
        packet_type = int(header[1]) if header else sio_packet.EVENT
        binary = packet_type in (sio_packet.BINARY_EVENT, sio_packet.BINARY_ACK)
        attachments = int(header[2] or 0) if header and binary else 0
        if attachments > MAX_ATTACHMENTS:
            attachments = 0
        self.id = int(header[3]) if header and header[3] and packet_type in EVENTS else None
        return self._refusal(attachments, code, MESSAGES[code], reason)

    def _refusal(self, attachments: int, code: str, message: str, reason: str) -> int:
        self.packet_type = sio_packet.BINARY_EVENT if attachments else sio_packet.EVENT
        self.namespace = "/"
        self.data = [REFUSED, code, message, reason[:120]]
        return attachments


def install(server: Any, max_text_bytes: int) -> None:
    """Make `server` (a socketio.Server) decode what clients send with CheckedPacket and `max_text_bytes`."""
    server.packet_class = type("CheckedPacket", (CheckedPacket,), {"max_text_bytes": max_text_bytes})
