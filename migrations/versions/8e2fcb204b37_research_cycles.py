"""research cycles: the Work Group's research theme, cycles, their sessions and study document, revised plans

Revision ID: 8e2fcb204b37
Revises: 4c2e8f1a9b6d
Create Date: 2026-12-07 06:52:31

Issue 17 (collab/cycles/models.py): every new table points at rows of other domains (work_group, lesson_plan,
group_session, shared_document); no existing table changes.
"""
from alembic import op
import sqlalchemy as sa

import collab.types


# revision identifiers, used by Alembic.
revision = '8e2fcb204b37'
down_revision = '4c2e8f1a9b6d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('research_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_group_id', sa.Integer(), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_research_theme_updated_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['work_group_id'], ['work_group.id'], name=op.f('fk_research_theme_work_group_id_work_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_theme')),
    sa.UniqueConstraint('work_group_id', name=op.f('uq_research_theme_work_group_id'))
    )
    op.create_table('plan_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('revised_from_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_plan_revision_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['lesson_plan.id'], name=op.f('fk_plan_revision_plan_id_lesson_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revised_from_id'], ['lesson_plan.id'], name=op.f('fk_plan_revision_revised_from_id_lesson_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['group_session.id'], name=op.f('fk_plan_revision_session_id_group_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_revision')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_plan_revision_plan_id')),
    sa.UniqueConstraint('revised_from_id', name=op.f('uq_plan_revision_revised_from_id'))
    )
    op.create_table('research_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('research_question', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('in-progress', 'finished', name='cyclestatus', native_enum=False, length=32), nullable=False),
    sa.Column('research_plan_id', sa.Integer(), nullable=True),
    sa.Column('plan_linked_by_id', sa.Integer(), nullable=True),
    sa.Column('plan_linked_at', collab.types.UTCDateTime(), nullable=True),
    sa.Column('revised_plan_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.Column('finished_at', collab.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_research_cycle_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_linked_by_id'], ['user.id'], name=op.f('fk_research_cycle_plan_linked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['research_plan_id'], ['lesson_plan.id'], name=op.f('fk_research_cycle_research_plan_id_lesson_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revised_plan_id'], ['lesson_plan.id'], name=op.f('fk_research_cycle_revised_plan_id_lesson_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['work_group_id'], ['work_group.id'], name=op.f('fk_research_cycle_work_group_id_work_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_research_cycle'))
    )
    with op.batch_alter_table('research_cycle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_research_cycle_work_group_id'), ['work_group_id'], unique=False)

    op.create_table('cycle_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('research', 'revised', name='sessionpurpose', native_enum=False, length=32), nullable=False),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['research_cycle.id'], name=op.f('fk_cycle_session_cycle_id_research_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_by_id'], ['user.id'], name=op.f('fk_cycle_session_linked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['group_session.id'], name=op.f('fk_cycle_session_session_id_group_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_session')),
    sa.UniqueConstraint('session_id', name=op.f('uq_cycle_session_session_id'))
    )
    with op.batch_alter_table('cycle_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_session_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('study_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_study_document_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cycle_id'], ['research_cycle.id'], name=op.f('fk_study_document_cycle_id_research_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['shared_document.id'], name=op.f('fk_study_document_document_id_shared_document')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_document')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_study_document_cycle_id')),
    sa.UniqueConstraint('document_id', name=op.f('uq_study_document_document_id'))
    )


def downgrade():
    op.drop_table('study_document')
    with op.batch_alter_table('cycle_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_session_cycle_id'))

    op.drop_table('cycle_session')
    with op.batch_alter_table('research_cycle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_research_cycle_work_group_id'))

    op.drop_table('research_cycle')
    op.drop_table('plan_revision')
    op.drop_table('research_theme')
