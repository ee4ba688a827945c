"""the FSI's national circuit beside the regional one: a call's and an application's circuit,
the CGLLS's calendar, transmissions and national decisions; receipt date, completion deadline,
VAT, the minimum cost's base and joint projects' ceiling rule; automatic eligibility items;
letters' addressee; the renamed EPCI (Estérel Côte d'Azur Agglomération since 2021)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 15:13:28
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import fsi.db


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

OLD_STATES = ('draft', 'submitted', 'returned', 'ineligible', 'eligible', 'in_review', 'reviewed', 'scheduled',
              'approved', 'rejected', 'deferred', 'in_progress', 'final_report', 'closed', 'disseminated',
              'withdrawn', 'abandoned')
#: both circuits (application.yaml, application_fsi.yaml) as of this revision
STATES = OLD_STATES + ('renounced', 'lapsed', 'opinion_given', 'at_federation', 'at_cglls')
#: the FSI's default checklist items and the rule that now answers each
AUTOMATIC = {"Le projet n'a pas commencé avant le dépôt du dossier": "started_after_receipt",
             "Le plafond de 36 mois est respecté": "ceiling",
             "Le coût du projet atteint le minimum du règlement": "minimum_cost"}


def upgrade():
    op.create_table('national_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meets_on', sa.Date(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_national_session'))
    )
    with op.batch_alter_table('national_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_national_session_meets_on'), ['meets_on'], unique=False)

    op.create_table('transmission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.Enum('federation', 'cglls', name='recipient', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('national_session_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_transmission_application_id_application')),
    sa.ForeignKeyConstraint(['national_session_id'], ['national_session.id'], name=op.f('fk_transmission_national_session_id_national_session')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_transmission_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transmission'))
    )
    with op.batch_alter_table('transmission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transmission_application_id'), ['application_id'], unique=False)

    op.create_table('national_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('granted', 'refused', 'adjourned', name='nationaloutcome', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('national_session_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('notification_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', fsi.db.UTCDateTime(), nullable=False),
    sa.CheckConstraint("outcome != 'granted' OR amount IS NOT NULL", name=op.f('ck_national_decision_granted_amount')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_national_decision_application_id_application')),
    sa.ForeignKeyConstraint(['national_session_id'], ['national_session.id'], name=op.f('fk_national_decision_national_session_id_national_session')),
    sa.ForeignKeyConstraint(['notification_id'], ['attachment.id'], name=op.f('fk_national_decision_notification_id_attachment')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_national_decision_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_national_decision'))
    )
    with op.batch_alter_table('national_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_national_decision_application_id'), ['application_id'], unique=False)

    with op.batch_alter_table('application', schema=None) as batch_op:
        # existing files keep the regional circuit, and recovered VAT as before
        batch_op.add_column(sa.Column('circuit', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False,
                                      server_default='application'))
        batch_op.add_column(sa.Column('received_at', fsi.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('completion_deadline', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('vat_recoverable', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.drop_constraint(batch_op.f('ck_application_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', f"state IN ({', '.join(repr(s) for s in STATES)})")

    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('circuit', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False,
                                      server_default='application'))
        # the fund's minimum is a cost tax included (the HT total was compared before)
        batch_op.add_column(sa.Column('min_cost_includes_tax', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('joint_grant_split', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False,
                                      server_default='lead'))

    with op.batch_alter_table('eligibility_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
    with op.batch_alter_table('eligibility_check', schema=None) as batch_op:
        # FSI answers the automatic items itself: no one checked them
        batch_op.alter_column('checked_by_id', existing_type=sa.Integer(), nullable=True)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('director_name', sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('postal_address', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_agenda_item_outcome'), type_='check')
        batch_op.create_check_constraint('outcome', "outcome IN ('approved', 'rejected', 'deferred', 'opinion')")

    bind = op.get_bind()
    # a file's date of receipt: its first submission
    bind.execute(sa.text(
        "UPDATE application SET received_at = (SELECT MIN(e.created_at) FROM workflow_event e "
        "WHERE e.workflow = 'application' AND e.object_id = application.id AND e.trigger = 'submit')"))
    bind.execute(sa.text("UPDATE territory SET epci = :new WHERE epci = :old"),
                 {"new": "Estérel Côte d'Azur Agglomération", "old": "Var Estérel Méditerranée"})
    # the FSI's default items FSI can now answer itself
    items = sa.table('eligibility_item', sa.column('id', sa.Integer), sa.column('label', sa.JSON),
                     sa.column('rule', sa.String))
    for item_id, label in bind.execute(sa.select(items.c.id, items.c.label)).all():
        rule = AUTOMATIC.get((label or {}).get("fr"))
        if rule:
            bind.execute(items.update().where(items.c.id == item_id).values(rule=rule))


def downgrade():
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE territory SET epci = :old WHERE epci = :new"),
                 {"new": "Estérel Côte d'Azur Agglomération", "old": "Var Estérel Méditerranée"})
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_agenda_item_outcome'), type_='check')
        batch_op.create_check_constraint('outcome', "outcome IN ('approved', 'rejected', 'deferred')")
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('postal_address')
        batch_op.drop_column('director_name')

    with op.batch_alter_table('eligibility_check', schema=None) as batch_op:
        batch_op.alter_column('checked_by_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('eligibility_item', schema=None) as batch_op:
        batch_op.drop_column('rule')

    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_column('joint_grant_split')
        batch_op.drop_column('min_cost_includes_tax')
        batch_op.drop_column('circuit')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_application_state_known'), type_='check')
        batch_op.create_check_constraint('state_known', f"state IN ({', '.join(repr(s) for s in OLD_STATES)})")
        batch_op.drop_column('vat_recoverable')
        batch_op.drop_column('completion_deadline')
        batch_op.drop_column('received_at')
        batch_op.drop_column('circuit')

    with op.batch_alter_table('national_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_national_decision_application_id'))

    op.drop_table('national_decision')
    with op.batch_alter_table('transmission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transmission_application_id'))

    op.drop_table('transmission')
    with op.batch_alter_table('national_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_national_session_meets_on'))

    op.drop_table('national_session')
