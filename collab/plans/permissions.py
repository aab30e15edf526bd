"""Who may read and edit lesson plans (filled in by the co-planning issue)."""
