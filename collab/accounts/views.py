"""Sign in and out, invitations, password reset and the profile page."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from collab.accounts import ratelimit, services, signins
from collab.accounts.forms import AcceptForm, ForgotForm, JoinForm, LoginForm, NameForm, PasswordChangeForm, ResetForm
from collab.accounts.models import User
from collab.accounts.passwords import MIN_LENGTH
from collab.accounts.services import LinkNoLongerValid, LinkState
from collab.extensions import db
from collab.groups.models import Role

bp = Blueprint("accounts", __name__)

GENERIC_FAILURE = "Email or password is not right"


def _lockout_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins. Please wait {minutes} {unit} or reset your password."


def safe_next(target: str | None) -> str | None:
    """A same-site relative path, or None. Refuses //host, /\\host, schemes and control characters."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _start_session(user: User, remember: bool = False) -> None:
    """A brand-new session for this person, so nothing set before sign-in (a planted id) survives. A sign-in this
    browser had before ends: one browser, one sign-in."""
    previous = current_user.sign_in_token if current_user.is_authenticated else None
    session.clear()
    signins.start(user)
    signins.end(previous)
    login_user(user, remember=remember)


def _status(state: LinkState) -> int:
    return 404 if state is LinkState.UNKNOWN else 410


# --- Signing in and out -------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("dashboard.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        address = request.remote_addr
        verdict = ratelimit.check_password_attempt(email, address)
        if verdict.minutes_locked:
            # Refused before the password is looked at, so guessing gains nothing while locked.
            form.form_errors.append(_lockout_message(verdict.minutes_locked))
            status = 429
        else:
            time.sleep(verdict.pause_seconds)  # a busy address: checked, but slowly (collab.accounts.ratelimit)
            user = services.authenticate(email, form.password.data)
            if user is None:
                ratelimit.record_failure(email, address)
                db.session.commit()
                form.form_errors.append(GENERIC_FAILURE)
            else:
                ratelimit.record_success(email, address)
                db.session.commit()
                _start_session(user, remember=bool(form.remember.data))
                return redirect(next_url or url_for("dashboard.home"))
    # After a sign-in ended, the page tells the browser code to clear what it kept of pupils' records.
    clear_local = bool(session.pop(signins.CLEAR_LOCAL, False))
    return render_template("accounts/login.html", form=form, next_url=next_url, clear_local=clear_local), status


@bp.post("/logout")
def logout():
    """Revoke this browser's sign-in: copies of its cookies stop working and its sockets are cut within a second
    (collab.accounts.revocation). The sign-out form's script has already cleared the device (static/src/signout.js);
    the sign-in page asks again, for browsers that signed out without it."""
    if current_user.is_authenticated:
        signins.end(current_user.sign_in_token)
    # Clear first: logout_user() then leaves its note to delete the remember-me cookie.
    session.clear()
    logout_user()
    session[signins.CLEAR_LOCAL] = True
    flash("You have signed out.", "success")
    return redirect(url_for("accounts.login"))


# --- Invitations --------------------------------------------------------------------------------

@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invite, state = services.find_invitation(token)
    if state is not LinkState.OK:
        return render_template("accounts/invitation_invalid.html", invitation=invite, state=state), _status(state)

    existing = services.user_by_email(invite.email)
    signed_in_as_invitee = (current_user.is_authenticated and existing is not None
                            and current_user.id == existing.id)
    form = AcceptForm() if existing is not None else JoinForm()
    if request.method == "POST" and form.validate_on_submit():
        if existing is not None and not signed_in_as_invitee:
            return redirect(url_for("accounts.login", next=request.path))
        try:
            if existing is not None:
                user = services.accept_invitation(invite, user=existing)
            else:
                user = services.accept_invitation(invite, name=form.name.data, password=form.password.data)
        except LinkNoLongerValid:
            invite, state = services.find_invitation(token)
            return (render_template("accounts/invitation_invalid.html", invitation=invite, state=state),
                    _status(state))
        _start_session(user)
        group = invite.work_group
        flash(f"Welcome to {group.project_code} {group.title}." if group else "Welcome to Collab.", "success")
        return redirect(url_for("dashboard.home"))
    role_label = Role(invite.role).label if invite.role else None
    return render_template("accounts/invitation.html", invitation=invite, form=form, existing=existing,
                           signed_in_as_invitee=signed_in_as_invitee, role_label=role_label, min_length=MIN_LENGTH)


# --- Password reset -----------------------------------------------------------------------------

@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        key = ratelimit.reset_key(email)
        minutes = ratelimit.minutes_locked(key, request.remote_addr)
        if minutes:
            unit = "minute" if minutes == 1 else "minutes"
            form.form_errors.append(f"Too many requests for a reset link. Please wait {minutes} {unit} "
                                    "and try again.")
            return render_template("accounts/forgot.html", form=form, sent=False), 429
        # Counted whether or not the account exists, so the limit reveals nothing either.
        ratelimit.record_failure(key, request.remote_addr)
        db.session.commit()
        services.request_password_reset(email)
        return render_template("accounts/forgot.html", form=form, sent=True,
                               hours=current_app.config["COLLAB_RESET_HOURS"])
    return render_template("accounts/forgot.html", form=form, sent=False)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset, state = services.find_reset(token)
    if state is not LinkState.OK:
        return render_template("accounts/reset.html", state=state, form=None), _status(state)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(reset, form.password.data)
        except LinkNoLongerValid:
            _reset, state = services.find_reset(token)
            return render_template("accounts/reset.html", state=state, form=None), _status(state)
        _start_session(user)
        flash("Your password has been changed. You have been signed out on your other devices.", "success")
        return redirect(url_for("dashboard.home"))
    return render_template("accounts/reset.html", state=state, form=form, min_length=MIN_LENGTH)


# --- Profile ------------------------------------------------------------------------------------

@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    name_form = NameForm(prefix="profile")
    password_form = PasswordChangeForm(prefix="password")
    status = 200
    if not name_form.submit.data:
        name_form.name.data = current_user.name
    if name_form.submit.data and name_form.validate_on_submit():
        services.change_name(current_user, name_form.name.data)
        flash("Your name has been saved.", "success")
        return redirect(url_for("accounts.profile"))
    elif password_form.submit.data and password_form.validate_on_submit():
        status = _change_password(password_form)
        if status == 302:
            flash("Your password has been changed. You have been signed out on your other devices.", "success")
            return redirect(url_for("accounts.profile"))
    memberships = sorted(current_user.memberships, key=lambda m: m.work_group.project_code)
    return render_template("accounts/profile.html", name_form=name_form, password_form=password_form,
                           memberships=memberships, min_length=MIN_LENGTH), status


def _change_password(form: PasswordChangeForm) -> int:
    """Returns 302 on success, 200 for a wrong current password, 429 when locked out."""
    user = current_user._get_current_object()
    verdict = ratelimit.check_password_attempt(user.email, request.remote_addr)
    if verdict.minutes_locked:
        form.form_errors.append(_lockout_message(verdict.minutes_locked))
        return 429
    time.sleep(verdict.pause_seconds)
    if not services.change_password(user, form.current_password.data, form.password.data):
        # A stolen, unlocked session must not become a free password-guessing machine.
        ratelimit.record_failure(user.email, request.remote_addr)
        db.session.commit()
        form.current_password.errors.append("Your current password is not right.")
        return 200
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    _start_session(user, remember=remember)  # the change revoked every sign-in, this device's too: a new one
    return 302
