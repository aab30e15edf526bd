"""Demo data. (Stub: filled in by the foundation work.)"""


def load_demo() -> bool:
    return False
