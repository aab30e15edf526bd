"""Evidence linked to the plan's aims: visit summaries and sessions of the department's Work Groups."""
