"""Forms for visits: set-up, checklist templates, the lesson clock, retention.

Case pupils and observers are repeated rows, read from the request by `pupils_from` and `observers_from`.
A case pupil has a pseudonym and a prediction only: the form never asks for a pupil's real name.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from collab.observations.records.checklists import BIG_IDEAS
from collab.observations.visits.services import MAX_CASE_PUPILS, ObserverInput, PupilInput


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class VisitForm(FlaskForm):
    plan_id = SelectField("Lesson plan being taught", coerce=int, default=0)
    template = SelectField("Observation checklist", default="default")
    phases = TextAreaField("Lesson phases", validators=[DataRequired(), Length(max=1000)],
                           description="One per line, in order. The host moves the lesson through them.")
    host_id = SelectField("Host teacher (teaches the lesson)", coerce=int, default=0)
    share_notes_during = BooleanField("Observers see each other's notes during the lesson")
    retention_months = IntegerField("Keep the observation records for (months)", validators=[
        Optional(), NumberRange(min=1, max=120, message="Between 1 and 120 months.")])


def _used_rows(form_data) -> list[int]:
    return [n for n in range(MAX_CASE_PUPILS) if form_data.get(f"pupil-{n}-used")]


def pupils_from(form_data) -> tuple[PupilInput, ...]:
    """The case pupil rows ticked "Follow this pupil", in order."""
    return tuple(PupilInput((form_data.get(f"pupil-{n}-label") or "").strip(),
                            (form_data.get(f"pupil-{n}-prediction") or "").strip()) for n in _used_rows(form_data))


def observers_from(form_data, member_ids: list[int]) -> tuple[ObserverInput, ...]:
    """Ticked observers; "follows" names a row of the pupil table, turned into an index into pupils_from."""
    # A row is named as the form writes it ("0" to "5"); anything else ("²", "01", "-1") follows no pupil.
    index_of_row = {str(row): index for index, row in enumerate(_used_rows(form_data))}
    observers = []
    for user_id in member_ids:
        if form_data.get(f"observer-{user_id}"):
            observers.append(ObserverInput(user_id, index_of_row.get(form_data.get(f"follows-{user_id}", ""))))
    return tuple(observers)


class TemplateForm(FlaskForm):
    name = StringField("Checklist name", validators=[DataRequired(), Length(max=120)], filters=[_strip])


for _key, _title in BIG_IDEAS:
    setattr(TemplateForm, f"idea_{_key}", TextAreaField(_title, validators=[Length(max=4000)],
                                                        description="One look-for per line."))


class RetentionForm(FlaskForm):
    retention_months = IntegerField("Keep the observation records for (months)", validators=[
        Optional(), NumberRange(min=1, max=120, message="Between 1 and 120 months.")],
        description="Empty: keep them until a lead deletes them.")


class ConfirmForm(FlaskForm):
    """Only the CSRF token (lesson clock buttons, delete)."""
