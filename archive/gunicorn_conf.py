"""gunicorn's settings for `make serve`: `gunicorn --config archive/gunicorn_conf.py`.

The command line and GUNICORN_CMD_ARGS override any of them (`make serve HOST=…` passes --bind);
WEB_CONCURRENCY sets the number of workers, FORWARDED_ALLOW_IPS the proxies whose
X-Forwarded-Proto gunicorn believes (by default 127.0.0.1 and ::1).
"""

import os

wsgi_app = "archive.wsgi:application"


def available_cores() -> int:
    """The cores this process may run on: a container's or taskset's share, not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity call on macOS
        return os.cpu_count() or 1


# gunicorn's rule for sync workers: while one waits on SQLite or the index files, another computes.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * available_cores() + 1)
# A large paste imported from the admin is one request; the default 30 s would kill it half-way.
timeout = 60
# Requests to stdout, gunicorn's own messages to stderr; the application's errors go to stderr
# and DATA_DIR/logs/archive.log (archive/settings.py, LOGGING).
accesslog = "-"
errorlog = "-"
# gunicorn's runtime control socket lives in $HOME by default, one path for every gunicorn of the
# user: a second archive (or the test suite's server) on the machine would take it over. Workers
# are managed with signals (HUP, TTIN, TTOU) instead.
control_socket_disable = True
