"""Flask-Login wiring: how a session cookie turns back into a person."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager

from collab.accounts.models import User
from collab.extensions import db


def init_login_manager(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    # "strong" would sign people out when a school proxy changes their address mid-visit.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The id carries the session token, so changing the token signs out every device."""
        raw_id, _, token = user_id.partition(":")
        if not raw_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(raw_id))
        if user is None or user.session_token != token or not user.active:
            return None
        return user
