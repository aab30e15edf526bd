"""Cluster benchmark: the production shape (`make run-cluster`: N eventlet wsgi.py processes behind nginx hashing
on ?room=, PostgreSQL, Redis) driven through nginx with bench/realtime.py's load, in one run.

    .venv/bin/python bench/cluster.py --quick     # ~4 s of load per measurement, about 3 minutes
    .venv/bin/python bench/cluster.py             # 10 s per measurement

It starts everything itself on free ports and stops it all at the end, also on failure or Ctrl-C: N app
processes (wsgi.py, the environment of deploy/collab.env: PostgreSQL database `collab_bench`, dropped and created
again by this script; Redis on its own db number, flushed, and a channel of this run's own) and an nginx of its
own with deploy/nginx/collab.conf rendered by scripts/render-nginx.sh, as `make run-cluster` does. Then:

1. 1 process, then 2 processes behind nginx: p99 at a fixed load (bench/realtime.py's two scenarios: 30 editors
   in one room, and 500 connections in 50 rooms, 2 edits/s each), deliveries/s at saturation (the 500
   connections in closed loop: each editor keeps one edit in flight and sends the next when it is acknowledged,
   after commit; bench/_clusterload.py), and server CPU per edit.
2. The y-websocket reference (bench/realtime.py's) with the same two scenarios, for the 2-process cluster's
   p99 ÷ y-websocket's.
3. 4 processes, convergence: editors of one document spread over all four (each connects straight to its
   process, as editors do when a failover leaves a document on two), inserting and deleting at random places
   with tests/realtime/client.py's reference client; afterwards every editor, and a fresh joiner on every
   process, must hold the same document, with every acknowledged edit in it.

Skips, with the reason and exit status 0, when nginx, PostgreSQL or Redis is not there. The last line of output
is one JSON object; the exit status is 1 only when the run itself broke. docs/scaling.md uses these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import psutil
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))

import _clusterload  # noqa: E402
import realtime as rt  # noqa: E402

DATABASE = "collab_bench"
# What the app processes' logs say when the cluster's plumbing gives way under load (counted per phase).
LOG_SIGNS = {
    "redis_publish_retry": "Cannot publish to redis... retrying",
    "redis_publish_gave_up": "Cannot publish to redis... giving up",
    "redis_timeout": "redis.exceptions.TimeoutError",
    "redis_pool_full": "redis.exceptions.MaxConnectionsError",
    "rate_limit_without_redis": "the shared rate limit could not reach Redis",
    "db_pool_timeout": "QueuePool limit",
    "event_failed": "ERROR collab.realtime.events",
}
TARGETS = {
    "joined": "every client joined its document (1 and 2 processes, fixed loads)",
    "delivered": "delivered/expected = 1.0 at the fixed loads (1 and 2 processes)",
    "scaling": "2 processes >= 1.7 x 1 process's saturated deliveries/s",
    "p99_2": "2 processes: p99 < 50 ms at the fixed loads",
    "vs_yws": "2 processes: p99 <= 2 x y-websocket's (each scenario)",
    "converged": "4 processes: every editor and joiner holds the same document, every ack in it",
}


def log(msg: str) -> None:
    print(f"[cluster {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------------------------------------- prerequisites

def prerequisites(pg_base: str, redis_url: str) -> tuple[str | None, str]:
    """(nginx binary, "") or (None, why the run is skipped)."""
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if nginx is None:
        return None, "nginx is not installed (bash scripts/install-nginx.sh)"
    if shutil.which("envsubst") is None:
        return None, "envsubst is not installed (apt-get install gettext-base): scripts/render-nginx.sh needs it"
    try:
        import psycopg

        with psycopg.connect(f"{pg_base}/postgres", connect_timeout=3):
            pass
    except Exception as exc:  # noqa: BLE001
        return None, f"PostgreSQL is not reachable at {pg_base} ({type(exc).__name__}: {exc}); " \
                     "apt-get install postgresql (README, Deployment)"
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        return None, f"Redis is not reachable at {redis_url} ({type(exc).__name__}: {exc}); " \
                     "apt-get install redis-server"
    return nginx, ""


def fresh_database(pg_base: str) -> str:
    """Drop and create `collab_bench`; returns the app's database URL."""
    import psycopg

    with psycopg.connect(f"{pg_base}/postgres", autocommit=True) as con:
        con.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (DATABASE,))
        con.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        con.execute(f'CREATE DATABASE "{DATABASE}"')
    return f"{pg_base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{DATABASE}"


