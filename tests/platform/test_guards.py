"""The role guards and the principal's rights, stated directly: who passes, who gets 403."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import uuid4

import pytest

from registry.auth.guards import ANYONE, AUTHENTICATED, allow
from registry.auth.principal import Principal, Role
from registry.problems import Forbidden

HOME, OTHER = uuid4(), uuid4()


def principal(*roles: str, organization=HOME) -> Principal:
    return Principal(uuid4(), organization, "municipality", frozenset(roles))


def call(guard: Any, who: Principal | None) -> None:
    guard(SimpleNamespace(user=who), None)


def test_a_guard_admits_one_of_its_roles_and_admins() -> None:
    guard = allow(Role.procurement_officer, Role.federation_coordinator)
    assert guard.roles == (Role.procurement_officer, Role.federation_coordinator)
    call(guard, principal(Role.federation_coordinator))
    call(guard, principal(Role.admin))
    with pytest.raises(Forbidden) as refused:
        call(guard, principal(Role.supplier_editor, Role.library_editor))
    assert refused.value.detail == "this action needs one of the roles: procurement_officer, federation_coordinator"


def test_authenticated_admits_every_principal_and_anyone_admits_no_principal() -> None:
    call(AUTHENTICATED, principal())
    call(ANYONE, None)


@pytest.mark.parametrize(
    ("roles", "organization", "acts"),
    [
        ((Role.procurement_officer,), HOME, True),
        ((Role.procurement_officer,), OTHER, False),
        ((Role.supplier_editor,), HOME, False),
        ((Role.admin,), OTHER, True),
    ],
)
def test_acting_for_an_organization_needs_its_membership_and_a_role(roles: tuple[str, ...], organization: Any, acts: bool) -> None:
    assert principal(*roles).acts_for(organization, Role.procurement_officer) is acts


def test_managing_an_organization_is_for_its_org_admins_and_registry_admins() -> None:
    assert principal(Role.org_admin).manages(HOME) and not principal(Role.org_admin).manages(OTHER)
    assert not principal(Role.procurement_officer).manages(HOME)
    assert principal(Role.admin).manages(OTHER) and principal(Role.admin).is_admin
    assert not principal(Role.org_admin).is_admin
