"""Sessions of a Work Group, the calendar and .ics feeds. (Stub.)"""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("sessions", __name__)


@bp.get("/calendar")
@login_required
def calendar():
    return ""
