"""Forms for signing in, joining, resetting a password and the profile page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from collab.accounts.passwords import MIN_LENGTH

# Long enough for any password manager, short enough that hashing can't be used to tie up the server.
MAX_PASSWORD_LENGTH = 1000


def _new_password(label: str = "New password") -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(message="Enter a password."),
        Length(min=MIN_LENGTH, max=MAX_PASSWORD_LENGTH,
               message=f"Use at least {MIN_LENGTH} characters (a few words together are easy to remember)."),
    ])


def _confirm(label: str = "Type the new password again") -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(message="Type the password again."),
        EqualTo("password", message="The two passwords are not the same."),
    ])


class LoginForm(FlaskForm):
    # No format check: a typo gets the same answer as a wrong password.
    email = EmailField("Email address", validators=[DataRequired(message="Enter your email address."),
                                                    Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password."),
                                                     Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField("Keep me signed in for 30 days")


class JoinForm(FlaskForm):
    """A new person accepting an invitation."""

    name = StringField("Your name", validators=[DataRequired(message="Enter your name."), Length(max=120)])
    password = _new_password("Choose a password")
    confirm = _confirm("Type the password again")


class AcceptForm(FlaskForm):
    """Someone who already has an account accepting an invitation: only the CSRF token."""


class ForgotForm(FlaskForm):
    email = EmailField("Email address", validators=[
        DataRequired(message="Enter your email address."),
        Email(message="Enter an email address like name@school.org.uk.", check_deliverability=False),
        Length(max=254),
    ])


class ResetForm(FlaskForm):
    password = _new_password()
    confirm = _confirm()


class NameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Enter your name."), Length(max=120)])
    submit = SubmitField("Save name")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[
        DataRequired(message="Enter your current password."), Length(max=MAX_PASSWORD_LENGTH)])
    password = _new_password()
    confirm = _confirm()
    submit = SubmitField("Change password")
