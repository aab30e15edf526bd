"""Flask-Login wiring: how a session cookie turns back into a person."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

from collab.accounts import signins
from collab.accounts.models import User


def init_login_manager(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    # "strong" would sign people out when a school proxy changes their address mid-visit.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The id (from the session or the remember-me cookie) names a sign-in: once it is revoked (signed out,
        password changed, deactivated) or expired, neither cookie signs anyone in (collab.accounts.signins)."""
        user = signins.user_for(user_id)
        if user is None:
            signins.forget_ended()
        return user
