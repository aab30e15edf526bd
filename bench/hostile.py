"""Hostile-client campaign: one bad client must never hurt the others (docs/reliability.md).

    .venv/bin/python bench/hostile.py                       # 150 s on SQLite
    .venv/bin/python bench/hostile.py --seconds 30          # a quick look
    .venv/bin/python bench/hostile.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/collab_hostile
    .venv/bin/python bench/hostile.py --deep                # no limits: every mutated update reaches the checks
    .venv/bin/python bench/hostile.py --convergence 2000 [--database-url ...]  # the convergence property tests

It starts the real server (wsgi.py: eventlet; SQLite in a temp dir unless --database-url), seeds it through the
app's own models (bench/_app_setup.py), and for a bounded time runs at once:
- attackers: 2 members, 3 connections each, across the rooms, sending honest edits of every kind (text,
  formatting, map, array, XML) built on the document and then mutated (tests/realtime/yfuzz.py), some as a
  sync step 2 of a whole mutated document. Besides the honest editors' plans they attack the ~1 MB plan
  (100,000 edits: bench/_app_setup.py) and a research cycle's study document with node edits too (maths nodes,
  formulas, bar models and their parameters, formatting marks; valid and invalid values, sent as they are and
  mutated: bench/_hostile_edits.py), and an exploring-maths session's workspace (bench/_hostile_rooms.py) with
  mutated edits only (its board's format is not assumed);
- honest editors: 3 other members typing into the same rooms, each edit a marker, resent until acknowledged;
- a liveness probe every second: a page over HTTP and a socket join; over 1 s is a hang.
Then it checks every acknowledged honest edit is in its document exactly once (read from the database) and every
document still joins, loads from the database and reads as the app reads it (plans: page, PDF and DOCX; the study:
its page and rich text; the workspace: its page, rich text and board elements). It prints one JSON line; the exit
status is 1 when a target is missed or the run broke.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import multiprocessing as mp
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from _appends import AppendingText  # noqa: E402
from _load import CALL_TIMEOUT, CONNECT_TIMEOUT, Client, join_once  # noqa: E402
from realtime import PY, Server, app_env, free_port, login, percentile, seed_app  # noqa: E402

HONEST_ROOT = "honest"
HONEST_MARKER = re.compile(r"\[h(\d+)s(\d+)\]")
TARGET_P99_MS = 250.0
PHASE = {"now": "setup"}  # what this process's own clients are doing: the probe, then the end-of-run checks


class _Phase(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.phase = PHASE["now"]
        return True


class _ClientJoiningItself(logging.Filter):
    """Drops one known client-library error. Told by the server to disconnect (the pause cuts attackers off),
    python-socketio's Client joins its own read thread and logs the RuntimeError with its traceback: hundreds of them
    hid the campaign's figures, and the server is not involved (its own log is checked for tracebacks apart)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, RuntimeError) and "cannot join current thread" in str(error))


def _sync(subtype: int, payload: bytes) -> bytes:
    from collab.realtime.yupdates import sync_message

    return sync_message(subtype, payload)


def _connect(url: str, cookie: str, room: str, on_sync=None) -> Client:
    sio = Client(reconnection=False, request_timeout=CONNECT_TIMEOUT)
    if on_sync is not None:
        sio.on("doc:sync", on_sync)
    sio.connect(url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=CONNECT_TIMEOUT)
    ack = sio.call("doc:join", room, timeout=CALL_TIMEOUT)
    if not (isinstance(ack, dict) and ack.get("ok")):
        raise RuntimeError(f"doc:join {room}: {ack!r}")
    return sio


# ---------------------------------------------------------------------------------------------- attackers

