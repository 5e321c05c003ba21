"""The export process: documents are built in a process of their own, also for a process forked from the server."""

from __future__ import annotations

import asyncio
import multiprocessing
from multiprocessing.queues import Queue

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
