"""``bench/conflicts [--clients 50] [--database sqlite|postgresql|both]``: 50 staff fire conflicting
transitions at one application at the same moment, through real app servers.

SQLite: one gunicorn with 4 sync workers. PostgreSQL (a database of its own, dropped after):
two separate gunicorn processes (2 workers each) on two ports, the clients split between them,
as behind a reverse proxy. Each client signs in through the login form (its own staff account),
reads the application at version v, waits at a barrier, then posts « Retourner pour
complément » with expected_version v (CSRF token included). Expected: exactly one « c'est fait »,
every other answer « modifiées entre-temps » (409 / the flashed refusal), the application
moved once (two events: submit, return), and ``flask fsi audit verify`` passes.
"""
import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from _resilience import (
    create_schema,
    flask,
    free_port,
    make_app,
    own_database,
    signed_in,
    start_server,
    stop,
    wait_until_up,
)

PREFIX = "return_for_completion"  # the action form's prefix: its trigger
DONE, STALE = "c'est fait", "modifiées entre-temps"


def setup(url, clients):
    from audit import fill

    from fsi.accounts.models import Role
    from fsi.applications.models import Application
    from fsi.db import db
    from tests.factories import create_call, create_organisation, create_user
    app = make_app(url, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    create_schema(app)
    with app.app_context():
        call, organisation = create_call(), create_organisation()
        emails = [create_user(role=Role.staff, email=f"staff{i}@bench.example").email for i in range(clients)]
        ids = call.id, organisation.id
        db.session.commit()
    fill(app, 1, 1, 1, *ids)  # application 1, submitted, with its submit event
    with app.app_context():
        version = db.session.get(Application, 1).version
    app.extensions["fsi.db"].dispose()
    return emails, version


def run(kind, clients):
    with own_database(kind, "conflicts") as url:
        emails, version = setup(url, clients)
        servers, log = [], open(f"/tmp/fsi_conflicts_{kind}.log", "w")  # noqa: SIM115 (closed below)
        plan = [(4, 1)] if kind == "sqlite" else [(2, 2)]  # (workers, how many servers)
        workers, count = plan[0]
        try:
            ports = [free_port() for _ in range(count)]
            servers = [start_server(url, port, workers, log) for port in ports]
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            for base in bases:
                wait_until_up(base)
            with ThreadPoolExecutor(clients) as pool:
                sessions = list(pool.map(lambda i: (bases[i % len(bases)], *signed_in(bases[i % len(bases)],
                                                                                        emails[i])), range(clients)))
                barrier = threading.Barrier(clients)

                def fire(entry):
                    base, session, token = entry
                    barrier.wait(timeout=60)
                    answer = session.post(f"{base}/workflow/application/1/return_for_completion", timeout=120,
                                          data={f"{PREFIX}-csrf_token": token, f"{PREFIX}-expected_version": version,
                                                f"{PREFIX}-comment": "Pièce manquante.", f"{PREFIX}-next": "/"})
                    text = answer.text.replace("&#39;", "'")
                    return "won" if DONE in text else "stale" if STALE in text else \
                        f"other ({answer.status_code})"

                start = time.perf_counter()
                outcomes = list(pool.map(fire, sessions))
                seconds = time.perf_counter() - start
        finally:
            for server in servers:
                stop(server)
            log.close()
        code, out, _s, _m = flask(url, "fsi", "audit", "verify")
        app = make_app(url)
        with app.app_context():
            from sqlmodel import func, select

            from fsi.applications.models import Application
            from fsi.db import db
            from fsi.workflow.models import WorkflowEvent
            state = db.session.get(Application, 1).state
            events = db.session.exec(select(func.count()).select_from(WorkflowEvent)
                                     .where(WorkflowEvent.object_id == 1)).one()
        app.extensions["fsi.db"].dispose()
        won, stale = outcomes.count("won"), outcomes.count("stale")
        ok = won == 1 and stale == clients - 1 and code == 0 and state == "returned" and events == 2
        where = "gunicorn 4 workers" if kind == "sqlite" else "two gunicorn servers (2 workers each)"
        print(f"[{kind}] {clients} clients through {where} in {seconds:.2f} s: {won} won, {stale} « changed "
              f"meanwhile », others {[o for o in outcomes if o not in ('won', 'stale')]}; application {state!r} "
              f"with {events} events; audit verify exit {code} — {'PASS' if ok else 'FAIL'}", flush=True)
        if code:
            print(out)
        return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    results = [run(kind, args.clients) for kind in kinds]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
