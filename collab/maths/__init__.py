"""Maths in Collab: notation (LaTeX written in the editors, checked and rendered for exports) and representations
(bar models and the like, drawn from parameters). `schema` is where both say which node attributes they accept."""
