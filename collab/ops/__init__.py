"""Operations done from the command line (`flask collab backup`, `flask collab restore`)."""
