"""The one gunicorn configuration both FSI and bench/hello.py are served with in bench/throughput."""
workers = 2
worker_class = "sync"
accesslog = None
errorlog = "-"
loglevel = "warning"
timeout = 60
