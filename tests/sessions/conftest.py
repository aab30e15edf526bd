"""Sign people in for session tests by setting the Flask-Login session directly."""

from __future__ import annotations




