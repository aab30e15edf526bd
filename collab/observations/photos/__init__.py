"""Photos added to an observation record: storing them (cleaned, with a thumbnail) and serving them."""
