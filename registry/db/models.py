"""Every slice's tables, imported once so the metadata (and Alembic) sees them all."""

from registry.audit.models import AuditEvent
from registry.auth.models import ApiToken
from registry.db.base import Base
from registry.organizations.models import FederationMembership, Organization, User
from registry.tenders.models import Tender, TenderAmendment, TenderParticipant, TenderTransition
from registry.requirements.models import ModuleTerm, ModuleVersion, RequirementModule, VocabularyTerm

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "FederationMembership",
    "ModuleTerm",
    "ModuleVersion",
    "Organization",
    "RequirementModule",
    "Tender",
    "TenderAmendment",
    "TenderParticipant",
    "TenderTransition",
    "User",
    "VocabularyTerm",
]
