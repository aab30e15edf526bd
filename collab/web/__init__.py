"""HTTP plumbing every blueprint shares: error pages, security headers, the write limit, what templates can use,
absolute URLs, and the look-ups for ids clients send (also used by socket handlers and services).
create_app calls each module's init_app."""