def attack(conn, spec: dict) -> None:
    """One attacking member: `connections` sockets, each sending mutated updates at `rate` a second."""
    # Lower priority: on a 2-core machine the attack's own CPU (making and mutating edits) would otherwise starve
    # the honest editors' and the probe's clients, and their delays would be counted against the server.
    os.nice(15)
    logging.basicConfig(format=f"attacker {spec['seed']}: %(name)s: %(message)s")  # which client, if one complains
    logging.getLogger("engineio.client").addFilter(_ClientJoiningItself())  # before its handlers and the root's
    try:
        from _hostile_edits import node_edits
        from pycrdt import Doc, merge_updates

        from collab.realtime.yupdates import sync_step2
        from tests.realtime.yfuzz import honest_edit, mutate

        rng = random.Random(spec["seed"])
        counts: Counter = Counter()
        lock = threading.Lock()
        replicas, sockets = [], []
        for k in range(spec["connections"]):
            room = spec["rooms"][(spec.get("offset", 0) + k) % len(spec["rooms"])]
            replica = Doc(client_id=rng.randrange(1, 2**32))
            state_lock = threading.Lock()

            def on_sync(r, message, replica=replica, state_lock=state_lock):
                if isinstance(message, bytes | bytearray) and message[:2] == b"\x00\x01":
                    from collab.realtime.yupdates import parse_sync_message

                    with state_lock, contextlib.suppress(BaseException):
                        replica.apply_update(parse_sync_message(bytes(message))[1])

            sockets.append([_connect(spec["url"], spec["cookie"], room, on_sync), room, on_sync, 0.0, []])
            replicas.append((replica, state_lock))

        attribute_refusals: Counter = Counter()  # malformed refusals by the node attribute checks, by node

        def acked(ack=None, *_):
            code = "ok" if isinstance(ack, dict) and ack.get("ok") else (
                ack.get("error") if isinstance(ack, dict) else "no-ack")
            message = ack.get("message", "") if isinstance(ack, dict) else ""
            with lock:
                counts[code] += 1
                node = re.search(r"\ba (\w+) may not hold that (\w+)", message) if isinstance(message, str) else None
                if node:  # collab.realtime.store.InvalidContent
                    attribute_refusals[f"{node.group(1)} {node.group(2)}"] += 1

        conn.send(("ready", None))
        start = time.monotonic()
        deadline = start + spec["seconds"]
        sent = 0
        while time.monotonic() < deadline:
            for slot, (replica, state_lock) in zip(sockets, replicas, strict=True):
                sio, room, on_sync, retry_at, _bases = slot
                if not sio.connected:  # cut off by the server: come back as an attacker would, once a second
                    if time.monotonic() < retry_at:
                        continue
                    slot[3] = time.monotonic() + 1.0
                    try:
                        slot[0] = sio = _connect(spec["url"], spec["cookie"], room, on_sync)
                        counts["reconnected"] += 1
                    except Exception:  # noqa: BLE001 - refused during the pause
                        counts["reconnect-refused"] += 1
                        continue
                nodes = room in spec.get("node_rooms", ())
                with state_lock:
                    if not slot[4] or rng.random() < 0.04:  # fresh edits to mutate, now and then
                        # In a rich-text room, node edits too (one copy of the replica for three: it may be 1 MB)
                        slot[4] = ([honest_edit(replica, rng)] + node_edits(replica, rng, 3) if nodes else
                                   [honest_edit(replica, rng) for _ in range(4)])
                    base, other = rng.choice(slot[4]), rng.choice(slot[4])
                    roll = rng.random()
                    own = node_edits(replica, rng, 1, replica.client_id, bad_share=0) if nodes and roll < 0.05 else []
                    if own:  # a valid node edit of the replica's own, as it is: more for mutations to build on
                        message = _sync(2, own[0])
                    elif nodes and roll < 0.2:  # a fresh client's edit (valid, or refused), as it is; again: a no-op
                        message = _sync(2, base)
                    elif roll < 0.05:  # keep the replica's own work on the server: more for mutations to build on
                        message = _sync(2, honest_edit(replica, rng, client_id=replica.client_id))
                    elif roll < 0.08:  # a step 2 of the connection's own edits, mutated (the replica's whole
                        # state would carry the honest editors' text: mutated, a legitimate-looking copy of it)
                        message = sync_step2(mutate(merge_updates(*slot[4]), rng, base))
                    else:
                        message = _sync(2, mutate(base, rng, other))
                with contextlib.suppress(Exception):
                    sio.emit("doc:sync", (room, message), callback=acked)
                    sent += 1  # after emit: a message the cut socket could not take is not counted
            behind = sent / (spec["rate"] * len(sockets)) - (time.monotonic() - start)
            time.sleep(max(behind, 0.001))  # 1 ms at least: all cut off, the loop must not spin
        time.sleep(2)  # the last acks
        for sio, *_rest in sockets:
            with contextlib.suppress(Exception):
                sio.disconnect()
        conn.send(("result", {"sent": sent, "acks": dict(counts), "attribute_refusals": dict(attribute_refusals)}))
    except Exception:  # noqa: BLE001
        conn.send(("error", traceback.format_exc()))


