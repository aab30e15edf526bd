"""Load-generator side of bench/realtime.py: many python-socketio clients in one process.

Every function here runs in a child process started by bench/realtime.py (multiprocessing, spawn), talking to
the parent over a Pipe: ("ready", info) -> ("go", t0) -> ("result", data). Every wait is bounded.

An edit is a real Yjs update: a few characters appended to the shared Text "bench" of the client's own document,
encoded by bench/_appends.py byte for byte as pycrdt encodes it (without pycrdt's cost that grows with the text
already appended, on the cores the servers under test share). The inserted text is a marker
`[r<run>c<client>s<seq>t<send time µs>]`; Yjs stores inserted strings verbatim in the update, so a receiver
finds the marker in the raw bytes without decoding the update and measures edit-to-peer latency as (receive
time - send time) on CLOCK_MONOTONIC, which every process on the machine shares. Each receiver counts distinct
(client, seq) pairs, so delivered/expected needs no shared state.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import random
import re
import threading
import time
import traceback
from collections import Counter
from urllib.parse import quote

import engineio
import socketio
from _appends import AppendingText
from pycrdt import Doc, Text, create_update_message, handle_sync_message

TEXT_ROOT = "bench"  # the shared Text every benchmark edit goes into
MARKER = re.compile(rb"\[r(\d+)c(\d+)s(\d+)t(\d+)\]")
CONNECT_TIMEOUT = 20.0
CALL_TIMEOUT = 20.0
PARENT_TIMEOUT = 120.0

logging.getLogger("socketio").setLevel(logging.CRITICAL)
logging.getLogger("engineio").setLevel(logging.CRITICAL)
logging.getLogger("websocket").setLevel(logging.CRITICAL)


class _InOrderEngineIO(engineio.Client):
    """python-socketio's threaded client hands every Engine.IO message to a new thread (run_async=True). That
    costs a thread per message and, worse, lets a binary event's attachment overtake its header packet
    ("ValueError: invalid literal for int() ... b'\\x00'"), dropping the event. Dispatch messages in order on the
    read thread instead; every handler here is short."""

    def _trigger_event(self, event, *args, **kwargs):
        if event == "message":
            kwargs["run_async"] = False
        return super()._trigger_event(event, *args, **kwargs)


class Client(socketio.Client):
    def _engineio_client_class(self):
        return _InOrderEngineIO


def now_us() -> int:
    return time.monotonic_ns() // 1000


class Editor:
    """One connection: a python-socketio client, its appends to the shared Text, and what it has received."""

    def __init__(self, client_id: int, room: str, run_id: int, cookie: str | None):
        self.client_id = client_id
        self.room = room
        self.run_id = run_id
        self.cookie = cookie
        self.sio = Client(reconnection=False, request_timeout=CONNECT_TIMEOUT)
        self.appends = AppendingText(TEXT_ROOT)
        self.seq = 0
        self.sent = 0
        self.acked = 0
        self.ack_errors: Counter = Counter()
        self.seen: set[int] = set()
        self.duplicates = 0
        self.latencies_us: list[int] = []
        self.other_events = 0
        self.joined = False
        self.sio.on("doc:sync", self._on_sync)
        self.sio.on("doc:awareness", self._on_awareness)
        self.sio.on("doc:error", self._on_error)

    # -- receiving (runs in the client's read thread) --
    def _on_sync(self, room, message):
        received = now_us()
        if not isinstance(message, (bytes, bytearray)) or len(message) < 2 or message[1] != 2:
            self.other_events += 1  # the server's step 1 / step 2 after a join
            return
        for m in MARKER.finditer(message):
            if int(m.group(1)) != self.run_id or int(m.group(2)) == self.client_id:
                continue  # another run's edit, or our own edit echoed back
            key = (int(m.group(2)) << 32) | int(m.group(3))
            if key in self.seen:
                self.duplicates += 1
                continue
            self.seen.add(key)
            self.latencies_us.append(received - int(m.group(4)))

    def _on_awareness(self, room, message):
        self.other_events += 1

    def _on_error(self, payload):
        self.ack_errors[f"doc:error:{(payload or {}).get('error')}"] += 1

    # -- connecting --
    def connect(self, url: str) -> None:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.sio.connect(url, headers=headers, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT)
        ack = self.sio.call("doc:join", self.room, timeout=CALL_TIMEOUT)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"doc:join {self.room} refused: {ack!r}")
        self.joined = True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.sio.disconnect()

    # -- sending (runs in one thread per process, or one per editor in the throughput test) --
    def make_edit(self) -> bytes:
        self.seq += 1
        return create_update_message(self.appends.append(f"[r{self.run_id}c{self.client_id}s{self.seq}t{now_us()}]"))

    def _ack(self, ack=None, *_):
        if isinstance(ack, dict) and ack.get("ok"):
            self.acked += 1
        else:
            self.ack_errors[str((ack or {}).get("error") if isinstance(ack, dict) else ack)] += 1

    def send_edit(self, callback=None) -> None:
        message = self.make_edit()
        self.sent += 1
        self.sio.emit("doc:sync", (self.room, message), callback=callback or self._ack)


def _in_parallel(fn, items: list, parallel: int, timeout: float) -> None:
    """fn(item) for every item, `parallel` at a time (plain threads: green under eventlet), bounded in time."""
    todo = list(items)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                item = todo.pop()
            fn(item)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(parallel, len(items)))]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))


def _connect_all(editors: list[Editor], url: str, parallel: int = 16) -> list[str]:
    errors: list[str] = []

    def one(ed: Editor):
        try:
            ed.connect(url)
        except Exception as exc:  # noqa: BLE001 - reported to the parent, not raised
            errors.append(f"client {ed.client_id}: {type(exc).__name__}: {exc}")

    _in_parallel(one, editors, parallel, CONNECT_TIMEOUT + CALL_TIMEOUT + 30)
    return errors


def _close_all(editors: list[Editor]) -> None:
    _in_parallel(lambda ed: ed.close(), editors, 32, 20)


def _wait_go(conn) -> float | None:
    deadline = time.monotonic() + PARENT_TIMEOUT
    while not conn.poll(0):  # poll(0) + sleep: never blocks an eventlet hub
        if time.monotonic() > deadline:
            return None
        time.sleep(0.005)
    msg = conn.recv()
    return msg[1] if msg[0] == "go" else None


def latency_load(conn, spec: dict) -> None:
    """Scenario load: every editor joins its room; senders edit at `rate` per second from t0 for `duration` s.

    spec: url, run_id, rate, duration, drain, seed, clients: [(client_id, room, cookie, sends)].
    """
    editors: list[Editor] = []
    try:
        editors = [Editor(cid, room, spec["run_id"], cookie) for cid, room, cookie, _ in spec["clients"]]
        senders = [ed for ed, c in zip(editors, spec["clients"], strict=False) if c[3]]
        errors = _connect_all(editors, spec["url"])
        conn.send(("ready", {"connected": sum(ed.joined for ed in editors), "errors": errors[:5],
                             "n_errors": len(errors)}))
        t0 = _wait_go(conn)
        if t0 is None:
            return
        rng = random.Random(spec["seed"])
        period = 1.0 / spec["rate"]
        end = t0 + spec["duration"]
        heap = [(t0 + rng.uniform(0, period), i) for i, ed in enumerate(senders) if ed.joined]
        heapq.heapify(heap)
        late = []  # how far behind schedule the sender thread was: a load-generator health check
        while heap:
            due, i = heapq.heappop(heap)
            if due >= end:
                continue
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                late.append(-wait)
            try:
                senders[i].send_edit()
            except Exception as exc:  # noqa: BLE001
                senders[i].ack_errors[f"send:{type(exc).__name__}"] += 1
            heapq.heappush(heap, (due + period, i))
        time.sleep(max(0.0, end + spec["drain"] - time.monotonic()))
        late.sort()
        result = {
            "sent": [(ed.client_id, ed.room, ed.sent) for ed in senders],
            "received": [(ed.client_id, ed.room, len(ed.seen), ed.joined) for ed in editors],
            "latencies_us": [x for ed in editors for x in ed.latencies_us],
            "duplicates": sum(ed.duplicates for ed in editors),
            "acked": sum(ed.acked for ed in editors),
            "ack_errors": dict(sum((ed.ack_errors for ed in editors), Counter())),
            "sender_late_p99_ms": (late[int(0.99 * (len(late) - 1))] * 1000) if late else 0.0,
            "sender_late_n": len(late),
        }
        conn.send(("result", result))
    except Exception:  # noqa: BLE001
        conn.send(("error", traceback.format_exc()))
    finally:
        _close_all(editors)
        conn.close()


def throughput_load(conn, spec: dict) -> None:
    """Durable throughput: each editor keeps `window` updates in flight (a new one per ack) for `duration` s.

    spec: url, run_id, duration, window, clients: [(client_id, room, cookie, True)].
    Reports acks received inside the window and the markers of every acked update (for the DB check).
    """
    editors: list[Editor] = []
    try:
        editors = [Editor(cid, room, spec["run_id"], cookie) for cid, room, cookie, _ in spec["clients"]]
        errors = _connect_all(editors, spec["url"])
        conn.send(("ready", {"connected": sum(ed.joined for ed in editors), "errors": errors[:5],
                             "n_errors": len(errors)}))
        t0 = _wait_go(conn)
        if t0 is None:
            return
        end = t0 + spec["duration"]
        acked_markers: list[tuple[int, int]] = []
        ack_times: list[float] = []
        lock = threading.Lock()

        def pump(ed: Editor):
            window = threading.Semaphore(spec["window"])

            def on_ack(ack=None, *_, seq=0):
                ok = isinstance(ack, dict) and ack.get("ok")
                with lock:
                    if ok:
                        ed.acked += 1
                        acked_markers.append((ed.client_id, seq))
                        ack_times.append(time.monotonic())
                    else:
                        ed.ack_errors[str(ack.get("error") if isinstance(ack, dict) else ack)] += 1
                window.release()

            time.sleep(max(0.0, t0 - time.monotonic()))
            while time.monotonic() < end:
                if not window.acquire(timeout=0.5):
                    continue
                seq = ed.seq + 1
                try:
                    ed.send_edit(callback=lambda ack=None, *a, _s=seq: on_ack(ack, seq=_s))
                except Exception as exc:  # noqa: BLE001
                    ed.ack_errors[f"send:{type(exc).__name__}"] += 1
                    window.release()
                    time.sleep(0.05)

        threads = [threading.Thread(target=pump, args=(ed,), daemon=True) for ed in editors if ed.joined]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=spec["duration"] + 5)
        time.sleep(spec.get("drain", 2.0))  # acks for updates still in flight: counted for the DB check only
        with lock:
            in_window = sum(1 for t in ack_times if t0 <= t <= end)
            result = {
                "sent": sum(ed.sent for ed in editors),
                "acked_in_window": in_window,
                "acked_total": len(acked_markers),
                "acked_markers": list(acked_markers),
                "ack_errors": dict(sum((ed.ack_errors for ed in editors), Counter())),
                "rooms": sorted({ed.room for ed in editors}),
            }
        conn.send(("result", result))
    except Exception:  # noqa: BLE001
        conn.send(("error", traceback.format_exc()))
    finally:
        _close_all(editors)
        conn.close()


def join_once(url: str, cookie: str | None, room: str, timeout: float = 30.0) -> dict:
    """Connect, then time doc:join -> the server's sync step 2 received and applied to a fresh pycrdt Doc."""
    sio = Client(reconnection=False, request_timeout=CONNECT_TIMEOUT)
    done = threading.Event()
    state: dict = {}

    @sio.on("doc:sync")
    def on_sync(r, message):
        if done.is_set() or not isinstance(message, (bytes, bytearray)) or len(message) < 2:
            return
        if message[0] == 0 and message[1] == 1:  # sync step 2: the document
            doc = Doc()
            try:
                handle_sync_message(bytes(message[1:]), doc)
                state["applied"] = time.perf_counter()
                state["message_bytes"] = len(message)
                state["text_chars"] = sum(len(str(doc.get(f"{TEXT_ROOT}-s{k}", type=Text))) for k in range(10))
            except BaseException as exc:  # noqa: BLE001 - a pycrdt panic is not an Exception
                state["applied"] = time.perf_counter()
                state["error"] = f"apply: {exc!r}"
            done.set()

    headers = {"Cookie": cookie} if cookie else {}
    try:
        sio.connect(url, headers=headers, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT)
        t0 = time.perf_counter()
        ack = sio.call("doc:join", room, timeout=CALL_TIMEOUT)
        state["ack_ms"] = (time.perf_counter() - t0) * 1000
        if not (isinstance(ack, dict) and ack.get("ok")):
            return {"error": f"join refused: {ack!r}"}
        if not done.wait(timeout):
            return {"error": "no sync step 2 within the timeout"}
        state["join_ms"] = (state["applied"] - t0) * 1000
        return state
    except Exception as exc:  # noqa: BLE001
        return {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        with contextlib.suppress(Exception):
            sio.disconnect()



# ---------------------------------------------------------------------------------------------- asyncio clients

class FastEditor(Editor):
    """The same editor on the lean asyncio client (bench/_fastio.py): same events, same edits, same counting."""

    def __init__(self, client_id: int, room: str, run_id: int, cookie: str | None):  # noqa: D107
        from _fastio import SioClient

        self.client_id, self.room, self.run_id, self.cookie = client_id, room, run_id, cookie
        self.appends = AppendingText(TEXT_ROOT)
        self.seq = self.sent = self.acked = self.duplicates = self.other_events = 0
        self.ack_errors = Counter()
        self.seen = set()
        self.latencies_us = []
        self.joined = False
        self.sio = SioClient()
        self.sio.on("doc:sync", self._on_sync)
        self.sio.on("doc:awareness", self._on_awareness)
        self.sio.on("doc:error", self._on_error)

    async def aconnect(self, host: str, port: int) -> None:
        # ?room= as the browser sends it (static/src/_socket.js): nginx routes on it (bench/cluster.py), the app
        # ignores it.
        await self.sio.connect(host, port, self.cookie, timeout=CONNECT_TIMEOUT,
                               query="&room=" + quote(self.room, safe=":"))
        ack = await self.sio.call("doc:join", self.room, timeout=CALL_TIMEOUT)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise RuntimeError(f"doc:join {self.room} refused: {ack!r}")
        self.joined = True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.sio.close()

    def send_edit(self, callback=None) -> None:
        message = self.make_edit()
        self.sent += 1
        self.sio.emit("doc:sync", self.room, message, callback=callback or self._ack)


async def _aconnect_all(editors: list[FastEditor], url: str, parallel: int = 32) -> list[str]:
    import asyncio
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    sem = asyncio.Semaphore(parallel)
    errors: list[str] = []

    async def one(ed: FastEditor):
        async with sem:
            try:
                await ed.aconnect(parts.hostname, parts.port)
            except Exception as exc:  # noqa: BLE001
                errors.append(f"client {ed.client_id}: {type(exc).__name__}: {exc}")

    await asyncio.gather(*(one(ed) for ed in editors))
    return errors


async def _await_go(conn) -> float | None:
    import asyncio

    deadline = time.monotonic() + PARENT_TIMEOUT
    while not conn.poll(0):
        if time.monotonic() > deadline:
            return None
        await asyncio.sleep(0.005)
    msg = conn.recv()
    return msg[1] if msg[0] == "go" else None


def _latency_result(editors, senders, late) -> dict:
    late.sort()
    return {
        "sent": [(ed.client_id, ed.room, ed.sent) for ed in senders],
        "received": [(ed.client_id, ed.room, len(ed.seen), ed.joined) for ed in editors],
        "latencies_us": [x for ed in editors for x in ed.latencies_us],
        "duplicates": sum(ed.duplicates for ed in editors),
        "acked": sum(ed.acked for ed in editors),
        "ack_errors": dict(sum((ed.ack_errors for ed in editors), Counter())),
        "sender_late_p99_ms": (late[int(0.99 * (len(late) - 1))] * 1000) if late else 0.0,
        "sender_late_n": len(late),
    }


def fast_latency_load(conn, spec: dict, editor_cls=None) -> None:
    """Scenario load on the asyncio clients; `editor_cls` another protocol's editor (bench/_ywsload.py)."""
    import asyncio

    editor_cls = editor_cls or FastEditor

    async def run():
        editors = [editor_cls(cid, room, spec["run_id"], cookie) for cid, room, cookie, _ in spec["clients"]]
        try:
            senders = [ed for ed, c in zip(editors, spec["clients"], strict=True) if c[3]]
            errors = await _aconnect_all(editors, spec["url"])
            conn.send(("ready", {"connected": sum(ed.joined for ed in editors), "errors": errors[:5],
                                 "n_errors": len(errors)}))
            t0 = await _await_go(conn)
            if t0 is None:
                return
            rng = random.Random(spec["seed"])
            period = 1.0 / spec["rate"]
            end = t0 + spec["duration"]
            heap = [(t0 + rng.uniform(0, period), i) for i, ed in enumerate(senders) if ed.joined]
            heapq.heapify(heap)
            late: list[float] = []
            await asyncio.sleep(max(0.0, t0 - time.monotonic()))
            cpu0 = time.process_time()
            while heap:
                due, i = heapq.heappop(heap)
                if due >= end:
                    continue
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                else:
                    late.append(-wait)
                try:
                    senders[i].send_edit()
                except Exception as exc:  # noqa: BLE001
                    senders[i].ack_errors[f"send:{type(exc).__name__}"] += 1
                heapq.heappush(heap, (due + period, i))
            await asyncio.sleep(max(0.0, end - time.monotonic()))
            cpu = (time.process_time() - cpu0) / spec["duration"]
            await asyncio.sleep(max(0.0, end + spec["drain"] - time.monotonic()))
            conn.send(("result", {**_latency_result(editors, senders, late), "cpu": cpu}))
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


def fast_throughput_load(conn, spec: dict) -> None:
    import asyncio

    async def run():
        editors = [FastEditor(cid, room, spec["run_id"], cookie) for cid, room, cookie, _ in spec["clients"]]
        try:
            errors = await _aconnect_all(editors, spec["url"])
            conn.send(("ready", {"connected": sum(ed.joined for ed in editors), "errors": errors[:5],
                                 "n_errors": len(errors)}))
            t0 = await _await_go(conn)
            if t0 is None:
                return
            end = t0 + spec["duration"]
            acked_markers: list[tuple[int, int]] = []
            ack_times: list[float] = []
            await asyncio.sleep(max(0.0, t0 - time.monotonic()))

            def send(ed: FastEditor):
                if time.monotonic() >= end:
                    return
                seq = ed.seq + 1

                def on_ack(ack=None, *_):
                    if isinstance(ack, dict) and ack.get("ok"):
                        ed.acked += 1
                        acked_markers.append((ed.client_id, seq))
                        ack_times.append(time.monotonic())
                    else:
                        ed.ack_errors[str(ack.get("error") if isinstance(ack, dict) else ack)] += 1
                    send(ed)  # keep the window full

                ed.send_edit(callback=on_ack)

            cpu0 = time.process_time()
            for ed in editors:
                if ed.joined:
                    for _ in range(spec["window"]):
                        send(ed)
            await asyncio.sleep(max(0.0, end - time.monotonic()))
            cpu = (time.process_time() - cpu0) / spec["duration"]
            await asyncio.sleep(spec.get("drain", 2.0))
            conn.send(("result", {
                "sent": sum(ed.sent for ed in editors),
                "acked_in_window": sum(1 for t in ack_times if t0 <= t <= end),
                "acked_total": len(acked_markers),
                "acked_markers": list(acked_markers),
                "ack_errors": dict(sum((ed.ack_errors for ed in editors), Counter())),
                "rooms": sorted({ed.room for ed in editors}),
                "cpu": cpu,
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
