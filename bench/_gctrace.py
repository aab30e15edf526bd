"""Optional GC pause tracing for a server process under the benchmark (floor relay, experiment scripts).

install() hooks gc.callbacks and prints, every `every` seconds, how many collections of each generation ran
the longest pause of each in wall time and in CPU time (wall includes time the OS gave to other processes on a
busy machine), and the CPU time spent collecting.
"""

from __future__ import annotations

import gc
import sys
import time

_start = [0.0, 0.0]
_stats: dict[int, list] = {}
_last = [0.0]


def _callback(phase: str, info: dict) -> None:
    now, cpu = time.perf_counter(), time.thread_time()
    if phase == "start":
        _start[0], _start[1] = now, cpu
        return
    gen = info.get("generation", -1)
    st = _stats.setdefault(gen, [0, 0.0, 0.0, 0.0])
    st[0] += 1
    st[1] = max(st[1], (now - _start[0]) * 1000)  # wall: includes time the OS gave to other processes
    st[2] = max(st[2], (cpu - _start[1]) * 1000)  # this thread's CPU time: the collector's own cost
    st[3] += (cpu - _start[1]) * 1000


def install(every: float = 5.0, freeze: bool = False, threshold: str | None = None) -> None:
    if threshold:
        gc.set_threshold(*(int(x) for x in threshold.split(",")))
    if freeze:
        gc.collect()
        gc.freeze()
    gc.callbacks.append(_callback)
    _last[0] = time.monotonic()

    def report():
        import eventlet

        while True:
            eventlet.sleep(every)
            parts = [f"gen{g} {c} max {w:.1f}ms wall/{m:.1f}ms cpu (total {t:.0f}ms cpu)"
                     for g, (c, w, m, t) in sorted(_stats.items())]
            print(f"[gc] {time.monotonic() - _last[0]:.1f}s " + " ".join(parts)
                  + f" (thresholds {gc.get_threshold()}, frozen {gc.get_freeze_count()})", file=sys.stderr, flush=True)
            _stats.clear()
            _last[0] = time.monotonic()

    import eventlet

    eventlet.spawn(report)
