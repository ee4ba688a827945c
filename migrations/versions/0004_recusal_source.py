"""no dead ends: a recusal keeps its conflict's source apart from the written reason, so the
minutes show it in the reader's language

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recusal', schema=None) as batch_op:
        # NULL on recusals recorded before: their reason already holds the French label
        batch_op.add_column(sa.Column('source', sa.Enum('organisation', 'declared', 'staff', name='conflictsource',
                                                        native_enum=False, create_constraint=True, length=20),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('recusal', schema=None) as batch_op:
        batch_op.drop_column('source')
