"""activity and notification links stored as targets

Revision ID: d6a7ff1cd805
Revises: 7c41e2a9d0b3
Create Date: 2026-12-07 03:57:00

An activity entry or a notification stored the path it linked to; it now stores what it links to (a kind and
an id, collab/web/targets.py) and the path is built when shown. Upgrading parses the stored paths (the app's
own routes, as the services wrote them); a path that matches none of them leaves the row without a link.
Downgrading writes the paths back.
"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6a7ff1cd805'
down_revision = '7c41e2a9d0b3'
branch_labels = None
depends_on = None

TABLES = ('activity', 'notification')

# The paths the services stored, each with the kind of target it names. An optional prefix: url_for under
# a script root (a Work Group's link was built with url_for when in a request).
PATHS = [
    (re.compile(r'(?:/.*)?/groups/(\d+)'), 'group'),
    (re.compile(r'(?:/.*)?/sessions/(\d+)'), 'session'),
    (re.compile(r'(?:/.*)?/plans/(\d+)'), 'lesson-plan'),
    (re.compile(r'(?:/.*)?/visits/(\d+)'), 'visit'),
    (re.compile(r'(?:/.*)?/devplans/\d+/rounds/(\d+)'), 'devplan-round'),
    (re.compile(r'(?:/.*)?/devplans/\d+#comment-(\d+)'), 'devplan-comment'),
    (re.compile(r'(?:/.*)?/devplans/(\d+)(?:#.*)?'), 'devplan'),
]


def parse(link):
    """(kind, id) for a stored path, or (None, None)."""
    for pattern, kind in PATHS:
        match = pattern.fullmatch(link or '')
        if match:
            return kind, int(match.group(1))
    return None, None


def upgrade():
    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.add_column(sa.Column('target_kind', sa.String(length=32), nullable=True))
            batch_op.add_column(sa.Column('target_id', sa.Integer(), nullable=True))

    conn = op.get_bind()
    for name in TABLES:
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('link', sa.String),
                         sa.column('target_kind', sa.String), sa.column('target_id', sa.Integer))
        rows = []
        for row_id, link in conn.execute(sa.select(table.c.id, table.c.link)):
            kind, target_id = parse(link)
            if kind is not None:
                rows.append({'row_id': row_id, 'new_kind': kind, 'new_id': target_id})
        if rows:
            conn.execute(table.update().where(table.c.id == sa.bindparam('row_id'))
                         .values(target_kind=sa.bindparam('new_kind'), target_id=sa.bindparam('new_id')), rows)

    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('link')


def downgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=True))
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=False, server_default=''))

    conn = op.get_bind()
    rounds = dict(conn.execute(sa.text('SELECT id, plan_id FROM critique_round')).all())
    comments = dict(conn.execute(sa.text('SELECT id, plan_id FROM dev_plan_comment')).all())

    def path(kind, target_id):
        if kind == 'devplan-round' and target_id in rounds:
            return f'/devplans/{rounds[target_id]}/rounds/{target_id}'
        if kind == 'devplan-comment' and target_id in comments:
            return f'/devplans/{comments[target_id]}#comment-{target_id}'
        prefix = {'group': '/groups', 'session': '/sessions', 'lesson-plan': '/plans', 'visit': '/visits',
                  'devplan': '/devplans'}.get(kind)
        return f'{prefix}/{target_id}' if prefix and target_id is not None else None

    for name in TABLES:
        table = sa.table(name, sa.column('id', sa.Integer), sa.column('link', sa.String),
                         sa.column('target_kind', sa.String), sa.column('target_id', sa.Integer))
        rows = [{'row_id': row_id, 'new_link': link}
                for row_id, kind, target_id in conn.execute(sa.select(table.c.id, table.c.target_kind,
                                                                      table.c.target_id))
                if (link := path(kind, target_id)) is not None]
        if rows:
            conn.execute(table.update().where(table.c.id == sa.bindparam('row_id'))
                         .values(link=sa.bindparam('new_link')), rows)

    for name in TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_column('target_id')
            batch_op.drop_column('target_kind')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.alter_column('link', server_default=None)
