"""reviews in the record: a review's state in its own workflow, reviews set aside (who, why)

Each review gets the state of workflows/review.yaml: a submitted one is ``submitted`` and its
submission is written in the hash-chained log (the event a submission writes from now on: the
reviewer, the submission time, the scores and a hash of the content), so that ``flask fsi audit
verify`` passes and proves the scores already given; the others (drafts, reviews reopened by a
revised application) are ``draft``, the initial state, which needs no event.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 16:10:00
"""
import hashlib

from alembic import op
import sqlalchemy as sa
import sqlmodel
import fsi.db
from fsi.workflow.events import GENESIS_HASH, canonical_json, event_hash


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: workflows/review.yaml as of this revision
STATES = ('draft', 'submitted', 'reopened', 'excluded')
WORKFLOW_VERSION = 1
NOTE = "Évaluation soumise avant que les évaluations aient leur journal : inscrite lors de la mise à jour 0007."

review = sa.table('review', sa.column('id', sa.Integer), sa.column('assignment_id', sa.Integer),
                  sa.column('recommendation', sa.String), sa.column('confidence', sa.Integer),
                  sa.column('general_comment', sa.Text), sa.column('submitted_at', fsi.db.UTCDateTime),
                  sa.column('state', sa.String))
score = sa.table('review_score', sa.column('review_id', sa.Integer), sa.column('criterion_id', sa.Integer),
                 sa.column('score', sa.Integer), sa.column('comment', sa.Text))
assignment = sa.table('assignment', sa.column('id', sa.Integer), sa.column('reviewer_id', sa.Integer))
event = sa.table('workflow_event', sa.column('workflow', sa.String), sa.column('object_id', sa.Integer),
                 sa.column('seq', sa.Integer), sa.column('trigger', sa.String), sa.column('from_state', sa.String),
                 sa.column('to_state', sa.String), sa.column('actor_id', sa.Integer),
                 sa.column('created_at', fsi.db.UTCDateTime), sa.column('comment', sa.Text),
                 sa.column('data', sa.JSON), sa.column('workflow_version', sa.Integer),
                 sa.column('prev_hash', sa.String), sa.column('hash', sa.String))


class _Event:
    """What ``event_hash`` reads of an event."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


def record(row, scores):
    """The record a review event carries (fsi.review.record.review_record, as of this revision)."""
    scores = sorted(scores, key=lambda s: s.criterion_id)
    content = {"scores": {str(s.criterion_id): s.score for s in scores},
               "comments": {str(s.criterion_id): s.comment for s in scores},
               "recommendation": row.recommendation, "confidence": row.confidence,
               "general_comment": row.general_comment}
    return {"scores": content["scores"], "recommendation": row.recommendation, "confidence": row.confidence,
            "content_hash": hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()}


def log_submitted_reviews(bind):
    """Write the submission event of every submitted review that has none (seq 1 of its log)."""
    logged = set(bind.execute(sa.select(event.c.object_id).where(event.c.workflow == 'review')).scalars())
    rows = bind.execute(sa.select(review, assignment.c.reviewer_id)
                        .join(assignment, assignment.c.id == review.c.assignment_id)
                        .where(review.c.submitted_at.is_not(None)).order_by(review.c.id)).all()
    for row in rows:
        if row.id in logged:
            continue
        scores = bind.execute(sa.select(score).where(score.c.review_id == row.id)).all()
        fields = dict(workflow='review', object_id=row.id, seq=1, trigger='submit', from_state='draft',
                      to_state='submitted', actor_id=row.reviewer_id, created_at=row.submitted_at, comment=NOTE,
                      data={"record": record(row, scores)}, workflow_version=WORKFLOW_VERSION,
                      prev_hash=GENESIS_HASH)
        bind.execute(event.insert().values(**fields, hash=event_hash(_Event(**fields))))


def upgrade():
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False,
                                      server_default='draft'))
        batch_op.add_column(sa.Column('set_aside_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('set_aside_at', fsi.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('set_aside_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_review_state'), ['state'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_review_set_aside_by_id_user'), 'user', ['set_aside_by_id'], ['id'])
        batch_op.create_check_constraint('state_known', f"state IN ({', '.join(repr(s) for s in STATES)})")
    bind = op.get_bind()
    bind.execute(review.update().where(review.c.submitted_at.is_not(None)).values(state='submitted'))
    log_submitted_reviews(bind)


def downgrade():
    # the review log goes with the states it replays; set-aside reviews come back as they were saved
    op.execute(event.delete().where(event.c.workflow == 'review'))
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_review_state_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_review_set_aside_by_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_review_state'))
        batch_op.drop_column('set_aside_reason')
        batch_op.drop_column('set_aside_at')
        batch_op.drop_column('set_aside_by_id')
        batch_op.drop_column('state')
