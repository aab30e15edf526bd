"""Forms for scheduling a session and answering an invitation. Times are typed in England's local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from collab.sessions.models import Response, SessionKind
from collab.sessions.services import SessionDetails, invitee_choices
from collab.timeutil import LONDON, london_to_utc, to_london


def _optional_int(value) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


def local_to_utc(day: date, at: time) -> datetime | None:
    """The UTC instant of a wall-clock time in England, or None when the clocks skip it (late March, 01:xx)."""
    local = london_to_utc(datetime.combine(day, at))
    instant = local.astimezone(UTC)
    if instant.astimezone(LONDON).replace(tzinfo=None) != datetime.combine(day, at):
        return None
    return instant


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(FlaskForm):
    kind = SelectField("Kind of session", choices=[SelectChoice(k.value, k.label) for k in SessionKind],
                       validators=[InputRequired()])
    title = StringField("Title", validators=[DataRequired(message="Enter a title."), Length(max=200)])
    host_school_id = SelectField("Host school", coerce=_optional_int, validators=[Optional()])
    day = DateField("Date", validators=[InputRequired(message="Enter the date of the session.")])
    start_time = TimeField("Start time", validators=[InputRequired(message="Enter a start time.")])
    end_time = TimeField("End time", validators=[InputRequired(message="Enter an end time.")])
    place = StringField("Place", validators=[Optional(), Length(max=200)])
    agenda = TextAreaField("Agenda", validators=[Optional(), Length(max=10000)])
    attendees = CheckboxesField("Invite", coerce=int)

    def __init__(self, group, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.host_school_id.choices = [SelectChoice("", "No host school")] + [SelectChoice(s.id, s.name)
                                                                              for s in group.schools]
        self.attendees.choices = [SelectChoice(value, label) for value, label in invitee_choices(group)]

    def validate_start_time(self, field) -> None:
        if self.day.data and field.data and local_to_utc(self.day.data, field.data) is None:
            raise ValidationError("That time doesn't exist on that day: the clocks go forward an hour.")

    def validate_end_time(self, field) -> None:
        if self.day.data and field.data and local_to_utc(self.day.data, field.data) is None:
            raise ValidationError("That time doesn't exist on that day: the clocks go forward an hour.")
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError("The end time must be after the start time.")

    def fill_from(self, session) -> None:
        start, end = to_london(session.starts_at), to_london(session.ends_at)
        self.kind.data = session.kind.value
        self.title.data = session.title
        self.host_school_id.data = session.host_school_id
        self.day.data = start.date()
        self.start_time.data = start.time().replace(tzinfo=None)
        self.end_time.data = end.time().replace(tzinfo=None)
        self.place.data = session.place
        self.agenda.data = session.agenda
        self.attendees.data = [a.user_id for a in session.attendances]

    def details(self) -> SessionDetails:
        return SessionDetails(
            kind=SessionKind(self.kind.data),
            title=self.title.data or "",
            starts_at=local_to_utc(self.day.data, self.start_time.data),
            ends_at=local_to_utc(self.day.data, self.end_time.data),
            host_school_id=self.host_school_id.data,
            place=self.place.data or "",
            agenda=self.agenda.data or "",
            invitee_ids=frozenset(self.attendees.data or ()),
        )


class RespondForm(FlaskForm):
    response = SelectField("Your reply", choices=[SelectChoice(r.value, r.label) for r in Response
                                                         if r != Response.AWAITING])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: a POST that needs no fields (cancel a session, make a feed link)."""
