# Served as functions-framework serves on Cloud Run (gunicorn with gthread workers, errors-only logging, no
# request timeout), sized for this 2-core machine. See Benchmarks/README.md for how this was chosen.
import os

bind = os.environ.get("BIND", "127.0.0.1:8080")
worker_class = "gthread"
workers = int(os.environ.get("WORKERS", 2 * (os.cpu_count() or 1) + 1))
threads = int(os.environ.get("THREADS", 4))
loglevel = "error"
accesslog = None
timeout = 0
keepalive = 5
limit_request_line = 0
