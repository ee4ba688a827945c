"""sheets: practice sheets (fiches d'expérience, workflows/sheet.yaml), the attachments they show,
their reproductions by other housing bodies (essaimage)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 19:18:01.684939
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import fsi.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('actions', sa.Text(), nullable=False),
    sa.Column('novelty', sa.Text(), nullable=False),
    sa.Column('budget', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('reproduce', sa.Text(), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('contact_role', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('published_at', fsi.db.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'in_review', 'returned', 'published', 'unpublished')", name=op.f('ck_practice_sheet_state_known')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_practice_sheet_application_id_application')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_practice_sheet_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_sheet')),
    sa.UniqueConstraint('application_id', name=op.f('uq_practice_sheet_application_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_practice_sheet_slug'))
    )
    with op.batch_alter_table('practice_sheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_sheet_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_practice_sheet_state'), ['state'], unique=False)
    op.create_table('reproduction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('territory_id', sa.Integer(), nullable=True),
    sa.Column('reproduced_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', fsi.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['declared_by_id'], ['user.id'], name=op.f('fk_reproduction_declared_by_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_reproduction_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['sheet_id'], ['practice_sheet.id'], name=op.f('fk_reproduction_sheet_id_practice_sheet')),
    sa.ForeignKeyConstraint(['territory_id'], ['territory.id'], name=op.f('fk_reproduction_territory_id_territory')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reproduction'))
    )
    with op.batch_alter_table('reproduction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reproduction_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reproduction_sheet_id'), ['sheet_id'], unique=False)
    op.create_table('sheet_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=False),
    sa.Column('alt_text', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['attachment.id'], name=op.f('fk_sheet_attachment_attachment_id_attachment')),
    sa.ForeignKeyConstraint(['sheet_id'], ['practice_sheet.id'], name=op.f('fk_sheet_attachment_sheet_id_practice_sheet')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sheet_attachment')),
    sa.UniqueConstraint('sheet_id', 'attachment_id', name=op.f('uq_sheet_attachment_sheet_id'))
    )
    with op.batch_alter_table('sheet_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sheet_attachment_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sheet_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sheet_attachment_sheet_id'))

    op.drop_table('sheet_attachment')
    with op.batch_alter_table('reproduction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reproduction_sheet_id'))
        batch_op.drop_index(batch_op.f('ix_reproduction_organisation_id'))

    op.drop_table('reproduction')
    with op.batch_alter_table('practice_sheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_sheet_state'))
        batch_op.drop_index(batch_op.f('ix_practice_sheet_published_at'))

    op.drop_table('practice_sheet')
