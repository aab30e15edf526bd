"""Search finds what the person may read, and never shows anything else: another group's plan, an observer's
notes before they are shared, a deleted post, an item no longer in the library, another hub's library."""

from __future__ import annotations

import uuid

import pytest

from collab.cycles.models import StudyDocument
from collab.cycles.permissions import can_read_cycle
from collab.devplans.models import DevPlan, DevPlanComment
from collab.devplans.permissions import can_read_devplan
from collab.discussions.models import Post
from collab.discussions.permissions import can_read_discussion
from collab.discussions.services import ensure_thread
from collab.extensions import db
from collab.library import services as library
from collab.library.models import PublishedItem
from collab.library.permissions import can_read_item
from collab.observations.models import ObservationRecord
from collab.observations.permissions import can_read_record
from collab.plans.models import LessonPlan, PlanComment
from collab.plans.permissions import can_read_plan
from collab.plans.services import create_plan
from collab.search.models import SearchEntry
from collab.search.services import search
from tests import factories
from tests.library.helpers import Others, finished_cycle, others
from tests.observations.anticipated_plan import ANTICIPATED, write_section

WORD = "zebracorn"


def _post(session, author, text: str, deleted: bool = False) -> Post:
    post = Post(thread=ensure_thread(session), client_id=str(uuid.uuid4()), author_id=author.id, section="noticed",
                body_markdown=text, body_html=f"<p>{text}</p>", deleted=deleted)
    db.session.add(post)
    db.session.commit()
    return post


def _build_scene() -> dict:
    """Everything that mentions the word, in places with different readers."""
    world = factories.build_world()
    other = others(world)
    cycle, revised = finished_cycle(world)  # the advocate's note (not shared) says "zebracorn"
    mine = create_plan(world.lead, world.group, "Fractions of amounts")
    write_section(mine, ANTICIPATED, [f"Pupils think a {WORD} is a unit fraction."], world.lead.id)
    theirs = create_plan(other.lead, other.group, f"The {WORD} lesson of another group")
    session = factories.session(world.group, title="Discussed lesson")
    _post(session, world.advocate, f"We saw a {WORD} in the starter.")
    _post(session, world.advocate, f"Deleted {WORD} remark.", deleted=True)
    db.session.add(PlanComment(plan_id=mine.id, client_id=str(uuid.uuid4()), author_id=world.lead.id,
                               body=f"Is the {WORD} example clear?"))
    db.session.commit()
    published = library.publish(world.lead, cycle, f"The {WORD} warm-up helped.")
    return {**{f"world.{name}": row for name, row in vars(world).items()},
            **{f"other.{name}": row for name, row in vars(other).items()},
            "cycle": cycle, "mine": mine, "theirs": theirs, "published": published}


@pytest.fixture
def scene(built_once):
    """(world, other, cycle, mine, withdrawn_group_plan, published): built once per database, its rows written
    again for each test (the build is ~60 commits)."""
    named = built_once("search scene", _build_scene)

    def part(prefix: str) -> dict:
        return {name.removeprefix(prefix): row for name, row in named.items() if name.startswith(prefix)}

    world, other = factories.World(**part("world.")), Others(**part("other."))
    return world, other, named["cycle"], named["mine"], named["theirs"], named["published"]


def _readable(user, entry: SearchEntry) -> bool:
    """The domains' permission functions, asked independently of collab.search."""
    if entry.kind == "plan":
        return can_read_plan(user, db.session.get(LessonPlan, entry.ref_id))
    if entry.kind == "comment":
        return can_read_plan(user, db.session.get(LessonPlan, db.session.get(PlanComment, entry.ref_id).plan_id))
    if entry.kind == "study":
        return can_read_cycle(user, db.session.get(StudyDocument, entry.ref_id).cycle)
    if entry.kind == "note":
        record = db.session.get(ObservationRecord, entry.ref_id)
        return record.visit.records_deleted_at is None and can_read_record(user, record)
    if entry.kind == "post":
        post = db.session.get(Post, entry.ref_id)
        return not post.deleted and can_read_discussion(user, post.thread.session)
    if entry.kind == "devcomment":
        comment = db.session.get(DevPlanComment, entry.ref_id)
        return can_read_devplan(user, db.session.get(DevPlan, comment.plan_id))
    if entry.kind == "library":
        item = db.session.get(PublishedItem, entry.ref_id)
        return item is not None and can_read_item(user, item)
    raise AssertionError(entry.kind)


