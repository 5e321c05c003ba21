"""The application factory: everything is built from the settings passed in, nothing at import."""

from __future__ import annotations

import gc
import logging

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging import LoggingConfig
from litestar.middleware import DefineMiddleware

from exports.builder_process import stop, warm_up
from registry.audit.routes import AuditController
from registry.auth.middleware import BearerTokenMiddleware, RequestIdMiddleware
from registry.auth.routes import TokenController
from registry.auth.service import bootstrap_admin
from registry.auth.throttle import FailureThrottle
from registry.bodies import JsonBodyMiddleware
from registry.db.base import utcnow
from registry.db.migrate import check_schema
from registry.db.transactions import Database, provide_session
from registry.demo import request_examples
from registry.evidence.routes import EvidenceController, ProductController, attachment_router
from registry.evidence.storage import LocalFileStore
from registry.health import health
from registry.http import EncodedCache, security_headers
from registry.openapi import DOCS_PATH, OperationDocs, StructDocs, openapi_config
from registry.organizations.routes import OrganizationController, UserController
from registry.problems import EXCEPTION_HANDLERS
from registry.requirements.library import import_library
from registry.requirements.routes import CatalogueController, ModuleController
from registry.settings import Settings
from registry.tenders.routes import LawController, OcdsController, TenderController
from registry.web import template_config, web_router

API_TITLE = "Welfare technology procurement registry"
OPENAPI_PATH = DOCS_PATH

log = logging.getLogger("registry")


async def prepare(settings: Settings, database: Database) -> None:
    """The start's writes, done once however many processes serve: abandoned uploads removed, the bootstrap admin, the starter library."""
    await LocalFileStore(settings.files_dir).remove_abandoned()
    if settings.bootstrap_admin_token:
        async with database.writes.begin() as session:
            if await bootstrap_admin(session, settings.bootstrap_admin_token):
                log.info("created the bootstrap admin from REGISTRY_BOOTSTRAP_ADMIN_TOKEN")
    if settings.seed_library:
        async with database.writes.begin() as session:
            report = await import_library(session, settings.library_dir)
        log.info("starter library: %s", report)


def served(app: Litestar) -> Litestar:
    """``app`` for a process that serves it until it ends: what was built so far (modules, routes, the API document)
    is kept out of the garbage collector's sight, so full collections no longer walk it (they took 70-100 ms and
    tripled p95), and the export process starts and ends with it. Not for tests, which make many applications and drop them."""
    gc.collect()
    gc.freeze()
    app.on_startup.append(warm_up)
    app.on_shutdown.append(stop)
    return app


def worker_app() -> Litestar:
    """The application of one of the processes of `registry serve --workers N`, whose parent ran ``prepare``."""
    return served(create_app(Settings.from_env(), prepared=True))


SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_SECONDS = 10, 300
"""Failed sign-ins allowed per account and per address within the window; then the form answers 429 until it ends."""


def create_app(settings: Settings, *, prepared: bool = False) -> Litestar:
    """The application; unless ``prepared``, its start runs ``prepare`` too."""
    database = Database(settings.url)
    throttle = FailureThrottle(settings.auth_failure_limit, settings.auth_failure_window_seconds)

    async def on_startup() -> None:
        await check_schema(database.engine)
        if not prepared:
            await prepare(settings, database)

    return Litestar(
        route_handlers=[
            health,
            OrganizationController,
            UserController,
            TokenController,
            AuditController,
            CatalogueController,
            ModuleController,
            ProductController,
            EvidenceController,
            attachment_router(settings),
            TenderController,
            OcdsController,
            LawController,
            *web_router(),
        ],
        template_config=template_config(),
        dependencies={"db_session": Provide(provide_session)},
        middleware=[RequestIdMiddleware(), DefineMiddleware(BearerTokenMiddleware, database=database, throttle=throttle), JsonBodyMiddleware()],
        before_send=[security_headers],
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[on_startup],
        on_shutdown=[database.dispose],
        request_max_body_size=settings.max_request_bytes,
        openapi_config=openapi_config(
            API_TITLE,
            "Reusable requirement modules, supplier evidence and joint tenders for Nordic welfare technology. "
            "Send `Authorization: Bearer <token>` (the Authorize button); errors are RFC 9457 problem+json.",
        ),
        plugins=[OperationDocs(), StructDocs(request_examples(utcnow().date()))],
        logging_config=LoggingConfig(root={"level": settings.log_level, "handlers": ["queue_listener"]}),
        state=State(
            {
                "settings": settings, "database": database, "encoded_versions": EncodedCache(), "encoded_lists": EncodedCache(256),
                "sign_in_throttle": FailureThrottle(SIGN_IN_ATTEMPTS, SIGN_IN_WINDOW_SECONDS),
            }
        ),  # fmt: skip
        debug=False,
    )
