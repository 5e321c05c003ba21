"""Attachment storage: content-addressed by SHA-256 behind a small interface.

An upload is first *staged*: copied in chunks to a local temporary file while it is hashed,
measured and capped. The caller checks it, records it, then *keeps* it (moved under its hash)
or *discards* it. ``LocalFileStore`` keeps files on disk; an S3-compatible store would upload in
``keep`` and stream from the bucket in ``read``. A process killed mid-upload leaves its staged
file behind; ``remove_abandoned`` deletes such files at start.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

import anyio

from registry.evidence.files import HEAD_BYTES
from registry.problems import PayloadTooLarge

CHUNK_BYTES = 64 * 1024
STAGING_PREFIX = ".upload-"
"""Staged files are named ``.upload-<pid>-<random>``: the process that stages them is known."""


class Source(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class StagedFile:
    path: Path
    """A local temporary copy."""
    sha256: str
    size: int
    head: bytes
    """The first bytes, for the magic-byte check."""


class FileStore(Protocol):
    async def stage(self, source: Source, max_bytes: int) -> StagedFile:
        """Copy ``source`` aside; raises PayloadTooLarge (leaving nothing behind) above ``max_bytes``."""
        ...

    async def keep(self, staged: StagedFile) -> None: ...

    async def discard(self, staged: StagedFile) -> None: ...

    async def remove_abandoned(self) -> None:
        """Delete staged files whose process is gone."""
        ...

    def read(self, sha256: str) -> AsyncIterator[bytes]: ...


class LocalFileStore:
    """Files at ``<root>/<first two hex digits>/<sha256>``; staged next to them, so keeping is an atomic rename."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    async def stage(self, source: Source, max_bytes: int) -> StagedFile:
        await anyio.to_thread.run_sync(partial(self.root.mkdir, parents=True, exist_ok=True))
        descriptor, name = tempfile.mkstemp(dir=self.root, prefix=f"{STAGING_PREFIX}{os.getpid()}-")
        path, digest, size, head = Path(name), hashlib.sha256(), 0, b""
        try:
            async with await anyio.open_file(descriptor, "wb") as out:
                while chunk := await source.read(CHUNK_BYTES):
                    size += len(chunk)
                    if size > max_bytes:
                        raise PayloadTooLarge(f"the file is larger than the upload limit of {max_bytes} bytes")
                    head += chunk[: HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    await out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StagedFile(path, digest.hexdigest(), size, head)

    async def keep(self, staged: StagedFile) -> None:
        target = self.path(staged.sha256)
        await anyio.to_thread.run_sync(partial(target.parent.mkdir, exist_ok=True))
        await anyio.to_thread.run_sync(os.replace, staged.path, target)

    async def discard(self, staged: StagedFile) -> None:
        await anyio.to_thread.run_sync(partial(staged.path.unlink, missing_ok=True))

    async def remove_abandoned(self) -> None:
        """Delete staged files left by a process killed mid-upload: every one but a live sibling worker's.

        A staged file is in progress only while the process named in it runs (on this host; where
        ``/proc`` is missing every staged file counts as abandoned).
        """
        await anyio.to_thread.run_sync(self._remove_abandoned)

    def _remove_abandoned(self) -> None:
        for path in self.root.glob(f"{STAGING_PREFIX}*"):
            if not _staged_by_a_sibling(path):
                path.unlink(missing_ok=True)

    async def read(self, sha256: str) -> AsyncIterator[bytes]:
        async with await anyio.open_file(self.path(sha256), "rb") as source:
            while chunk := await source.read(CHUNK_BYTES):
                yield chunk


def _staged_by_a_sibling(path: Path) -> bool:
    """Whether another process that is still running staged ``path``."""
    pid = path.name.removeprefix(STAGING_PREFIX).partition("-")[0]
    return pid.isdigit() and int(pid) != os.getpid() and Path("/proc", pid).exists()
