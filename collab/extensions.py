"""Flask extensions, and our own per-app state, created unbound here and bound to the app in create_app()."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

if TYPE_CHECKING:
    from collab.accounts.revocation import Sweeper
    from collab.realtime.access import AccessEpoch
    from collab.realtime.connections import ConnectionRegistry
    from collab.realtime.store import DocumentStore

T = TypeVar("T")

# Named constraints keep Alembic migrations stable across SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
socketio = SocketIO()
csrf = CSRFProtect()


# --- our own per-app state ----------------------------------------------------------------------------------

class AppState(Generic[T]):
    """Something each app keeps for itself (a cache, a registry, limits), bound like the extensions above: the
    object here is unbound, and `init_app(app)` makes the app's own from its settings, in `app.extensions[name]`.
    Called again, it replaces it: the test suite does that before each test (tests/conftest.py)."""

    def __init__(self, name: str, make: Callable[[Flask], T]) -> None:
        self.name = name
        self._make = make

    def init_app(self, app: Flask) -> None:
        app.extensions[self.name] = self._make(app)

    def get(self, app: Flask | None = None) -> T:
        """The app's own (the current app's when none is given)."""
        return (app if app is not None else current_app).extensions[self.name]


# Each maker imports its class when called: those modules import this one (for `db`, `socketio`).

def _access_epoch(app: Flask) -> AccessEpoch:
    from collab.realtime.access import AccessEpoch

    return AccessEpoch()


def _connections(app: Flask) -> ConnectionRegistry:
    from collab.realtime.connections import ConnectionRegistry
    from collab.realtime.user_limits import PersonLimits

    config = app.config
    # The rate is read as each person's limit is made, so a change of the setting counts from the next connection.
    return ConnectionRegistry(PersonLimits(lambda: float(config["COLLAB_MAX_UPDATES_PER_SECOND"]),
                                           config.get("COLLAB_REDIS_URL"),
                                           int(config.get("COLLAB_MALFORMED_BEFORE_PAUSE", 10))))


def _document_store(app: Flask) -> DocumentStore:
    from collab.maths.schema import check_attribute
    from collab.realtime.store import DocumentStore

    return DocumentStore(app.config["COLLAB_COMPACT_AFTER_UPDATES"],
                         float(app.config.get("COLLAB_REFRESH_WINDOW_SECONDS", 30)),
                         float(app.config.get("COLLAB_CACHE_IDLE_SECONDS", 300)),
                         max_value_chars=int(app.config["COLLAB_MAX_VALUE_CHARS"]),
                         max_document_bytes=int(app.config["COLLAB_MAX_DOCUMENT_BYTES"]),
                         attribute_check=check_attribute)


def _write_limit(app: Flask) -> Limiter:
    from collab.web.write_limit import limiter_for

    return limiter_for(app)


def _sign_in_sweeper(app: Flask) -> Sweeper:
    from collab.accounts.revocation import Sweeper

    return Sweeper(app, connection_registry.get(app))


access_epoch: AppState[AccessEpoch] = AppState("collab_access_epoch", _access_epoch)  # collab.realtime.access
connection_registry: AppState[ConnectionRegistry] = AppState("collab_connections", _connections)  # ...connections
document_store: AppState[DocumentStore] = AppState("collab_document_store", _document_store)  # ...realtime.store
write_limiter: AppState[Limiter] = AppState("collab_write_limit", _write_limit)  # collab.web.write_limit
sign_in_sweeper: AppState[Sweeper] = AppState("collab_revocation_sweeper", _sign_in_sweeper)  # ...revocation

# In the order create_app binds them (the sweeper sweeps the app's connections).
PER_APP_STATE: tuple[AppState, ...] = (access_epoch, connection_registry, document_store, write_limiter,
                                       sign_in_sweeper)
