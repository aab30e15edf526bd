"""Error pages that say what went wrong in plain words."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("That request didn't make sense", "Something in the request was missing or malformed. Nothing was changed."),
    403: ("You can't do that here", "Your role in this Work Group doesn't allow this. Ask the Work Group lead."),
    404: ("Page not found", "It may have been moved or deleted, or you may not have access to it."),
    405: ("That didn't work", "This page can't be used that way."),
    413: ("That file is too large", "Please choose a smaller file and try again. Nothing was saved."),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Please try again in a moment."),
}


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=title, detail=detail or message), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def _own_description(error) -> str | None:
    """A message we wrote (abort(403, "...")); werkzeug's stock wording is replaced by ours."""
    description = getattr(error, "description", None)
    if description and description != getattr(type(error), "description", None):
        return description
    return None


def init_app(app: Flask) -> None:
    from collab.web import lookups

    lookups.init_app(app)  # an id no row can have is 404, not a database error
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render_error(code, _own_description(e)))

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return render_error(400, "This form had expired or came from somewhere else. "
                            "Please go back, reload the page and try again. Nothing was changed.")
