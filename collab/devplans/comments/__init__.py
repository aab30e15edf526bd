"""Comments anchored to the plan's text: what development plans add to the shared collab.comments (who reads,
comments and resolves, the critique round a comment belongs to, the notifications' words), and its routes."""