# ---------------------------------------------------------------------------------------------- the cluster

def start_nginx(nginx_bin: str, run_dir: Path, port: int, upstream_ports: list[int], ready_path: str) -> rt.Server:
    """An nginx of our own on `port` in front of `upstream_ports`, with deploy/nginx/'s config rendered by
    scripts/render-nginx.sh (as `make run-cluster` does), checked (`nginx -t`) and answering `ready_path`."""
    subprocess.run(["bash", str(ROOT / "scripts" / "render-nginx.sh"), str(run_dir), f"127.0.0.1:{port}",
                    *(str(p) for p in upstream_ports)], check=True, capture_output=True, timeout=30)
    args = [nginx_bin, "-e", str(run_dir / "nginx-error.log"), "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")]
    check = subprocess.run([*args, "-q", "-t"], capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed: {check.stderr[-1000:]}")
    nginx = rt.Server("nginx", args, dict(os.environ), run_dir / "nginx.out", port, ready_path)
    nginx.start()
    nginx.wait_ready(20)
    return nginx


def tree_cpu_seconds(server: rt.Server | None) -> float:
    """CPU seconds of `server`'s process and all its children (nginx's master and workers)."""
    total = 0.0
    try:
        for p in [server.proc, *server.proc.children(recursive=True)] if server and server.proc else []:
            t = p.cpu_times()
            total += t.user + t.system
    except psutil.Error:
        pass
    return total


class Cluster:
    """N app processes and nginx in front; quacks like bench/realtime.py's Server for run_latency."""

    def __init__(self, n: int, env: dict, tmp: Path, nginx: str):
        self.n, self.env, self.nginx_bin = n, env, nginx
        self.dir = tmp / f"cluster{n}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.name = f"{n}proc"
        self.apps: list[rt.Server] = []
        self.nginx: rt.Server | None = None
        self.port = rt.free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        for i in range(self.n):
            port = rt.free_port()
            srv = rt.Server(f"app{i + 1}", [rt.PY, str(ROOT / "wsgi.py")], {**self.env, "PORT": str(port)},
                            self.dir / f"app-{port}.log", port, "/healthz")
            srv.start()
            self.apps.append(srv)
        for srv in self.apps:
            srv.wait_ready(60)
        self.nginx = start_nginx(self.nginx_bin, self.dir, self.port, [s.port for s in self.apps], "/healthz")

    # -- what run_latency and wait_idle need --
    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds() for s in self.apps)

    def nginx_cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.nginx)

    def begin_peak(self) -> None:
        for s in self.apps:
            s.begin_peak()

    def end_peak(self) -> int:
        return sum(s.end_peak() for s in self.apps)

    def alive(self) -> bool:
        return all(s.alive() for s in self.apps) and self.nginx is not None and self.nginx.alive()

    def wait_idle(self, max_s: float, busy_below: float = 0.05, window: float = 0.5) -> float:
        return rt.Server.wait_idle(self, max_s, busy_below, window)  # type: ignore[arg-type]

    def tail_log(self) -> str:
        return "\n".join(f"--- {s.name}:\n{s.tail_log(10)}" for s in self.apps)

    def log_signs(self) -> dict:
        """How often each of LOG_SIGNS appears in the app processes' logs (only those that did)."""
        text = "".join(s.log_path.read_text(errors="replace") for s in self.apps if s.log_path.exists())
        return {k: text.count(v) for k, v in LOG_SIGNS.items() if v in text}

    def process_of(self, room: str) -> int:
        """The pid of the process nginx routes this room's connections to (/healthz answers its pid)."""
        return requests.get(f"{self.url}/healthz", params={"room": room}, timeout=10).json()["pid"]

    def stop(self) -> None:
        for s in ([self.nginx] if self.nginx else []) + self.apps:
            try:
                s.stop()
            except Exception as exc:  # noqa: BLE001
                log(f"stopping {s.name}: {exc}")


class FrontedReference:
    """The y-websocket reference behind an nginx of its own with the same config (deploy/nginx/collab.conf, one
    upstream): how much of our p99 the nginx hop alone accounts for. Quacks like rt.Server for run_latency."""

    def __init__(self, yws: rt.Server, tmp: Path, nginx: str):
        self.yws, self.nginx_bin = yws, nginx
        self.dir = tmp / "yws-nginx"
        self.name = "yws+nginx"
        self.port = rt.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.nginx: rt.Server | None = None

    def start(self) -> None:
        self.nginx = start_nginx(self.nginx_bin, self.dir, self.port, [self.yws.port], "/health")

    def nginx_cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.nginx)

    def __getattr__(self, name: str):  # CPU, memory, idleness: the y-websocket server's own
        return getattr(self.yws, name)

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()


