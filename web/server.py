"""Running the app for `lod serve`: gunicorn's arbiter forks `processes` worker processes (gthread
workers of `threads` threads each, keeping their share of the connections: lod.web.balancing),
configured in code so `lod serve` stays one command.

Several processes are what uses more than one core: pages are rendered in Python, and the threads
of one process take turns under the GIL. Every worker builds its own app after the fork and opens
the store read-only itself (any number of processes may open a store read-only at once), so nothing
opened in the arbiter is shared with the workers. SIGTERM stops gracefully (requests in flight may
finish for GRACEFUL_SECONDS), SIGINT at once; workers whose arbiter is gone stop by themselves.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import multiprocessing
import os
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import gunicorn.http.wsgi
from flask import Flask
from gunicorn.app.base import BaseApplication

from lod.config import Settings
from lod.errors import ConfigError, LodError
from lod.i18n import LANGUAGES
from lod.web.balancing import BalancedWorker, Loads

SERVER_NAME = "lod"
GRACEFUL_SECONDS = 10
"""On SIGTERM, how long workers may finish the requests in flight before they are killed."""
REQUEST_LINE_BYTES = 8190
"""The longest request line gunicorn takes (414 beyond); longer SPARQL queries go by POST."""
HEADER_FIELDS = 64
"""Header fields a request may have (browsers send about 15, a proxy adds a few; 431 beyond)."""
HEADER_FIELD_BYTES = 8190
"""The longest header field (name and value) a request may have (431 beyond)."""
KEEPALIVE_SECONDS = 5
"""How long an idle keep-alive connection is held open for the client's next request."""
WORKER_MARGIN_SECONDS = 30
"""A worker that has not reported to the arbiter for the SPARQL time limit plus this is stuck,
and is killed and replaced (gthread workers report between requests, from their main thread)."""


def server_processes(setting: str) -> int:
    """Processes for a `processes` setting: "auto" is one per CPU this process may use."""
    value = setting.strip().lower()
    if value == "auto":
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise ConfigError(message=f"processes must be 'auto' or a number from 1 to 64, not {setting!r}")
    return int(value)


def prepare(settings: Settings) -> str:
    """Build the app once as a worker will, opening the store read-only (an empty one is created
    if there is none, so workers do not race to create it), and return the store's location; an
    error in the settings or the store is raised here, before any worker starts.

    This happens in a short-lived child process: the arbiter itself must never open an on-disk
    store, because RocksDB's background threads do not survive a fork, and workers forked from a
    process that had opened one crash (SIGSEGV) when they exit."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        location, failure = child.submit(_build_app, settings).result()
    if failure is not None:
        kind, key, params = failure
        raise kind(key, **params)
    return location


def _build_app(settings: Settings) -> tuple[str, tuple[type[LodError], str, dict[str, Any]] | None]:
    # errors come back as their parts: a LodError is rebuilt from its key and parameters
    from lod.web import create_app, store_of

    try:  # never the write side here: its job worker belongs to the one serving process
        return store_of(create_app(dataclasses.replace(settings, write=False))).location, None
    except LodError as exc:
        return settings.store, (type(exc), exc.key, exc.params)


class ProcessServer(BaseApplication):
    """gunicorn, configured from our settings rather than by its command line or a config file."""

    def __init__(self, settings: Settings, host: str, port: int, processes: int, threads: int) -> None:
        self.settings = settings
        loads = Loads()  # made before the fork: the workers share it
        self.options: dict[str, Any] = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": processes,
            "worker_class": type("Worker", (BalancedWorker,), {"loads": loads}),
            "threads": threads,
            "graceful_timeout": GRACEFUL_SECONDS,
            "timeout": settings.sparql_timeout + WORKER_MARGIN_SECONDS,
            "keepalive": KEEPALIVE_SECONDS,
            "proc_name": SERVER_NAME,
            # trust no proxy's X-Forwarded-* headers: IRIs and links come from base_iri
            "forwarded_allow_ips": "",
            "limit_request_line": REQUEST_LINE_BYTES,
            "limit_request_fields": HEADER_FIELDS,
            "limit_request_field_size": HEADER_FIELD_BYTES,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            # its default is one socket per user ($HOME/.gunicorn/gunicorn.ctl): two servers
            # would fight over it
            "control_socket_disable": True,
            "child_exit": lambda _arbiter, worker: loads.release(worker.pid),
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn has no setting for its Server header (the app's own would be a second one)
        gunicorn.http.wsgi.SERVER = SERVER_NAME

    def load(self) -> Flask:
        """Called in each worker after the fork (the app is not preloaded)."""
        from lod.web import create_app

        log_requests()
        app = create_app(self.settings)
        # What the worker holds for its whole life (modules, templates, the store's handles, message
        # tables) is moved out of the cycle collector's sight: a full collection walked it all
        # again and again under load, in pauses of 20 to 50 ms that held up every request of the
        # process (bench/bench_web.py's p99).
        gc.collect()
        gc.freeze()
        freeze_survivors()
        threading.Thread(target=keep_shared_labels, args=(app,), name="lod-labels", daemon=True).start()
        return app


def freeze_survivors() -> None:
    """After every full collection, move what survived it out of the collector's sight too, as at
    start-up. Why: what a worker keeps as it serves (the labels it found) grows for minutes, and
    each full collection walked all of it again: pauses of 10 to 20 ms every few seconds per
    process, holding up its requests (bench/bench_web.py). Frozen objects are still freed when no
    longer referenced; only a reference cycle through them would not be, and pages make none
    (lod.web.fragments). Measured under load for 70 s: pauses of 0.4 to 4 ms, and the frozen
    objects levelling off (52,000 to 79,000) as the label cache filled."""
    if _freeze_after_full_collection not in gc.callbacks:
        gc.callbacks.append(_freeze_after_full_collection)


def _freeze_after_full_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def keep_shared_labels(app: Flask) -> None:
    """Have the worker's store find the labels of the nodes labelled in many graphs (code list
    terms) now, beside the first requests, rather than in the first pages that link to them
    (lod.store.OxigraphStore.keep_shared_labels); logs how many and how long."""
    from lod.web import store_of
    from lod.web.security import log_line

    started = time.perf_counter()
    line: dict[str, Any] = {"event": "shared_labels", "pid": os.getpid()}
    try:
        line["labelled"] = store_of(app).keep_shared_labels(LANGUAGES)
    except LodError as exc:  # the pages still find each label when they need it
        line["error"] = str(exc)
    line["seconds"] = round(time.perf_counter() - started, 2)
    log_line(logging.WARNING if "error" in line else logging.INFO, line)


def log_requests() -> None:
    """Send the app's log (logger "lod.web": one JSON line per request, a JSON line with an "event"
    for what a worker does besides (shared_labels), and errors with their tracebacks) to stderr,
    where gunicorn's own error log goes; it replaces gunicorn's access log."""
    logger = logging.getLogger("lod.web")
    if not any(getattr(h, "lod_request_log", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.lod_request_log = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def serve(settings: Settings, host: str, port: int, processes: int, threads: int) -> None:
    """Serve until SIGTERM or SIGINT; returns once every worker has stopped."""
    ProcessServer(settings, host, port, processes, threads).run()
