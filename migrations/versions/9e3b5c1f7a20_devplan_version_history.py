"""development plan versions: automatic versions and who took part

Revision ID: 9e3b5c1f7a20
Revises: 4b8e2c71d0a9
Create Date: 2026-12-07 05:00:00

Development plans get the lesson plans' history (collab/plans/versioning.py): a version may be automatic
(no name), and records the last update it includes and who wrote since the version before. Versions saved
before this keep their names and count as including nothing (0), so the next automatic version lists everyone.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e3b5c1f7a20'
down_revision = '4b8e2c71d0a9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dev_plan_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upto_update_id', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('contributors', sa.Text(), nullable=False, server_default=''))
        batch_op.alter_column('name', existing_type=sa.String(length=120), nullable=True)


def downgrade():
    op.execute("UPDATE dev_plan_version SET name = 'Automatic version' WHERE name IS NULL")
    with op.batch_alter_table('dev_plan_version', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=120), nullable=False)
        batch_op.drop_column('contributors')
        batch_op.drop_column('upto_update_id')
