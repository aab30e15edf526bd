"""The register's form: only the CSRF token is a WTForms field; each person's mark is a radio group named
`mark-<user id>` (collab.reports.register.parse_marks reads and checks them)."""

from __future__ import annotations

from flask_wtf import FlaskForm


class RegisterForm(FlaskForm):
    pass