# ---------------------------------------------------------------------------------------------- measurements

def run_fixed(target, scen: rt.Scenario, rooms: list[str], cookies: list, args, run_id: int) -> dict:
    """bench/realtime.py's scenario run against `target` (a Cluster or the y-websocket Server)."""
    ns = SimpleNamespace(procs=2, duration=args.duration, drain=args.drain, client="fast")
    fronted = isinstance(target, Cluster | FrontedReference)
    nginx0 = target.nginx_cpu_seconds() if fronted else 0.0
    res = rt.run_latency(target, scen, rooms, cookies, ns, run_id, None,
                         client="yws" if not isinstance(target, Cluster) else None)
    res["busy_after_s"] = target.wait_idle(args.idle_wait)
    res["cpu_s"] = round(target.cpu_seconds() - res["cpu_start_s"], 3)
    res["cpu_ms_per_edit"] = round(1000 * res["cpu_s"] / max(1, res["sent"]), 3)
    if fronted:
        res["nginx_cpu_ms_per_edit"] = round(1000 * (target.nginx_cpu_seconds() - nginx0) / max(1, res["sent"]), 3)
    return res


def run_reference(target, label: str, args, run_id: int, broken: list[str]) -> tuple[dict, int]:
    """bench/realtime.py's scenarios against a y-websocket target (its rooms need no seeding, nor cookies): the
    rows by scenario, and the last run id used. A scenario that fails is noted in `broken`."""
    rows: dict = {}
    for scen in rt.SCENARIOS:
        if args.scenario and scen.key not in args.scenario:
            continue
        run_id += 1
        log(f"{label}: {scen.title}: {args.duration:.0f} s")
        try:
            rooms = [f"{label.replace(' ', '-')}:{scen.key}:{i}" for i in range(scen.rooms)]
            rows[scen.key] = run_fixed(target, scen, rooms, [None], args, run_id)
        except Exception as exc:  # noqa: BLE001
            broken.append(f"{label} {scen.key}: {exc}")
            log(broken[-1])
    return rows, run_id


def run_saturation(cluster: Cluster, rooms: list[str], cookies: list, args, run_id: int) -> dict:
    clients = [(20000 + i, rooms[i % len(rooms)], cookies[i % len(cookies)], True) for i in range(10 * len(rooms))]
    procs = 2
    specs = [{"url": cluster.url, "run_id": run_id, "duration": args.sat_duration, "warmup": 1.0,
              "window": args.sat_window, "drain": 1.0, "clients": clients[i::procs]} for i in range(procs)]
    cluster.begin_peak()
    runs = rt._spawn(_clusterload.entry, specs)
    try:
        ready = rt._collect(runs, 90, "ready")
        connected = sum(r["connected"] for r in ready)
        time.sleep(0.3)
        t0 = time.monotonic() + 0.3
        for _, conn in runs:
            conn.send(("go", t0))
        time.sleep(max(0.0, t0 + 1.0 - time.monotonic()))  # the warm-up second
        cpu0, nginx0 = cluster.cpu_seconds(), cluster.nginx_cpu_seconds()
        per0 = [s.cpu_seconds() for s in cluster.apps]
        metrics0 = [_metrics(s) for s in cluster.apps]
        time.sleep(args.sat_duration)
        metrics1 = [_metrics(s) for s in cluster.apps]
        cpu = cluster.cpu_seconds() - cpu0
        nginx_cpu = cluster.nginx_cpu_seconds() - nginx0
        per = [round(100 * (s.cpu_seconds() - c) / args.sat_duration, 1) for s, c in zip(cluster.apps, per0,
                                                                                         strict=True)]
        machine = psutil.cpu_percent(interval=None)
        results = rt._collect(runs, args.sat_duration + 60, "result")
        peak = cluster.end_peak()
    finally:
        rt._finish(runs)
    cluster.wait_idle(args.idle_wait)
    acked = sum(r["acked_in_window"] for r in results)
    delivered = sum(r["delivered_in_window"] for r in results)
    lat = sorted(x / 1000.0 for r in results for x in r["latencies_us"])
    errors: Counter = Counter()
    for r in results:
        errors.update(r["ack_errors"])
    return {
        "clients": len(clients), "connected": connected, "window": args.sat_window,
        "deliveries_per_s": round(delivered / args.sat_duration, 1),
        "acked_edits_per_s": round(acked / args.sat_duration, 1),
        "p50_ms": rt._r(rt.percentile(lat, 0.5)), "p99_ms": rt._r(rt.percentile(lat, 0.99)),
        "cpu_pct_per_process": per, "cpu_ms_per_edit": round(1000 * cpu / acked, 3) if acked else None,
        "nginx_cpu_pct": round(100 * nginx_cpu / args.sat_duration, 1),
        "loadgen_cpu_pct": round(100 * sum(r["cpu"] for r in results), 1), "machine_busy_pct": machine,
        "peak_rss_mb": round(peak / 2**20, 1), "ack_errors": dict(errors),
        "duplicates": sum(r["duplicates"] for r in results),
        "first_refusal": min((r["first_refusal"] for r in results if r["first_refusal"]), default=None),
        "inside": [_inside(before, after) for before, after in zip(metrics0, metrics1, strict=True)],
    }


