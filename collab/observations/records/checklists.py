"""Observation checklists: the default built on the NCETM's five big ideas, and parsing the edit form.

Criteria are a list of big ideas, each with look-fors: [{"id": "fluency", "title": "Fluency",
"look_fors": [{"id": "fluency-1", "text": "..."}]}]. A look-for's id is what a record's ratings are keyed by.
"""

from __future__ import annotations

import re

DEFAULT_NAME = "Five big ideas of teaching for mastery"

BIG_IDEAS = (
    ("coherence", "Coherence"),
    ("representation", "Representation and structure"),
    ("thinking", "Mathematical thinking"),
    ("fluency", "Fluency"),
    ("variation", "Variation"),
)

DEFAULT_LOOK_FORS = {
    "coherence": ["Small connected steps build towards the learning outcome",
                  "Each step links back to what pupils already know",
                  "Generalisation is drawn out before moving on"],
    "representation": ["Representations expose the mathematical structure",
                       "Pupils move between concrete, pictorial and abstract",
                       "Representations are withdrawn when no longer needed"],
    "thinking": ["Pupils explain and justify, not just answer",
                 "Questions probe reasoning (How do you know? What if…?)",
                 "Pupils notice patterns and make connections"],
    "fluency": ["Quick recall of facts frees thinking for the new idea",
                "Pupils choose efficient, flexible methods"],
    "variation": ["Conceptual variation shows what a concept is and is not",
                  "Procedural variation draws attention to structure",
                  "Practice is intelligent, not mechanical repetition"],
}

DEFAULT_PHASES = ("Starter", "Anchor task", "Independent practice", "Plenary")
MAX_LOOK_FORS = 8
MAX_LOOK_FOR_LENGTH = 200


def build_criteria(look_fors: dict[str, list[str]]) -> list[dict]:
    """Criteria from {big idea id: [look-for text, ...]} (unknown ids ignored; blank lines dropped)."""
    criteria = []
    for key, title in BIG_IDEAS:
        lines = [" ".join(t.split())[:MAX_LOOK_FOR_LENGTH] for t in look_fors.get(key, [])]
        lines = [t for t in lines if t][:MAX_LOOK_FORS]
        criteria.append({"id": key, "title": title,
                         "look_fors": [{"id": f"{key}-{n}", "text": t} for n, t in enumerate(lines, 1)]})
    return criteria


def default_criteria() -> list[dict]:
    return build_criteria(DEFAULT_LOOK_FORS)


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"\r?\n", text or "") if line.strip()]


def look_for_texts(criteria: list[dict]) -> dict[str, str]:
    """{big idea id: one look-for per line}, to fill the edit form."""
    return {idea["id"]: "\n".join(lf["text"] for lf in idea["look_fors"]) for idea in criteria}


def criterion_labels(criteria: list[dict]) -> dict[str, tuple[str, str]]:
    """{look-for id: (big idea title, look-for text)}"""
    return {lf["id"]: (idea["title"], lf["text"]) for idea in criteria for lf in idea["look_fors"]}


def big_idea_titles() -> dict[str, str]:
    return dict(BIG_IDEAS)


# --- the Work Group's own templates -------------------------------------------------------------------

def copy_template(actor, group, name: str, criteria: list[dict]):
    """A lead copies a checklist into the group to edit it."""
    import json

    from collab.extensions import db
    from collab.groups.permissions import can_manage_group
    from collab.observations.models import ChecklistTemplate

    if not can_manage_group(actor, group):
        raise PermissionError("only a lead edits the group's checklists")
    template = ChecklistTemplate(work_group_id=group.id, name=name[:120], criteria_json=json.dumps(criteria),
                                 created_by_id=actor.id)
    db.session.add(template)
    db.session.commit()
    return template


def update_template(actor, template, name: str, look_fors: dict[str, list[str]]) -> None:
    """Change a group template's name and look-fors. Visits already set up keep their frozen copy."""
    import json

    from collab.extensions import db
    from collab.groups.models import WorkGroup
    from collab.groups.permissions import can_manage_group

    if not can_manage_group(actor, db.session.get(WorkGroup, template.work_group_id)):
        raise PermissionError("only a lead edits the group's checklists")
    template.name = name.strip()[:120] or template.name
    template.criteria_json = json.dumps(build_criteria(look_fors))
    db.session.commit()
