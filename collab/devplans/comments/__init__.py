"""Comments anchored to the plan's text: anchors resolved against the document, writes, JSON, routes."""
