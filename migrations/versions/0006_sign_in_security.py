"""sign-in security: sessions revoked at logout, two-factor sign-in (TOTP), recovery codes,
remembered devices

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import fsi.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


ATTEMPT_KINDS = ('password', 'second_factor', 'reset')
EVENT_KINDS = ('two_factor_enabled', 'two_factor_disabled', 'two_factor_reset', 'codes_renewed', 'signed_out_all')


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', fsi.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))

    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        # the attempts recorded before were all passwords
        batch_op.add_column(sa.Column('kind', sa.Enum(*ATTEMPT_KINDS, name='attemptkind', native_enum=False,
                                                      create_constraint=True, length=20),
                                      nullable=False, server_default='password'))
        batch_op.create_index(batch_op.f('ix_login_attempt_kind'), ['kind'], unique=False)

    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('used_at', fsi.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code'))
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)

    op.create_table('trusted_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('expires_at', fsi.db.UTCDateTime(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_trusted_device_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_device')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_trusted_device_token_hash'))
    )
    with op.batch_alter_table('trusted_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trusted_device_user_id'), ['user_id'], unique=False)

    op.create_table('account_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum(*EVENT_KINDS, name='accounteventkind', native_enum=False, create_constraint=True,
                              length=20), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_account_event_actor_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_event_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_event'))
    )
    with op.batch_alter_table('account_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_event_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_event_user_id'))
    op.drop_table('account_event')
    with op.batch_alter_table('trusted_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trusted_device_user_id'))
    op.drop_table('trusted_device')
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_attempt_kind'))
        batch_op.drop_column('kind')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
