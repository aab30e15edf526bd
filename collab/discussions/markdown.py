"""Markdown to safe HTML: markdown-it-py (CommonMark, raw HTML off), then nh3 with a small allowlist.

Posts store the sanitised HTML written here; templates never render anything else as markup. Maths written as
$...$ is kept out of Markdown's way (the underscores of x_1 and y_2 are not emphasis) and written back after
sanitising as <span class="maths-tex" data-latex="...">$...$</span>, escaped, which the page draws with KaTeX
(static/src/_maths-text.js): the $...$ text is what shows without JavaScript.
"""

from __future__ import annotations

import re
from html import escape

import nh3
from markdown_it import MarkdownIt

from collab.maths import notation

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})


_SLOT = re.compile("\ue000([0-9]+)\ue001")  # private-use characters: Markdown and nh3 leave them alone


def render(markdown: str) -> str:
    formulas: list[str] = []

    def keep(match: re.Match[str]) -> str:
        if not notation.is_allowed(match[1]):
            return match[0]
        formulas.append(match[1])
        return f"\ue000{len(formulas) - 1}\ue001"

    text = notation.INLINE.sub(keep, markdown.replace("\ue000", "").replace("\ue001", ""))
    html = sanitise(_md.render(text))
    return _SLOT.sub(lambda m: _maths_span(formulas[int(m[1])]), html)


def _maths_span(latex: str) -> str:
    quoted = escape(latex, quote=True)
    return f'<span class="maths-tex" data-latex="{quoted}">${quoted}$</span>'


def sanitise(html: str) -> str:
    """Only the allowlisted tags; links only to http, https and mailto, with a safe rel."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def plain(text: str) -> str:
    """Text with every tag removed (for quotes and other short snippets shown as text)."""
    return nh3.clean(text, tags=set())