# Where an acknowledged edit's time goes inside each process, from its /metrics (collab.realtime.metrics): the
# sums and counts of these histograms over the measured window.
_TIMINGS = ("collab_commit_seconds", "collab_commit_batch_size", "collab_update_ack_seconds")


def _metrics(server) -> dict[str, float]:
    """The _sum and _count of each of _TIMINGS in `server`'s /metrics (asked straight, from loopback)."""
    try:
        text = requests.get(f"http://127.0.0.1:{server.port}/metrics", timeout=5).text
    except requests.RequestException:
        return {}
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name.endswith(("_sum", "_count")) and name.rsplit("_", 1)[0] in _TIMINGS:
            values[name] = float(value)
    return values


def _inside(before: dict[str, float], after: dict[str, float]) -> dict[str, float | None]:
    """Per process over the window: mean commit time (ms), mean batch (updates), mean time to ack (ms)."""
    def mean(name: str, scale: float) -> float | None:
        count = after.get(f"{name}_count", 0.0) - before.get(f"{name}_count", 0.0)
        total = after.get(f"{name}_sum", 0.0) - before.get(f"{name}_sum", 0.0)
        return round(scale * total / count, 2) if count > 0 else None

    return {"commit_ms": mean("collab_commit_seconds", 1000), "batch": mean("collab_commit_batch_size", 1),
            "ack_ms": mean("collab_update_ack_seconds", 1000)}


