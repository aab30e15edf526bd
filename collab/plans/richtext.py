"""A plan body as the browser's editor stores it, read on the server.

Tiptap (through y-prosemirror) keeps the document in the Yjs XmlFragment "default": one XmlElement per
ProseMirror node (tag = node name, attributes = node attributes) and XmlText for text, with marks as
formatting attributes. Here that becomes a small tree of `Node` and `Text` that history, HTML and the
PDF/DOCX exports all read, and a tree can be written back into a fragment (for restoring a version).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from collab.maths import notation
from collab.realtime.yupdates import readable_children

FIELD = "default"
BLOCK_TAGS = {
    "paragraph": "p", "blockquote": "blockquote", "bulletList": "ul", "orderedList": "ol", "listItem": "li",
    "table": "table", "tableRow": "tr", "tableHeader": "th", "tableCell": "td", "horizontalRule": "hr",
}
REPRESENTATION = "representation"  # a bar model, number line...: collab.maths.representations
MARK_TAGS = {"bold": "strong", "italic": "em", "strike": "s", "underline": "u", "code": "code"}
MATHS_TAGS = {"inlineMath": False, "blockMath": True}  # @tiptap/extension-mathematics: tag -> shown on its own line
SAFE_LINK = re.compile(r"^(https?:|mailto:|/)", re.IGNORECASE)


@dataclass
class Text:
    text: str
    marks: dict[str, Any] = field(default_factory=dict)


@dataclass
class Node:
    tag: str
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Node | Text] = field(default_factory=list)


def load(state: bytes) -> list[Node | Text]:
    """The body of a document from its full Yjs state."""
    doc = Doc()
    if state:
        doc.apply_update(state)
    return read_fragment(doc.get(FIELD, type=XmlFragment))


def read_fragment(fragment: XmlFragment | XmlElement) -> list[Node | Text]:
    nodes: list[Node | Text] = []
    for _index, child in readable_children(fragment):
        if isinstance(child, XmlText):
            for chunk, attrs in child.diff():
                if isinstance(chunk, str) and chunk:
                    nodes.append(Text(chunk, dict(attrs or {})))
        elif isinstance(child, XmlElement):
            nodes.append(Node(child.tag or "", dict(child.attributes), read_fragment(child)))
    return nodes


def write_fragment(fragment: XmlFragment | XmlElement, nodes: list[Node | Text]) -> None:
    """Append `nodes` to a fragment (inside the caller's transaction)."""
    pending_text: XmlText | None = None
    for node in nodes:
        if isinstance(node, Text):
            if pending_text is None:
                pending_text = fragment.children.append(XmlText())
            pending_text.insert(len(pending_text), node.text, node.marks or None)
            continue
        pending_text = None
        element = fragment.children.append(XmlElement(node.tag, node.attrs))
        write_fragment(element, node.children)


# --- plain text -------------------------------------------------------------------------------------

def to_text(nodes: list[Node | Text]) -> str:
    """Plain text, one block per line (for search, tests and the history list)."""
    lines: list[str] = []

    def walk(items: list[Node | Text]) -> None:
        inline = "".join(i.text if isinstance(i, Text) else maths_text(i) for i in items
                         if isinstance(i, Text) or i.tag == "inlineMath")
        if inline:
            lines.append(inline)
        for item in items:
            if isinstance(item, Node) and item.tag == REPRESENTATION:
                lines.append(representation_text(item))
                continue
            if isinstance(item, Node) and item.tag == "blockMath":
                lines.append(maths_text(item))
            elif isinstance(item, Node):
                walk(item.children)

    walk(nodes)
    return "\n".join(lines)


def maths_text(node: Node) -> str:
    """A maths node's formula as linear text ("3/4", "2 : 3"), or "" for any other node."""
    if node.tag not in MATHS_TAGS:
        return ""
    latex = node.attrs.get("latex")
    return notation.to_text(latex) if isinstance(latex, str) and notation.is_allowed(latex) else ""


# --- HTML -------------------------------------------------------------------------------------------

# The largest spans HTML allows (browsers clamp to these); WeasyPrint does not, and allocates a column per spanned
# column: a colspan of 1e30 written into a plan's document was a 500 on its PDF export.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534


def _attr_int(attrs: dict[str, Any], name: str, default: int) -> int:
    """An integer attribute written by whoever edits the document: any value (a string, NaN, infinity, 1e400) may
    arrive, so one that is no integer is the default."""
    try:
        return int(float(attrs.get(name) or default))
    except (TypeError, ValueError, OverflowError):
        return default


def _text_html(item: Text) -> str:
    html = escape(item.text).replace("\n", "<br>")
    for mark, tag in MARK_TAGS.items():
        if item.marks.get(mark) is not None:
            html = f"<{tag}>{html}</{tag}>"
    link = item.marks.get("link")
    if isinstance(link, dict) and SAFE_LINK.match(str(link.get("href") or "")):
        html = f'<a href="{escape(str(link["href"]))}" rel="noopener">{html}</a>'
    return html


def to_html(nodes: list[Node | Text], image_src=None) -> str:
    """Simple, safe HTML for a version view or an export. `image_src(src)` may rewrite or refuse image URLs."""
    parts: list[str] = []
    for item in nodes:
        if isinstance(item, Text):
            parts.append(_text_html(item))
            continue
        inner = to_html(item.children, image_src)
        if item.tag == "heading":
            level = min(max(_attr_int(item.attrs, "level", 2), 1), 6)
            parts.append(f"<h{level}>{inner}</h{level}>")
        elif item.tag == "hardBreak":
            parts.append("<br>")
        elif item.tag == "codeBlock":
            parts.append(f"<pre><code>{inner}</code></pre>")
        elif item.tag == "image":
            src = str(item.attrs.get("src") or "")
            src = image_src(src) if image_src else (src if src.startswith("/") else None)
            if src:
                alt = escape(str(item.attrs.get("alt") or ""))
                parts.append(f'<img src="{escape(src)}" alt="{alt}">')
        elif item.tag == "table":
            parts.append(f"<table><tbody>{inner}</tbody></table>")
        elif item.tag in ("tableCell", "tableHeader"):
            tag = BLOCK_TAGS[item.tag]
            span = ""
            colspan = min(_attr_int(item.attrs, "colspan", 1), MAX_COLSPAN)
            rowspan = min(_attr_int(item.attrs, "rowspan", 1), MAX_ROWSPAN)
            if colspan > 1:
                span += f' colspan="{colspan}"'
            if rowspan > 1:
                span += f' rowspan="{rowspan}"'
            parts.append(f"<{tag}{span}>{inner}</{tag}>")
        elif item.tag == REPRESENTATION:
            parts.append(representation_html(item))
        elif item.tag == "horizontalRule":
            parts.append("<hr>")
        elif item.tag in MATHS_TAGS:  # drawn with HTML and CSS: the exports have no JavaScript
            parts.append(notation.to_html(str(item.attrs.get("latex") or ""), display=MATHS_TAGS[item.tag]))
        else:
            tag = BLOCK_TAGS.get(item.tag, "div")
            parts.append(f"<{tag}>{inner}</{tag}>")
    return "".join(parts)


def replace_body(current_state: bytes, nodes: list[Node | Text]) -> bytes:
    """The Yjs update that turns the document `current_state` into `nodes`, as one new edit.

    Everything in the fragment is deleted and the nodes inserted again: a new edit on top of history,
    never a rewrite of it, so every client (even one offline now) merges it like any other change.
    """
    doc = Doc()
    if current_state:
        doc.apply_update(current_state)
    before = doc.get_state()
    fragment = doc.get(FIELD, type=XmlFragment)
    with doc.transaction():
        count = len(fragment.children)
        if count:
            del fragment.children[0:count]
        write_fragment(fragment, nodes)
    return doc.get_update(before)


# --- representations (drawn from their attributes: collab.maths.drawing) ----------------------------

def representation_html(node: Node) -> str:
    from collab.maths.drawing import figure_html  # on use: only documents holding drawings need it

    return figure_html(node.attrs)


def representation_text(node: Node) -> str:
    from collab.maths.representations import text_alternative

    return text_alternative(node.attrs)
