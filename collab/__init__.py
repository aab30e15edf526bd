"""Collab: lesson-study collaboration for Maths Hub Work Groups."""

from __future__ import annotations

from flask import Flask

from collab.config import load_settings


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, socket handlers. Nothing runs at import time."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.from_mapping(load_settings())
    if config:
        app.config.from_mapping(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            from collab.config import engine_options
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"])

    _init_extensions(app)
    _register_blueprints(app)
    _trust_proxies(app)

    from collab import discussions, observations
    discussions.init_app(app)  # its rows go when a visit's records are deleted
    observations.init_app(app)  # its visit rooms hear when a member's role changes

    from collab.web import errors, health, request_log, security, static_files, templating, write_limit
    request_log.init_app(app)  # first: every request, even one refused by a later hook, gets its id
    health.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    write_limit.init_app(app)
    templating.init_app(app)
    static_files.init_app(app)  # bundles gzipped for the browsers that accept it

    from collab.realtime import events as realtime_events
    realtime_events.init_app(app)

    from collab.cli import register_commands
    register_commands(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N proxies, the client's address and scheme are the ones they forwarded: otherwise every request
    would seem to come from the proxy, and one person's failed sign-ins would lock out everyone's."""
    proxies = app.config["COLLAB_TRUSTED_PROXIES"]
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    from collab import models  # noqa: F401  (every model registered before migrate/create_all)
    from collab.db_setup import enable_sqlite_wal
    from collab.extensions import PER_APP_STATE, csrf, db, login_manager, migrate, socketio

    db.init_app(app)
    with app.app_context():
        enable_sqlite_wal(db.engine)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    csrf.init_app(app)

    from collab.accounts.auth import init_login_manager
    init_login_manager(app, login_manager)

    # With Redis: RedisManager, publishing in batches on one connection (collab/realtime/redis_queue.py). Always
    # given, None too: the extension keeps its options from one app (of the test suite) to the next.
    manager = None
    if app.config["COLLAB_REDIS_URL"]:
        from collab.realtime.redis_queue import BatchingRedisManager

        manager = BatchingRedisManager(app.config["COLLAB_REDIS_URL"], channel=app.config["COLLAB_REDIS_CHANNEL"])
    socketio.init_app(
        app,
        async_mode=app.config["COLLAB_ASYNC_MODE"],
        client_manager=manager,
        # Above the message limit, so an oversized update reaches the handler and gets a clear `too-large`.
        max_http_buffer_size=2 * app.config["COLLAB_MAX_MESSAGE_BYTES"] + 64 * 1024,
        ping_interval=app.config["COLLAB_PING_INTERVAL_SECONDS"],
        ping_timeout=app.config["COLLAB_PING_TIMEOUT_SECONDS"],
        cors_allowed_origins=app.config.get("COLLAB_ALLOWED_ORIGINS"),  # None: same origin only
        manage_session=False,  # read the Flask-Login session cookie; never write it from a socket
    )
    # Our own: the document store, connections, access epoch, write limit, sign-in sweeper (collab.extensions).
    for state in PER_APP_STATE:
        state.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from collab.accounts.views import bp as accounts_bp
    from collab.cycles.blueprint import create_blueprint as cycles_blueprint
    from collab.dashboard.views import bp as dashboard_bp
    from collab.devplans.blueprint import create_blueprint as devplans_blueprint
    from collab.discussions.views import bp as discussions_bp
    from collab.groups.admin_views import bp as admin_bp
    from collab.groups.views import bp as groups_bp
    from collab.library.views import bp as library_bp
    from collab.observations.blueprint import create_blueprint as observations_blueprint
    from collab.plans.views import bp as plans_bp
    from collab.reports.views import bp as reports_bp
    from collab.search.views import bp as search_bp
    from collab.sessions.views import bp as sessions_bp
    from collab.web.service_worker import bp as service_worker_bp
    from collab.workspace.views import bp as workspace_bp

    for blueprint in (accounts_bp, dashboard_bp, groups_bp, admin_bp, sessions_bp, plans_bp,
                      discussions_bp, service_worker_bp, workspace_bp, reports_bp, library_bp, search_bp):
        app.register_blueprint(blueprint)
    # Built per app: their route modules are listed in each package's blueprint.py.
    app.register_blueprint(observations_blueprint())
    app.register_blueprint(devplans_blueprint())
    app.register_blueprint(cycles_blueprint())
