"""observation photos: the tablet's id, so a retried upload makes no second photo

Revision ID: 4c2e8f1a9b6d
Revises: b3f1c8e6a47d
Create Date: 2026-12-07 07:40:00

A photo taken on an observation record is queued on the tablet (offline too) under an id the tablet makes; the
upload sends it, and an upload of an id the record already has returns that photo (docs/offline.md). Photos
uploaded before have none (NULLs never clash in the unique constraint).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c2e8f1a9b6d'
down_revision = 'b3f1c8e6a47d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('observation_photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_observation_photo_record_id'), ['record_id', 'client_id'])


def downgrade():
    with op.batch_alter_table('observation_photo', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_observation_photo_record_id'), type_='unique')
        batch_op.drop_column('client_id')
