"""events: Ateliers, Clubs de réflexion, webinars and visits, what they present, registrations

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 19:45:00.000000
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import fsi.db


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('atelier', 'club', 'webinar', 'visit', name='eventkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('starts_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('video_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', fsi.db.UTCDateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 1', name=op.f('ck_event_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_event_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_event_created_by_id_user')),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_event_theme_id_theme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_starts_at'), ['starts_at'], unique=False)

    op.create_table('event_sheet',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_sheet_event_id_event')),
    sa.ForeignKeyConstraint(['sheet_id'], ['practice_sheet.id'], name=op.f('fk_event_sheet_sheet_id_practice_sheet')),
    sa.PrimaryKeyConstraint('event_id', 'sheet_id', name=op.f('pk_event_sheet'))
    )
    with op.batch_alter_table('event_sheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_sheet_sheet_id'), ['sheet_id'], unique=False)

    op.create_table('event_project',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_event_project_application_id_application')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_event_project_event_id_event')),
    sa.PrimaryKeyConstraint('event_id', 'application_id', name=op.f('pk_event_project'))
    )
    with op.batch_alter_table('event_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_project_application_id'), ['application_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waitlisted', 'cancelled', name='registrationstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('queued_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', fsi.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("attended IS NULL OR status = 'registered'", name=op.f('ck_registration_attended_if_registered')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_registration_event_id_event')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_registration_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('event_id', 'user_id', name=op.f('uq_registration_event_id'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_user_id'))
        batch_op.drop_index(batch_op.f('ix_registration_event_id'))
    op.drop_table('registration')
    with op.batch_alter_table('event_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_project_application_id'))
    op.drop_table('event_project')
    with op.batch_alter_table('event_sheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_sheet_sheet_id'))
    op.drop_table('event_sheet')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_starts_at'))
    op.drop_table('event')
