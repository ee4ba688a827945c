"""usability: call automation (start the review once reviewers are assigned, close it once every
review is in), committee sessions brought forward, internal notes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import fsi.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('call', schema=None) as batch_op:
        # off for every existing call, as before
        batch_op.add_column(sa.Column('auto_start_review', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('auto_complete_review', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table('internal_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workflow', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_internal_note_author_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internal_note'))
    )
    with op.batch_alter_table('internal_note', schema=None) as batch_op:
        batch_op.create_index('ix_internal_note_object', ['workflow', 'object_id'], unique=False)
    with op.batch_alter_table('committee_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_starts_at', fsi.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('brought_forward_at', fsi.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('brought_forward_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_committee_session_brought_forward_by_id_user'), 'user',
                                    ['brought_forward_by_id'], ['id'])


def downgrade():
    op.drop_table('internal_note')
    with op.batch_alter_table('committee_session', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_committee_session_brought_forward_by_id_user'), type_='foreignkey')
        batch_op.drop_column('brought_forward_by_id')
        batch_op.drop_column('brought_forward_at')
        batch_op.drop_column('planned_starts_at')
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_column('auto_complete_review')
        batch_op.drop_column('auto_start_review')
