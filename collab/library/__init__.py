"""The hub's library: finished research cycles published as frozen snapshots (docs/library.md)."""
