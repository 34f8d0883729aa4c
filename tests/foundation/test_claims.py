"""Claim paths and the admin rule: each sign-in provider puts the email and the roles elsewhere."""

from __future__ import annotations

import pytest

from services.claims import AdminClaim, ClaimRuleInvalid, claim_at

AUTH0_ROLES = "https://example.com/roles"


@pytest.mark.parametrize(
    ("path", "claims", "value"),
    [
        ("email", {"email": "a@example.com"}, "a@example.com"),
        ("app_metadata.role", {"app_metadata": {"role": "admin"}}, "admin"),
        ("realm_access.roles", {"realm_access": {"roles": ["admin"]}}, ["admin"]),
        (AUTH0_ROLES, {AUTH0_ROLES: ["admin"]}, ["admin"]),
        ("https://example.com/app.role", {"https://example.com/app": {"role": "x"}}, "x"),
        ("a.b", {"a.b": 1, "a": {"b": 2}}, 1),
    ],
    ids=["top-level", "nested", "nested-list", "namespaced", "namespaced-nested", "dotted-name"],
)
def test_a_claim_path_reads_the_longest_name_the_claims_hold(path, claims, value):
    assert claim_at(claims, path) == value


@pytest.mark.parametrize(
    "claims",
    [{}, {"app_metadata": "admin"}, {"app_metadata": {}}],
    ids=["absent", "scalar", "empty"],
)
def test_a_claim_path_the_claims_do_not_hold_reads_nothing(claims):
    assert claim_at(claims, "app_metadata.role") is None


@pytest.mark.parametrize(
    ("rule", "claims"),
    [
        ("role=admin", {"role": "admin"}),
        ("app_metadata.role=admin", {"app_metadata": {"role": "admin"}}),
        ("realm_access.roles=admin", {"realm_access": {"roles": ["offline_access", "admin"]}}),
        (f"{AUTH0_ROLES}=admin", {AUTH0_ROLES: ["admin"]}),
        ("admin=true", {"admin": True}),
    ],
    ids=["role", "supabase", "keycloak", "auth0", "firebase-boolean"],
)
def test_the_admin_claim_matches_its_value_or_a_list_containing_it(rule, claims):
    admin = AdminClaim.parse(rule)

    assert admin.holds(admin.values_in(claims))


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"role": "administrator"},
        {"role": ["user", "billing"]},
        {"role": {"admin": True}},
        {"role": 1},
    ],
    ids=["absent", "other-value", "list-without-it", "object", "number"],
)
def test_the_admin_claim_does_not_match_anything_else(claims):
    admin = AdminClaim.parse("role=admin")

    assert not admin.holds(admin.values_in(claims))


def test_a_false_boolean_claim_does_not_match_true():
    admin = AdminClaim.parse("admin=true")

    assert not admin.holds(admin.values_in({"admin": False}))


def test_the_admin_rule_splits_at_its_last_equals_sign():
    assert AdminClaim.parse(f"{AUTH0_ROLES}=admin") == AdminClaim(path=AUTH0_ROLES, value="admin")


@pytest.mark.parametrize("rule", ["role", "role=", "=admin", "role.=admin", ".role=admin"])
def test_an_admin_rule_without_a_claim_and_a_value_is_refused(rule):
    with pytest.raises(ClaimRuleInvalid):
        AdminClaim.parse(rule)
