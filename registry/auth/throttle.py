"""Throttling of failed authentications per client address, in the memory of one worker process."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_TRACKED_ADDRESSES = 10_000


@dataclass
class _Window:
    started: float
    failures: int = 0


class FailureThrottle:
    """Counts failed authentications per client address in fixed windows of ``window_seconds``.

    An address with ``limit`` failures in its window waits until the window ends. Counts live in
    this process: each worker throttles on its own, so N workers allow up to N × ``limit`` tries.
    At most ``max_addresses`` are tracked; beyond that the longest-tracked address is forgotten.
    Called from the event loop only, without awaiting in between, so no lock is needed.
    """

    def __init__(
        self, limit: int, window_seconds: float, *, max_addresses: int = MAX_TRACKED_ADDRESSES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self.max_addresses = max_addresses
        self.clock = clock
        self._windows: OrderedDict[str, _Window] = OrderedDict()

    @property
    def tracked(self) -> int:
        return len(self._windows)

    def retry_after(self, address: str) -> int:
        """Whole seconds ``address`` must wait before it may authenticate again; 0 when it may now."""
        window = self._current(address)
        if window is None or window.failures < self.limit:
            return 0
        return max(1, math.ceil(window.started + self.window_seconds - self.clock()))

    def fail(self, address: str) -> None:
        window = self._current(address)
        if window is None:
            window = self._windows[address] = _Window(self.clock())
            self._forget_oldest()
        window.failures += 1

    def _current(self, address: str) -> _Window | None:
        """The address's window, unless it has ended (then it is forgotten)."""
        window = self._windows.get(address)
        if window is not None and self._ended(window):
            del self._windows[address]
            return None
        return window

    def _ended(self, window: _Window) -> bool:
        return self.clock() - window.started >= self.window_seconds

    def _forget_oldest(self) -> None:
        """Windows are kept in the order they started: drop ended ones from the front, then any beyond the cap."""
        while self._windows:
            oldest = next(iter(self._windows.values()))
            if not self._ended(oldest) and len(self._windows) <= self.max_addresses:
                return
            self._windows.popitem(last=False)
