"""A visit: setting it up, the visit room, observers joining it, and the lesson clock."""
