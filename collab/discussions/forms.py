"""The discussion's forms: the HTTP fallback for posting, correcting posts and agreeing actions (CSRF-protected).

Each form carries a client id made when the page was drawn, so submitting the same form twice (a
double click, a resend after a timeout) makes one post, as over the socket.
"""

from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from collab.discussions.action_services import MAX_ACTION
from collab.discussions.services import MAX_BODY


def new_client_id() -> str:
    return str(uuid.uuid4())


class PostForm(FlaskForm):
    client_id = HiddenField(default=new_client_id)
    section = HiddenField()
    parent_id = HiddenField()
    quote = HiddenField()  # JSON of a quoted note or photo, filled by the page's script
    body = TextAreaField("Your post", validators=[DataRequired(message="Write something before posting."),
                                                  Length(max=MAX_BODY)])


def optional_int(value: object) -> int | None:
    """The owner box: its first, empty choice ("Choose the owner") is None, never someone by default."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class ActionEditForm(FlaskForm):
    text = StringField("Agreed action", validators=[DataRequired(message="Say what was agreed."),
                                                     Length(max=MAX_ACTION)])
    owner_id = SelectField("Owner", coerce=optional_int, validate_choice=False)
    due_date = StringField("Due date", render_kw={"type": "date"})


class ActionForm(ActionEditForm):
    client_id = HiddenField(default=new_client_id)


class EditPostForm(FlaskForm):
    body = TextAreaField("Your post", validators=[DataRequired(message="Write something before saving."),
                                                  Length(max=MAX_BODY)])


class DeletePostForm(FlaskForm):
    """Only the CSRF token: deleting is a POST from a button."""


class DoneForm(FlaskForm):
    done = HiddenField()