# ---------------------------------------------------------------------------------------------- honest editors

def type_honestly(conn, spec: dict) -> None:
    """One honest member typing a marker every `interval` s into one room; each resent until acknowledged."""
    logging.basicConfig(level=logging.INFO, filename=f"{spec['log_dir']}/honest{spec['editor']}.log")
    for name in ("socketio", "engineio"):  # bench/_load.py quiets them; here a dropped connection is news
        logging.getLogger(name).setLevel(logging.INFO)
    try:
        writer = AppendingText(HONEST_ROOT)
        ends: dict[int, int] = {}  # seq -> the writer's clock after it: in the document iff its state reaches it
        sio = _connect(spec["url"], spec["cookie"], spec["room"])
        lock = threading.Lock()
        pending: dict[int, tuple[bytes, float]] = {}
        latencies: list[float] = []
        refusals: Counter = Counter()
        acked: list[int] = []

        def make_ack(seq: int):
            def on_ack(ack=None, *_):
                with lock:
                    if seq not in pending:
                        return
                    if isinstance(ack, dict) and ack.get("ok"):
                        latencies.append((time.monotonic() - pending.pop(seq)[1]) * 1000)
                        acked.append(seq)
                    else:
                        refusals[str(ack.get("error") if isinstance(ack, dict) else ack)] += 1
            return on_ack

        connection = {"sio": sio, "retry_at": 0.0, "reconnects": 0}
        reasons: Counter = Counter()

        def on_disconnect(reason=None):
            reasons[str(reason)] += 1

        sio.on("disconnect", on_disconnect)

        def send(seq: int, message: bytes) -> None:
            if not connection["sio"].connected:  # dropped: come back as the browser's provider does
                if time.monotonic() < connection["retry_at"]:
                    return
                connection["retry_at"] = time.monotonic() + 1.0
                try:
                    connection["sio"] = _connect(spec["url"], spec["cookie"], spec["room"])
                    connection["sio"].on("disconnect", on_disconnect)
                    connection["reconnects"] += 1
                except Exception:  # noqa: BLE001 - tried again in a second
                    return
            with contextlib.suppress(Exception):
                connection["sio"].emit("doc:sync", (spec["room"], message), callback=make_ack(seq))

        conn.send(("ready", None))
        deadline = time.monotonic() + spec["seconds"]
        seq = 0
        while time.monotonic() < deadline:
            seq += 1
            message = _sync(2, writer.append(f"[h{spec['editor']}s{seq}]"))
            ends[seq] = writer.clock
            with lock:
                pending[seq] = (message, time.monotonic())
            send(seq, message)
            time.sleep(spec["interval"])
            with lock:  # resend what waited over 2 s (refused or lost): idempotent
                late = [(s, m) for s, (m, t) in pending.items() if time.monotonic() - t > 2]
            for s, m in late:
                send(s, m)
        settle = time.monotonic() + 30
        while time.monotonic() < settle:
            with lock:
                left = list(pending.items())
            if not left:
                break
            for s, (m, _t) in left:
                send(s, m)
            time.sleep(1)
        with contextlib.suppress(Exception):
            connection["sio"].disconnect()
        conn.send(("result", {"editor": spec["editor"], "room": spec["room"], "acked": acked,
                              "client_id": writer.client_id, "ends": {seq: ends[seq] for seq in acked},
                              "reconnects": connection["reconnects"], "disconnects": dict(reasons),
                              "latencies_ms": latencies, "unacked": len(pending), "refusals": dict(refusals)}))
    except Exception:  # noqa: BLE001
        conn.send(("error", traceback.format_exc()))


# ---------------------------------------------------------------------------------------------- probe

