"""Every slice's tables, imported once so the metadata (and Alembic) sees them all."""

from registry.audit.models import AuditEvent
from registry.auth.models import ApiToken
from registry.db.base import Base
from registry.evidence.models import Attachment, EvidenceItem, EvidenceReview, EvidenceTender, IdempotencyKey, Product, ProductCategory
from registry.organizations.models import FederationMembership, Organization, User
from registry.requirements.models import ModuleTerm, ModuleVersion, RequirementModule, VocabularyTerm
from registry.tenders.models import Tender, TenderAmendment, TenderDocument, TenderLot, TenderParticipant, TenderSelection, TenderTransition

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "Base",
    "EvidenceItem",
    "EvidenceReview",
    "EvidenceTender",
    "FederationMembership",
    "IdempotencyKey",
    "ModuleTerm",
    "ModuleVersion",
    "Organization",
    "Product",
    "ProductCategory",
    "RequirementModule",
    "Tender",
    "TenderAmendment",
    "TenderDocument",
    "TenderLot",
    "TenderParticipant",
    "TenderSelection",
    "TenderTransition",
    "User",
    "VocabularyTerm",
]
