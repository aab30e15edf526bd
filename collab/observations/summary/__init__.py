"""The visit summary: the merged lesson timeline and ratings across observers, as a page and as a PDF."""
