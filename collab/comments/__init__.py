"""Comments anchored to a plan's text, shared by every kind of plan (development plans, lesson and transition plans):
anchors resolved against the document (anchors), the columns (models), writes and live updates (services), JSON
(serialise) and the panel's routes (views). Each kind of plan describes itself once as a `services.Commentable`."""
