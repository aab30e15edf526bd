"""The compare view: what changed between version 1 and version 2, section by section, escaped."""

from __future__ import annotations

from collab.cycles import revisions
from collab.plans.richtext import Node, Text
from tests.cycles.conftest import write_under


def _h(text: str, level: int = 2) -> Node:
    return Node("heading", {"level": level}, [Text(text)])


def _p(text: str) -> Node:
    return Node("paragraph", {}, [Text(text)])


def test_sections_are_cut_at_headings_with_their_trail():
    found = revisions.sections([_h("KS2 side"), _h("Key questions", 3), _p("Why?"), _h("KS3 side"),
                                _h("Key questions", 3), _p("How?")])
    assert [(s.title, s.lines) for s in found] == [
        ("KS2 side", []), ("KS2 side › Key questions", ["Why?"]), ("KS3 side", []),
        ("KS3 side › Key questions", ["How?"])]


def test_compare_says_which_sections_changed_and_how():
    old = [_h("Anchor task"), _p("Share 12 in 1 : 3"), _h("Key questions"), _p("What is one part?"),
           _h("Exit check"), _p("Share 20 in 2 : 3")]
    new = [_h("Anchor task"), _p("Share 12 in 1 : 3"), _p("Draw a bar model first"), _h("Key questions"),
           _p("What is one part worth?"), _h("Variation"), _p("Change the total")]
    changes = {c.title: c for c in revisions.compare(old, new)}
    assert changes["Anchor task"].change == "changed"
    assert [(line.change, line.text) for line in changes["Anchor task"].lines] == [
        ("same", "Share 12 in 1 : 3"), ("added", "Draw a bar model first")]
    assert [(line.change, line.text) for line in changes["Key questions"].lines] == [
        ("removed", "What is one part?"), ("added", "What is one part worth?")]
    assert changes["Exit check"].change == "removed" and changes["Variation"].change == "added"


def test_unchanged_sections_are_marked_the_same():
    body = [_h("Learning outcome"), _p("Pupils scale with a ratio table")]
    assert [c.change for c in revisions.compare(body, body)] == ["same"]


def test_the_compare_page_shows_the_changes_and_escapes_them(client, world, plan, login_as):
    write_under(plan.document_id, "Anchor task", "Share £12 in the ratio 1 : 3", world.advocate)
    revised = revisions.revise_plan(world.lead, plan, None)
    write_under(revised.document_id, "Anchor task", "<script>alert(1)</script> Draw the bar model first",
                world.advocate)
    write_under(revised.document_id, "Key questions", "What is one part worth?", world.colleague)
    login_as(world.colleague)
    html = client.get(f"/plans/{revised.id}/compare").text
    assert "2 sections changed." in html
    assert "<script>alert(1)</script>" not in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; Draw the bar model first</ins>" in html
    assert "<ins>What is one part worth?</ins>" in html
    assert "Share £12 in the ratio 1 : 3" in html  # unchanged, but counted in its section
    assert html.count("Unchanged") >= 5


def test_a_first_version_has_no_compare_page(client, world, plan, login_as):
    login_as(world.lead)
    assert client.get(f"/plans/{plan.id}/compare").status_code == 404
