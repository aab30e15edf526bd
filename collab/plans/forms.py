"""Forms for lesson plans: create, name a version, restore, who can edit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from collab.plans.models import PlanKind

TRANSITION_YEAR = "Year 6 / Year 7"
YEAR_GROUPS = [f"Year {n}" for n in range(1, 12)]
KEY_STAGES = ["KS1", "KS2", "KS3", "KS4", "KS2–KS3"]


def key_stage_for(year_group: str) -> str:
    """The key stage a year group is in (Year 1–2 KS1, 3–6 KS2, 7–9 KS3, 10–11 KS4)."""
    if year_group == TRANSITION_YEAR:
        return "KS2–KS3"
    try:
        n = int(year_group.removeprefix("Year "))
    except ValueError:
        return ""
    return "KS1" if n <= 2 else "KS2" if n <= 6 else "KS3" if n <= 9 else "KS4"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class PlanForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)], filters=[_strip])
    kind = RadioField("Kind of plan", choices=[SelectChoice(k.value, k.label) for k in PlanKind],
                      default=PlanKind.LESSON.value)
    year_group = SelectField("Year group", choices=[SelectChoice("", "Choose…")]
                             + [SelectChoice(y) for y in [*YEAR_GROUPS, TRANSITION_YEAR]])
    key_stage = SelectField("Key stage", choices=[SelectChoice("", "From the year group")]
                            + [SelectChoice(k) for k in KEY_STAGES])
    topic = StringField("Topic", validators=[Length(max=200)], filters=[_strip])
    session_id = SelectField("Session", coerce=int, default=0)

    def validate_year_group(self, field) -> None:
        if self.kind.data == PlanKind.TRANSITION.value and field.data not in ("", TRANSITION_YEAR):
            raise ValidationError("A transition plan is for Year 6 / Year 7.")
        if self.kind.data == PlanKind.LESSON.value and field.data == TRANSITION_YEAR:
            raise ValidationError("Choose one year group, or make it a transition plan.")

    def cleaned(self) -> dict:
        """The values to pass to create_plan, with the transition year and key stage filled in."""
        kind = PlanKind(self.kind.data)
        year_group = self.year_group.data or (TRANSITION_YEAR if kind == PlanKind.TRANSITION else "")
        return {
            "title": self.title.data,
            "kind": kind,
            "year_group": year_group,
            "key_stage": self.key_stage.data or key_stage_for(year_group),
            "topic": self.topic.data or "",
        }


class VersionForm(FlaskForm):
    name = StringField("Name this version", validators=[DataRequired(), Length(max=120)], filters=[_strip],
                       description="For example “Before the visit”.")


class ConfirmForm(FlaskForm):
    """A form with nothing but the CSRF token (restore, who can edit)."""