def run_convergence(cluster: Cluster, room: str, emails: list[str], password: str, per_process: int,
                    seconds: float, rate: float) -> dict:
    """Editors of one document on every process of the cluster; afterwards all must hold the same document."""
    from pycrdt import Map, Text

    from tests.realtime.client import RealtimeClient

    clients: list[RealtimeClient] = []
    problems: list[str] = []
    for i, srv in enumerate(cluster.apps):
        for j in range(per_process):
            c = RealtimeClient(srv.url, room)
            if not c.sign_in(emails[(i * per_process + j) % len(emails)], password):
                raise RuntimeError(f"sign-in on {srv.name} failed")
            c.connect()
            ack = c.join()
            if not (isinstance(ack, dict) and ack.get("ok")):
                raise RuntimeError(f"join on {srv.name} refused: {ack!r}")
            clients.append(c)
    acked_keys: set[str] = set()
    errors: Counter = Counter()
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def edit_loop(k: int, c: RealtimeClient) -> None:
        rng = random.Random(k)
        seq = 0
        keys: dict[int, str] = {}
        while time.monotonic() < end:
            seq += 1
            key = f"e{k}-{seq}"
            delete = seq % 5 == 0

            def change(doc, key=key, delete=delete):
                text = doc.get("text", type=Text)
                n = len(text)
                if delete and n > 4:
                    at = rng.randrange(n - 2)
                    del text[at:at + 2]
                else:
                    text.insert(rng.randint(0, n), f"<{key}>")
                doc.get("acked", type=Map)[key] = True

            s, update = c.replica.edit(change)
            keys[s] = key
            try:
                ack = c.send(s, update)
            except Exception as exc:  # noqa: BLE001
                ack = {"error": type(exc).__name__}
            with lock:
                if isinstance(ack, dict) and ack.get("ok"):
                    acked_keys.add(key)
                else:
                    errors[str(ack.get("error") if isinstance(ack, dict) else ack)] += 1
            time.sleep(rng.uniform(0.5, 1.5) / rate)
        # What was refused (e.g. out-of-sync while another process's edit was on its way): sent again, as a
        # client does after answering the server's step 1.
        for s, update in sorted(c.replica.unacked.items()):
            ack = c.send(s, update)
            with lock:
                if isinstance(ack, dict) and ack.get("ok"):
                    acked_keys.add(keys[s])
                else:
                    errors[f"resend:{ack.get('error') if isinstance(ack, dict) else ack}"] += 1

    threads = [threading.Thread(target=edit_loop, args=(k, c), daemon=True) for k, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    # Let the last edits cross the processes, then compare.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len({c.replica.text_now() for c in clients}) > 1:
        time.sleep(0.2)
    texts = [c.replica.text_now() for c in clients]
    joiners = []
    for srv in cluster.apps:
        j = RealtimeClient(srv.url, room)
        j.sign_in(emails[0], password)
        j.connect()
        j.join()
        joiners.append(j)
    time.sleep(1.0)  # the join's step 2
    joined_texts = [j.replica.text_now() for j in joiners]
    with joiners[0].replica.lock:
        final_keys = set(joiners[0].replica.doc.get("acked", type=Map).keys())
    missing = acked_keys - final_keys
    distinct = len(set(texts + joined_texts))
    if distinct != 1:
        problems.append(f"{distinct} different texts among {len(texts)} editors and {len(joiners)} joiners")
    if missing:
        problems.append(f"{len(missing)} acknowledged edits missing, e.g. {sorted(missing)[:3]}")
    for c in clients + joiners:
        c.disconnect()
    return {"processes": cluster.n, "editors": len(clients), "edits_acked": len(acked_keys),
            "errors": dict(errors), "text_chars": len(texts[0]) if texts else 0, "distinct_states": distinct,
            "acked_missing": len(missing), "converged": not problems, "problems": problems}


# ---------------------------------------------------------------------------------------------- report

def fmt(x) -> str:
    return "-" if x is None else str(x)


def print_report(phases: dict, yws: dict, conv: dict | None, summary: dict, checks: list,
                 yws_nginx: dict | None = None) -> None:
    print()
    print("Fixed load through nginx: edit-to-peer latency (ms), delivery, CPU (all app processes; nginx apart)")
    head = (f"{'target':<9} {'scenario':<11} {'conn':>5} {'sent':>6} {'p50':>7} {'p99':>7} {'max':>8} "
            f"{'delivered':>15} {'ms/ed':>6} {'nginx':>6} {'rssMB':>6} {'box%':>5}")
    print(head)
    print("-" * len(head))
    rows = ([(f"{n}proc", r) for n, ph in phases.items() for r in ph["fixed"]] + [("yws", r) for r in yws.values()]
            + [("yws+nginx", r) for r in (yws_nginx or {}).values()])
    for name, r in rows:
        print(f"{name:<9} {r['scenario']:<11} {r['connected']:>5} {r['sent']:>6} {fmt(r['p50_ms']):>7} "
              f"{fmt(r['p99_ms']):>7} {fmt(r['max_ms']):>8} {str(r['delivered']) + '/' + str(r['expected']):>15} "
              f"{fmt(r.get('cpu_ms_per_edit')):>6} {fmt(r.get('nginx_cpu_ms_per_edit')):>6} "
              f"{r['peak_rss_mb']:>6} {r['machine_busy_pct']:>5}")
    print("ms/ed: server CPU ms per edit (all app processes, the load and any backlog after it); nginx: nginx's.")
    if yws_nginx:
        print("yws: the y-websocket reference on its own (what the target compares with); yws+nginx: the same "
              "behind nginx with our config (the hop alone).")
    print()
    if not any(ph["saturation"] for ph in phases.values()):
        head = ""
    else:
        print("Saturation through nginx (500 connections, 10 per room, each editor one edit in flight)")
        head = (f"{'target':<8} {'deliv/s':>9} {'edits/s':>8} {'p50':>8} {'p99':>8} {'ms/ed':>6} "
                f"{'cpu% per proc':>16} {'nginx%':>6} {'gen%':>5} {'box%':>5}  rooms per process")
        print(head)
        print("-" * len(head))
    for n, ph in phases.items():
        s = ph["saturation"]
        if s is None:
            continue
        print(f"{str(n) + 'proc':<8} {s['deliveries_per_s']:>9} {s['acked_edits_per_s']:>8} {fmt(s['p50_ms']):>8} "
              f"{fmt(s['p99_ms']):>8} {fmt(s['cpu_ms_per_edit']):>6} {str(s['cpu_pct_per_process']):>16} "
              f"{s['nginx_cpu_pct']:>6} {s['loadgen_cpu_pct']:>5} {s['machine_busy_pct']:>5}  "
              f"{ph['rooms_per_process']}")
        inside = "; ".join(f"commit {fmt(i['commit_ms'])} ms, batch {fmt(i['batch'])}, ack {fmt(i['ack_ms'])} ms"
                           for i in s.get("inside", []))
        print(f"{'':<8} inside each process (means): {inside}")
        if s["ack_errors"]:
            print(f"{'':<8} refusals {s['ack_errors']} (each sent again after 50 ms); first: {s['first_refusal']}")
    for n, ph in phases.items():
        if ph.get("log_signs"):
            print(f"{n}proc: app logs: {ph['log_signs']}")
    if any(ph.get("log_signs") for ph in phases.values()):
        print()
    if conv:
        print(f"Convergence, {conv['processes']} processes: {conv['editors']} editors of one document, "
              f"{conv['edits_acked']} edits acknowledged, {conv['text_chars']} characters; distinct states "
              f"{conv['distinct_states']}; acknowledged edits missing {conv['acked_missing']}; refusals "
              f"{conv['errors'] or 'none'}" + (f"; PROBLEMS: {conv['problems']}" if conv["problems"] else ""))
        print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else ('FAIL' if ok is False else 'N/A '):<5} {TARGETS[name]:<62} {detail}")
    print()


