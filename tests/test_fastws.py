"""collab.server.fastws: the eventlet websocket fixes give exactly what RFC 6455 says, for any input."""

from __future__ import annotations

import socket

from hypothesis import given
from hypothesis import strategies as st

from collab.server.fastws import BufferedReads, unmask


def rfc6455_unmask(data: bytes, mask: tuple[int, ...], length: int, offset: int) -> bytes:
    """RFC 6455 section 5.3: octet i of the payload is XORed with octet (i mod 4) of the masking key."""
    return bytes(byte ^ mask[(offset + i) % 4] for i, byte in enumerate(data[:length]))


@given(data=st.binary(max_size=300), mask=st.tuples(*[st.integers(0, 255)] * 4), offset=st.integers(0, 10_000),
       cut=st.integers(0, 300))
def test_unmask_is_the_rfc_definition(data, mask, offset, cut):
    length = min(cut, len(data))
    assert unmask(data, mask, length, offset) == rfc6455_unmask(data, mask, length, offset)
    assert unmask(data, mask, offset=offset) == rfc6455_unmask(data, mask, len(data), offset)


@given(chunks=st.lists(st.binary(min_size=1, max_size=4000), max_size=10),
       sizes=st.lists(st.integers(1, 9000), min_size=1, max_size=50))
def test_buffered_reads_return_the_stream_in_order_and_then_end(chunks, sizes):
    """Whatever sizes the frame parser asks for, it gets the bytes in order, never more than it asked for, and
    b"" once the peer has closed."""
    writer, reader = socket.socketpair()  # at most 40 KB written before reading: within the socket buffer
    try:
        sent = b"".join(chunks)
        writer.sendall(sent)
        writer.close()
        buffered = BufferedReads(reader)
        received = bytearray()
        for i in range(len(sent) + 2):
            want = sizes[i % len(sizes)]
            got = buffered.recv(want)
            assert len(got) <= want
            if not got:
                break
            received += got
        assert bytes(received) == sent
        assert buffered.recv(10) == b""
        assert buffered.fileno() == reader.fileno()  # everything but recv is the socket's own
    finally:
        reader.close()
