"""``bench/crash [--applicants 200] [--kills 5] [--database sqlite|postgresql|both]``: applicants save
drafts and submit while the server is killed with SIGKILL and restarted.

A database of its own; an open call; ``--applicants`` applicants, each with a complete draft.
gunicorn (4 sync workers) serves them. Each applicant (a thread, its own signed-in session) saves
the « Résultats » section three times (each save a new text, through the section's form with its
CSRF token and version) then submits through the submit form; on a connection error, a 5xx or a
« changed meanwhile » it reloads the form and tries again. Meanwhile the whole gunicorn process
group is sent SIGKILL ``--kills`` times, at random moments, and restarted on the same port.

Checked afterwards, in the database: every submission the server acknowledged (« est déposé »)
is there and complete (state submitted, one submit event, one frozen version, dates of receipt
and submission, the acknowledgement of receipt in the outbox); no application is half-written
(any submitted one is complete too; any draft has neither event nor version); every section
save the server acknowledged is there (the stored text is that save's or a later attempt's);
``flask fsi audit verify`` passes.
"""
import argparse
import os
import random
import re
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import requests
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

SAVES = 3
SAVED, SUBMITTED, STALE = "Section enregistrée", "est déposé", "modifiées entre-temps"


class Forms(HTMLParser):
    """{form action: {field name: value}} of a page (inputs and textareas)."""

    def __init__(self, html):
        super().__init__()
        self.forms, self.current, self.textarea = {}, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = self.forms.setdefault(attrs.get("action", ""), {})
        elif tag == "input" and self.current is not None and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio", "submit") or "checked" in attrs:
                self.current[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea" and self.current is not None:
            self.textarea = attrs.get("name")
            self.current[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.current[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.current = None


def setup(url, applicants):
    from fsi.accounts.models import Role
    from fsi.db import db
    from tests.factories import create_application, create_open_call, create_organisation, create_user, fill_application
    app = make_app(url, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    create_schema(app)
    people = []
    with app.app_context():
        call = create_open_call()
        for i in range(applicants):
            organisation = create_organisation()
            user = create_user(role=Role.applicant, organisation=organisation, email=f"applicant{i}@bench.example")
            application = create_application(call, organisation, created_by_id=user.id)
            fill_application(application)
            people.append((user.email, application.id))
        db.session.commit()
    app.extensions["fsi.db"].dispose()
    return people


class Server:
    def __init__(self, url, port, log):
        self.url, self.port, self.log, self.base = url, port, log, f"http://127.0.0.1:{port}"
        self.process, self.kills = None, 0

    def start(self):
        self.process = start_server(self.url, self.port, 4, self.log)
        wait_until_up(self.base)

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.kills += 1


def applicant(server, email, application_id, record, stop_at):
    base = server.base
    section = f"{base}/applications/{application_id}/section/results"
    submit = f"/applications/{application_id}/submit"
    session = None
    n, attempts = 0, 0
    while time.monotonic() < stop_at:
        attempts += 1
        try:
            if session is None:
                session, _token = signed_in(base, email)
            if n < SAVES:
                form = Forms(session.get(section, timeout=30).text).forms.get("")  # the section form posts to its page
                if form is None:
                    raise requests.ConnectionError("no form")
                form.update(expected_results=f"Résultats {application_id}.{n}", indicators=f"Indicateurs {n}")
                answer = session.post(section, data=form, timeout=30).text
                if SAVED in answer:
                    record["saved"] = n
                    n += 1
                continue
            page = session.get(f"{base}/applications/{application_id}", timeout=30)
            form = Forms(page.text).forms.get(submit)
            if form is None and page.status_code == 200 and "est déposé" not in page.text \
                    and f"/workflow/application/{application_id}/withdraw" in page.text:
                # the page shows the file without a submit form: already submitted, the answer lost in a
                # crash (the database tells whether it is complete)
                record["submit"] = "unacknowledged"
                return
            if form is None:
                raise requests.ConnectionError(f"no submit form ({page.status_code})")
            answer = session.post(base + submit, data=form, timeout=30).text
            if SUBMITTED in answer:
                record["submit"] = "acknowledged"
                return
        except (requests.RequestException, SystemExit, AttributeError):
            record["errors"] = record.get("errors", 0) + 1
            time.sleep(0.1 + random.random() * 0.3)
    record["submit"] = "gave up"


def killer(server, kills, done, log):
    for _ in range(kills):
        if done.wait(random.uniform(1.0, 3.0)):
            return
        server.kill()
        log.append(time.monotonic())
        time.sleep(random.uniform(0.0, 0.5))  # down a moment: clients see refused connections
        server.process = start_server(server.url, server.port, 4, server.log)  # clients find out when it is up


def check(url, people, records):
    from sqlmodel import func, select

    from fsi.applications.models import Application, ApplicationVersion
    from fsi.db import db
    from fsi.mail.models import OutboxMessage
    from fsi.workflow.models import WorkflowEvent
    app = make_app(url)
    problems = []
    with app.app_context():
        for (_email, application_id), record in zip(people, records, strict=True):
            application = db.session.get(Application, application_id)
            events = db.session.exec(select(WorkflowEvent.trigger).where(
                WorkflowEvent.workflow == "application", WorkflowEvent.object_id == application_id)).all()
            versions = db.session.exec(select(func.count()).select_from(ApplicationVersion)
                                       .where(ApplicationVersion.application_id == application_id)).one()
            receipts = db.session.exec(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.subject.contains(application.reference))).one()
            submitted = application.state == "submitted"
            where = f"{application.reference} ({record})"
            if record.get("submit") == "acknowledged" and not submitted:
                problems.append(f"{where}: submission acknowledged but state {application.state!r}")
            if submitted and not (events == ["submit"] and versions == 1 and receipts >= 1
                                  and application.submitted_at and application.received_at):
                problems.append(f"{where}: submitted but incomplete: events {events}, {versions} versions, "
                                f"{receipts} receipts")
            if application.state == "draft" and (events or versions):
                problems.append(f"{where}: draft with events {events} and {versions} versions")
            saved = record.get("saved")
            if saved is not None:
                match = re.fullmatch(rf"Résultats {application_id}\.(\d+)", application.expected_results or "")
                if not match or int(match.group(1)) < saved:
                    problems.append(f"{where}: acknowledged save {saved} lost "
                                    f"(stored {application.expected_results!r})")
    app.extensions["fsi.db"].dispose()
    return problems


def run(kind, applicants, kills):
    with own_database(kind, "crash") as url:
        people = setup(url, applicants)
        log = open(f"/tmp/fsi_crash_{kind}.log", "w")  # noqa: SIM115 (closed below, after the kills)
        server = Server(url, free_port(), log)
        server.start()
        records = [{} for _ in people]
        done, kill_times = threading.Event(), []
        start = time.monotonic()
        try:
            thread = threading.Thread(target=killer, args=(server, kills, done, kill_times))
            thread.start()
            with ThreadPoolExecutor(len(people)) as pool:
                list(pool.map(lambda p: applicant(server, *p[0], p[1], start + 300), zip(people, records, strict=True)))
            done.set()
            thread.join()
        finally:
            stop(server.process)
            log.close()
        seconds = time.monotonic() - start
        problems = check(url, people, records)
        code, out, _s, _m = flask(url, "fsi", "audit", "verify")
        acknowledged = sum(r.get("submit") == "acknowledged" for r in records)
        unacknowledged = sum(r.get("submit") == "unacknowledged" for r in records)
        gave_up = sum(r.get("submit") == "gave up" for r in records)
        ok = not problems and code == 0 and gave_up == 0 and server.kills == kills
        saves = sum(r.get("saved", -1) + 1 for r in records)
        errors = sum(r.get("errors", 0) for r in records)
        print(f"[{kind}] {applicants} applicants, {server.kills} SIGKILL + restart of gunicorn (4 workers) in "
              f"{seconds:.1f} s: {acknowledged} submissions acknowledged, {unacknowledged} committed but their answer "
              f"lost in a crash, {gave_up} gave up; {saves} saves acknowledged; {errors} requests failed in the kills "
              f"(retried); problems: {len(problems)}; audit verify exit {code} — {'PASS' if ok else 'FAIL'}",
              flush=True)
        for problem in problems[:20]:
            print("   ", problem)
        if code:
            print(out)
        return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    results = [run(kind, args.applicants, args.kills) for kind in kinds]
    raise SystemExit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
