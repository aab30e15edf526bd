"""Load-generator side of bench/cluster.py's saturation test (runs in a child process, like bench/_load.py).

The editors of bench/_load.py's fast clients in the same rooms as the 500-connection scenario (10 per room), but
closed-loop: each keeps `window` edits in flight and sends the next when one is acknowledged (after commit), so
the offered load is whatever the servers can take. Counted inside the measurement window [t0 + warmup, end]:
edits acknowledged, deliveries received (another editor's edit arriving at a peer) and their latency.

spec: url, run_id, duration, warmup, window, drain, clients: [(client_id, room, cookie, True)].
Parent protocol as bench/_load.py: ("ready", info) -> ("go", t0) -> ("result", data).
"""

from __future__ import annotations

import asyncio
import time
import traceback
from collections import Counter

import _load


class WindowEditor(_load.FastEditor):
    """A fast editor that also counts what it receives inside the measurement window."""

    def __init__(self, *args):  # noqa: D107
        super().__init__(*args)
        self.win = (float("inf"), float("-inf"))
        self.in_window = 0
        self.window_latencies_us: list[int] = []

    def _on_sync(self, room, message):
        before = len(self.latencies_us)
        super()._on_sync(room, message)
        now = time.monotonic()
        if self.win[0] <= now <= self.win[1] and len(self.latencies_us) > before:
            self.in_window += len(self.latencies_us) - before
            self.window_latencies_us.extend(self.latencies_us[before:])


def saturation_load(conn, spec: dict) -> None:
    async def run():
        editors = [WindowEditor(cid, room, spec["run_id"], cookie) for cid, room, cookie, _ in spec["clients"]]
        try:
            errors = await _load._aconnect_all(editors, spec["url"])
            conn.send(("ready", {"connected": sum(ed.joined for ed in editors), "errors": errors[:5],
                                 "n_errors": len(errors)}))
            t0 = await _load._await_go(conn)
            if t0 is None:
                return
            w0 = t0 + spec["warmup"]
            end = w0 + spec["duration"]
            for ed in editors:
                ed.win = (w0, end)
            acked_in_window = 0
            await asyncio.sleep(max(0.0, t0 - time.monotonic()))

            loop = asyncio.get_running_loop()
            first_refusal: list = []

            def send(ed: WindowEditor, message: bytes | None = None):
                """Send an edit (or again one refused): the next only once this one is acknowledged, and a
                refused one again after a pause, as the browser's provider does, so no edit ever depends on
                one the server does not have."""
                if time.monotonic() >= end:
                    return
                if message is None:
                    message = ed.make_edit()
                    ed.sent += 1

                def on_ack(ack=None, *_):
                    nonlocal acked_in_window
                    if isinstance(ack, dict) and ack.get("ok"):
                        ed.acked += 1
                        if w0 <= time.monotonic() <= end:
                            acked_in_window += 1
                        send(ed)
                    else:
                        error = str(ack.get("error") if isinstance(ack, dict) else ack)
                        ed.ack_errors[error] += 1
                        if not first_refusal:
                            first_refusal.append((round(time.monotonic() - t0, 3), ed.client_id, error))
                        loop.call_later(0.05, send, ed, message)

                ed.sio.emit("doc:sync", ed.room, message, callback=on_ack)

            for ed in editors:
                if ed.joined:
                    for _ in range(spec["window"]):
                        send(ed)
            await asyncio.sleep(max(0.0, w0 - time.monotonic()))
            cpu0 = time.process_time()
            await asyncio.sleep(max(0.0, end - time.monotonic()))
            cpu = (time.process_time() - cpu0) / spec["duration"]
            await asyncio.sleep(spec["drain"])
            conn.send(("result", {
                "sent": sum(ed.sent for ed in editors),
                "acked": sum(ed.acked for ed in editors),
                "acked_in_window": acked_in_window,
                "delivered_in_window": sum(ed.in_window for ed in editors),
                "latencies_us": [x for ed in editors for x in ed.window_latencies_us],
                "duplicates": sum(ed.duplicates for ed in editors),
                "ack_errors": dict(sum((ed.ack_errors for ed in editors), Counter())),
                "cpu": cpu,
                "first_refusal": first_refusal[0] if first_refusal else None,
            }))
        finally:
            for ed in editors:
                ed.close()
            await asyncio.sleep(0.2)

    try:
        asyncio.run(run())
    except Exception:  # noqa: BLE001
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def entry(conn, spec: dict) -> None:
    saturation_load(conn, spec)
