"""Entry point of a load-generator process (kept tiny so eventlet can patch before anything else loads)."""


def entry(conn, spec: dict) -> None:
    """spec["client"]: "fast" (default) runs the lean asyncio clients of bench/_fastio.py; "threads" runs
    python-socketio's threaded clients; "green" the same clients after eventlet.monkey_patch(), which turns the
    threads into greenlets on one hub (no OS thread per connection, no GIL hand-offs between hundreds of
    threads); "yws" the fast clients' load speaking y-websocket's protocol (bench/_ywsload.py)."""
    client = spec.get("client", "fast")
    if client == "yws":  # the y-websocket reference target (bench/_ywsload.py)
        import _ywsload

        _ywsload.latency_load(conn, spec)
        return
    if client == "green":
        import eventlet

        eventlet.monkey_patch()
    import _load

    if client == "fast":
        {"latency": _load.fast_latency_load, "throughput": _load.fast_throughput_load}[spec["kind"]](conn, spec)
    else:
        {"latency": _load.latency_load, "throughput": _load.throughput_load}[spec["kind"]](conn, spec)
