"""Socket.IO handlers. (Filled in by the co-planning issue.)"""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
