"""The bare Litestar endpoint the scale benchmark compares the registry with.

It answers the registry's own responses (body, media type, ETag) from memory, by path and query,
and 304 when ``If-None-Match`` matches: what the framework and server cost with no work at all.
Served by uvicorn the way ``registry serve`` serves the registry.

Run: python -m tests.benchmarks.bare --responses FILE --port N [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get

RESPONSES_VARIABLE = "BENCH_BARE_RESPONSES"


def create_app(responses: dict[str, dict[str, Any]]) -> Litestar:
    encoded = {path: (answer["body"].encode(), answer["media_type"], answer["etag"]) for path, answer in responses.items()}

    @get("/{path:path}", sync_to_thread=False)
    def answer(request: Request) -> Response[bytes]:
        query = request.scope["query_string"].decode()
        body, media_type, etag = encoded[request.scope["path"] + (f"?{query}" if query else "")]
        headers = {"ETag": etag} if etag else {}
        if etag and request.headers.get("if-none-match") == etag:
            return Response(b"", status_code=304, headers=headers)
        return Response(body, media_type=media_type, headers=headers)

    return Litestar([answer], openapi_config=None)


def app() -> Litestar:
    """The app for uvicorn's factory mode (several workers), from the responses file the environment names."""
    return create_app(json.loads(Path(os.environ[RESPONSES_VARIABLE]).read_text()))


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    os.environ[RESPONSES_VARIABLE] = str(args.responses.resolve())
    options: dict[str, Any] = {"host": "127.0.0.1", "port": args.port, "log_level": "warning", "server_header": False}
    if args.workers > 1:
        uvicorn.run("tests.benchmarks.bare:app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(app(), **options)


if __name__ == "__main__":
    main()
