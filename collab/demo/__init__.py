"""Demo data for `flask collab demo` (and the tests that look at it): load.py makes the hub, its schools, people and
sessions, then adds each domain's content from the module named after it (plans, observations, discussions,
devplans)."""
