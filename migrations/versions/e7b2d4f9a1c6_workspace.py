"""workspace: an "exploring maths together" session's shared document (task, board, what we noticed) and snapshots

Revision ID: e7b2d4f9a1c6
Revises: c4e81a2b7d53
Create Date: 2026-12-07 07:45:00

Issue 16 (collab/workspace/): one workspace per session, its Yjs document in the "workspace" room kind, and the
PNG snapshots of its board kept in the session's record.
"""
from alembic import op
import sqlalchemy as sa
import collab.types


# revision identifiers, used by Alembic.
revision = 'e7b2d4f9a1c6'
down_revision = 'c4e81a2b7d53'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workspace',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workspace_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['group_session.id'], name=op.f('fk_workspace_session_id_group_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['shared_document.id'], name=op.f('fk_workspace_document_id_shared_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace')),
    sa.UniqueConstraint('session_id', name=op.f('uq_workspace_session_id')),
    sa.UniqueConstraint('document_id', name=op.f('uq_workspace_document_id'))
    )
    op.create_table('board_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['taken_by_id'], ['user.id'], name=op.f('fk_board_snapshot_taken_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_board_snapshot_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_snapshot'))
    )
    with op.batch_alter_table('board_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_snapshot_workspace_id'), ['workspace_id'], unique=False)


def downgrade():
    with op.batch_alter_table('board_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_snapshot_workspace_id'))
    op.drop_table('board_snapshot')
    op.drop_table('workspace')
