"""set-aside document updates

Revision ID: 7c41e2a9d0b3
Revises: 2d0b00f25e74
Create Date: 2026-12-07 01:20:00

"""
from alembic import op
import sqlalchemy as sa

import collab.types


# revision identifiers, used by Alembic.
revision = '7c41e2a9d0b3'
down_revision = '2d0b00f25e74'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('set_aside_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('set_aside_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['shared_document.id'], name=op.f('fk_set_aside_update_document_id_shared_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_set_aside_update_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_set_aside_update'))
    )
    with op.batch_alter_table('set_aside_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_set_aside_update_document_id'), ['document_id'], unique=False)


def downgrade():
    with op.batch_alter_table('set_aside_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_set_aside_update_document_id'))

    op.drop_table('set_aside_update')
