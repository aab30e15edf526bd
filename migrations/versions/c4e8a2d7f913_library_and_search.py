"""library and search: published research cycles (frozen snapshots) and the search index

Revision ID: c4e8a2d7f913
Revises: e7b2d4f9a1c6
Create Date: 2026-12-07 07:40:00

Issue 17 (docs/library.md): published_item and published_row hold a published cycle as rows; search_entry is the
search index, with an FTS5 table `search_fts` and its triggers on SQLite, a GIN index on PostgreSQL.
"""
from alembic import op
import sqlalchemy as sa

import collab.types

# Copied from collab/search/models.py when this was written (a migration never changes).
SQLITE_CREATE = ["CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, content='search_entry', content_rowid='id', tokenize='porter unicode61')", 'CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_entry BEGIN INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END', "CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_entry BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END", "CREATE TRIGGER IF NOT EXISTS search_fts_au AFTER UPDATE ON search_entry BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END"]
SQLITE_DROP = ['DROP TRIGGER IF EXISTS search_fts_ai', 'DROP TRIGGER IF EXISTS search_fts_ad', 'DROP TRIGGER IF EXISTS search_fts_au', 'DROP TABLE IF EXISTS search_fts']
PG_CREATE = ["CREATE INDEX IF NOT EXISTS search_fts_gin ON search_entry USING gin (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, '')))"]
PG_DROP = ['DROP INDEX IF EXISTS search_fts_gin']


# revision identifiers, used by Alembic.
revision = 'c4e8a2d7f913'
down_revision = 'e7b2d4f9a1c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('published_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=True),
    sa.Column('work_group_id', sa.Integer(), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('research_question', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('plan_title', sa.String(length=200), nullable=False),
    sa.Column('plan_kind', sa.String(length=32), nullable=False),
    sa.Column('year_group', sa.String(length=40), nullable=False),
    sa.Column('key_stage', sa.String(length=40), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('plan_html', sa.Text(), nullable=False),
    sa.Column('plan_text', sa.Text(), nullable=False),
    sa.Column('plan_state', sa.LargeBinary(), nullable=False),
    sa.Column('group_label', sa.String(length=300), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.id'], name=op.f('fk_published_item_hub_id_hub'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cycle_id'], ['research_cycle.id'], name=op.f('fk_published_item_cycle_id_research_cycle'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['work_group_id'], ['work_group.id'], name=op.f('fk_published_item_work_group_id_work_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['lesson_plan.id'], name=op.f('fk_published_item_plan_id_lesson_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_published_item_published_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_item')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_published_item_cycle_id'))
    )
    with op.batch_alter_table('published_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_item_hub_id'), ['hub_id'], unique=False)
    op.create_table('published_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lesson', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('pupil', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('seen', sa.Integer(), nullable=False),
    sa.Column('not_seen', sa.Integer(), nullable=False),
    sa.Column('something_else', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['published_item.id'], name=op.f('fk_published_row_item_id_published_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_row'))
    )
    with op.batch_alter_table('published_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_row_item_id'), ['item_id'], unique=False)
    op.create_table('search_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('work_group_id', sa.Integer(), nullable=True),
    sa.Column('devplan_id', sa.Integer(), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('stamp', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['work_group_id'], ['work_group.id'], name=op.f('fk_search_entry_work_group_id_work_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['devplan_id'], ['dev_plan.id'], name=op.f('fk_search_entry_devplan_id_dev_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.id'], name=op.f('fk_search_entry_hub_id_hub'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
    sa.UniqueConstraint('kind', 'ref_id', name=op.f('uq_search_entry_kind'))
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_entry_work_group_id'), ['work_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entry_devplan_id'), ['devplan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entry_hub_id'), ['hub_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for sql in SQLITE_CREATE if dialect == 'sqlite' else PG_CREATE if dialect == 'postgresql' else []:
        op.execute(sql)


def downgrade():
    dialect = op.get_bind().dialect.name
    for sql in SQLITE_DROP if dialect == 'sqlite' else PG_DROP if dialect == 'postgresql' else []:
        op.execute(sql)
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_entry_hub_id'))
        batch_op.drop_index(batch_op.f('ix_search_entry_devplan_id'))
        batch_op.drop_index(batch_op.f('ix_search_entry_work_group_id'))
    op.drop_table('search_entry')
    with op.batch_alter_table('published_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_row_item_id'))
    op.drop_table('published_row')
    with op.batch_alter_table('published_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_item_hub_id'))
    op.drop_table('published_item')
