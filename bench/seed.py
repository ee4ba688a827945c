"""``bench/seed [N]``: a realistic dataset of N applications (default 10 000) in FSI_DATABASE_URL.

How: the demo (``flask fsi init-db`` + ``seed-demo``: every state of both circuits, reviews, committee
sessions, projects, tranches, reports, sheets...) is the template. Its calls are copied (with their
criteria, checklist, kinds, sessions and members) as many times as needed for about
``--per-call`` applications each (200 by default: the committee ranking target), and each copied call
is filled with copies of the demo's applications of its source call, each with everything that hangs
from it (cost lines, versions, attachments rows, assignments, reviews and scores, eligibility checks,
agenda items, opinions, projects, tranches, reports, practice sheets) and its workflow events, whose
hash chains are recomputed (``flask fsi audit verify`` passes). Applications go to generated
organisations (one per 20 applications) across the 27 territories. Rows are bulk-inserted with
SQLAlchemy Core (executemany), a table at a time, in batches; the catalogue index is rebuilt at the end.

Attachment rows point at no file (stored_name is random): downloads 404, listing works.
"""
import argparse
import hashlib
import itertools
import math
import random
import secrets
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# workflow name (workflow_event.workflow) -> the table of its subjects
WORKFLOW_TABLES = {"application": "application", "payment": "tranche", "report": "report",
                   "review": "review", "sheet": "practice_sheet"}
CALL_LEVEL = {"criterion", "eligibility_item", "funding_kind", "call_axis", "call_theme",
              "committee_session", "session_member"}
BATCH = 5000



