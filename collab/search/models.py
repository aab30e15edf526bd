"""The search index: one row per searchable thing (a plan, a study document, an observation record's notes, a
post, a comment, a library item), with the scope that decides who may see it (its Work Group, development plan or
hub). The row is a copy for searching only: results are re-read from, and re-checked against, the source.

Full text: on SQLite an external-content FTS5 table `search_fts` over (title, body), kept in step with this table
by triggers; on PostgreSQL a GIN index over to_tsvector('english', title || ' ' || body). Both are made by the
migration and, for the test schema built with create_all, by the DDL below (the schema test ignores `search_fts*`)."""

from __future__ import annotations

from sqlalchemy import DDL, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from collab.extensions import db

__all__ = ["SearchEntry"]

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, content='search_entry', "
    "content_rowid='id', tokenize='porter unicode61')",
    "CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_fts_ai", "DROP TRIGGER IF EXISTS search_fts_ad",
               "DROP TRIGGER IF EXISTS search_fts_au", "DROP TABLE IF EXISTS search_fts"]
PG_VECTOR = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))"
PG_CREATE = [f"CREATE INDEX IF NOT EXISTS search_fts_gin ON search_entry USING gin ({PG_VECTOR})"]
PG_DROP = ["DROP INDEX IF EXISTS search_fts_gin"]


class SearchEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # plan, study, note, post, comment, devcomment, library
    ref_id: Mapped[int]  # the source row's id
    work_group_id: Mapped[int | None] = mapped_column(ForeignKey("work_group.id", ondelete="CASCADE"), index=True)
    devplan_id: Mapped[int | None] = mapped_column(ForeignKey("dev_plan.id", ondelete="CASCADE"), index=True)
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hub.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    stamp: Mapped[str] = mapped_column(String(64), default="")  # which version of the source this copies

    __table_args__ = (UniqueConstraint("kind", "ref_id"),)


for _sql in SQLITE_CREATE:
    event.listen(SearchEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in PG_CREATE:
    event.listen(SearchEntry.__table__, "after_create", DDL(_sql).execute_if(dialect="postgresql"))
for _sql in SQLITE_DROP:
    event.listen(SearchEntry.__table__, "before_drop", DDL(_sql).execute_if(dialect="sqlite"))
for _sql in PG_DROP:
    event.listen(SearchEntry.__table__, "before_drop", DDL(_sql).execute_if(dialect="postgresql"))
