"""``bench/transitions [--fires 500] [--list 10000] [--database sqlite|postgresql|both]``: the cost of
firing a transition end to end, as a ratio to the floor, and the memory of listing actions.

1. In one process, on one database of its own: ``--fires`` applications submitted (a valid
   ``submit`` event each) are returned for completion by a staff member, one request-like unit
   each: ``fsi.workflow.fire`` (permission, comment, guards, compare-and-swap of the row's
   version, the event with its hash, the applicant's notification in the outbox) then commit.
   Against it, the floor on as many other applications: a bare ``UPDATE application SET state``
   + ``INSERT INTO workflow_event`` + commit through the same engine. Ratio = fires/s ÷ floor/s
   (target ≥ 0.5). Interleaved in rounds so that a slow moment of the machine hits both.
2. ``--list`` applications: ``available_actions_for`` (what a list page shows) for every one of
   them, 50 at a time in its own app context (a request each): the process's resident memory
   after each thousand (it must stay flat: nothing kept between pages).
"""
import argparse
import gc
import statistics
import time

from _resilience import create_schema, make_app, own_database

ROUNDS = 5


def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def setup(app, objects):
    from audit import fill

    from fsi.accounts.models import Role
    from fsi.db import db
    from tests.factories import create_call, create_organisation, create_user
    with app.app_context():
        call, organisation = create_call(), create_organisation()
        staff = create_user(role=Role.staff)
        ids = call.id, organisation.id, staff.id
        db.session.commit()
    fill(app, 1, objects, 1, ids[0], ids[1])  # each: a submit event, the row submitted
    return ids[2]


def fire_one(app, application_id, staff_id):
    from fsi.accounts.models import User
    from fsi.applications.models import Application
    from fsi.db import db
    from fsi.workflow.service import fire
    with app.test_request_context():
        fire(db.session.get(Application, application_id), "return_for_completion",
             db.session.get(User, staff_id), comment="Pièce manquante : le budget signé.")
        db.session.commit()


def bare_one(app, application_id):
    from sqlalchemy import text

    from fsi.db import db, utcnow
    with app.app_context():
        db.session.execute(text("UPDATE application SET state = 'returned', version = version + 1 "
                                "WHERE id = :id AND state = 'submitted'"), {"id": application_id})
        db.session.execute(text(
            "INSERT INTO workflow_event (workflow, object_id, seq, trigger, from_state, to_state, created_at, "
            "data, workflow_version, prev_hash, hash) VALUES ('application', :id, 2, 'return_for_completion', "
            "'submitted', 'returned', :now, '{}', 1, :h, :h)"), {"id": application_id, "now": utcnow(), "h": "0" * 64})
        db.session.commit()


def bench_fire(kind, fires):
    with own_database(kind, "transitions") as url:
        app = make_app(url)
        create_schema(app)
        staff_id = setup(app, 2 * fires)
        per_round = fires // ROUNDS
        fire_times, bare_times = [], []
        for r in range(ROUNDS):
            ids = range(r * per_round + 1, (r + 1) * per_round + 1)
            start = time.perf_counter()
            for application_id in ids:
                fire_one(app, application_id, staff_id)
            fire_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            for application_id in ids:
                bare_one(app, fires + application_id)
            bare_times.append(time.perf_counter() - start)
        fire_rate = per_round * ROUNDS / sum(fire_times)
        bare_rate = per_round * ROUNDS / sum(bare_times)
        ratio = fire_rate / bare_rate
        print(f"[{kind}] fire end to end: {fire_rate:7.1f}/s, bare UPDATE+INSERT+commit: {bare_rate:7.1f}/s, "
              f"ratio {ratio:.2f} (target ≥ 0.5: {'met' if ratio >= 0.5 else 'MISSED'}); per round ratios "
              f"{', '.join(f'{b / f:.2f}' for f, b in zip(fire_times, bare_times, strict=True))}", flush=True)
        return ratio


def bench_listing(kind, count):
    from sqlmodel import select

    from fsi.accounts.models import User
    from fsi.applications.models import Application
    from fsi.db import db
    from fsi.workflow.service import available_actions_for
    with own_database(kind, "listing") as url:
        app = make_app(url)
        create_schema(app)
        staff_id = setup(app, count)
        samples, listed, actions = {}, 0, 0
        for first in range(1, count + 1, 50):
            with app.test_request_context():
                rows = db.session.exec(select(Application).where(Application.id >= first, Application.id < first + 50)
                                       .order_by(Application.id)).all()
                found = available_actions_for(rows, db.session.get(User, staff_id))
                actions += sum(len(a) for a in found.values())
                listed += len(rows)
            if listed % 1000 == 0:
                gc.collect()
                samples[listed] = rss_mib()
        first_mib, last_mib = samples[min(samples)], samples[max(samples)]
        flat = last_mib - first_mib <= 0.1 * first_mib
        print(f"[{kind}] actions listed for {listed} applications ({actions} actions), 50 a page: resident memory "
              + ", ".join(f"{n}: {m:.0f} MiB" for n, m in sorted(samples.items()))
              + f" — {'flat' if flat else 'GROWS'} (median {statistics.median(samples.values()):.0f} MiB)", flush=True)
        return flat


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fires", type=int, default=500)
    parser.add_argument("--list", type=int, default=10_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    ok = True
    for kind in kinds:
        ok &= bench_fire(kind, args.fires) >= 0.5
        ok &= bench_listing(kind, args.list)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
