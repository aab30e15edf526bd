"""Markdown to safe HTML: markdown-it-py (CommonMark, raw HTML off), then nh3 with a small allowlist.

Posts store the sanitised HTML written here; templates never render anything else as markup.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render(markdown: str) -> str:
    return sanitise(_md.render(markdown))


def sanitise(html: str) -> str:
    """Only the allowlisted tags; links only to http, https and mailto, with a safe rel."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def plain(text: str) -> str:
    """Text with every tag removed (for quotes and other short snippets shown as text)."""
    return nh3.clean(text, tags=set())
