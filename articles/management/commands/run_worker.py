"""
Run the background worker: extract the entities and update the index an import left for it.

    python manage.py run_worker            # until SIGTERM or Ctrl-C (make run and make serve start it)
    python manage.py run_worker --once     # do the whole backlog, then exit
    python manage.py run_worker -v 2       # a line per step

``ingest --background`` records its work in the database, in the transactions that store the
articles; pastes and edits whose index write found the index busy leave theirs in the outbox.
The worker does that work newest first (:mod:`articles.services.worker`) and looks for more
every ``--interval`` seconds when idle. SIGTERM or SIGINT stops it after the step under way;
work not finished stays recorded for the next run or ``check_index --repair``.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from articles.services import worker as background


class Command(BaseCommand):
    help = "Run the background worker (entity extraction and index updates left by ingest --background)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do the whole backlog, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=background.IDLE_POLL_SECONDS,
            help=f"Seconds between looks for work when idle (default {background.IDLE_POLL_SECONDS}).",
        )

    def handle(self, *args, once, interval, verbosity, **options):
        if not 0 < interval <= 60:
            raise CommandError("--interval must be more than 0 and at most 60 seconds.")
        stop, received = threading.Event(), []

        def request_stop(signum, frame):
            received.append(signal.Signals(signum).name)
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, request_stop)
        if verbosity > 0:
            backlog = background.backlog()
            self.say(f"worker started: entities pending {backlog.entities:,}, index pending {backlog.index:,}")

        def on_step(worker: background.Worker, done: int) -> None:
            if verbosity > 1:
                self.say(f"step: {done:,} done; so far {worker.extracted:,} extracted, {worker.indexed:,} indexed")

        finished = background.run(stop=stop, once=once, poll_seconds=interval, on_step=on_step)
        if verbosity > 0:
            why = f" on {received[0]}" if received else ""
            self.say(f"worker stopped{why}: {finished.extracted:,} articles extracted, {finished.indexed:,} indexed")

    def say(self, line: str) -> None:
        # Flushed at once: the worker runs beside a server, its output read as it comes.
        self.stdout.write(line)
        self.stdout.flush()