def review_record(review, scores):
    """fsi.review.record.review_record over the copied rows (criterion ids changed with the call)."""
    from fsi.workflow.events import canonical_json

    scores = sorted(scores, key=lambda r: r["criterion_id"])
    recommendation = getattr(review["recommendation"], "value", review["recommendation"])
    content = {"scores": {str(r["criterion_id"]): r["score"] for r in scores},
               "comments": {str(r["criterion_id"]): r["comment"] for r in scores},
               "recommendation": recommendation, "confidence": review["confidence"],
               "general_comment": review["general_comment"]}
    return {"scores": content["scores"], "recommendation": recommendation, "confidence": review["confidence"],
            "content_hash": hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000, help="applications in all (default 10 000)")
    parser.add_argument("--per-call", type=int, default=200, help="applications per generated call")
    parser.add_argument("--seed", type=int, default=17, help="random seed")
    args = parser.parse_args(argv)
    random.seed(args.seed)

    from sqlalchemy import insert, select, text
    from sqlmodel import SQLModel

    from fsi import create_app
    from fsi.accounts.siren import siren_from
    from fsi.db import db
    from fsi.workflow.events import event_hash

    app = create_app()
    url = app.config["DATABASE_URL"]
    started = time.monotonic()
    runner = app.test_cli_runner()
    # a fresh database: the schema, reference data and the demo (the template)
    with app.app_context():
        from sqlalchemy import inspect
        has_schema = inspect(db.engine).has_table("application")
        has_demo = has_schema and db.session.execute(text("SELECT count(*) FROM application")).scalar() > 0
    if not has_demo:
        for cmd in (["fsi", "init-db"], ["fsi", "seed-demo"]):
            result = runner.invoke(args=cmd)
            if result.exit_code:
                print(result.output, file=sys.stderr)
                raise SystemExit(f"bench/seed: flask {' '.join(cmd)} failed")
    print(f"seed: demo ready in {time.monotonic() - started:.1f} s ({url.split('@')[-1]})", flush=True)

    md = SQLModel.metadata
    tables = {t.name: t for t in md.sorted_tables}
    with app.app_context():
        conn = db.session.connection()
        rows = {name: [dict(r._mapping) for r in conn.execute(select(t))] for name, t in tables.items()}
        existing = len(rows["application"])
        to_make = max(0, args.n - existing)
        if to_make == 0:
            print(f"seed: {existing} applications already, nothing to add")
            return

        # --- which rows hang from which demo application (transitively, by foreign keys) ---------
        app_level = {"application"}
        fks = {name: [(fk.parent.name, fk.column.table.name) for fk in t.foreign_keys] for name, t in tables.items()}
        for t in md.sorted_tables:
            if any(target in app_level for _, target in fks[t.name]):
                app_level.add(t.name)
        owner = {}  # (table, id) -> demo application id
        subtree = defaultdict(lambda: defaultdict(list))  # app id -> table -> rows
        for a in rows["application"]:
            owner[("application", a["id"])] = a["id"]
            subtree[a["id"]]["application"].append(a)
        order = [t.name for t in md.sorted_tables if t.name in app_level and t.name != "application"]
        for name in order:
            for r in rows[name]:
                for col, target in fks[name]:
                    if target in app_level and (target, r[col]) in owner:
                        o = owner[(target, r[col])]
                        if "id" in r:
                            owner[(name, r["id"])] = o
                        subtree[o][name].append(r)
                        break
        events_by = defaultdict(list)
        for e in sorted(rows["workflow_event"], key=lambda e: (e["workflow"], e["object_id"], e["seq"])):
            events_by[(e["workflow"], e["object_id"])].append(e)
        for (wf, oid), evs in events_by.items():
            o = owner.get((WORKFLOW_TABLES[wf], oid))
            if o is not None:
                subtree[o]["__events__"].append(((wf, oid), evs))

        next_id = {name: (max((r["id"] for r in rows[name]), default=0) + 1) for name, t in tables.items()
                   if "id" in t.c and t.c.id.primary_key}
        out = defaultdict(list)

        def new_id(name):
            value = next_id[name]
            next_id[name] += 1
            return value

        def copy(name, row, idmap):
            r = dict(row)
            for col, target in fks[name]:
                m = idmap.get(target)
                if m and r[col] in m:
                    r[col] = m[r[col]]
            if name in next_id:
                old = r["id"]
                r["id"] = new_id(name)
                idmap.setdefault(name, {})[old] = r["id"]
            out[name].append(r)
            return r

        rows_written = [0]

        def flush():
            """Bulk inserts of what was built so far, parents first; memory stays bounded."""
            for t in md.sorted_tables:
                batch = out.pop(t.name, None)
                if not batch:
                    continue
                rows_written[0] += len(batch)
                for i in range(0, len(batch), BATCH):
                    conn.execute(insert(t), batch[i:i + BATCH])

        # --- organisations: one per 20 applications, across the territories ----------------------
        territories = [t["id"] for t in rows["territory"]]
        kinds = sorted({o["kind"] for o in rows["organisation"]}, key=str)
        template_org = rows["organisation"][0]
        orgs = []
        siren_seed = itertools.count(20_000_000)
        used_sirens = {o["siren"] for o in rows["organisation"]}
        for i in range(max(50, to_make // 20)):
            siren = siren_from(next(siren_seed))
            while siren in used_sirens:
                siren = siren_from(next(siren_seed))
            territory = random.choice(territories)
            org = dict(template_org, id=new_id("organisation"), name=f"Organisme de banc {i + 1}", siren=siren,
                       kind=random.choice(kinds), territory_id=territory)
            out["organisation"].append(org)
            orgs.append(org["id"])

        # --- calls, then their applications -------------------------------------------------------
        source_calls = [c for c in rows["call"] if any(a["call_id"] == c["id"] for a in rows["application"])]
        apps_of = {c["id"]: [a["id"] for a in rows["application"] if a["call_id"] == c["id"]] for c in source_calls}
        calls_needed = math.ceil(to_make / args.per_call)
        reference_counter = itertools.count(1)
        year = max(int(a["reference"].split("-")[1]) for a in rows["application"] if a["reference"].count("-") == 2)
        made = 0
        for k in range(calls_needed):
            source = source_calls[k % len(source_calls)]
            call_map = {}
            copy("call", dict(source, title=f"{source['title'][:180]} — banc {k + 1}"), call_map)
            for name in [t.name for t in md.sorted_tables if t.name in CALL_LEVEL]:
                for r in rows[name]:
                    if any(target == "call" and r[col] == source["id"] for col, target in fks[name]):
                        copy(name, r, call_map)
            quota = min(args.per_call, to_make - made)
            for j, app_id in enumerate(itertools.islice(itertools.cycle(apps_of[source["id"]]), quota)):
                idmap = {t: dict(m) for t, m in call_map.items()}
                org = orgs[(made + j) % len(orgs)]
                idmap["organisation"] = {}
                copied = {"review": {}, "review_score": defaultdict(list)}
                for name in ["application", *order]:
                    for r in subtree[app_id].get(name, ()):
                        if name == "application":
                            r = dict(r, reference=f"FSI-{year}-B{next(reference_counter):07d}",
                                     organisation_id=org, territory_id=random.choice(territories)
                                     if r["territory_id"] else None)
                        elif name == "attachment":
                            r = dict(r, stored_name=secrets.token_hex(32))
                        elif name == "practice_sheet":
                            r = dict(r, slug=f"{r['slug'][:150]}-b{next(reference_counter)}")
                        elif name == "co_applicant":
                            r = dict(r, organisation_id=random.choice(orgs))
                        r = copy(name, r, idmap)
                        if name == "review":
                            copied["review"][r["id"]] = r
                        elif name == "review_score":
                            copied["review_score"][r["review_id"]].append(r)
                for (wf, oid), evs in subtree[app_id]["__events__"]:
                    new_oid = idmap[WORKFLOW_TABLES[wf]][oid]
                    prev = None
                    for e in evs:
                        ne = dict(e, id=new_id("workflow_event"), object_id=new_oid)
                        if wf == "review" and "record" in (e["data"] or {}):
                            ne["data"] = dict(e["data"], record=review_record(
                                copied["review"][new_oid], copied["review_score"].get(new_oid, [])))
                        if prev is not None:
                            ne["prev_hash"] = prev["hash"]
                        ne["hash"] = event_hash(SimpleNamespace(**ne))
                        out["workflow_event"].append(ne)
                        prev = ne
            made += quota
            if sum(map(len, out.values())) > 200_000 or made == to_make:
                flush()
                print(f"seed: {made} applications inserted, {rows_written[0]} rows "
                      f"({time.monotonic() - started:.1f} s)", flush=True)
        built = time.monotonic()
        if conn.dialect.name == "postgresql":
            for name in next_id:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "  # nosec B608 # table names from the metadata
                                  f"(SELECT coalesce(max(id), 1) FROM \"{name}\"))"))
        from fsi.dissemination.catalogue.search_index import reindex_all
        sheets = reindex_all()
        db.commit()
        db.session.execute(text("ANALYZE"))  # the planner's statistics, as after a day of use
        db.commit()
        total = db.session.execute(text("SELECT count(*) FROM application")).scalar()
        print(f"seed: indexed and analysed in {time.monotonic() - built:.1f} s; {total} applications, "
              f"{rows_written[0]} rows added, {sheets} published sheets indexed; "
              f"total {time.monotonic() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main()
