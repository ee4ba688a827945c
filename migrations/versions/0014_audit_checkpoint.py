"""audit checkpoint: the log's head sum up to an event id, so that closing a committee session
computes the head hash from the last checkpoint on instead of replaying the whole log

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 20:50:00
"""
from alembic import op
import sqlalchemy as sa
import fsi.db


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upto_event_id', sa.Integer(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('digest', sa.Text(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoint'))
    )
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_checkpoint_upto_event_id'), ['upto_event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_checkpoint_upto_event_id'))
    op.drop_table('audit_checkpoint')
