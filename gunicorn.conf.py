"""gunicorn's settings for FSI: ``gunicorn -c gunicorn.conf.py wsgi:app`` (docs/production.md).

Every value can be changed without editing this file, by the environment variable named beside it
(or on the command line: ``gunicorn -c gunicorn.conf.py -b 127.0.0.1:8001 wsgi:app``).
"""
import multiprocessing
import os

#: where the reverse proxy reaches this server (FSI_BIND); keep it on a private address
bind = os.environ.get("FSI_BIND", "127.0.0.1:8000")
#: sync workers: each request runs start to finish in one process, one database connection each.
#: 2 per core is a good start (FSI_WORKERS); the requests are short and mostly wait on the database
workers = int(os.environ.get("FSI_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
#: a request that takes longer is killed and answered 502 by the proxy (uploads: 10 MiB at most)
timeout = int(os.environ.get("FSI_TIMEOUT", 60))
graceful_timeout = 30
#: the proxy holds the client connections; gunicorn only talks to it
keepalive = 5
#: recycle workers now and then (a slow leak never grows unbounded); the jitter spreads restarts
max_requests = int(os.environ.get("FSI_MAX_REQUESTS", 2000))
max_requests_jitter = 200
#: build the application once, before forking: a broken configuration stops the start at once and
#: the workers share its memory. The database engine connects lazily, in each worker after the fork.
preload_app = True
#: the proxy's address, whose X-Forwarded-* headers gunicorn itself trusts (the application's
#: trust is PROXY_FIX_* in its configuration)
forwarded_allow_ips = os.environ.get("FSI_FORWARDED_ALLOW_IPS", "127.0.0.1")
#: logs to stdout/stderr: systemd's journal (or docker) keeps them
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("FSI_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "fsi"


def post_fork(server, worker):
    """Each worker opens its own database connections: forget any the master opened before the fork
    (without closing them: they are the master's)."""
    engine = getattr(worker.app.wsgi(), "extensions", {}).get("fsi.db")
    if engine is not None:
        engine.dispose(close=False)
