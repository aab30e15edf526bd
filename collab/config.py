"""Settings. The only module that reads the environment.

Every variable is named COLLAB_*; docs/configuration.md lists them.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"COLLAB_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value else default


def _env_float(name: str, default: float) -> float:
    value = _env(name)
    return float(value) if value else default


def _env_list(name: str) -> list[str] | None:
    value = _env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


HASHING_PARAMETERS = ("time_cost", "memory_cost", "parallelism")


def _env_hashing(name: str) -> dict[str, int]:
    """argon2 parameters written `time_cost=1,memory_cost=1024,parallelism=1` (any of them); empty: none."""
    value, parameters = _env(name) or "", {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        key, _, number = item.partition("=")
        if key.strip() not in HASHING_PARAMETERS or not number.strip().isdigit() or int(number) < 1:
            raise ValueError(f"COLLAB_{name}: {item!r} is not one of {', '.join(HASHING_PARAMETERS)}=<whole number>")
        parameters[key.strip()] = int(number)
    return parameters


def _secret_key() -> str:
    """Use COLLAB_SECRET_KEY, or a key kept in instance/ so sessions survive restarts in development."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_settings() -> dict:
    """Build the settings dict from the environment (called by create_app, never at import time)."""
    debug = _env_bool("DEBUG", False)
    database_url = _env("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'collab.sqlite'}"
    return {
        "SECRET_KEY": _secret_key(),
        "DEBUG": debug,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        # Cookies: HttpOnly and SameSite=Lax always; Secure unless we are in debug on plain http.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SECURE_COOKIES", not debug),
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("SECURE_COOKIES", not debug),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "MAX_CONTENT_LENGTH": _env_int("MAX_UPLOAD_BYTES", 12 * 1024 * 1024),
        "COLLAB_MAX_IMAGE_BYTES": _env_int("MAX_IMAGE_BYTES", 5 * 1024 * 1024),  # an image in a plan
        "COLLAB_MAX_PHOTO_BYTES": _env_int("MAX_PHOTO_BYTES", 10 * 1024 * 1024),  # a photo of pupils' work
        # Other origins allowed to open Socket.IO connections (comma-separated); unset: same origin only.
        "COLLAB_ALLOWED_ORIGINS": _env_list("ALLOWED_ORIGINS"),
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead, so a long visit never loses a form
        "COLLAB_BASE_URL": _env("BASE_URL"),  # unset: links use the address of the request
        # Proxies in front of the app (TLS terminator, load balancer) whose X-Forwarded-For/-Proto to believe: the
        # client address behind them is what the sign-in and write limits count. 0: trust no such header.
        "COLLAB_TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        "COLLAB_ASYNC_MODE": _env("ASYNC_MODE", "threading"),
        "COLLAB_REDIS_URL": _env("REDIS_URL"),
        # Redis pub/sub channels ignore the database number: deployments (or test runs) sharing a Redis
        # need a channel each.
        "COLLAB_REDIS_CHANNEL": _env("REDIS_CHANNEL", "flask-socketio"),
        "COLLAB_UPLOAD_DIR": _env("UPLOAD_DIR", str(INSTANCE_DIR / "uploads")),
        # Where mail goes (collab/mail.py): "smtp", "log" or "memory"; unset: smtp with an SMTP host, else log.
        "COLLAB_MAIL_BACKEND": _env("MAIL_BACKEND"),
        "COLLAB_SMTP_HOST": _env("SMTP_HOST"),
        "COLLAB_SMTP_PORT": _env_int("SMTP_PORT", 587),
        "COLLAB_SMTP_USER": _env("SMTP_USER"),
        "COLLAB_SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "COLLAB_SMTP_TLS": _env_bool("SMTP_TLS", True),
        "COLLAB_MAIL_FROM": _env("MAIL_FROM", "Collab <no-reply@collab.local>"),
        "COLLAB_INVITATION_DAYS": _env_int("INVITATION_DAYS", 14),
        "COLLAB_RESET_HOURS": _env_int("RESET_HOURS", 2),
        "COLLAB_LOGIN_MAX_FAILURES_PER_ACCOUNT": _env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        "COLLAB_LOGIN_MAX_FAILURES_PER_ADDRESS": _env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 20),
        "COLLAB_LOGIN_WINDOW_MINUTES": _env_int("LOGIN_WINDOW_MINUTES", 15),
        # Once an address is over its failure limit, each password tried from it is checked after this pause.
        "COLLAB_LOGIN_ADDRESS_PAUSE_SECONDS": _env_float("LOGIN_ADDRESS_PAUSE_SECONDS", 1.0),
        # Changing requests (POST, PUT, PATCH, DELETE) per person (or address) per minute; 0: no limit. Counted in
        # COLLAB_REDIS_URL's Redis when set (shared by every process), else in the process (collab/web/write_limit.py).
        "COLLAB_MAX_WRITES_PER_MINUTE": _env_int("MAX_WRITES_PER_MINUTE", 120),
        # argon2-cffi's PasswordHasher parameters; empty: its defaults (RFC 9106's low-memory profile). Only for
        # machines where sign-in speed matters more than resisting a stolen database (the test suite, and the
        # servers its browser tests start: each sign-in there rehashed the password with the defaults, ~125 ms).
        "COLLAB_PASSWORD_HASHING": _env_hashing("PASSWORD_HASHING"),
        # Real-time limits (see docs/realtime-protocol.md)
        "COLLAB_MAX_MESSAGE_BYTES": _env_int("MAX_MESSAGE_BYTES", 1024 * 1024),
        # Packets waiting for a connection that does not read before it is closed (it reconnects and resyncs).
        "COLLAB_MAX_QUEUED_PACKETS": _env_int("MAX_QUEUED_PACKETS", 4096),
        # Engine.IO's heartbeat: a ping every interval; a client silent for interval + timeout is gone.
        "COLLAB_PING_INTERVAL_SECONDS": _env_float("PING_INTERVAL_SECONDS", 25.0),
        "COLLAB_PING_TIMEOUT_SECONDS": _env_float("PING_TIMEOUT_SECONDS", 20.0),
        "COLLAB_MAX_UPDATES_PER_SECOND": _env_int("MAX_UPDATES_PER_SECOND", 50),
        # Malformed messages a person may send in 10 s before their updates are refused unread for 10 s; 0: never.
        "COLLAB_MALFORMED_BEFORE_PAUSE": _env_int("MALFORMED_BEFORE_PAUSE", 10),
        "COLLAB_COMPACT_AFTER_UPDATES": _env_int("COMPACT_AFTER_UPDATES", 500),
        # The longest single value (an observation note, a piece of evidence, an attribute) a new update to a
        # shared document may hold; the pages stop typing at the same length (maxlength).
        "COLLAB_MAX_VALUE_CHARS": _env_int("MAX_VALUE_CHARS", 5000),
        # The largest a shared document may grow, in bytes (its encoding plus what was added since): past it an
        # update is refused "document-full". The demo's plans are ~10 KB; 100,000 edits make ~1 MB.
        "COLLAB_MAX_DOCUMENT_BYTES": _env_int("MAX_DOCUMENT_BYTES", 16_000_000),
        # With several processes (COLLAB_REDIS_URL): this long after a join, the joiner is sent what other processes
        # committed since that it was not relayed (an edit relayed while its process had not yet joined the room).
        "COLLAB_JOIN_CATCH_UP_SECONDS": _env_float("JOIN_CATCH_UP_SECONDS", 2.0),
        # How old a connection's edit/read decision may be before an update makes it ask the database again.
        "COLLAB_ACCESS_RECHECK_SECONDS": _env_float("ACCESS_RECHECK_SECONDS", 2.0),
        # How long rows of the access_change log are kept (collab/realtime/access.py): a process silent for half of
        # it asks every decision again; also how far the machines' clocks may disagree.
        "COLLAB_ACCESS_CHANGE_KEEP_MINUTES": _env_float("ACCESS_CHANGE_KEEP_MINUTES", 60.0),
        # How long after a higher id became visible a lower one may still commit (a writing transaction's
        # longest life); a cache refresh keeps re-listing ids that recent (see DocumentStore.refresh).
        "COLLAB_REFRESH_WINDOW_SECONDS": _env_float("REFRESH_WINDOW_SECONDS", 30.0),
        # How long a shared document nobody uses stays cached in a process (a reconnect is then served at once).
        "COLLAB_CACHE_IDLE_SECONDS": _env_float("CACHE_IDLE_SECONDS", 300.0),
        # Operations (docs/deployment.md): "json" for one JSON object a log line, with the request id.
        "COLLAB_LOG_FORMAT": _env("LOG_FORMAT", "text"),
        # On SIGTERM, how long to wait for queued updates to commit and connections to close before exiting.
        "COLLAB_SHUTDOWN_GRACE_SECONDS": _env_float("SHUTDOWN_GRACE_SECONDS", 10.0),
        # /metrics (Prometheus) answers a request straight from this machine, or one bearing this token.
        "COLLAB_METRICS_TOKEN": _env("METRICS_TOKEN"),
        "COLLAB_TIMEZONE": "Europe/London",
        # PORT is the one unprefixed variable: hosting platforms set it.
        "COLLAB_HOST": _env("HOST", "127.0.0.1"),
        "COLLAB_PORT": int(os.environ.get("PORT") or 5000),
    }


def engine_options(database_url: str) -> dict:
    if database_url.startswith("sqlite"):
        # Several greenlets/threads share the file; WAL is switched on at connect (collab/db_setup.py).
        return {"connect_args": {"check_same_thread": False, "timeout": 30}}
    # One eventlet process serves hundreds of connections from one pool. PostgreSQL's max_connections (100 by
    # default) is shared by every process: pool + overflow times the processes must stay below it (the defaults:
    # 10 + 5 = 15, six processes = 90). A request waits at most DB_POOL_TIMEOUT_SECONDS for a connection.
    return {
        "pool_pre_ping": True,
        "pool_size": _env_int("DB_POOL_SIZE", 10),
        "max_overflow": _env_int("DB_MAX_OVERFLOW", 5),
        "pool_timeout": _env_float("DB_POOL_TIMEOUT_SECONDS", 10.0),
    }


def test_database_url() -> str | None:
    """The PostgreSQL (or other) database the suite also runs on, when CI provides one."""
    return os.environ.get("COLLAB_TEST_DATABASE_URL")