def probe(url: str, cookie: str, room: str, page: str, stop: threading.Event, out: dict) -> None:
    """Every second: an HTTP page and a socket join, each timed. Over 1 s (or failing) counts as a hang."""
    session = requests.Session()
    session.headers["Cookie"] = cookie
    while not stop.wait(1.0):
        t0 = time.perf_counter()
        try:
            ok = session.get(url + page, timeout=10).status_code == 200
        except requests.RequestException:
            ok = False
        http_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        joined = join_once(url, cookie, room, timeout=10)
        join_ms = (time.perf_counter() - t0) * 1000
        out["probes"] += 1
        out["worst_http_ms"] = max(out["worst_http_ms"], http_ms)
        out["worst_join_ms"] = max(out["worst_join_ms"], join_ms)
        if not ok or "error" in joined or http_ms > 1000 or join_ms > 1000:
            out["hangs"] += 1


# ---------------------------------------------------------------------------------------------- checks

def read_documents(env: dict, documents: dict[str, int], others: dict[str, int] | None = None,
                   ) -> tuple[dict[str, tuple[str, dict[int, int]]], dict[str, str]]:
    """The honest text and the state vector of each document, as the database holds it (a fresh app, no cache);
    and for each of `others` (the attacked rooms without honest editors), what reading it as the app does raised,
    if anything: its rich text (plans, studies, workspaces), its board's elements (workspaces)."""
    for key in ("COLLAB_DATABASE_URL", "COLLAB_SECRET_KEY"):
        os.environ[key] = env[key]
    from pycrdt import Text

    from collab import create_app
    from collab.realtime.doclog import load
    from collab.realtime.ycheck import decode_state_vector

    app = create_app()
    with app.app_context():
        docs = {room: load(doc_id) for room, doc_id in documents.items()}
        texts = {room: (str(doc.get(HONEST_ROOT, type=Text)), decode_state_vector(doc.get_state()))
                 for room, doc in docs.items()}
        return texts, {room: _unreadable(room, doc_id) for room, doc_id in (others or {}).items()}


def _unreadable(room: str, document_id: int) -> str:
    """'' if the document loads and reads as the app reads it, else what went wrong."""
    from collab.plans import richtext
    from collab.realtime.doclog import load

    try:
        data = load(document_id).get_update()
        richtext.to_html(richtext.load(data))
        if room.startswith("workspace:"):
            from collab.workspace.board import board_elements

            board_elements(data, deleted=True)
        return ""
    except Exception as exc:  # noqa: BLE001 - reported, and the run fails
        return f"{type(exc).__name__}: {str(exc)[:200]}"


