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
