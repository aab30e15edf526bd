"""Markdown is rendered on the server and sanitised before it is stored: no script, no event handlers,
no javascript: links; only a small set of tags."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from collab.discussions import services
from collab.discussions.markdown import render, sanitise
from collab.extensions import db
from tests.discussions.conftest import new_id


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def test_emphasis_lists_quotes_and_code_are_kept():
    html = render("**Pupil A** was *sure*.\n\n- one\n- two\n\n1. first\n\n> said\n\n`3:4`\n\n    a = 1\n")
    for tag in ("<strong>", "<em>", "<ul>", "<ol>", "<li>", "<blockquote>", "<code>", "<pre>"):
        assert tag in html


def test_a_script_tag_is_never_markup():
    html = render("before <script>alert(1)</script> after")
    assert "<script" not in html
    assert "&lt;script&gt;" in html  # shown as the text that was typed


@pytest.mark.parametrize("source", [
    "[click](javascript:alert(1))", "[also](JaVaScRiPt:alert(2))", "<javascript:alert(3)>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)", "[y]: javascript:alert(4)\n\n[y]",
])
def test_a_javascript_link_is_never_a_link(source):
    assert [tag for tag, _ in elements(render(source)) if tag == "a"] == []


def test_the_sanitiser_removes_javascript_hrefs_and_event_handlers_from_html_itself():
    html = sanitise('<a href="javascript:alert(1)" onclick="x()">a</a><img src=x onerror="alert(1)">'
                    '<p onmouseover="x()">p</p><script>alert(1)</script><svg onload=x()></svg>')
    found = elements(html)
    assert [tag for tag, _ in found] == ["a", "p"]
    assert found[0][1] == {"rel": "noopener noreferrer"}
    assert found[1][1] == {}
    assert "alert" not in html


def test_an_onerror_attribute_never_survives():
    html = render('<img src=x onerror="alert(1)">\n\n![pic](https://example.org/x.png "t")')
    assert all(tag != "img" and not any(name.startswith("on") for name in attrs) for tag, attrs in elements(html))


def test_links_keep_http_https_and_mailto_with_a_safe_rel():
    html = render("[a](https://ncetm.org.uk) [b](http://example.org) [c](mailto:sam@example.org) [d](ftp://x.org)")
    assert '<a href="https://ncetm.org.uk" rel="noopener noreferrer">a</a>' in html
    assert 'href="http://example.org"' in html and 'href="mailto:sam@example.org"' in html
    assert 'href="ftp' not in html


@pytest.mark.parametrize("source", ["# Heading", "<b>bold</b>", "<iframe src=x></iframe>", "<a href=x onclick=y>z</a>"])
def test_other_tags_are_dropped(source):
    found = elements(render(source))
    assert {tag for tag, _ in found} <= {"p"}
    assert all(attrs == {} for _, attrs in found)


def test_a_stored_post_holds_only_sanitised_html(world, visit):
    post, _ = services.create_post(world.advocate, visit, new_id(), "noticed",
                                   'Hi <script>x()</script> [l](javascript:x()) <img src=1 onerror=x()>')
    db.session.expire_all()
    assert "<script" not in post.body_html and "<img" not in post.body_html and "href" not in post.body_html
    assert post.body_markdown.startswith("Hi <script>")  # what was typed is kept as text for editing later


def test_the_page_shows_sanitised_html_and_the_raw_markdown_never_as_markup(world, visit, login_as):
    services.create_post(world.advocate, visit, new_id(), "noticed", "<script>alert('x')</script> **ok**")
    page = login_as(world.lead).get(f"/sessions/{visit.id}/discussion").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "<strong>ok</strong>" in page
