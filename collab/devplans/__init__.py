"""Department development plans.

At the top, what every part shares: models, permissions, forms, lookups (a plan or round, or 404), events (the
socket rooms: the plan's document and each person's notification count) and blueprint (the list of route
modules). One sub-package per job: plan (the plan itself, its history and versions), comments, rounds
(critique rounds), evidence and notifications.
"""
