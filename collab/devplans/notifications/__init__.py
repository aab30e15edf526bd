"""In-app notifications with a live unread count, and their email (straight away or a daily digest)."""