def convergence_campaign(examples: int, database_url: str | None, seed: int) -> int:
    """The convergence property tests (3-5 clients, disconnects, offline edits, duplicated and reordered
    deliveries, compaction every few updates) with `examples` generated cases each, seeded, on SQLite and, with
    a database URL, on PostgreSQL too. Prints one JSON line."""
    env = {**os.environ, "COLLAB_CONVERGENCE_EXAMPLES": str(examples)}
    env.pop("COLLAB_TEST_DATABASE_URL", None)
    if database_url:
        env["COLLAB_TEST_DATABASE_URL"] = database_url
    started = time.monotonic()
    run = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--hypothesis-seed={seed}",
                          "tests/realtime/test_convergence.py", "tests/observations/test_convergence.py"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    summary = (run.stdout.strip().splitlines() or [""])[-1]
    print(run.stdout[-3000:] if run.returncode else "", file=sys.stderr)
    print(json.dumps({"convergence_examples_per_test": examples, "seed": seed,
                      "databases": ["sqlite", "postgresql"] if database_url else ["sqlite"],
                      "pytest": summary, "failed": run.returncode != 0,
                      "seconds": round(time.monotonic() - started, 1)}))
    return run.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=150)
    parser.add_argument("--rooms", type=int, default=3)
    parser.add_argument("--attack-rate", type=float, default=115, help="mutated updates a second per connection")
    parser.add_argument("--database-url", help="PostgreSQL (an empty database); default SQLite in a temp dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--big-edits", type=int, default=100_000,
                        help="the history of the large plan the attackers also attack (100,000 edits: ~1 MB)")
    parser.add_argument("--app-script", default=str(ROOT / "wsgi.py"), help="the server's entry point")
    parser.add_argument("--deep", action="store_true", help="no update limit and no pause: every update is checked")
    parser.add_argument("--no-pause", action="store_true",
                        help="the per-person update limit, but no pause after malformed messages")
    parser.add_argument("--convergence", type=int, metavar="N",
                        help="instead: run the convergence property tests with N examples each (seeded)")
    args = parser.parse_args()
    if args.convergence:
        return convergence_campaign(args.convergence, args.database_url, args.seed)

    logging.basicConfig(format="main process, %(phase)s: %(name)s: %(message)s")  # which client, if one complains
    for handler in logging.getLogger().handlers:
        handler.addFilter(_Phase())
    tmp = Path(tempfile.mkdtemp(prefix="collab-hostile-"))
    port = free_port()
    # The production limits by default (per person: 50 updates a second, and a pause after ten malformed ones);
    # --deep raises the update limit so that every mutated update reaches the update checks and yrs (a fuzz
    # campaign rather than a measure of what an attacker can do to others).
    extra = ["COLLAB_MAX_WRITES_PER_MINUTE=100000",
             "COLLAB_MAX_UPDATES_PER_SECOND=50"]  # the production default (bench/realtime.py's env lifts it)
    if args.deep:
        extra += ["COLLAB_MAX_UPDATES_PER_SECOND=100000", "COLLAB_MALFORMED_BEFORE_PAUSE=0"]
    elif args.no_pause:  # the attackers keep their connections: every message is read, within the person's limit
        extra += ["COLLAB_MALFORMED_BEFORE_PAUSE=0"]
    if args.database_url:
        extra.append(f"COLLAB_DATABASE_URL={args.database_url}")
    os.environ["RUST_BACKTRACE"] = "0"  # a caught pycrdt panic prints no backtrace (server and load processes)
    env = app_env(tmp, port, extra)
    setup = seed_app(env, rooms=args.rooms, users=8, edits=args.big_edits)
    made = subprocess.run([PY, str(HERE / "_hostile_rooms.py")], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    if made.returncode != 0:
        raise RuntimeError(f"room setup failed:\n{made.stderr[-4000:]}")
    newer = json.loads(made.stdout.strip().splitlines()[-1])  # the study document and the workspace
    server = Server("app", [PY, str(args.app_script)], env, tmp / "app.log", port, "/login")
    server.start()
    ctx = mp.get_context("spawn")
    runs = []
    try:
        server.wait_ready()
        url = server.url
        cookies = [login(url, email, setup["password"]) for email in setup["emails"]]
        rooms = setup["rooms"][:args.rooms]
        study_room, workspace_room = sorted(newer["rooms"])  # "study:N" < "workspace:N"
        others = {setup["big_room"]: setup["big_document_id"], **newer["rooms"]}
        attacked = rooms + list(others)
        specs = [(attack, {"url": url, "cookie": cookies[1 + a], "rooms": attacked, "offset": 3 * a,
                           "node_rooms": [setup["big_room"], study_room], "connections": 3,
                           "rate": args.attack_rate, "seconds": args.seconds, "seed": args.seed * 100 + a})
                 for a in range(2)]
        specs += [(type_honestly, {"url": url, "cookie": cookies[3 + e], "room": rooms[e % len(rooms)],
                                   "editor": e, "interval": 0.1, "seconds": args.seconds, "log_dir": str(tmp)})
                  for e in range(3)]
        for target, spec in specs:
            parent, child = ctx.Pipe()
            process = ctx.Process(target=target, args=(child, spec), daemon=True)
            process.start()
            runs.append((process, parent))
        for process, parent in runs:
            if not parent.poll(120):
                raise RuntimeError(f"load process {process.pid} not ready")
            kind, data = parent.recv()
            if kind == "error":
                raise RuntimeError(data)
        plan_page = "/plans/" + rooms[0].split(":")[1]
        cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
        liveness = {"probes": 0, "hangs": 0, "worst_http_ms": 0.0, "worst_join_ms": 0.0}
        stop = threading.Event()
        prober = threading.Thread(target=probe, args=(url, cookies[6], rooms[0], plan_page, stop, liveness),
                                  daemon=True)
        PHASE["now"] = "during the run (the probe)"
        prober.start()
        results = []
        for process, parent in runs:
            if not parent.poll(args.seconds + 120):
                raise RuntimeError(f"load process {process.pid} gave no result")
            kind, data = parent.recv()
            if kind == "error":
                raise RuntimeError(data)
            results.append(data)
        stop.set()
        PHASE["now"] = "after the run (the end checks)"
        server_cpu = (server.cpu_seconds() - cpu_before) / (time.monotonic() - wall_before)
        prober.join(30)
        attackers = [r for r in results if "sent" in r]
        honest = [r for r in results if "editor" in r]
        acks, attribute_refusals = Counter(), Counter()
        for r in attackers:
            acks.update(r["acks"])
            attribute_refusals.update(r["attribute_refusals"])
        texts, broken = read_documents(env, {room: setup["documents"][room] for room in rooms}, others)
        lost = duplicated = acknowledged = 0
        for r in honest:
            text, known = texts[r["room"]]
            counts = Counter(int(m.group(2)) for m in HONEST_MARKER.finditer(text) if int(m.group(1)) == r["editor"])
            acknowledged += len(r["acked"])
            # lost: not in the log (the state vector does not reach it), or not in the text
            lost += sum(1 for seq in r["acked"]
                        if counts[seq] == 0 or known.get(r["client_id"], 0) < r["ends"][seq])
            duplicated += sum(1 for seq in r["acked"] if counts[seq] > 1)
        unreadable = []
        pages = {room: "/plans/" + room.split(":")[1] for room in [*rooms, setup["big_room"]]} | newer["pages"]
        for room in attacked:
            joined = join_once(url, cookies[6], room, timeout=30)
            paths = [pages[room]]
            if room.startswith("plan:"):
                paths += [f"{pages[room]}/export.{ext}" for ext in ("pdf", "docx")]
            statuses = [requests.get(url + path, headers={"Cookie": cookies[6]}, timeout=60).status_code
                        for path in paths]
            if "error" in joined or set(statuses) != {200} or broken.get(room):
                unreadable.append({"room": room, "join": joined.get("error"), "pages": statuses,
                                   "read": broken.get(room, "")})
        latencies = sorted(x for r in honest for x in r["latencies_ms"])
        log_text = (tmp / "app.log").read_text(errors="replace")
        result = {
            "seconds": args.seconds,
            "mode": "deep" if args.deep else "limits, no pause" if args.no_pause else "production limits",
            "database": "postgresql" if args.database_url else "sqlite",
            "sent": sum(r["sent"] for r in attackers),
            "refused": sum(n for code, n in acks.items() if code not in ("ok", "reconnected", "reconnect-refused")),
            "accepted": acks.get("ok", 0),
            "refusals": dict(acks),
            "refused_by_attribute_checks": dict(attribute_refusals),  # among the malformed, by node and attribute
            "hangs": liveness["hangs"],
            "probes": liveness["probes"],
            "worst_probe_http_ms": round(liveness["worst_http_ms"], 1),
            "worst_probe_join_ms": round(liveness["worst_join_ms"], 1),
            "server_errors": acks.get("server-error", 0),
            "tracebacks_in_log": log_text.count("Traceback"),
            "honest_acknowledged": acknowledged,
            "honest_unacknowledged": sum(r["unacked"] for r in honest),
            "lost": lost,
            "duplicated": duplicated,
            "unreadable_documents": unreadable,
            "documents_checked": len(attacked),
            "honest_p50_ack_ms": round(percentile(latencies, 0.5) or 0, 1),
            "honest_p99_ack_ms": round(percentile(latencies, 0.99) or 0, 1),
            "honest_reconnects": sum(r["reconnects"] for r in honest),
            "honest_disconnect_reasons": dict(sum((Counter(r["disconnects"]) for r in honest), Counter())),
            "server_cpu_cores": round(server_cpu, 2),
            "server_alive": server.alive(),
        }
        print(json.dumps(result))
        missed = (result["hangs"] or lost or duplicated or unreadable or result["server_errors"]
                  or result["honest_p99_ack_ms"] > TARGET_P99_MS or not result["server_alive"])
        return 1 if missed else 0
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        print(server.tail_log(40), file=sys.stderr)
        return 1
    finally:
        for process, _parent in runs:
            if process.is_alive():
                process.terminate()
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