def _entries(user, query: str) -> list[SearchEntry]:
    """The index rows behind the results (matched by link and title)."""
    found = []
    for result in search(user, query):
        entries = [e for e in db.session.query(SearchEntry).filter_by(kind=result.kind, title=result.title)]
        assert entries, result
        found.append(next(e for e in entries if str(e.ref_id) in result.url or e.kind in ("study", "note")))
    return found


def test_no_result_is_ever_one_the_person_may_not_read(app, scene):
    world, other, *_ = scene
    people = [world.lead, world.advocate, world.colleague, world.outsider, world.admin, world.other_admin,
              other.lead, other.colleague, other.far_lead]
    for query in (WORD, "ratio", "pupil", "additive reasoning", "bar model", "fractions", "a", "example clear"):
        for person in people:
            with app.test_request_context():
                for entry in _entries(person, query):
                    assert _readable(person, entry), (person.name, query, entry.kind, entry.title)


def _kinds(app, person, query=WORD) -> set[str]:
    with app.test_request_context():
        return {r.kind for r in search(person, query)}


def test_a_member_finds_the_groups_plan_post_comment_and_the_library(app, scene):
    world = scene[0]
    assert {"plan", "post", "comment", "library"} <= _kinds(app, world.colleague)


def test_an_observers_notes_are_found_by_them_and_the_lead_but_not_before_they_are_shared(app, scene):
    world = scene[0]
    assert "note" in _kinds(app, world.advocate)
    assert "note" in _kinds(app, world.lead)
    assert "note" not in _kinds(app, world.colleague)


def test_a_deleted_post_is_never_found(app, scene):
    world = scene[0]
    with app.test_request_context():
        assert not [r for r in search(world.lead, "deleted remark") if r.kind == "post"]


def test_another_groups_plan_is_not_found(app, scene):
    world, other = scene[0], scene[1]
    with app.test_request_context():
        assert not [r for r in search(world.lead, WORD) if "another group" in r.title]
        assert [r for r in search(other.lead, WORD) if "another group" in r.title]


def test_another_group_of_the_hub_finds_the_published_item_and_its_own_plan_only(app, scene):
    other = scene[1]
    with app.test_request_context():
        found = {(r.kind, r.title) for r in search(other.colleague, WORD)}
    assert found == {("library", "Ratio tables"), ("plan", f"The {WORD} lesson of another group")}


def test_an_unpublished_item_is_no_longer_found(app, scene):
    world, other, *_, published = scene
    library.unpublish(world.lead, published)
    assert "library" not in _kinds(app, other.lead)


def test_another_hub_and_outsiders_find_nothing(app, scene):
    world, other = scene[0], scene[1]
    for person in (other.far_lead, world.other_admin, world.outsider):
        assert _kinds(app, person) == set()


def test_a_hub_admin_who_is_no_member_finds_only_the_library(app, scene):
    assert _kinds(app, scene[0].admin) == {"library"}


def test_the_index_follows_a_plans_changes(app, scene):
    world, _, _, mine, *_ = scene
    write_section(mine, ANTICIPATED, ["A brand new quokkapillar misconception."], world.lead.id)
    with app.test_request_context():
        assert [r.title for r in search(world.lead, "quokkapillar")] == ["Fractions of amounts"]


def test_the_page_highlights_the_match_and_escapes_the_text(scene, login_as):
    world, *_ = scene
    mine = scene[3]
    db.session.add(PlanComment(plan_id=mine.id, client_id=str(uuid.uuid4()), author_id=world.lead.id,
                               body="<script>alert(1)</script> wombatfish"))
    db.session.commit()
    page = login_as(world.lead).get("/search?q=wombatfish").get_data(as_text=True)
    assert "<mark>wombatfish</mark>" in page
    assert "<script>alert(1)</script>" not in page  # escaped (SQLite), or left out of the headline (PostgreSQL)


def test_the_search_page_works_without_a_query_and_with_punctuation_only(scene, login_as):
    client = login_as(scene[0].lead)
    assert client.get("/search").status_code == 200
    assert client.get('/search?q=%22*(OR)"').status_code == 200


def test_searching_needs_a_sign_in(client):
    assert client.get("/search?q=ratio").status_code == 302


def test_search_and_library_pages_are_never_kept_by_a_browser(scene, login_as):
    world, *_, published = scene
    client = login_as(world.lead)
    for url in ("/search?q=ratio", "/library", f"/library/{published.id}"):
        assert client.get(url).headers["Cache-Control"] == "no-store"
