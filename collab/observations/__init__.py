"""Lesson observation visits.

At the top, what every part shares: models, permissions, forms, lookups (a visit or record, or 404), events
(the socket rooms: observation records and the visit's lesson clock) and blueprint (the list of route modules).
One sub-package per job: visits (set-up, the visit room, the lesson clock), records (checklists and reading a
record), photos, summary (page and PDF) and retention (keeping and deleting the records).
"""
