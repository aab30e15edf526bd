"""development plan delivery: aims, actions, PD sessions and attendance, half-termly progress with evidence

Revision ID: 5d1e7a3c9b20
Revises: c4e8a2d7f913
Create Date: 2026-12-07 07:40:00

Issue 17 (collab/devplans/delivery/models.py): new tables only, each hanging off dev_plan (deleted with it);
evidence rows store link targets (collab/web/targets.py), not URLs.
"""
from alembic import op
import sqlalchemy as sa

import collab.types


# revision identifiers, used by Alembic.
revision = '5d1e7a3c9b20'
down_revision = 'c4e8a2d7f913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_aim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('success_criteria', sa.Text(), nullable=False),
    sa.Column('evidence_of_need', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_plan_aim_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['dev_plan.id'], name=op.f('fk_plan_aim_plan_id_dev_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_aim'))
    )
    with op.batch_alter_table('plan_aim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_aim_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('aim_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['aim_id'], ['plan_aim.id'], name=op.f('fk_plan_action_aim_id_plan_aim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_plan_action_owner_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_action'))
    )
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_action_aim_id'), ['aim_id'], unique=False)

    op.create_table('pd_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('led_by_id', sa.Integer(), nullable=True),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['led_by_id'], ['user.id'], name=op.f('fk_pd_session_led_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['dev_plan.id'], name=op.f('fk_pd_session_plan_id_dev_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pd_session'))
    )
    with op.batch_alter_table('pd_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pd_session_plan_id'), ['plan_id'], unique=False)

    op.create_table('pd_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['pd_session.id'], name=op.f('fk_pd_attendance_session_id_pd_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_pd_attendance_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pd_attendance')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_pd_attendance_session_id'))
    )
    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('aim_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=7), nullable=False),
    sa.Column('half_term', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('on-track', 'some-concerns', 'off-track', 'done', name='progressstatus', native_enum=False, length=16), nullable=False),
    sa.Column('commentary', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['aim_id'], ['plan_aim.id'], name=op.f('fk_progress_update_aim_id_plan_aim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_progress_update_author_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update')),
    sa.UniqueConstraint('aim_id', 'school_year', 'half_term', name=op.f('uq_progress_update_aim_id'))
    )
    op.create_table('progress_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sa.String(length=32), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['progress_update.id'], name=op.f('fk_progress_evidence_update_id_progress_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_evidence'))
    )
    with op.batch_alter_table('progress_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_evidence_update_id'), ['update_id'], unique=False)


def downgrade():
    with op.batch_alter_table('progress_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_evidence_update_id'))
    op.drop_table('progress_evidence')
    op.drop_table('progress_update')
    op.drop_table('pd_attendance')
    with op.batch_alter_table('pd_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pd_session_plan_id'))
    op.drop_table('pd_session')
    with op.batch_alter_table('plan_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_action_aim_id'))
    op.drop_table('plan_action')
    with op.batch_alter_table('plan_aim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_aim_plan_id'))
    op.drop_table('plan_aim')
