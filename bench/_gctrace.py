"""Optional GC pause tracing for a server process under the benchmark (floor relay, experiment scripts).

install() hooks gc.callbacks and prints, every `every` seconds, how many collections of each generation ran
and the longest pause of each, e.g. `[gc] 10.0s gen0 812 max 0.3ms gen1 73 max 1.1ms gen2 1 max 58.2ms`.
"""

from __future__ import annotations

import gc
import sys
import time

_start = [0.0]
_stats: dict[int, list] = {}
_last = [0.0]


def _callback(phase: str, info: dict) -> None:
    now = time.perf_counter()
    if phase == "start":
        _start[0] = now
        return
    gen = info.get("generation", -1)
    pause_ms = (now - _start[0]) * 1000
    count_max = _stats.setdefault(gen, [0, 0.0])
    count_max[0] += 1
    count_max[1] = max(count_max[1], pause_ms)


def install(every: float = 5.0, freeze: bool = False) -> None:
    if freeze:
        gc.collect()
        gc.freeze()
    gc.callbacks.append(_callback)
    _last[0] = time.monotonic()

    def report():
        import eventlet

        while True:
            eventlet.sleep(every)
            parts = [f"gen{g} {c} max {m:.1f}ms" for g, (c, m) in sorted(_stats.items())]
            print(f"[gc] {time.monotonic() - _last[0]:.1f}s " + " ".join(parts)
                  + f" (thresholds {gc.get_threshold()}, frozen {gc.get_freeze_count()})", file=sys.stderr, flush=True)
            _stats.clear()
            _last[0] = time.monotonic()

    import eventlet

    eventlet.spawn(report)
