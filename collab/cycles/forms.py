"""Forms for research cycles (each with its CSRF token). Length limits say the limit and how long the text was."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from collab.cycles.models import MAX_QUESTION, MAX_THEME, MAX_TITLE, CycleStatus, SessionPurpose


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class At:
    """Length limit with a message people can act on: "… at most 200 characters (this has 214)"."""

    def __init__(self, limit: int, what: str) -> None:
        self.limit, self.what = limit, what

    def __call__(self, form, field) -> None:
        size = len(field.data or "")
        if size > self.limit:
            raise ValidationError(f"{self.what} can be at most {self.limit:,} characters (this has {size:,}).")


class ThemeForm(FlaskForm):
    theme = StringField("Research theme", validators=[At(MAX_THEME, "The theme")], filters=[_strip])
    question = TextAreaField("Research question", validators=[At(MAX_QUESTION, "The question")], filters=[_strip])


class CycleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Enter a title."), At(MAX_TITLE, "The title")],
                        filters=[_strip])
    research_question = TextAreaField("Research question", validators=[At(MAX_QUESTION, "The question")],
                                      filters=[_strip])


class EditCycleForm(CycleForm):
    status = RadioField("Status", choices=[SelectChoice(s.value, s.label) for s in CycleStatus],
                        default=CycleStatus.IN_PROGRESS.value)


class LinkPlanForm(FlaskForm):
    plan_id = SelectField("Research lesson plan", coerce=int, default=0)


class LinkSessionForm(FlaskForm):
    session_id = SelectField("Session", coerce=int, default=0)
    purpose = RadioField("In this cycle it is the", choices=[SelectChoice(p.value, p.label) for p in SessionPurpose],
                         default=SessionPurpose.RESEARCH.value)

    def validate_session_id(self, field) -> None:
        if not field.data:
            raise ValidationError("Choose a session.")


class ReviseForm(FlaskForm):
    session_id = SelectField("After the post-lesson discussion of", coerce=int, default=0)


class ConfirmForm(FlaskForm):
    """Only the CSRF token (unlink, start a plan, tick an action)."""
