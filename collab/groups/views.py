"""Work Group pages. (Stub.)"""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.get("/")
@login_required
def index():
    return ""
