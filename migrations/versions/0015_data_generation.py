"""data generation: one counter every writing transaction increases, so that each app server keeps
the aggregates it computed (dashboard, panorama, search counts) until the data changes (fsi.cache);
and an index for the API's list of applications, newest first

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 23:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('data_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_generation'))
    )
    op.bulk_insert(table, [{'id': 1, 'value': 1}])
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_created_at_id', ['created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_created_at_id')
    op.drop_table('data_generation')
