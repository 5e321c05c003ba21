"""Building documents in a process of their own, so a large export never holds the server's interpreter.

A thread is not enough: building a workbook of 2,000 requirements is pure Python and holds the GIL
for most of half a second, and every other request of the worker waits behind it. Here the snapshot
travels to a separate process as msgspec JSON (fast to encode and decode, unlike pickling nested
structs), is decoded and built there, and the bytes come back. One such process per server process,
started on first use ("spawn": a fresh interpreter, no copy of the server's threads or sockets) and
kept for the server's life; ``stop`` ends it with the server, and it ends by itself when the server
ends without stopping it (killed, say), so it is never left behind. A process forked from the server starts
its own: the parent's pool is run by threads a fork leaves behind, and a spawned process, unlike one
from a forkserver, answers to the process that started it (measured the same: 230 ms to start).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import msgspec

from exports.model import TenderDocument

Builder = Callable[[TenderDocument], bytes]


def _build(builder: Builder, encoded: bytes) -> bytes:
    return builder(msgspec.json.decode(encoded, type=TenderDocument))


def _end_with_the_server() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_once_ended, args=(parent.sentinel,), daemon=True).start()


def _exit_once_ended(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # readable once the process that started this one has ended
    os._exit(0)


@cache
def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_end_with_the_server)


os.register_at_fork(after_in_child=_pool.cache_clear)  # work given to the parent's pool would wait for ever


async def build_elsewhere(builder: Builder, document: TenderDocument) -> bytes:
    """``builder(document)``, run in the export process; ``builder`` is a module-level function of ``exports``."""
    return await asyncio.get_running_loop().run_in_executor(_pool(), _build, builder, msgspec.json.encode(document))


def _load_builders() -> None:
    import exports.package  # noqa: F401 - imports every builder and its libraries (python-docx, openpyxl)


async def warm_up() -> None:
    """Start the export process and load the builders in it, so a server's first export does not wait for that."""
    await asyncio.get_running_loop().run_in_executor(_pool(), _load_builders)


async def stop() -> None:
    """End the export process, if it was started, once the builds under way are done."""
    if _pool.cache_info().currsize:
        await asyncio.get_running_loop().run_in_executor(None, _pool().shutdown)
        _pool.cache_clear()
