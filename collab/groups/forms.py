"""Forms for Work Groups, members, invitations and hub administration."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from collab.groups.models import JourneyPhase, Phase, Role

FOCI = [
    "Focus A: Developing mathematical thinking",
    "Focus B: Developing fluency with multiplicative reasoning in Key Stage 3",
    "Focus C: Developing mathematical coherence for learners across maths and science",
    "Focus D: Bespoke teaching for mastery focus",
]
OTHER_FOCUS = "other"

PROJECT_CODE = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
SCHOOL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def valid_school_year(value: str) -> bool:
    match = SCHOOL_YEAR.match(value or "")
    return bool(match) and (int(match[1]) + 1) % 100 == int(match[2])


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(r.value, r.label) for r in Role]


class WorkGroupForm(FlaskForm):
    project_code = StringField(
        "Project code", filters=[_strip],
        validators=[DataRequired("Enter the project code."), Length(max=24),
                    Regexp(PROJECT_CODE, message="Use letters, digits and hyphens only, like NCP24-14b.")])
    title = StringField("Title", filters=[_strip], validators=[DataRequired("Enter a title."), Length(max=200)])
    focus = SelectField("Focus", choices=[SelectChoice(f) for f in FOCI]
                        + [SelectChoice(OTHER_FOCUS, "Another focus (describe below)")])
    focus_other = StringField("Other focus", filters=[_strip], validators=[Optional(), Length(max=200)])
    journey_phase = SelectField("Phase of the mastery journey",
                                choices=[SelectChoice(p.value, p.label) for p in JourneyPhase],
                                default=JourneyPhase.DEVELOPMENT.value)
    school_year = StringField("School year", filters=[_strip],
                              validators=[DataRequired("Enter the school year, like 2024/25.")])
    description = TextAreaField("Description", filters=[_strip], validators=[Optional(), Length(max=5000)])
    schools = SelectMultipleField("Member schools", coerce=int, validators=[Optional()])
    lead = SelectField("Work Group Lead", coerce=int, validate_choice=True)

    def validate_school_year(self, field):
        if not valid_school_year(field.data):
            raise ValidationError("Enter a school year like 2024/25: two consecutive years.")

    def validate_focus(self, field):
        # Checked here, not on focus_other, whose Optional() validator stops the chain when it is empty.
        if field.data == OTHER_FOCUS and not self.focus_other.data:
            raise ValidationError("Describe the focus under “Other focus”, or choose one of Focus A to D.")

    def focus_value(self) -> str:
        return self.focus_other.data if self.focus.data == OTHER_FOCUS else self.focus.data

    def show_focus(self, focus: str) -> None:
        """Fill the two focus fields from a stored focus."""
        if focus in FOCI:
            self.focus.data = focus
        else:
            self.focus.data, self.focus_other.data = OTHER_FOCUS, focus


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=role_choices())


class ActionForm(FlaskForm):
    """A button that POSTs: carries only the CSRF token."""


class AddSchoolForm(FlaskForm):
    school = SelectField("School", coerce=int)


class InviteForm(FlaskForm):
    email = EmailField("Email address", filters=[_strip],
                       validators=[DataRequired("Enter an email address."),
                                   Email("Enter an email address like name@school.org.uk."), Length(max=254)])
    role = SelectField("Role", choices=role_choices(), default=Role.ADVOCATE.value)
    school = SelectField("School", coerce=int)


class SchoolForm(FlaskForm):
    name = StringField("Name", filters=[_strip], validators=[DataRequired("Enter the school's name."),
                                                              Length(max=160)])
    urn = StringField("URN", filters=[_strip],
                      validators=[DataRequired("Enter the school's URN."),
                                  Regexp(r"^\d{6}$", message="A URN is 6 digits, like 137285.")])
    phase = SelectField("Phase", choices=[SelectChoice(p.value, p.label) for p in Phase])
    town = StringField("Town", filters=[_strip], validators=[Optional(), Length(max=80)])


class PersonForm(FlaskForm):
    name = StringField("Full name", filters=[_strip], validators=[DataRequired("Enter the person's name."),
                                                                   Length(max=120)])
    email = EmailField("Email address", filters=[_strip],
                       validators=[DataRequired("Enter an email address."),
                                   Email("Enter an email address like name@school.org.uk."), Length(max=254)])
    school = SelectField("School", coerce=int)
    hub_admin = BooleanField("Hub administrator")


class PeopleSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Name or email", filters=[_strip], validators=[Optional()])
    school = SelectField("School", coerce=int, validate_choice=False)
    state = SelectField("State", choices=[SelectChoice("", "Everyone"), SelectChoice("active", "Active"),
                                 SelectChoice("inactive", "Deactivated")],
                        validate_choice=False)
