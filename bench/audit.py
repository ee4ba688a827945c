"""``bench/audit [--events 1000000] [--database sqlite|postgresql|both]``: ``flask fsi audit verify``
over a million events, streaming.

A database of its own (bench/_resilience.py) is filled with a valid hash chain, bulk-inserted:
applications of one call, each with ``--per-object`` events (submit, then return for completion /
complete back and forth: legal steps, so the replay passes), their rows in the replayed state. Then
``flask fsi audit verify`` runs in a child process, first on a tenth of the events, then on all of
them: its time and its peak memory (ru_maxrss) at both sizes show that memory stays flat (it
would grow tenfold if verify loaded the log). Also timed: ``current_head_hash()`` (what closing a
committee session records), which must equal verify's head hash.
"""
import argparse
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from _resilience import create_schema, flask, make_app, own_database

BATCH = 10000


def cycle(per_object):
    """(trigger, from, to) of one object's events: submit, then return/complete alternately."""
    steps = [("submit", "draft", "submitted")]
    while len(steps) < per_object:
        steps.append(("return_for_completion", "submitted", "returned") if steps[-1][2] == "submitted"
                     else ("complete", "returned", "submitted"))
    return steps


def fill(app, first_object, objects, per_object, call_id, organisation_id):
    """Bulk-insert ``objects`` applications and their ``per_object`` events each."""
    from sqlalchemy import insert

    from fsi.applications.models import Application
    from fsi.db import db
    from fsi.workflow.definitions import get_workflow
    from fsi.workflow.events import GENESIS_HASH, event_hash
    from fsi.workflow.models import WorkflowEvent

    steps = cycle(per_object)
    version = get_workflow("application").version
    start = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    with app.app_context():
        apps, events = [], []

        def flush():
            if apps:
                db.session.execute(insert(Application.__table__), apps)
            if events:
                db.session.execute(insert(WorkflowEvent.__table__), events)
            apps.clear()
            events.clear()

        for object_id in range(first_object, first_object + objects):
            when = start + timedelta(minutes=object_id)
            apps.append(dict(id=object_id, reference=f"BENCH-{object_id:07d}", call_id=call_id,
                             organisation_id=organisation_id, state=steps[-1][2], circuit="application",
                             title=f"Projet {object_id}", requested_amount=Decimal("40000.00"), created_at=when,
                             received_at=when, summary=""))
            previous = GENESIS_HASH
            for seq, (trigger, source, dest) in enumerate(steps, start=1):
                event = SimpleNamespace(
                    workflow="application", object_id=object_id, seq=seq, trigger=trigger, from_state=source,
                    to_state=dest, actor_id=None, created_at=when + timedelta(seconds=seq),
                    comment="Pièce manquante" if trigger == "return_for_completion" else None, data={},
                    workflow_version=version, prev_hash=previous)
                event.hash = previous = event_hash(event)
                events.append(vars(event))
            if len(events) >= BATCH:
                flush()
        flush()
        db.session.commit()


def head_hash_seconds(app):
    """current_head_hash(checkpoint=True) as closing a session calls it, twice: the first reads
    every event since the last checkpoint (and writes one), the second only what came after."""
    from fsi.db import db
    from fsi.workflow.audit import current_head_hash
    times = []
    for _ in range(2):
        with app.app_context():
            start = time.perf_counter()
            head = current_head_hash(checkpoint=True)
            db.session.commit()
            times.append(time.perf_counter() - start)
    return head, times


def run(kind, total, per_object):
    from tests.factories import create_call, create_organisation
    report = []
    with own_database(kind, "audit") as url:
        app = make_app(url)
        create_schema(app)
        with app.app_context():
            from fsi.db import db
            call, organisation = create_call(), create_organisation()
            call_id, organisation_id = call.id, organisation.id
            db.session.commit()
        objects = total // per_object
        done = 0
        for target in (objects // 10, objects):
            start = time.perf_counter()
            fill(app, done + 1, target - done, per_object, call_id, organisation_id)
            insert_s = time.perf_counter() - start
            done = target
            head, head_s = head_hash_seconds(app)
            code, out, seconds, peak = flask(url, "fsi", "audit", "verify")
            ok = code == 0 and head in out
            print(f"[{kind}] {done * per_object:>9} events ({done} objects): bulk insert {insert_s:6.1f} s, "
                  f"audit verify {seconds:6.1f} s (exit {code}), peak RSS {peak:6.1f} MiB; "
                  f"head hash at a session's close: {head_s[0] * 1000:.1f} ms from the last checkpoint, then "
                  f"{head_s[1] * 1000:.1f} ms from the one it wrote; equal to verify's: {head in out}", flush=True)
            if code:
                print(out)
            report.append((done * per_object, seconds, peak, head_s, ok))
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-object", type=int, default=20)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    failed = False
    for kind in kinds:
        (small, s_small, m_small, _h1, ok1), (big, s_big, m_big, _h2, ok2) = run(kind, args.events, args.per_object)
        flat = m_big <= 1.25 * m_small
        print(f"[{kind}] verify {big} events in {s_big:.1f} s (target < 60 s: {'met' if s_big < 60 else 'MISSED'}); "
              f"peak memory {m_small:.0f} MiB at {small} events, {m_big:.0f} MiB at {big}: "
              f"{'flat' if flat else 'GROWS'}")
        failed |= not (ok1 and ok2 and flat and s_big < 60)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
