"""Loading the application for a server: a refused start-up stops the server, not a worker."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

App = TypeVar("App")

# gunicorn's arbiter halts the whole server when a worker exits with this code ("App failed
# to load"); any other exit code makes it boot a new worker, which fails the same way forever.
APP_LOAD_ERROR = 4


def load_application(loader: Callable[[], App]) -> App:
    """Call loader; a settings refusal prints its one-line reason and exits with APP_LOAD_ERROR."""
    try:
        return loader()
    except SystemExit as refused:
        if not isinstance(refused.code, str):
            raise
        print(refused.code, file=sys.stderr, flush=True)
        raise SystemExit(APP_LOAD_ERROR) from None
