"""The dashboard: my Work Groups, my next sessions, recent activity. (Stub.)"""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    return "dashboard"
