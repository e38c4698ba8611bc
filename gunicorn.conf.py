"""gunicorn settings, read from the working directory by every `gunicorn server.wsgi:app` (make run, e2e, production).

Why threads: a sync worker serves one connection at a time and blocks reading it. Browsers open
speculative connections (Chromium's preconnect) and keep idle ones; each such socket held a sync
worker until gunicorn's 30 s timeout killed it ("[CRITICAL] WORKER TIMEOUT"), and with 2 workers two
idle sockets froze the whole app. gthread workers park idle and keep-alive connections in a poller
and hand a connection to a thread only once a request has arrived, so no idle socket holds a worker.
"""

worker_class = "gthread"
threads = 4
keepalive = 5  # seconds an idle keep-alive connection is kept (in the poller, not in a thread)
timeout = 60  # a request really running longer than this is a bug: the worker is restarted
graceful_timeout = 20


def post_worker_init(worker):
    """gunicorn 24 and later hand a new connection to a thread at once, and the thread waits up to 5 s
    (`DEFAULT_WORKER_DATA_TIMEOUT`) for the request before parking the socket in the poller: with more idle
    sockets than threads, a real request waited 5 to 10 s behind them (measured with 12 idle sockets against
    2 workers × 4 threads). A request arrives right behind its connection, so a short wait is enough; a socket
    still silent is parked, not dropped, and served when it speaks."""
    from gunicorn.workers import gthread

    if hasattr(gthread, "DEFAULT_WORKER_DATA_TIMEOUT"):
        gthread.DEFAULT_WORKER_DATA_TIMEOUT = 0.1
