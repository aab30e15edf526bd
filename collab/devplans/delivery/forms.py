"""Forms for a plan's delivery rows. Choices (people, half-terms, evidence) are set by the view per request."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from collab.devplans.delivery.models import ProgressStatus


def _optional_int(value: object) -> int | None:
    return int(str(value)) if value not in (None, "", "None") and str(value).isdigit() else None


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class AimForm(FlaskForm):
    text = StringField("Aim", validators=[DataRequired(), Length(max=300)])
    success_criteria = TextAreaField("Success criteria", validators=[Optional(), Length(max=2000)])
    evidence_of_need = TextAreaField("Evidence of need", validators=[Optional(), Length(max=2000)])


class ActionForm(FlaskForm):
    text = StringField("Action", validators=[DataRequired(), Length(max=300)])
    owner_id = SelectField("Owner", coerce=_optional_int, validators=[Optional()])
    due_on = DateField("Due by", validators=[Optional()])


class DoneForm(FlaskForm):
    done = BooleanField("Done")


class PdSessionForm(FlaskForm):
    title = StringField("Session title", validators=[DataRequired(), Length(max=200)])
    held_on = DateField("Date", validators=[DataRequired()])
    led_by_id = SelectField("Led by", coerce=_optional_int, validators=[Optional()])
    materials = TextAreaField("Materials (links, one a line)", validators=[Optional(), Length(max=3000)])
    attendees = CheckboxesField("Who attended", coerce=int, validators=[Optional()])


class AttendanceForm(FlaskForm):
    attendees = CheckboxesField("Who attended", coerce=int, validators=[Optional()])


class ProgressForm(FlaskForm):
    half_term = SelectField("Half-term", validators=[DataRequired()])
    status = SelectField("Status", choices=[SelectChoice(s.value, s.label) for s in ProgressStatus],
                         validators=[DataRequired()])
    commentary = TextAreaField("Commentary", validators=[Optional(), Length(max=2000)])
    evidence = CheckboxesField("Evidence (visits, lesson plans, discussions)", validators=[Optional()])
