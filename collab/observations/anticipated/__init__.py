"""Anticipated versus observed (issue 17): the plan's anticipated responses and misconceptions and its case pupils'
predictions, copied onto the visit as items (items.py), tagged by observers in their records' documents (tags.py),
counted against what was observed for the visit summary, the visit room and the discussion (table.py)."""
