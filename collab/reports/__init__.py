"""The Work Group's year: the attendance register of each session, the year's figures (the "year at a glance"
page, its charts) and the exports for the hub's evaluation (CSV, PDF). docs/reports.md describes it."""
