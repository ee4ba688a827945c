"""Shared by bench/audit, bench/transitions, bench/conflicts and bench/crash: a database of the
run's own (a SQLite file in a temporary directory, or ``createdb fsi_res_<pid>`` on the PostgreSQL
server at 127.0.0.1:5432, dropped at the end), the schema, peak memory of a child process."""
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
FLASK = str(ROOT / ".venv" / "bin" / "flask")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = dict(host=os.environ.get("FSI_BENCH_PG_HOST", "127.0.0.1"), user=os.environ.get("FSI_BENCH_PG_USER", "postgres"))


@contextmanager
def own_database(kind, tag="res"):
    """Yields a SQLAlchemy URL of a new empty database (``kind``: sqlite or postgresql)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"fsi_{tag}_") as directory:
            yield f"sqlite:///{directory}/fsi.sqlite3"
        return
    name = f"fsi_{tag}_{os.getpid()}"
    subprocess.run(["createdb", "-h", PG["host"], "-U", PG["user"], name], check=True)
    try:
        yield f"postgresql+psycopg://{PG['user']}@{PG['host']}:5432/{name}"
    finally:
        subprocess.run(["dropdb", "-h", PG["host"], "-U", PG["user"], "--force", name], check=False)


def make_app(url, **config):
    from fsi import create_app
    return create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", **config})


def create_schema(app):
    """The tables from the models (as the test suite does; migrations are tested apart)."""
    from sqlmodel import SQLModel

    import fsi.models  # noqa: F401
    with app.app_context():
        from fsi.db import db
        SQLModel.metadata.create_all(db.engine)


def env_for(url, **extra):
    env = dict(os.environ, FSI_DATABASE_URL=url, FSI_SECRET_KEY="bench", FLASK_APP="wsgi", **extra)
    env.pop("FLASK_DEBUG", None)
    return env


def flask(url, *args, check=False):
    """Run ``flask <args>`` against ``url``: (returncode, output, seconds, peak RSS in MiB)."""
    import time
    start = time.perf_counter()
    proc = subprocess.Popen([PYTHON, "-c", CHILD, FLASK, *args], cwd=ROOT, env=env_for(url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    *text, peak = out.rstrip("\n").split("\n")
    if check and proc.returncode:
        raise SystemExit("".join(text))
    return proc.returncode, "\n".join(text), seconds, int(peak.split()[-1]) / 1024


# runs the flask CLI in this process, then prints its peak RSS (ru_maxrss, KiB) as the last line
CHILD = """
import atexit, resource, runpy, sys
atexit.register(lambda: print("peak_rss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url, port, workers, log):
    """gunicorn (sync workers) serving wsgi:app on ``port`` against ``url``; its own settings only
    (``-c /dev/null``: not the repository's gunicorn.conf.py)."""
    env = env_for(url, FSI_PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    return subprocess.Popen([GUNICORN, "-c", "/dev/null", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                             "--timeout", "60", "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log,
                            start_new_session=True)


def wait_until_up(base, timeout=60):
    import time

    import requests
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/login", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base} did not answer within {timeout} s")


def csrf_of(html):
    import re
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def signed_in(base, email, password="password"):
    """A requests.Session signed in as ``email`` through the login form; (session, csrf token)."""
    import requests
    session = requests.Session()
    page = session.get(base + "/login", timeout=30).text
    answer = session.post(base + "/login", data={"csrf_token": csrf_of(page), "email": email,
                                                          "password": password}, timeout=30)
    if "/login" in answer.url:
        raise SystemExit(f"could not sign in as {email}")
    return session, csrf_of(session.get(base + "/", timeout=30).text)


def stop(process):
    import signal
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
