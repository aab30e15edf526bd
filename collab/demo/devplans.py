"""Demo content: Riverside School's maths development plan, written by its advocates Jo and Alex,
shared with NCP24-14b in an open critique round, with anchored comments from other schools."""

from __future__ import annotations

from datetime import timedelta

from pycrdt import Doc, StickyIndex, XmlElement, XmlFragment, XmlText

from collab.comments.anchors import _state_vector
from collab.demo.term_dates import next_school_day
from collab.devplans.models import CritiqueRound, DevPlanComment, EvidenceLink, Notification, RoundReview
from collab.devplans.plan.services import FRAGMENT_NAME, SECTIONS, create_plan
from collab.extensions import db
from collab.realtime.doclog import load
from collab.realtime.models import DocumentUpdate
from collab.types import utcnow

JO, ALEX = "jo@example.org", "alex@example.org"
CONTENT = [  # section, text, writer
    (SECTIONS[0], "Aim 1: every pupil in Key Stage 3 reasons multiplicatively, choosing between a ratio table "
                  "and a double number line. Aim 2: a department that plans lessons together in small steps.", JO),
    (SECTIONS[1], "Year 7 baseline: 58% of pupils added rather than scaled in proportion questions. Lesson "
                  "observations in 2023/24 showed few opportunities for pupils to explain their reasoning.", ALEX),
    (SECTIONS[2], "Co-plan one unit per half term in Year 8. Use the same representations from Year 7 to Year 9. "
                  "Replace the Year 8 ratio unit with a sequence built on the double number line.", JO),
    (SECTIONS[3], "Six department meetings a year become PD sessions led by the Mastery Advocates; each "
                  "colleague observes one research lesson and joins one post-lesson discussion.", ALEX),
    (SECTIONS[4], "Autumn: baseline and the first co-planned unit. Spring: observation visits. Summer: "
                  "review against the success criteria and plan year two.", JO),
    (SECTIONS[5], "By July, 80% of Year 8 pupils scale correctly in the end-of-unit check. Every colleague "
                  "can explain why the department teaches the double number line first.", ALEX),
]


def _write(doc: Doc, plan, section: str, text: str, user, client_id: int) -> int:
    """Type `text` into the section's paragraph as a new client; returns the clock of its first character."""
    fragment = doc.get(FRAGMENT_NAME, type=XmlFragment)
    children = list(fragment.children)
    index = next(i for i, node in enumerate(children)
                 if isinstance(node, XmlElement) and node.tag == "heading" and str(node.children[0]) == section)
    writer: Doc = Doc(client_id=client_id)
    writer.apply_update(doc.get_update())
    before = writer.get_state()
    paragraph = writer.get(FRAGMENT_NAME, type=XmlFragment).children[index + 1]
    node = paragraph.children.append(XmlText())
    first = _state_vector(writer.get_update())[client_id]
    node.insert(0, text)
    update = writer.get_update(before)
    doc.apply_update(update)
    db.session.add(DocumentUpdate(document_id=plan.document_id, data=update, user_id=user.id))
    return first


def _anchor(client_id: int, first: int, text: str, quote: str) -> tuple[str, str]:
    import base64

    at = text.index(quote)
    start = first + len(text[:at].encode("utf-16-le")) // 2
    end = start + len(quote.encode("utf-16-le")) // 2 - 1

    def pos(clock: int, assoc: int) -> str:
        return base64.b64encode(StickyIndex.from_json(
            {"item": {"client": client_id, "clock": clock}, "assoc": assoc}).encode()).decode()
    return pos(start, 0), pos(end, -1)


def add_demo_devplan(demo) -> None:
    people = demo.people
    riverside = next(s for s in demo.schools if s.name == "Riverside School")
    db.session.flush()
    plan = create_plan(people[JO], riverside.maths_department, "Riverside maths: development plan 2024–27")
    doc = load(plan.document_id)
    anchors = {}
    for n, (section, text, email) in enumerate(CONTENT):
        client_id = 7_000_000 + plan.id * 10 + n
        anchors[section] = (client_id, _write(doc, plan, section, text, people[email], client_id), text)
    db.session.flush()

    round_ = CritiqueRound(plan=plan, work_group=demo.group, opened_by=people[JO],
                           question="Are our success criteria measurable, and is the PD programme realistic "
                                    "in one year?",
                           due_on=next_school_day(demo.today + timedelta(days=10)))
    db.session.add(round_)
    db.session.flush()

    def comment(section, quote, author, body, client, resolved_by=None, replies=()):
        client_id, first, text = anchors[section]
        start, end = _anchor(client_id, first, text, quote)
        root = DevPlanComment(client_id=client, plan_id=plan.id, round_id=round_.id, author_id=people[author].id,
                              body=body, anchor_start=start, anchor_end=end, quote=quote, section=section)
        if resolved_by:
            root.resolved_at, root.resolved_by_id = utcnow(), people[resolved_by].id
        db.session.add(root)
        db.session.flush()
        for n, (who, reply) in enumerate(replies):
            db.session.add(DevPlanComment(client_id=f"{client}-r{n}", plan_id=plan.id, round_id=round_.id,
                                          parent_id=root.id, author_id=people[who].id, body=reply))
        return root

    comment(SECTIONS[5], "80% of Year 8 pupils scale correctly in the end-of-unit check", "ben@example.org",
            "How will you know the check measures scaling rather than recall? Could you use the same items "
            "as the Year 7 baseline?", "demo-devplan-ben-1",
            replies=[(JO, "Good idea: we will reuse four baseline items and add two new ones.")])
    comment(SECTIONS[3], "Six department meetings a year become PD sessions", "amir@example.org",
            "We found six was too many in year one; four plus one observation worked better for us.",
            "demo-devplan-amir-1", resolved_by=ALEX,
            replies=[(ALEX, "Thanks — we have kept six but two are now joint observations.")])
    ruths = comment(SECTIONS[0], "every pupil in Key Stage 3 reasons multiplicatively", "ruth@example.org",
                    "@Jo Whitaker is this all of KS3 from this year, or Year 7 first?", "demo-devplan-ruth-1")
    db.session.add(RoundReview(round_id=round_.id, user_id=people["amir@example.org"].id))

    visit = next((s for s in demo.sessions if s.title.startswith("Year 9 proportional reasoning")), None)
    if visit is not None:
        db.session.add(EvidenceLink(plan_id=plan.id, aim="Aim 1", kind="visit-summary",
                                    url=f"/sessions/{visit.id}/visit", label=f"Observation notes: {visit.title}",
                                    added_by_id=people[ALEX].id))
    for email in ("ben@example.org", "ruth@example.org", "amir@example.org", "kate@example.org",
                  "lead@example.org", "priya@example.org"):
        db.session.add(Notification(user_id=people[email].id, kind="round-opened",
                                    target_kind="devplan", target_id=plan.id,
                                    text="Riverside School shared its development plan with NCP24-14b for critique"))
    db.session.add(Notification(user_id=people[JO].id, kind="mention",
                                target_kind="devplan-comment", target_id=ruths.id,
                                text="Ruth Lindqvist mentioned you on the development plan"))
    db.session.commit()
