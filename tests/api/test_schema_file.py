"""`schema.graphql` at the repository root is what frontends generate code from: keep it current."""

from __future__ import annotations

from schema.root import schema_sdl


def test_schema_graphql_matches_the_code(repo_root):
    committed = (repo_root / "schema.graphql").read_text()

    assert committed == schema_sdl(), "schema.graphql is stale: run `make schema`"


def test_the_schema_has_every_contract_operation():
    sdl = schema_sdl()

    for signature in (
        "viewer: Viewer!",
        "plans: [Plan!]!",
        "portalBlock(id: ID!): PortalBlock",
        "createCheckoutSession(input: CheckoutInput!): CheckoutSession!",
        "createPortalSession(input: PortalSessionInput!): PortalSession!",
        "savePortalBlock(input: PortalBlockInput!): PortalBlock!",
        "configureCustomerPortal(input: PortalConfigurationInput!): PortalConfiguration!",
        "subscriptions(statuses: [SubscriptionStatus!] = null): [Subscription!]!",
        "invoices(limit: Int = 10): [Invoice!]!",
        "quantity: Int = 1",
        "mode: CheckoutMode = SUBSCRIPTION",
        "allowPromotionCodes: Boolean = false",
        'cancellationMode: String = "at_period_end"',
    ):
        assert signature in sdl, signature
