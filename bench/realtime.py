"""Real-time benchmark: the Collab app against a bare Flask-SocketIO relay (the floor) and the field's reference,
y-websocket's own server (npm @y/websocket-server, in memory), same load, same run.

    .venv/bin/python bench/realtime.py --quick      # both scenarios, ~4 s of load each, about 70 s
    .venv/bin/python bench/realtime.py              # 30 s of load per scenario
    .venv/bin/python bench/realtime.py --py-spy out/ # also record a py-spy profile of each server under load

It starts (a) the app (wsgi.py: eventlet, SQLite in a temp dir, auth and CSRF on, seeded through the app's own
models and services by bench/_app_setup.py), (b) bench/floor_relay.py and (c) bench/ywebsocket/server.mjs (node;
its pinned packages installed with `npm ci` into bench/ywebsocket/node_modules on the first run), then drives
each in turn with the same load from separate load-generator processes (bench/_load.py: Socket.IO clients,
websocket transport; bench/_ywsload.py: the same editors speaking y-websocket's protocol).
docs/performance.md explains every figure. The last line of output is one JSON object; the exit
status is 0 whatever the figures are, and 1 only when the run itself broke.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import _appends  # noqa: E402
import _load  # noqa: E402
from _worker import entry as _load_entry  # noqa: E402

PY = sys.executable
RATE_LIMIT_FOR_LOAD = 100_000  # COLLAB_MAX_UPDATES_PER_SECOND: the throughput test must not be throttled

TARGETS = {
    "delivered_ratio": "delivered/expected = 1.0 in every scenario",
    "p99_vs_floor": "app p99 <= 1.5 x floor p99 (each scenario)",
    "p99_abs": "app p99 < 50 ms (each scenario)",
    "join_1mb": "join of the 1 MB document < 100 ms",
    "durable": "> 3000 durable (acked-after-commit) updates/s",
    "p99_vs_ywebsocket": "app p99 <= y-websocket p99 (each scenario; the goal)",
}
YWS_DIR = HERE / "ywebsocket"


@dataclass
class Scenario:
    key: str
    title: str
    rooms: int
    per_room: int
    rate: float  # edits per second per client


SCENARIOS = [
    Scenario("one_room", "one room: 30 editors at 2 edits/s", 1, 30, 2.0),
    Scenario("many_rooms", "500 connections in 50 rooms (10 per room) at 2 edits/s", 50, 10, 2.0),
]

_children: list = []  # every subprocess / load process we started, for cleanup


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server subprocess: start, wait until it answers, measure CPU and peak RSS, stop."""

    def __init__(self, name: str, argv: list[str], env: dict, log_path: Path, port: int, ready_path: str):
        self.name, self.argv, self.env, self.log_path, self.port = name, argv, env, log_path, port
        self.url = f"http://127.0.0.1:{port}"
        self.ready_path = ready_path
        self.popen: subprocess.Popen | None = None
        self.proc: psutil.Process | None = None
        self._peak = 0
        self._sampling = threading.Event()
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def start(self) -> None:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)  # Ctrl-C reaches us, and we stop it
        _children.append(self.popen)
        self.proc = psutil.Process(self.popen.pid)
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.popen.returncode}; log:\n{self.tail_log()}")
            try:
                if requests.get(self.url + self.ready_path, timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout:.0f} s; log:\n{self.tail_log()}")

    def tail_log(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            if self._sampling.is_set():
                try:
                    self._peak = max(self._peak, self.proc.memory_info().rss)
                except psutil.Error:
                    return

    def begin_peak(self) -> None:
        self._peak = self.proc.memory_info().rss
        self._sampling.set()

    def end_peak(self) -> int:
        self._sampling.clear()
        return self._peak

    def cpu_seconds(self) -> float:
        t = self.proc.cpu_times()
        return t.user + t.system

    def wait_idle(self, max_s: float, busy_below: float = 0.05, window: float = 0.5) -> float:
        """Wait until the server uses under `busy_below` of a core over `window` s (e.g. a backlog of updates
        still being committed after the load stopped). Returns the seconds waited (max_s if never idle)."""
        start = time.monotonic()
        while time.monotonic() - start < max_s and self.alive():
            c0 = self.cpu_seconds()
            time.sleep(window)
            if (self.cpu_seconds() - c0) / window < busy_below:
                break
        return round(time.monotonic() - start, 1)

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> None:
        self._stop.set()
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(5)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        self._log.close()


# ---------------------------------------------------------------------------------------------- app setup

def app_env(tmp: Path, port: int, extra: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    env.update({
        "COLLAB_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
        "COLLAB_SECRET_KEY": secrets.token_urlsafe(32),
        "COLLAB_SECURE_COOKIES": "0",
        "COLLAB_ASYNC_MODE": "eventlet",
        "COLLAB_HOST": "127.0.0.1",
        "PORT": str(port),
        "COLLAB_UPLOAD_DIR": str(tmp / "uploads"),
        "COLLAB_MAX_UPDATES_PER_SECOND": str(RATE_LIMIT_FOR_LOAD),
        "COLLAB_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000",
        "PYTHONUNBUFFERED": "1",
    })
    for item in extra:
        key, _, value = item.partition("=")
        env[key] = value
    return env


def seed_app(env: dict, rooms: int, users: int, edits: int) -> dict:
    out = subprocess.run([PY, str(HERE / "_app_setup.py"), "--rooms", str(rooms), "--users", str(users),
                          "--edits", str(edits)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    if out.returncode != 0:
        raise RuntimeError(f"app setup failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def login(base: str, email: str, password: str) -> str:
    """Sign in through the real form (CSRF on) and return the Cookie header for Socket.IO."""
    s = requests.Session()
    page = s.get(base + "/login", timeout=10)
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    if not m:
        raise RuntimeError("no csrf_token on /login")
    r = s.post(base + "/login", data={"email": email, "password": password, "csrf_token": m.group(1)},
               timeout=30, allow_redirects=False)
    if r.status_code not in (302, 303):
        raise RuntimeError(f"POST /login for {email}: HTTP {r.status_code}")
    check = s.get(base + "/profile", timeout=10, allow_redirects=False)
    if check.status_code != 200:
        raise RuntimeError(f"signed-in check /profile for {email}: HTTP {check.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in s.cookies)


def ywebsocket_server(tmp: Path) -> tuple[Server | None, str | None]:
    """The y-websocket reference server, its packages installed with `npm ci` (exactly bench/ywebsocket's
    package-lock.json) when missing. Returns (server, None), or (None, why not) when node/npm are absent or the
    install failed (no registry reachable, say): the run goes on without the reference."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None, "node and npm are not installed (apt-get install nodejs npm)"
    if not (YWS_DIR / "node_modules" / "@y" / "websocket-server" / "package.json").exists():
        log("installing the y-websocket reference server (npm ci in bench/ywebsocket)")
        # --ignore-scripts: its optional LevelDB persistence (a native build) is never used here.
        out = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=YWS_DIR,
                             capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            return None, f"npm ci in bench/ywebsocket failed: {(out.stderr or out.stdout)[-500:]}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("YPERSISTENCE", "CALLBACK_URL")}  # in memory
    env["PORT"] = str(port)
    return Server("yws", [node, str(YWS_DIR / "server.mjs")], env, tmp / "yws.log", port, "/health"), None


# ---------------------------------------------------------------------------------------------- load runs

def _spawn(target, specs: list[dict]):
    ctx = mp.get_context("spawn")
    runs = []
    for spec in specs:
        parent, child = ctx.Pipe()
        p = ctx.Process(target=target, args=(child, spec), daemon=True)
        p.start()
        child.close()
        _children.append(p)
        runs.append((p, parent))
    return runs


def _collect(runs, timeout: float, what: str) -> list:
    out = []
    deadline = time.monotonic() + timeout
    for p, conn in runs:
        left = max(0.1, deadline - time.monotonic())
        if not conn.poll(left):
            raise RuntimeError(f"load process {p.pid}: no {what} within {timeout:.0f} s")
        kind, data = conn.recv()
        if kind == "error":
            raise RuntimeError(f"load process {p.pid} failed:\n{data}")
        out.append(data)
    return out


def _finish(runs) -> None:
    for p, conn in runs:
        p.join(10)
        if p.is_alive():
            p.terminate()
            p.join(5)
        conn.close()


def _pyspy(server: Server, seconds: float, out: Path | None) -> subprocess.Popen | None:
    if out is None:
        return None
    exe = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    if not Path(exe).exists() and not shutil.which(exe):
        log("py-spy not found (pip install py-spy): no profile")
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    extra = os.environ.get("BENCH_PYSPY_ARGS", "").split()  # e.g. --gil: only the thread holding the GIL
    p = subprocess.Popen([exe, "record", "-p", str(server.popen.pid), "-d", str(max(1, int(seconds))), "-r", "200",
                          "-f", "raw", "-o", str(out), "--nonblocking", "--threads", *extra],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _children.append(p)
    return p


def percentile(sorted_values: list, q: float) -> float | None:
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(round(q * (len(sorted_values) - 1))))]


def run_latency(server: Server, scen: Scenario, rooms: list[str], cookies: list[str | None], args,
                run_id: int, profile_dir: Path | None, client: str | None = None) -> dict:
    clients = []
    cid = 0
    for r in range(scen.rooms):
        for _ in range(scen.per_room):
            cid += 1
            clients.append((cid, rooms[r], cookies[cid % len(cookies)], True))
    procs = min(args.procs, len(clients))
    specs = [{"url": server.url, "run_id": run_id, "rate": scen.rate, "duration": args.duration,
              "drain": args.drain, "seed": run_id * 100 + i, "clients": clients[i::procs]} for i in range(procs)]
    server.begin_peak()
    t_connect = time.monotonic()
    runs = _spawn(_load_entry, [{**sp, "kind": "latency", "client": client or args.client} for sp in specs])
    try:
        ready = _collect(runs, 90, "ready")
        connect_s = time.monotonic() - t_connect
        connected = sum(r["connected"] for r in ready)
        errs = [e for r in ready for e in r["errors"]]
        if connected < len(clients):
            log(f"{server.name}: only {connected}/{len(clients)} clients joined; first errors: {errs[:3]}")
        time.sleep(0.3)  # let the joins' sync traffic settle
        t0 = time.monotonic() + 0.3
        for _, conn in runs:
            conn.send(("go", t0))
        spy = _pyspy(server, args.duration, profile_dir / f"{server.name}-{scen.key}.txt" if profile_dir else None)
        time.sleep(max(0.0, t0 - time.monotonic()))
        cpu0 = server.cpu_seconds()
        psutil.cpu_percent(interval=None)
        time.sleep(args.duration)
        cpu = (server.cpu_seconds() - cpu0) / args.duration
        machine = psutil.cpu_percent(interval=None)
        results = _collect(runs, args.duration + args.drain + 60, "result")
        peak = server.end_peak()
        if spy is not None:
            spy.wait(30)
    finally:
        _finish(runs)

    joined_per_room: dict[str, int] = {}
    delivered = 0
    for res in results:
        for _cid, room, seen, joined in res["received"]:
            if joined:
                joined_per_room[room] = joined_per_room.get(room, 0) + 1
                delivered += seen
    sent = sum(s for res in results for _c, _r, s in res["sent"])
    expected = sum(s * max(0, joined_per_room.get(room, 0) - 1) for res in results for _c, room, s in res["sent"])
    lat = sorted(x / 1000.0 for res in results for x in res["latencies_us"])
    ack_errors: dict = {}
    for res in results:
        for k, v in res["ack_errors"].items():
            ack_errors[k] = ack_errors.get(k, 0) + v
    return {
        "server": server.name, "scenario": scen.key, "clients": len(clients), "connected": connected,
        "connect_s": round(connect_s, 2), "sent": sent, "acked": sum(r["acked"] for r in results),
        "ack_errors": ack_errors, "expected": expected, "delivered": delivered,
        "delivered_ratio": round(delivered / expected, 5) if expected else None,
        "duplicates": sum(r["duplicates"] for r in results),
        "p50_ms": _r(percentile(lat, 0.50)), "p99_ms": _r(percentile(lat, 0.99)),
        "max_ms": _r(lat[-1] if lat else None),
        "samples": len(lat), "cpu_pct": round(100 * cpu, 1), "peak_rss_mb": round(peak / 2**20, 1),
        "cpu_start_s": cpu0, "machine_busy_pct": machine, "loadavg_1m": round(os.getloadavg()[0], 1),
        "sender_late_p99_ms": _r(max((r["sender_late_p99_ms"] for r in results), default=0.0)),
        "loadgen_cpu_pct": round(100 * sum(r.get("cpu", 0.0) for r in results), 1),
    }


def _r(x, nd=2):
    return None if x is None else round(x, nd)


def run_throughput(server: Server, rooms: list[str], cookies: list[str | None], args, run_id: int,
                   profile_dir: Path | None) -> dict:
    n = args.tp_clients
    clients = [(9000 + i, rooms[i % len(rooms)], cookies[i % len(cookies)], True) for i in range(n)]
    procs = min(2, n)
    specs = [{"url": server.url, "run_id": run_id, "duration": args.tp_duration, "window": args.tp_window,
              "drain": 1.0 if args.quick else 2.0, "clients": clients[i::procs]} for i in range(procs)]
    server.begin_peak()
    runs = _spawn(_load_entry, [{**sp, "kind": "throughput", "client": args.client} for sp in specs])
    try:
        ready = _collect(runs, 60, "ready")
        if sum(r["connected"] for r in ready) < n:
            log(f"{server.name}: throughput clients not all joined: {[e for r in ready for e in r['errors']][:3]}")
        t0 = time.monotonic() + 0.3
        for _, conn in runs:
            conn.send(("go", t0))
        spy = _pyspy(server, args.tp_duration, profile_dir / f"{server.name}-throughput.txt" if profile_dir else None)
        time.sleep(max(0.0, t0 - time.monotonic()))
        cpu0 = server.cpu_seconds()
        psutil.cpu_percent(interval=None)
        time.sleep(args.tp_duration)
        cpu = (server.cpu_seconds() - cpu0) / args.tp_duration
        machine = psutil.cpu_percent(interval=None)
        results = _collect(runs, args.tp_duration + 60, "result")
        peak = server.end_peak()
        if spy is not None:
            spy.wait(30)
    finally:
        _finish(runs)
    in_window = sum(r["acked_in_window"] for r in results)
    ack_errors: dict = {}
    for res in results:
        for k, v in res["ack_errors"].items():
            ack_errors[k] = ack_errors.get(k, 0) + v
    return {
        "server": server.name, "clients": n, "window": args.tp_window, "sent": sum(r["sent"] for r in results),
        "acked_per_s": round(in_window / args.tp_duration, 1),
        "acked_total": sum(r["acked_total"] for r in results), "ack_errors": ack_errors,
        "acked_markers": [tuple(m) for r in results for m in r["acked_markers"]],
        "rooms": sorted({room for r in results for room in r["rooms"]}),
        "cpu_pct": round(100 * cpu, 1), "peak_rss_mb": round(peak / 2**20, 1),
        "loadgen_cpu_pct": round(100 * sum(r.get("cpu", 0.0) for r in results), 1), "machine_busy_pct": machine,
    }


def verify_durable(db_path: Path, documents: dict, tp: dict, run_id: int) -> dict:
    """Rebuild each throughput document from the database (every snapshot and logged update; Yjs updates are
    idempotent) and check that every acknowledged edit's marker is in it."""
    from pycrdt import Doc, Text

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        found: set[tuple[int, int]] = set()
        rows = 0
        for room in tp["rooms"]:
            doc_id = documents[room]
            doc = Doc()
            for (data,) in con.execute("SELECT data FROM document_snapshot WHERE document_id=? ORDER BY id", (doc_id,)):
                doc.apply_update(data)
            for (data,) in con.execute("SELECT data FROM document_update WHERE document_id=? ORDER BY id", (doc_id,)):
                doc.apply_update(data)
                rows += 1
            text = str(doc.get(_load.TEXT_ROOT, type=Text)).encode()
            for m in _load.MARKER.finditer(text):
                if int(m.group(1)) == run_id:
                    found.add((int(m.group(2)), int(m.group(3))))
    finally:
        con.close()
    acked = set(tp["acked_markers"])
    missing = acked - found
    return {"acked": len(acked), "in_db": len(acked & found), "missing": len(missing),
            "unacked_but_stored": len(found - acked), "update_rows_now": rows}


def run_joins(server: Server, cookie: str, room: str, n: int) -> dict:
    joins = [_load.join_once(server.url, cookie, room) for _ in range(n)]
    errors = [j["error"] for j in joins if "error" in j]
    ok = [j for j in joins if "error" not in j]
    times = [j["join_ms"] for j in ok]
    return {"n": n, "errors": errors[:3], "cold_ms": _r(times[0]) if times else None,
            "median_ms": _r(statistics.median(times)) if times else None, "max_ms": _r(max(times)) if times else None,
            "message_bytes": ok[0]["message_bytes"] if ok else None, "text_chars": ok[0]["text_chars"] if ok else None}


# ---------------------------------------------------------------------------------------------- report

def fmt(x, unit="") -> str:
    return "-" if x is None else f"{x}{unit}"


def print_report(lat: list[dict], tps: list[dict], join: dict | None, durable: dict | None, summary: dict,
                 checks: list[tuple[str, bool | None, str]]) -> None:
    print()
    print("Edit-to-peer latency (ms), delivery, server CPU and peak RSS")
    head = f"{'scenario':<11} {'server':<6} {'conn':>5} {'sent':>6} {'acked':>6} {'p50':>7} {'p99':>7} {'max':>8} " \
           f"{'delivered':>15} {'ratio':>7} {'cpu%':>6} {'ms/ed':>6} {'rssMB':>6} {'late99':>7} {'gen%':>5} " \
           f"{'box%':>5} {'load':>5}"
    print(head)
    print("-" * len(head))
    for r in lat:
        print(f"{r['scenario']:<11} {r['server']:<6} {r['connected']:>5} {r['sent']:>6} {r['acked']:>6} "
              f"{fmt(r['p50_ms']):>7} {fmt(r['p99_ms']):>7} {fmt(r['max_ms']):>8} "
              f"{str(r['delivered']) + '/' + str(r['expected']):>15} {fmt(r['delivered_ratio']):>7} "
              f"{r['cpu_pct']:>6} {fmt(r.get('cpu_ms_per_edit')):>6} {r['peak_rss_mb']:>6} "
              f"{r['sender_late_p99_ms']:>7} {r['loadgen_cpu_pct']:>5} "
              f"{r['machine_busy_pct']:>5} {r['loadavg_1m']:>5}")
        if r.get("busy_after_s", 0) > 1.5:
            print(f"{'':<11} {'':<6} server still busy {r['busy_after_s']} s after the load stopped (backlog)")
        if r["ack_errors"]:
            print(f"{'':<11} {'':<6} ack errors: {r['ack_errors']}")
    print("cpu%: server process CPU time / wall time (100 = one core). ms/ed: server CPU ms per edit sent, from\n"
          "the start of the load until the server was idle again (backlog included). rssMB: its peak RSS. late99:\n"
          "p99 of how far the load generators' send loop ran behind schedule (large: they were saturated); gen%:\n"
          "their CPU (100 = one core). box%: whole-machine CPU busy (100 = both cores); load: 1-minute load\n"
          "average. Other work on the machine inflates every latency.")
    print()
    for t in tps:
        label = "durable (acked after commit)" if t["server"] == "app" else "acked, not durable (floor)"
        print(f"throughput {t['server']:<6} {t['acked_per_s']:>8} updates/s  [{label}; {t['clients']} clients x "
              f"{t['window']} in flight; cpu {t['cpu_pct']}% = "
              f"{fmt(round(10 * t['cpu_pct'] / t['acked_per_s'], 3) if t['acked_per_s'] else None)} ms per update; "
              f"peak RSS {t['peak_rss_mb']} MB; load generators' cpu {t['loadgen_cpu_pct']}%, box "
              f"{t['machine_busy_pct']}%; errors {t['ack_errors']}]")
    if summary.get("vs_ywebsocket"):
        print("app ÷ y-websocket (the field's reference; auth and ack-after-commit on the app's side, nothing on "
              "its own)")
        print(f"{'scenario':<11} {'p50':>6} {'p99':>6} {'cpu s':>6} {'rss':>6}   "
              "y-websocket: p50 / p99 ms, cpu s, rss MB")
        for k, v in summary["vs_ywebsocket"].items():
            print(f"{k:<11} {fmt(v['p50']):>6} {fmt(v['p99']):>6} {fmt(v['cpu_s']):>6} {fmt(v['peak_rss']):>6}   "
                  f"{fmt(v['yws_p50_ms'])} / {fmt(v['yws_p99_ms'])}, {fmt(v['yws_cpu_s'])}, {v['yws_peak_rss_mb']}")
        print()
    elif summary.get("ywebsocket_skipped"):
        print(f"y-websocket reference skipped: {summary['ywebsocket_skipped']}\n")
    if durable:
        print(f"database check: {durable['in_db']}/{durable['acked']} acknowledged updates found in the rebuilt "
              f"documents (missing {durable['missing']}; {durable['update_rows_now']} update rows now in the log)")
    if join:
        print(f"join 1 MB doc ({fmt(join['message_bytes'])} B step 2, {fmt(join['text_chars'])} chars): cold "
              f"{fmt(join['cold_ms'])} ms, median {fmt(join['median_ms'])} ms, max {fmt(join['max_ms'])} ms over "
              f"{join['n']} joins {join['errors'] or ''}")
    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else ('FAIL' if ok is False else 'N/A '):<5} {TARGETS[name]:<50} {detail}")
    print()


def evaluate(lat: list[dict], join: dict | None, tp_app: dict | None, durable: dict | None):
    app = {r["scenario"]: r for r in lat if r["server"] == "app"}
    floor = {r["scenario"]: r for r in lat if r["server"] == "floor"}
    summary = {"p50_ms": None, "p99_ms": None, "floor_p99_ms": None, "delivered_ratio": None,
               "join_1mb_ms": join["max_ms"] if join else None,
               "durable_updates_per_s": tp_app["acked_per_s"] if tp_app else None}
    if app:
        worst = max(app.values(), key=lambda r: r["p99_ms"] if r["p99_ms"] is not None else float("inf"))
        summary["p50_ms"], summary["p99_ms"] = worst["p50_ms"], worst["p99_ms"]
        summary["floor_p99_ms"] = floor.get(worst["scenario"], {}).get("p99_ms")
        ratios = [r["delivered_ratio"] or 0.0 for r in app.values()]
        summary["delivered_ratio"] = min(ratios)
    if durable and durable["missing"] and summary["durable_updates_per_s"] is not None:
        summary["durable_updates_per_s"] = 0.0  # an acknowledged update that is not in the database is not durable
    checks = []
    ok = bool(app) and all(r["delivered_ratio"] == 1.0 for r in app.values())
    checks.append(("delivered_ratio", ok if app else None,
                   ", ".join(f"{k} {r['delivered_ratio']}" for k, r in app.items())))
    vs, ab = [], []
    for k, r in app.items():
        f = floor.get(k, {}).get("p99_ms")
        if r["p99_ms"] is not None and f:
            vs.append((k, r["p99_ms"] <= 1.5 * f, f"{k} {r['p99_ms']} vs floor {f} ({r['p99_ms'] / f:.2f}x)"))
        ab.append((k, r["p99_ms"] is not None and r["p99_ms"] < 50, f"{k} {r['p99_ms']}"))
    checks.append(("p99_vs_floor", all(v for _, v, _ in vs) if vs else None, "; ".join(d for *_, d in vs)))
    checks.append(("p99_abs", all(v for _, v, _ in ab) if ab else None, "; ".join(d for *_, d in ab)))
    j = summary["join_1mb_ms"]
    checks.append(("join_1mb", None if j is None else j < 100, f"max {j} ms (median {join and join['median_ms']})"))
    d = summary["durable_updates_per_s"]
    checks.append(("durable", None if d is None else d > 3000,
                   f"{d}/s" + (f", DB check missing {durable['missing']}" if durable else "")))
    summary.update(vs_ywebsocket(app, {r["scenario"]: r for r in lat if r["server"] == "yws"}))
    vs = [(k, v["p99"] <= 1.0, f"{k} {app[k]['p99_ms']} vs {v['yws_p99_ms']} ({v['p99']}x)")
          for k, v in summary["vs_ywebsocket"].items() if v["p99"] is not None]
    checks.append(("p99_vs_ywebsocket", all(v for _, v, _ in vs) if vs else None, "; ".join(d for *_, d in vs)))
    return summary, checks


def vs_ywebsocket(app: dict, yws: dict) -> dict:
    """app ÷ y-websocket per scenario: p50, p99, server CPU seconds (the load and any backlog after it) and peak
    RSS; with y-websocket's own figures beside them."""

    def ratio(a, b):
        return round(a / b, 2) if a is not None and b else None

    out = {}
    for k, y in yws.items():
        a = app.get(k)
        if a is None:
            continue
        out[k] = {"p50": ratio(a["p50_ms"], y["p50_ms"]), "p99": ratio(a["p99_ms"], y["p99_ms"]),
                  "cpu_s": ratio(a.get("cpu_s"), y.get("cpu_s")), "peak_rss": ratio(a["peak_rss_mb"], y["peak_rss_mb"]),
                  "yws_p50_ms": y["p50_ms"], "yws_p99_ms": y["p99_ms"], "yws_cpu_s": y.get("cpu_s"),
                  "yws_peak_rss_mb": y["peak_rss_mb"], "yws_delivered_ratio": y["delivered_ratio"]}
    worst = max(out, key=lambda k: app[k]["p99_ms"] if app[k]["p99_ms"] is not None else float("inf"), default=None)
    return {"vs_ywebsocket": out, "ywebsocket_p99_ms": out[worst]["yws_p99_ms"] if worst else None,
            "ywebsocket_delivered_ratio": min((v["yws_delivered_ratio"] or 0.0 for v in out.values()), default=None)}


# ---------------------------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description="Collab real-time benchmark (app vs bare relay).")
    parser.add_argument("--quick", action="store_true", help="short run for `make bench` (under a minute)")
    parser.add_argument("--duration", type=float, help="seconds of load per scenario (default 30, quick 4)")
    parser.add_argument("--drain", type=float, help="seconds to wait for late deliveries after the load")
    parser.add_argument("--procs", type=int, default=2, help="load-generator processes per scenario")
    parser.add_argument("--client", choices=["fast", "threads", "green"], default="fast",
                        help="load clients: lean asyncio Socket.IO (default), python-socketio on threads, "
                             "or python-socketio under eventlet")
    parser.add_argument("--scenario", choices=[s.key for s in SCENARIOS], action="append",
                        help="run only this scenario (repeatable)")
    parser.add_argument("--server", choices=["app", "floor", "yws"], action="append",
                        help="only this server (yws: the y-websocket reference)")
    parser.add_argument("--tp-duration", type=float, help="seconds of the durable-throughput test")
    parser.add_argument("--tp-clients", type=int, default=4)
    parser.add_argument("--tp-window", type=int, default=32, help="updates in flight per throughput client")
    parser.add_argument("--idle-wait", type=float,
                        help="after each scenario, wait up to this long for the server to go idle "
                             "(a backlog; default 30 s, quick 4 s)")
    parser.add_argument("--joins", type=int, default=5, help="joins of the 1 MB document to time")
    parser.add_argument("--edits", type=int, default=100_000, help="edits the big document is built from")
    parser.add_argument("--users", type=int, default=4, help="signed-in users the connections share")
    parser.add_argument("--app-env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for the app server (e.g. COLLAB_COMPACT_AFTER_UPDATES=1000)")
    parser.add_argument("--app-script", type=Path, default=ROOT / "wsgi.py",
                        help="server entry point (default wsgi.py; bench/experiments_*.py try server-side fixes)")
    parser.add_argument("--floor-arg", action="append", default=[], help="extra argument for floor_relay.py "
                        "(e.g. --floor-arg=--gc-trace)")
    parser.add_argument("--py-spy", type=Path, metavar="DIR", help="record py-spy profiles (raw stacks) here")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (database, server logs)")
    args = parser.parse_args()
    args.duration = args.duration or (4.0 if args.quick else 30.0)
    args.drain = args.drain if args.drain is not None else (0.8 if args.quick else 3.0)
    args.tp_duration = args.tp_duration or (3.0 if args.quick else 10.0)
    args.idle_wait = args.idle_wait if args.idle_wait is not None else (4.0 if args.quick else 30.0)
    servers_wanted = args.server or ["floor", "app", "yws"]
    scenarios = [s for s in SCENARIOS if not args.scenario or s.key in args.scenario]

    started = time.monotonic()
    _appends.check()  # the load's edits are pycrdt's own bytes, or the run stops here
    log(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"CPU busy {psutil.cpu_percent(interval=0.5):.0f}% before starting")
    tmp = Path(tempfile.mkdtemp(prefix="collab-bench-"))
    servers: list[Server] = []
    broken: list[str] = []
    lat: list[dict] = []
    tps: list[dict] = []
    join = durable = tp_app = None
    yws_skipped = None
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        floor = app = None
        if "floor" in servers_wanted:
            port = free_port()
            floor = Server("floor", [PY, str(HERE / "floor_relay.py"), "--port", str(port), *args.floor_arg],
                           {**os.environ, "PYTHONUNBUFFERED": "1"}, tmp / "floor.log", port, "/health")
            floor.start()
            servers.append(floor)
        yws = None
        if "yws" in servers_wanted:
            yws, yws_skipped = ywebsocket_server(tmp)
            if yws is None:
                log(f"y-websocket reference skipped: {yws_skipped}")
            else:
                yws.start()
                servers.append(yws)
        setup = None
        if "app" in servers_wanted:
            port = free_port()
            env = app_env(tmp, port, args.app_env)
            log("seeding the app database (users, Work Group, plans, 1 MB document)")
            try:
                need_rooms = sum(s.rooms for s in SCENARIOS) + args.tp_clients
                setup = seed_app(env, need_rooms, args.users, args.edits)
                log(f"seeded in {setup['setup_s']} s (big document {setup['big_snapshot_bytes']} B snapshot + "
                    f"{setup['big_tail_updates']} updates, built in {setup['big_build_s']} s; "
                    f"create_plan used: {setup['used_create_plan']})")
                app = Server("app", [PY, str(args.app_script)], env, tmp / "app.log", port, "/login")
                app.start()
                servers.append(app)
            except Exception as exc:  # noqa: BLE001
                broken.append(f"app setup: {exc}")
                log(broken[-1])
        for s in servers:
            s.wait_ready()
        cookies_app: list[str | None] = []
        if app:
            try:
                cookies_app = [login(app.url, e, setup["password"]) for e in setup["emails"]]
                log(f"signed in {len(cookies_app)} users through /login (CSRF on)")
            except Exception as exc:  # noqa: BLE001
                broken.append(f"app login: {exc}")
                log(broken[-1])
                app = None
        if app:  # first, on an idle server that has not loaded the document yet (the first join is cold)
            log(f"app: timing {args.joins} joins of the 1 MB document")
            join = run_joins(app, cookies_app[0], setup["big_room"], args.joins)
            if join["errors"]:
                broken.append(f"join: {join['errors']}")
        room_pool = setup["rooms"] if setup else []
        run_id = int(time.time()) % 100000
        next_room = 0
        for scen in scenarios:
            rooms_app = room_pool[next_room: next_room + scen.rooms]
            next_room += scen.rooms
            floor_rooms = [f"floor:{scen.key}:{i}" for i in range(scen.rooms)]
            yws_rooms = [f"yws:{scen.key}:{i}" for i in range(scen.rooms)]
            for srv, rooms, cookies in ((floor, floor_rooms, [None]), (app, rooms_app, cookies_app),
                                        (yws, yws_rooms, [None])):
                if srv is None:
                    continue
                run_id += 1
                log(f"{srv.name}: {scen.title}: {args.duration:.0f} s of load")
                try:
                    res = run_latency(srv, scen, rooms, cookies, args, run_id, args.py_spy,
                                      client="yws" if srv is yws else None)
                    lat.append(res)
                    log(f"{srv.name}: p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, delivered "
                        f"{res['delivered_ratio']}, cpu {res['cpu_pct']}%")
                except Exception as exc:  # noqa: BLE001
                    broken.append(f"{srv.name} {scen.key}: {exc}")
                    log(broken[-1])
                if not srv.alive():
                    broken.append(f"{srv.name} died; log:\n{srv.tail_log()}")
                    continue
                waited = srv.wait_idle(args.idle_wait)
                if lat and lat[-1]["server"] == srv.name:
                    lat[-1]["busy_after_s"] = waited
                    # All the work the load caused (backlog included), per edit: steadier than latency when
                    # the server is saturated, since it does not depend on how the queue happened to form.
                    lat[-1]["cpu_s"] = round(srv.cpu_seconds() - lat[-1]["cpu_start_s"], 3)
                    lat[-1]["cpu_ms_per_edit"] = round(1000 * lat[-1]["cpu_s"] / max(1, lat[-1]["sent"]), 3)
                if waited > 1.5:
                    log(f"{srv.name} stayed busy {waited} s after the load stopped (a backlog)")
        tp_rooms = room_pool[next_room: next_room + args.tp_clients]
        for srv, rooms, cookies in ((app, tp_rooms, cookies_app),
                                    (floor if not args.quick else None, [f"floor:tp:{i}" for i in range(4)], [None])):
            if srv is None:
                continue
            run_id += 1
            log(f"{srv.name}: throughput, {args.tp_clients} clients x {args.tp_window} in flight, "
                f"{args.tp_duration:.0f} s")
            try:
                tp = run_throughput(srv, rooms, cookies, args, run_id, args.py_spy)
                tps.append(tp)
                if srv is app:
                    tp_app = tp
                    durable = verify_durable(tmp / "bench.sqlite", setup["documents"], tp, run_id)
            except Exception as exc:  # noqa: BLE001
                broken.append(f"{srv.name} throughput: {exc}")
                log(broken[-1])
    except KeyboardInterrupt:
        broken.append("interrupted")
        log("interrupted: stopping servers and load processes")
    finally:
        for s in servers:
            s.stop()
        for c in _children:
            try:
                if isinstance(c, subprocess.Popen):
                    if c.poll() is None:
                        c.kill()
                        c.wait(5)
                elif c.is_alive():
                    c.terminate()
                    c.join(5)
            except Exception:  # noqa: BLE001, S110
                pass
        if args.keep or broken:
            log(f"kept {tmp} (database and server logs)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    summary, checks = evaluate(lat, join, tp_app, durable)
    summary["ywebsocket_skipped"] = yws_skipped
    for t in tps:
        t.pop("acked_markers", None)
    print_report(lat, tps, join, durable, summary, checks)
    if broken:
        print("RUN PROBLEMS:\n  " + "\n  ".join(b.replace("\n", "\n  ") for b in broken))
    print(f"total {time.monotonic() - started:.1f} s")
    print(json.dumps(summary))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