def evaluate(phases: dict, yws: dict, conv: dict | None, yws_nginx: dict | None = None) -> tuple[dict, list]:
    summary: dict = {"skipped": None}
    for n, ph in phases.items():
        sat = ph["saturation"] or {}
        fixed = {r["scenario"]: r for r in ph["fixed"]}
        summary[f"p{n}_deliveries_per_s"] = sat.get("deliveries_per_s")
        summary[f"p{n}_saturation_cpu_ms_per_edit"] = sat.get("cpu_ms_per_edit")
        summary[f"p{n}_p99_ms"] = {k: r["p99_ms"] for k, r in fixed.items()}
        summary[f"p{n}_cpu_ms_per_edit"] = {k: r["cpu_ms_per_edit"] for k, r in fixed.items()}
        summary[f"p{n}_delivered_ratio"] = min((r["delivered_ratio"] or 0.0 for r in fixed.values()), default=None)
        summary[f"p{n}_log_signs"] = ph.get("log_signs", {})
    summary["ywebsocket_p99_ms"] = {k: r["p99_ms"] for k, r in yws.items()}
    d1, d2 = summary.get("p1_deliveries_per_s"), summary.get("p2_deliveries_per_s")
    summary["scaling_2_vs_1"] = round(d2 / d1, 2) if d1 and d2 else None
    p2 = summary.get("p2_p99_ms") or {}
    summary["ywebsocket_nginx_p99_ms"] = {k: r["p99_ms"] for k, r in (yws_nginx or {}).items()}
    for reference in ("ywebsocket", "ywebsocket_nginx"):
        summary[f"p2_vs_{reference}_p99"] = {k: round(p2[k] / y, 2)
                                             for k, y in summary[f"{reference}_p99_ms"].items()
                                             if p2.get(k) is not None and y}
    summary["converged_4"] = conv["converged"] if conv else None
    summary["convergence"] = conv
    checks = []
    short = {f"{n}proc {r['scenario']}": f"{r['connected']}/{r['clients']}" for n, ph in phases.items()
             for r in ph["fixed"] if r["connected"] < r["clients"]}
    summary["not_joined"] = short
    checks.append(("joined", not short if phases else None, ", ".join(f"{k} joined {v}" for k, v in short.items())))
    ratios = {n: summary[f"p{n}_delivered_ratio"] for n in phases if summary[f"p{n}_delivered_ratio"] is not None}
    checks.append(("delivered", all(v == 1.0 for v in ratios.values()) if ratios else None, str(ratios)))
    s = summary["scaling_2_vs_1"]
    checks.append(("scaling", None if s is None else s >= 1.7, f"{d2} vs {d1} deliveries/s ({s}x)"))
    checks.append(("p99_2", all(v is not None and v < 50 for v in p2.values()) if p2 else None, str(p2)))
    vs = summary["p2_vs_ywebsocket_p99"]
    checks.append(("vs_yws", all(v <= 2 for v in vs.values()) if vs else None, str(vs)))
    checks.append(("converged", summary["converged_4"], "; ".join(conv["problems"]) if conv else ""))
    return summary, checks


