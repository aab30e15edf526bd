"""Lesson plans. (Stub: filled in by the co-planning issue.)"""

from flask import Blueprint

bp = Blueprint("plans", __name__)
