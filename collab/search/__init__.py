"""Search across what a person may read (docs/library.md, "Search")."""
