"""Load generation for the scale benchmark: `wrk` when it is installed, else an asyncio generator on httpx.

Both keep connections alive and hold ``connections`` requests in flight for ``seconds``, cycling
through ``paths``. A registry and the bare endpoint it is compared with are always measured by the
same generator in the same run; only their ratio is meant to be read across machines.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

WRK = shutil.which("wrk") if os.environ.get("BENCH_LOAD_GENERATOR", "wrk") == "wrk" else None
"""`wrk` when on PATH, unless ``BENCH_LOAD_GENERATOR=httpx`` asks for the fallback."""
GENERATOR = "wrk" if WRK else "httpx"

# Rotates through the paths; at the end writes one JSON line with the counts and percentiles (in µs).
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n %% #paths + 1
  return wrk.format(nil, paths[n])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %%d, "duration_us": %%d, "errors": %%d, "status_errors": %%d, ' ..
    '"p50": %%d, "p95": %%d, "p99": %%d}\\n', summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    e.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


class LoadError(Exception):
    """A request under load failed or was answered with an error status."""


@dataclass
class Load:
    """What a run of the generator measured: request count and seconds, latency percentiles in milliseconds."""

    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def of(cls, latencies: Sequence[float], seconds: float) -> Load:
        """From latencies in seconds."""
        ms = sorted(t * 1000 for t in latencies)
        cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
        return cls(len(ms), seconds, cuts[49], cuts[94], cuts[98])


def run_load(base: str, paths: Sequence[str], headers: dict[str, str], *, connections: int, seconds: float) -> Load:
    """Load ``base`` with GETs of ``paths`` (cycled); raises LoadError on any failed request or status of 400 or more."""
    if WRK:
        return _wrk(base, paths, headers, connections, seconds)
    return asyncio.run(_httpx(base, paths, headers, connections, seconds))


def _wrk(base: str, paths: Sequence[str], headers: dict[str, str], connections: int, seconds: float) -> Load:
    assert WRK is not None
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
        script.flush()
        command = [WRK, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", script.name]
        command += [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
        done = subprocess.run([*command, base + paths[0]], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["errors"] or result["status_errors"]:
        raise LoadError(f"{result['errors']} failed requests, {result['status_errors']} answered 4xx/5xx under load of {base}{paths[0]}")
    us = 1000
    return Load(result["requests"], result["duration_us"] / 1e6, result["p50"] / us, result["p95"] / us, result["p99"] / us)


async def _httpx(base: str, paths: Sequence[str], headers: dict[str, str], connections: int, seconds: float) -> Load:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    failures: list[str] = []
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as client:
        start = time.perf_counter()
        deadline = start + seconds

        async def connection(offset: int) -> None:
            n = offset
            while time.perf_counter() < deadline:
                path = paths[n % len(paths)]
                n += 1
                sent = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.HTTPError as exc:
                    failures.append(f"{path}: {exc!r}")
                    continue
                latencies.append(time.perf_counter() - sent)
                if response.status_code >= 400:
                    failures.append(f"{path}: {response.status_code} {response.text[:200]}")

        await asyncio.gather(*(connection(k) for k in range(connections)))
        elapsed = time.perf_counter() - start
    if failures:
        raise LoadError(f"{len(failures)} of {len(latencies)} requests failed under load, e.g. {failures[0]}")
    return Load.of(latencies, elapsed)


def write_responses(path: Path, responses: dict[str, httpx.Response]) -> None:
    """The bare endpoint's answers: for each path (with its query), the registry's body, media type and ETag."""
    table = {p: {"body": r.content.decode(), "media_type": r.headers["content-type"], "etag": r.headers.get("etag")} for p, r in responses.items()}
    path.write_text(json.dumps(table))
