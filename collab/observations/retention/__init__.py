"""How long a visit's observation records are kept, and deleting them (by a lead, or once expired)."""
