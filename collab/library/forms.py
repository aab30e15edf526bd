"""Forms for the hub's library (each with its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired

from collab.cycles.forms import At
from collab.cycles.models import MAX_QUESTION
from collab.library.models import MAX_SUMMARY


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PublishForm(FlaskForm):
    research_question = TextAreaField("Research question", validators=[At(MAX_QUESTION, "The question")],
                                      filters=[_strip])
    summary = TextAreaField("What the Work Group learned",
                            validators=[DataRequired(message="Write what the Work Group learned."),
                                        At(MAX_SUMMARY, "The summary")], filters=[_strip])


class CopyForm(FlaskForm):
    group_id = SelectField("Copy into", coerce=int)


class ConfirmForm(FlaskForm):
    pass
