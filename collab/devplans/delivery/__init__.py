"""Delivering the development plan over the year: structured rows beside the plan's co-edited text.

Aims (success criteria, evidence of need) with their actions, the department's professional development
programme (sessions led by the Advocates, attendance, materials), and a progress update per aim each half-term
with a status and evidence links. `overview` gives a Work Group lead every department's figures side by side.
"""
