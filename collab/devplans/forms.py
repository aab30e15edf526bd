"""Forms for development plans: start the plan, open a critique round, evidence, versions, email choice."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from collab.devplans.models import EmailFrequency


class ConfirmForm(FlaskForm):
    """A button-only form (CSRF token)."""


class StartPlanForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=200)])


class RoundForm(FlaskForm):
    work_group_id = SelectField("Work Group", coerce=int, validators=[DataRequired()])
    question = TextAreaField("Your question for the reviewers", validators=[DataRequired(), Length(max=2000)])
    due_on = DateField("Reviews due by", validators=[DataRequired()])


class EvidenceForm(FlaskForm):
    aim = StringField("Which aim it supports", validators=[Optional(), Length(max=200)])
    evidence = SelectField("Evidence from the Work Group", validators=[DataRequired()])


class VersionForm(FlaskForm):
    name = StringField("Name this version", validators=[Optional(), Length(max=120)])


class PreferenceForm(FlaskForm):
    email = RadioField("Email me about notifications",
                       choices=[SelectChoice(f.value, f.label) for f in EmailFrequency], validators=[DataRequired()])
