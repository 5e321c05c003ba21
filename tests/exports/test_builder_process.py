"""The export process: documents are built in a process of their own, also for a process forked from the server."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from multiprocessing.queues import Queue
from pathlib import Path

from exports import builder_process
from exports.builder_process import build_elsewhere, stop, warm_up
from exports.model import TenderDocument
from exports.ocds import tender_ocds
from tests.exports.factory import sample_tender


async def _export_and_stop() -> bytes:
    try:
        return await asyncio.wait_for(build_elsewhere(tender_ocds, sample_tender()), timeout=30)
    finally:
        await stop()  # as the server does on shutdown


def _export_in_child(results: Queue[bytes | str]) -> None:
    try:
        results.put(asyncio.run(_export_and_stop()))
    except Exception as error:  # noqa: BLE001 - the parent reports what went wrong
        results.put(repr(error))


async def test_a_document_built_in_the_export_process_is_the_one_built_here(sample: TenderDocument) -> None:
    try:
        assert await build_elsewhere(tender_ocds, sample) == tender_ocds(sample)
    finally:
        await stop()


async def test_a_process_forked_after_the_export_process_started_exports_with_a_process_of_its_own() -> None:
    await warm_up()
    try:
        fork = multiprocessing.get_context("fork")
        results: Queue[bytes | str] = fork.Queue()
        child = fork.Process(target=_export_in_child, args=(results,))
        child.start()
        built = await asyncio.to_thread(results.get, timeout=60)
        child.join(10)
        assert child.exitcode == 0, "the fork ends with its own export process"
        assert built == tender_ocds(sample_tender()), "the fork's export neither hangs on the parent's pool nor fails"
    finally:
        await stop()


def _start_export_process(pids: Queue[int]) -> None:
    async def start() -> int:
        await warm_up()
        return await asyncio.get_running_loop().run_in_executor(builder_process._pool(), os.getpid)

    pids.put(asyncio.run(start()))
    time.sleep(60)  # killed before


async def test_the_export_process_ends_when_the_server_is_killed_without_stopping_it() -> None:
    fork = multiprocessing.get_context("fork")
    pids: Queue[int] = fork.Queue()
    server = fork.Process(target=_start_export_process, args=(pids,))
    server.start()
    exporter = await asyncio.to_thread(pids.get, timeout=60)
    server.kill()
    server.join(10)
    for _ in range(50):
        if not Path(f"/proc/{exporter}").exists() or "Z" in Path(f"/proc/{exporter}/stat").read_text().split(")")[1][:3]:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError(f"the export process {exporter} outlived its server by 5 s")
