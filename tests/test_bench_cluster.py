"""bench/cluster.py (the cluster benchmark the lead runs on a quiet machine) must at least start: its imports, its
options, and its skip when the cluster's services are absent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cluster_bench_help_lists_its_options():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "cluster.py"), "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for option in ("--quick", "--processes", "--converge-processes", "--no-yws", "--pg", "--redis"):
        assert option in out.stdout


def test_cluster_bench_skips_with_a_reason_when_a_service_is_missing():
    # PostgreSQL on a port nothing listens on (or, on a machine without nginx, nginx): skipped, saying why.
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "cluster.py"), "--pg",
                          "postgresql://postgres@127.0.0.1:1"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert out.stdout.startswith("SKIPPED: ")
    assert '"skipped": "' in last and ("PostgreSQL is not reachable" in last or "nginx is not installed" in last)
