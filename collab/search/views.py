"""The search page: /search?q=, a plain GET form (works without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from collab.search.services import MAX_QUERY, search

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def index():
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    results = search(current_user, query) if query else []
    return render_template("search/index.html", query=query, results=results)
