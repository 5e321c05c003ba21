"""The web interface: server-rendered pages beside the API, in the four interface languages."""

from __future__ import annotations

from pathlib import Path

from litestar import Controller
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from registry.auth.guards import PUBLIC
from registry.web.account import AccountPages
from registry.web.attachments import AttachmentPages
from registry.web.builder import BuilderPages
from registry.web.desk import DeskPage
from registry.web.editor import EditorPages
from registry.web.editor_actions import VersionActions
from registry.web.evidence_pages import EvidencePages
from registry.web.lots import LotPages
from registry.web.market import MarketPages
from registry.web.organization import OrganizationPages
from registry.web.pages import PagesController
from registry.web.participants import ParticipantsPage
from registry.web.participation import AnswerPage
from registry.web.products import FitPage, ProductPages
from registry.web.publication import PublicationPage
from registry.web.tenders import TenderPages
from registry.web.tokens import TokenPages

HERE = Path(__file__).parent


def web_router() -> list[Router | type[Controller]]:
    """The pages and their static files (styles), open to everyone."""
    static = create_static_files_router(path="/static", directories=[HERE / "static"], opt=PUBLIC, include_in_schema=False, cache_control=None)
    return [
        PagesController, AccountPages, OrganizationPages, TokenPages, ProductPages, EvidencePages, AttachmentPages, FitPage,
        EditorPages, VersionActions, TenderPages, DeskPage, AnswerPage, ParticipantsPage, PublicationPage, BuilderPages, LotPages,
        MarketPages, static,
    ]  # fmt: skip


def template_config() -> TemplateConfig:
    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine)
