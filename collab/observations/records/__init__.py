"""What an observer fills in: the checklist a record rates against (and the Work Group's own checklist
templates), and reading a record's ratings and notes back from its shared document."""
