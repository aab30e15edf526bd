"""lesson and transition plans: anchored comments

Revision ID: b3f1c8e6a47d
Revises: 9e3b5c1f7a20
Create Date: 2026-12-07 07:00:00

Comments on a lesson or transition plan's text, with replies and resolving: the columns development plans'
comments have (collab/comments/models.py), in a table of their own that goes with its plan.
"""
from alembic import op
import sqlalchemy as sa

import collab.types


# revision identifiers, used by Alembic.
revision = 'b3f1c8e6a47d'
down_revision = '9e3b5c1f7a20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('anchor_start', sa.String(length=200), nullable=False),
    sa.Column('anchor_end', sa.String(length=200), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('resolved_at', collab.types.UTCDateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_plan_comment_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['plan_comment.id'], name=op.f('fk_plan_comment_parent_id_plan_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['lesson_plan.id'], name=op.f('fk_plan_comment_plan_id_lesson_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_plan_comment_resolved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_comment')),
    sa.UniqueConstraint('client_id', name=op.f('uq_plan_comment_client_id'))
    )
    with op.batch_alter_table('plan_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_comment_plan_id'), ['plan_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_comment_plan_id'))

    op.drop_table('plan_comment')
