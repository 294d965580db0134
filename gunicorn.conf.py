"""gunicorn's settings for the locator (read from the project folder: `make serve`, or any
`gunicorn "locator:create_app()"` started here).

- Threads in each worker (gthread): a request waiting on a slow database (up to
  DATABASE_TIMEOUT) holds one thread, not the worker, so /livez and other pages still answer.
- WORKERS (default 2) and THREADS (default 4) come from the environment, as `make serve` sets them.
- In production, rate limits counted in memory:// with more than one worker would let each
  worker count alone, silently allowing several times the limit: the start is refused and
  says to set RATELIMIT_STORAGE_URI=redis://HOST:6379.
"""

import os

workers = int(os.environ.get("WORKERS") or os.environ.get("WEB_CONCURRENCY") or 2)
threads = int(os.environ.get("THREADS") or 4)
worker_class = "gthread"
timeout = 60
accesslog = None  # the app logs each request itself, without its query string (locator/logs.py)


def on_starting(server):
    from locator.config import ConfigError, load_settings, shared_rate_limits_problem

    problem = shared_rate_limits_problem(load_settings(), server.cfg.workers)
    if problem:
        raise ConfigError(problem)
