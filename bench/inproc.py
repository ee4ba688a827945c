"""In one process (Flask's test client, no server): a signed-in staff client, a page's time (median of
several), its SQL statement count, and a pyinstrument profile. Used by bench/growth and bench/profile."""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def make_app(url):
    os.environ.update(common.env_for(url))
    from fsi import create_app

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    # every view made again (the aggregates stay kept): what growth and profiles measure is the
    # page's work, not a kept copy of it (bench/throughput measures both)
    app.config["PAGE_CACHE_SECONDS"] = 0
    return app


def signed_in(app):
    client = app.test_client()
    r = client.post("/login", data={"email": common.STAFF[0], "password": common.STAFF[1]})
    assert r.status_code == 302, r.status_code
    return client


def get(client, path, headers=None):
    r = client.get(path, headers=headers or {})
    if r.status_code != 200:
        raise SystemExit(f"{path}: status {r.status_code}")
    return r


def timed(client, path, repeat=7, headers=None):
    get(client, path, headers)  # warm-up (templates, caches)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        get(client, path, headers)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cold(app, client, path, headers=None):
    """A page's time as the first view after a write: nothing kept (fsi.cache emptied) before it."""
    from fsi import cache

    cache.clear(app)
    t = time.perf_counter()
    get(client, path, headers)
    return time.perf_counter() - t


def statements(app, client, path, headers=None):
    """The SQL statements of one request for ``path``, nothing kept from before (fsi.cache emptied)."""
    from sqlalchemy import event

    from fsi import cache

    cache.clear(app)
    seen = []
    engine = app.extensions["fsi.db"]

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        get(client, path, headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def profile(client, path, headers=None, repeat=3):
    from pyinstrument import Profiler

    get(client, path, headers)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        get(client, path, headers)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)
