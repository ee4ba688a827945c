"""What the bench scripts share: databases made and dropped, a signed-in session, the pages measured."""
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG = os.environ.get("FSI_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
STAFF = ("instructeur@demo.fsi", "demo-fsi-2026")
#: settings of every bench server: a fixed secret (two workers share sessions), no API rate limit
ENV = {"FSI_SECRET_KEY": "bench-secret-not-for-production", "FSI_API_RATE_LIMIT": "10000000 per minute"}


@contextmanager
def database(kind, label):
    """A fresh, empty database URL of ``kind`` ("sqlite" or "postgresql"), dropped afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"fsi_bench_{label}_") as tmp:
            yield f"sqlite:///{tmp}/fsi.sqlite3"
        return
    name = f"fsi_bench_{label}_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        yield f"{PG}/{name}"
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False)


def env_for(url, **extra):
    return {**os.environ, **ENV, "FSI_DATABASE_URL": url, **extra}


def seed(url, n):
    subprocess.run([PYTHON, str(ROOT / "bench" / "seed.py"), str(n)], env=env_for(url), check=True)


def api_token(url):
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "fsi", "create-token", STAFF[0],
                          "--name", "bench"], env=env_for(url), cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def pages(url):
    """The pages of the targets, as (name, path, target ratio): ids chosen in the seeded data."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as c:
        # a call of about 200 applications (the first generated one)
        call_id, _count = c.execute(text(
            "SELECT call_id, count(*) FROM application GROUP BY call_id ORDER BY count(*) DESC, call_id LIMIT 1")).one()
        # the application with the most events among the funded ones (a full page: project, tranches, reports)
        app_id = c.execute(text(
            "SELECT a.id FROM application a JOIN project p ON p.application_id = a.id "
            "JOIN workflow_event e ON e.workflow = 'application' AND e.object_id = a.id "
            "GROUP BY a.id ORDER BY count(*) DESC, a.id DESC LIMIT 1")).scalar()
    engine.dispose()
    return [
        ("staff list (search, dept 13, page of 50)", "/tracking/search?department=13", 0.20),
        ("application page", f"/applications/{app_id}", 0.30),
        ("committee ranking (call of 200)", f"/review/calls/{call_id}/ranking", 0.15),
        ("staff dashboard", "/tracking/", 0.10),
        ("panorama", "/tracking/panorama", 0.10),
        ("public catalogue search", "/catalogue?q=r%C3%A9sidence", 0.20),
        ("GET /api/v1/applications", "/api/v1/applications", 0.25),
        # no target: FSI's floor, the lightest page (the sign-in form: no query but the session's)
        ("(floor) sign-in page, anonymous", "/login", None),
        ("(floor) favicon, anonymous", "/favicon.ico", None),
    ]


#: the one browser every request of a run comes from: Flask-Login's session protection marks a
#: session no longer fresh (and so rewrites its cookie) when the agent changes between requests
USER_AGENT = "fsi-bench/1"


def _browser(jar):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return opener


def _cookie_header(jar):
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def visit(base, path):
    """An anonymous visitor's session once it settles (its CSRF token made, Flask-Login's marks set:
    a few pages): the Cookie header's value a browser sends on its next pages."""
    jar = CookieJar()
    opener = _browser(jar)
    for _ in range(5):
        with opener.open(f"{base}{path}") as response:
            response.read()
            if "Set-Cookie" not in response.headers:
                break
    return _cookie_header(jar)


def login(base):
    """A signed-in staff session on the server at ``base``: the Cookie header's value."""
    jar = CookieJar()
    opener = _browser(jar)
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": STAFF[0], "password": STAFF[1]}).encode()
    opener.open(f"{base}/login", data)
    cookie = _cookie_header(jar)
    if "session=" not in cookie:
        sys.exit("bench: the staff login failed")
    return cookie
