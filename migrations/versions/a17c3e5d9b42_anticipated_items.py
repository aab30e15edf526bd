"""anticipated items: a visit's copy of its plan's anticipated responses and case pupils' predictions

Revision ID: a17c3e5d9b42
Revises: 8e2fcb204b37
Create Date: 2026-12-07 07:10:00

Issue 17 (collab/observations/anticipated/): observers tag these items in their records' documents by id, so
they are rows copied when the visit is set up or refreshed from the plan, not read live from the plan.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a17c3e5d9b42'
down_revision = '8e2fcb204b37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('anticipated_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('pupil', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('in_plan', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_anticipated_item_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anticipated_item'))
    )
    with op.batch_alter_table('anticipated_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anticipated_item_visit_id'), ['visit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('anticipated_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anticipated_item_visit_id'))
    op.drop_table('anticipated_item')
