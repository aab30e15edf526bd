"""Critique rounds: a plan shared with a Work Group for review until a due date."""
