"""attendance marks: who was at a session (present, absent, apologies), marked by the lead or the host

Revision ID: c4e81a2b7d53
Revises: a17c3e5d9b42
Create Date: 2026-12-07 07:40:00

Issue 17 (collab/reports/): the register of each session, beside the invitations and replies (attendance),
for the Work Group's year at a glance and the hub's evaluation exports.
"""
from alembic import op
import sqlalchemy as sa
import collab.types


# revision identifiers, used by Alembic.
revision = 'c4e81a2b7d53'
down_revision = 'a17c3e5d9b42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('presence', sa.Enum('present', 'absent', 'apologies', name='presence', native_enum=False,
                                  length=16), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['group_session.id'], name=op.f('fk_attendance_mark_session_id_group_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attendance_mark_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['user.id'], name=op.f('fk_attendance_mark_marked_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_mark')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_attendance_mark_session_id'))
    )
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_mark_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_mark_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_mark_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_mark_session_id'))
    op.drop_table('attendance_mark')
