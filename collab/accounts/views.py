"""Sign in and out, invitations, password reset, profile. (Stub: filled in by the accounts work.)"""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("accounts", __name__)


@bp.get("/login")
def login():
    return render_template("accounts/login.html")


@bp.post("/logout")
def logout():
    return ""


@bp.get("/profile")
@login_required
def profile():
    return ""
