"""Demo content: the finished post-lesson discussion of the past Year 9 research lesson."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from collab.demo.term_dates import next_school_day
from collab.discussions.markdown import render
from collab.discussions.models import AgreedAction, DiscussionThread, Post
from collab.extensions import db

if TYPE_CHECKING:
    from collab.demo.load import Demo

# (section, author email, body, quote or None, replies [(author email, body)])
POSTS = [
    ("case-pupils", "ruth@example.org",
     "Our case pupils were **Pupil A** (we predicted she would reach for the unitary method at once), "
     "**Pupil B** (we predicted he would add rather than scale) and **Pupil C** (secure with multiplication "
     "facts, less so with explaining).", None,
     [("lead@example.org", "Thanks, Ruth. Let's take each in turn and keep to what we saw and heard.")]),
    ("case-pupils", "jo@example.org",
     "Pupil B did add at first: 3 pens for £1.20, so 6 pens £2.40, then 9 pens *£2.60* (adding 20p). Once the "
     "ratio table went up he spotted the ×3 and corrected it himself.", None, []),
    ("case-pupils", "alex@example.org",
     "Pupil C explained the double number line to her partner: *\"it's the same jump on both lines, just "
     "bigger numbers on the bottom\"*.",
     {"kind": "note", "text": "09:48 Pupil C explains the double number line to her partner", "photo_url": "",
      "author": "Alex Morgan", "at": "09:48"}, []),
    ("noticed", "ben@example.org",
     "The anchor task (a recipe for 4 scaled to 6) gave a real reason to go via 2: lots of pupils halved first.",
     None, [("priya@example.org", "Agreed. The **halving** route came up in at least five books on my table.")]),
    ("noticed", "kate@example.org",
     "Pair talk dropped off in independent practice: the questions moved to missing values quickly and some "
     "pairs split up.", None, []),
    ("evidence", "priya@example.org",
     "Exit check: 22 of 28 right on Q1 (whole-number multiplier), 15 of 28 on Q2 (non-integer multiplier).",
     None, []),
    ("evidence", "jo@example.org", "Pupil A set out a ratio table without being asked, for Q2 as well.",
     {"kind": "note", "text": "10:02 Pupil A draws a ratio table unprompted and labels both columns",
      "photo_url": "", "author": "Jo Whitaker", "at": "10:02"}, []),
    ("anticipated", "lead@example.org",
     "We anticipated the additive misconception for Pupil B and it appeared; the response we planned (a ratio "
     "table with arrows) worked faster than we expected.", None, []),
    ("anticipated", "ruth@example.org",
     "We did **not** anticipate pupils stumbling over the money (£1.20 as 120p). Worth a step in the plan.", None,
     [("ben@example.org", "Same with my Year 9s. Working in pence first might help.")]),
    ("change", "ruth@example.org",
     "1. Put the non-integer multiplier question before independent practice\n"
     "2. Keep the double number line on the board throughout\n"
     "3. A pair-talk prompt: *\"What did you multiply by, and how do you know?\"*", None, []),
    ("change", "alex@example.org", "I'd like to try the same anchor task with Year 8 at Riverside next term.",
     None, []),
]

# (text, owner email, days after the lesson it is due (moved to a school day), done)
ACTIONS = [
    ("Share the anchor task and the exit check with the Work Group", "ben@example.org", 7, True),
    ("Revise the plan: a pence-first step, and Q2 before independent practice", "ruth@example.org", 21, False),
    ("Try the anchor task with Year 8 at Riverside and bring pupils' work to the next meeting",
     "alex@example.org", 35, False),
]


def _key() -> str:
    return str(uuid.uuid4())


def add_demo_discussion(demo: Demo) -> None:
    session = demo.sessions[0]  # the Year 9 research lesson, about two weeks ago
    people = demo.people
    thread = DiscussionThread(session=session, created_at=session.starts_at + timedelta(minutes=75))
    db.session.add(thread)
    at = session.starts_at + timedelta(minutes=76)
    for section, email, body, quote, replies in POSTS:
        post = Post(thread=thread, client_id=_key(), author=people[email], section=section, body_markdown=body,
                    body_html=render(body), quote=quote, created_at=at)
        db.session.add(post)
        db.session.flush()
        for reply_email, reply_body in replies:
            at += timedelta(minutes=1)
            db.session.add(Post(thread=thread, client_id=_key(), author=people[reply_email], section=section,
                                parent_id=post.id, body_markdown=reply_body, body_html=render(reply_body),
                                created_at=at))
        at += timedelta(minutes=3)
    lesson_day = session.starts_at.date()
    for text, email, days, done in ACTIONS:
        db.session.add(AgreedAction(thread=thread, client_id=_key(), text=text, owner=people[email],
                                    due_date=next_school_day(lesson_day + timedelta(days=days)), done=done,
                                    created_by=people["lead@example.org"], created_at=at))
