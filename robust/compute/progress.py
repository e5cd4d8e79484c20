"""Progress of long steps on stderr: a bar where someone watches, plain lines in a log.

In a terminal or a Jupyter notebook, :class:`ChunkProgress` is a ``tqdm`` bar (``tqdm.auto``
picks the notebook widget); when stderr is a file or a pipe (a log, CI), it writes one plain
line when a step starts and one at most every :data:`LOG_INTERVAL` seconds, so a log shows
that the run is alive without a wall of carriage returns. :func:`step` announces a whole step
(an analysis, the figures, the report) with its duration. Nothing is written when disabled
(``--quiet``), and nothing here changes a result.
"""

from __future__ import annotations

import contextlib
import sys
import time

LOG_INTERVAL = 10.0  # seconds between plain progress lines
QUICK = 0.5          # a job shorter than this draws no bar


def interactive() -> bool:
    """Whether someone is watching: stderr is a terminal, or the code runs in a Jupyter kernel."""
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class ChunkProgress:
    """Progress over ``total`` chunks of one step; call :meth:`advance` after each, :meth:`close` at the end."""

    def __init__(self, total: int, description: str, enabled: bool):
        self.total, self.description = total, description
        self.enabled = enabled and total > 1
        self.done, self.started, self.reported = 0, time.perf_counter(), time.perf_counter()
        self.bar = None
        self.watched = self.enabled and interactive()

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.started
        if self.watched:
            if self.bar is None and elapsed >= QUICK and self.done < self.total:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=self.total, initial=self.done, desc=self.description, unit="chunk",
                                file=sys.stderr, leave=False, dynamic_ncols=True)
            elif self.bar is not None:
                self.bar.update(1)
        elif time.perf_counter() - self.reported >= LOG_INTERVAL and self.done < self.total:
            self.reported = time.perf_counter()
            print(f"robust: {self.description}: {self.done}/{self.total} chunks, {elapsed:.0f} s", file=sys.stderr,
                  flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@contextlib.contextmanager
def step(name: str, enabled: bool):
    """Announce a step of a run on stderr: ``robust: bootstrap ...`` then ``robust: bootstrap: 1.3 s``."""
    if not enabled:
        yield
        return
    began = time.perf_counter()
    print(f"robust: {name} ...", file=sys.stderr, flush=True)
    yield
    print(f"robust: {name}: {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