# ---------------------------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description="Collab cluster benchmark: 1 vs 2 processes behind nginx on "
                                     "PostgreSQL and Redis, the y-websocket reference, and a 4-process "
                                     "convergence check.")
    parser.add_argument("--quick", action="store_true", help="short measurements (~4 s each)")
    parser.add_argument("--duration", type=float, help="seconds of fixed load per scenario (default 10, quick 4)")
    parser.add_argument("--sat-duration", type=float, help="seconds of saturation measured (default 10, quick 4)")
    parser.add_argument("--sat-window", type=int, default=1, help="edits in flight per editor at saturation")
    parser.add_argument("--processes", type=int, action="append", help="cluster sizes to measure (default 1 and 2)")
    parser.add_argument("--converge-processes", type=int, default=4, help="processes of the convergence check "
                        "(0: skip it)")
    parser.add_argument("--converge-seconds", type=float, help="seconds of editing (default 8, quick 4)")
    parser.add_argument("--no-yws", action="store_true", help="skip the y-websocket reference")
    parser.add_argument("--no-yws-nginx", action="store_true",
                        help="skip the y-websocket reference behind nginx (the hop alone)")
    parser.add_argument("--scenario", choices=[s.key for s in rt.SCENARIOS], action="append",
                        help="only this fixed-load scenario (repeatable)")
    parser.add_argument("--no-saturation", action="store_true", help="skip the saturation test")
    parser.add_argument("--users", type=int, default=100,
                        help="people the connections belong to (default 100: 5 connections each, as 10 editors of "
                             "a document are 10 people; with 4, as bench/realtime.py, 125 connections of one person "
                             "got hundreds of rate-limited refusals at saturation, docs/scaling.md)")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (the database collab_bench is dropped and created on it)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14",
                        help="Redis URL; its db number is flushed (default 14, apart from the app's 0)")
    parser.add_argument("--without-redis", action="store_true", help="processes without COLLAB_REDIS_URL (only "
                        "meaningful with --processes 1 --converge-processes 0: what Redis costs one process)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, nginx config)")
    args = parser.parse_args()
    args.duration = args.duration or (4.0 if args.quick else 10.0)
    args.sat_duration = args.sat_duration or (4.0 if args.quick else 10.0)
    args.converge_seconds = args.converge_seconds or (4.0 if args.quick else 8.0)
    args.drain = 2.0 if args.quick else 3.0  # deliveries later than this are not counted
    args.idle_wait = 4.0 if args.quick else 15.0
    sizes = args.processes or [1, 2]

    nginx, why = prerequisites(args.pg, args.redis)
    if nginx is None:
        print(f"SKIPPED: {why}")
        print(json.dumps({"skipped": why}))
        return 0

    started = time.monotonic()
    log(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
        f"CPU busy {psutil.cpu_percent(interval=0.5):.0f}% before starting")
    tmp = Path(tempfile.mkdtemp(prefix="collab-cluster-"))
    broken: list[str] = []
    phases: dict = {}
    yws_rows: dict = {}
    yws_nginx_rows: dict = {}
    conv = None
    running: list = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        database_url = fresh_database(args.pg)
        env = rt.app_env(tmp, 0, [])
        env.update({"COLLAB_DATABASE_URL": database_url, "COLLAB_REDIS_URL": args.redis,
                    "COLLAB_REDIS_CHANNEL": f"collab-bench-{uuid.uuid4().hex[:12]}", "COLLAB_TRUSTED_PROXIES": "1"})
        if args.without_redis:
            env.pop("COLLAB_REDIS_URL")
        log(f"seeding {DATABASE} (users, Work Group, plans)")
        rooms_per_phase = 1 + 50
        setup = rt.seed_app(env, rooms_per_phase * len(sizes) + 1, args.users, 400)
        pool = list(setup["rooms"])
        run_id = int(time.time()) % 100000
        for n in sizes:
            rooms, pool = pool[:rooms_per_phase], pool[rooms_per_phase:]
            # Each phase signs the same 100 people in from one address: the previous phase's sign-ins still count
            # against the shared write limit (120 a minute) in Redis, and the second phase got HTTP 429.
            redis.Redis.from_url(args.redis).flushdb()
            cluster = Cluster(n, env, tmp, nginx)
            running.append(cluster)
            log(f"starting {n} process(es) behind nginx")
            cluster.start()
            t = time.monotonic()
            cookies = [rt.login(cluster.url, e, setup["password"]) for e in setup["emails"]]
            log(f"signed in {len(cookies)} people through nginx in {time.monotonic() - t:.1f} s")
            pids = Counter(cluster.process_of(r) for r in rooms[1:])
            phase = {"fixed": [], "saturation": None, "rooms_per_process": sorted(pids.values(), reverse=True)}
            phases[n] = phase
            offset = 0
            for scen in rt.SCENARIOS:
                if args.scenario and scen.key not in args.scenario:
                    offset += scen.rooms
                    continue
                run_id += 1
                log(f"{n}proc: {scen.title}: {args.duration:.0f} s")
                try:
                    res = run_fixed(cluster, scen, rooms[offset:offset + scen.rooms], cookies, args, run_id)
                    phase["fixed"].append(res)
                    log(f"{n}proc: p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, delivered "
                        f"{res['delivered_ratio']}, {res['cpu_ms_per_edit']} ms CPU per edit")
                except Exception as exc:  # noqa: BLE001
                    broken.append(f"{n}proc {scen.key}: {exc}")
                    log(broken[-1])
                offset += scen.rooms
            run_id += 1
            try:
                if not args.no_saturation:
                    log(f"{n}proc: saturation, 500 connections, {args.sat_duration:.0f} s")
                    phase["saturation"] = run_saturation(cluster, rooms[1:], cookies, args, run_id)
                    log(f"{n}proc: {phase['saturation']['deliveries_per_s']} deliveries/s")
            except Exception as exc:  # noqa: BLE001
                broken.append(f"{n}proc saturation: {exc}")
                log(broken[-1])
            if not cluster.alive():
                broken.append(f"{n}proc: a process died;\n{cluster.tail_log()}")
            cluster.stop()
            phase["log_signs"] = cluster.log_signs()
            running.remove(cluster)
        if not args.no_yws:
            yws, skipped = rt.ywebsocket_server(tmp)
            if yws is None:
                log(f"y-websocket reference skipped: {skipped}")
            else:
                running.append(yws)
                yws.start()
                yws.wait_ready()
                yws_rows, run_id = run_reference(yws, "yws", args, run_id, broken)
                if not args.no_yws_nginx:
                    fronted = FrontedReference(yws, tmp, nginx)
                    running.append(fronted)
                    fronted.start()
                    yws_nginx_rows, run_id = run_reference(fronted, "yws behind nginx", args, run_id, broken)
                    fronted.stop()
                    running.remove(fronted)
                yws.stop()
                running.remove(yws)
        if args.converge_processes:
            cluster = Cluster(args.converge_processes, env, tmp, nginx)
            running.append(cluster)
            log(f"convergence: {args.converge_processes} processes, 3 editors on each, one document, "
                f"{args.converge_seconds:.0f} s")
            cluster.start()
            try:
                conv = run_convergence(cluster, pool[0], setup["emails"], setup["password"], 3,
                                       args.converge_seconds, 5.0)
            except Exception as exc:  # noqa: BLE001
                broken.append(f"convergence: {type(exc).__name__}: {exc}")
                log(broken[-1])
            cluster.stop()
            if conv is not None:
                conv["log_signs"] = cluster.log_signs()
            running.remove(cluster)
    except KeyboardInterrupt:
        broken.append("interrupted")
        log("interrupted: stopping nginx, the servers and the load processes")
    except Exception as exc:  # noqa: BLE001
        broken.append(f"{type(exc).__name__}: {exc}")
        log(broken[-1])
    finally:
        for thing in running:
            thing.stop()
        for c in rt._children:
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
            log(f"kept {tmp} (server and nginx logs)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for ph in phases.values():
        for r in ph["fixed"]:
            r.pop("cpu_start_s", None)
    summary, checks = evaluate(phases, yws_rows, conv, yws_nginx_rows)
    print_report(phases, yws_rows, conv, summary, checks, yws_nginx_rows)
    if broken:
        print("RUN PROBLEMS:\n  " + "\n  ".join(b.replace("\n", "\n  ") for b in broken))
    print(f"total {time.monotonic() - started:.1f} s")
    print(json.dumps(summary))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
