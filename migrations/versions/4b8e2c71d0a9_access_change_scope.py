"""access_change rows name what they affect

Revision ID: 4b8e2c71d0a9
Revises: d6a7ff1cd805
Create Date: 2026-12-07 05:10:00

A change of who may read or edit is announced by the service that makes it, for the rooms or people it
affects (collab/realtime/access.py). Rows written before this name neither: they count as "everything", as
every row did.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b8e2c71d0a9'
down_revision = 'd6a7ff1cd805'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('access_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_kind', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('object_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('access_change', schema=None) as batch_op:
        batch_op.drop_column('user_id')
        batch_op.drop_column('object_id')
        batch_op.drop_column('room_kind')
