"""gunicorn settings, read from the working directory by `gunicorn lims.wsgi` (see docs/deploy.md).

Each web process serves requests on a pool of threads (gthread): a long upload or a streamed ZIP
holds one thread, not a process. A client that sends its request slowly also holds a thread while
gunicorn reads it, so the pool is large (threads are cheap; the database connection is taken only
once the request is read), and a buffering reverse proxy in front (docs/deploy.md) absorbs slow
clients entirely. Options given on the command line win over these.
"""
import os

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2))
threads = int(os.environ.get("WEB_THREADS", 16))  # each may hold a database connection
timeout = 120  # seconds a process may stay silent before the arbiter replaces it
graceful_timeout = 60  # seconds to finish running requests on a restart
keepalive = 5
# Bounded request heads: a request line or header longer than this is a 400, not work.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
errorlog = "-"
