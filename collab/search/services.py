"""Search across what a person may read: plans, study documents, observation notes, discussion posts, comments and
the hub's library. The query looks only in the scopes the person may read (collab.search.permissions), then each
result is checked again against its source's own permission function before it is shown.

SQLite: FTS5 MATCH over search_fts, ranked by bm25, snippet() for the excerpt. PostgreSQL: websearch_to_tsquery
against the GIN-indexed to_tsvector, ranked by ts_rank, ts_headline for the excerpt. Either way the excerpt comes
back with two control characters around each match; it is escaped, then they become <mark>."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup, escape
from sqlalchemy import and_, column, false, or_, select, table, text
from sqlalchemy.exc import IntegrityError

from collab.extensions import db
from collab.search import indexing
from collab.search.indexing import MARKS
from collab.search.models import PG_VECTOR, SearchEntry
from collab.search.permissions import readable_scopes, readable_source

MAX_QUERY = 200
MAX_TERMS = 12
LIMIT = 50
FTS = table("search_fts", column("rowid"))  # SQLite only (collab/search/models.py)

KIND_LABELS = {"plan": "Lesson plan", "study": "Study document", "note": "Observation notes",
               "post": "Discussion post", "comment": "Comment on a plan", "devcomment": "Comment on a development plan",
               "library": "Hub's library"}


@dataclass
class Result:
    kind: str
    label: str
    title: str
    snippet: Markup
    url: str


def terms(query: str) -> list[str]:
    return re.findall(r"\w+", query[:MAX_QUERY].lower())[:MAX_TERMS]


def highlight(raw: str) -> Markup:
    """Escape the excerpt, then turn the markers around each match into <mark>."""
    return escape(raw).replace(MARKS[0], Markup("<mark>")).replace(MARKS[1], Markup("</mark>"))


def _scope_filter(groups: set[int], devplans: set[int], hubs: set[int]):
    parts = []
    if groups:
        parts.append(and_(SearchEntry.kind.in_(["plan", "comment", "study", "note", "post"]),
                          SearchEntry.work_group_id.in_(groups)))
    if devplans:
        parts.append(and_(SearchEntry.kind == "devcomment", SearchEntry.devplan_id.in_(devplans)))
    if hubs:
        parts.append(and_(SearchEntry.kind == "library", SearchEntry.hub_id.in_(hubs)))
    return or_(*parts) if parts else false()


def _matches(query: str, scope) -> list[tuple[int, str]]:
    """(entry id, excerpt with markers), best first."""
    if db.engine.dialect.name == "postgresql":
        ts_query = "websearch_to_tsquery('english', :q)"
        headline = text(f"ts_headline('english', search_entry.body, {ts_query}, :opts)")
        statement = (select(SearchEntry.id, headline)
                     .where(text(f"{PG_VECTOR} @@ {ts_query}"), scope)
                     .order_by(text(f"ts_rank({PG_VECTOR}, {ts_query}) DESC"), SearchEntry.id)
                     .limit(LIMIT))
        params = {"q": query[:MAX_QUERY], "opts": f"StartSel={MARKS[0]}, StopSel={MARKS[1]}, MaxWords=30, MinWords=12"}
        return [(row[0], row[1] or "") for row in db.session.execute(statement, params)]
    words = terms(query)
    if not words:
        return []
    # Each word quoted (no FTS5 syntax from the person), the last one as a prefix: "ratio" "tab"*
    match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
    statement = (select(SearchEntry.id,
                        text(f"snippet(search_fts, 1, '{MARKS[0]}', '{MARKS[1]}', '…', 24)"))
                 .join_from(SearchEntry, FTS, FTS.c.rowid == SearchEntry.id)
                 .where(text("search_fts MATCH :match"), scope)
                 .order_by(text("bm25(search_fts, 5.0, 1.0)"), SearchEntry.id)
                 .limit(LIMIT))
    return [(row[0], row[1] or "") for row in db.session.execute(statement, {"match": match})]


def _url(kind: str, source) -> str:
    if kind == "plan":
        return url_for("plans.show", plan_id=source.id)
    if kind == "comment":
        return url_for("plans.show", plan_id=source.plan_id, _anchor=f"comment-{source.id}")
    if kind == "study":
        return url_for("cycles.study", cycle_id=source.cycle_id)
    if kind == "note":
        return url_for("observations.record", record_id=source.id)
    if kind == "post":
        return url_for("discussions.show", session_id=source.thread.session_id, _anchor=f"post-{source.id}")
    if kind == "devcomment":
        return url_for("devplans.show", plan_id=source.plan_id, _anchor=f"comment-{source.id}")
    return url_for("library.show", item_id=source.id)


def search(user, query: str) -> list[Result]:
    query = (query or "").strip()
    if not terms(query):
        return []
    groups, devplans, hubs = readable_scopes(user)
    if not (groups or devplans or hubs):
        return []
    try:
        indexing.refresh(groups, devplans, hubs)
    except IntegrityError:  # another search indexed the same row at the same moment: theirs will do
        db.session.rollback()
    results: list[Result] = []
    for entry_id, excerpt in _matches(query, _scope_filter(groups, devplans, hubs)):
        entry = db.session.get(SearchEntry, entry_id)
        if entry is None:
            continue
        source = readable_source(user, entry.kind, entry.ref_id)  # checked again, whatever the query said
        if source is None:
            continue
        results.append(Result(entry.kind, KIND_LABELS.get(entry.kind, entry.kind), entry.title,
                              highlight(excerpt or entry.body[:200]), _url(entry.kind, source)))
    return results
