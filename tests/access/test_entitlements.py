"""Stripe entitlements: each customer's active entitlement summary, and each product's features,
mirrored; `viewer { entitlements }` lists the lookup keys of the active ones."""

from __future__ import annotations

from itertools import permutations

from billing_portal.bootstrap import bootstrap, stripe_gateway_for
from services.mirror.sync import MirrorSync
from services.models import EntitlementSummary, ProductFeature
from services.webhooks.events import parse_event
from tests.access.conftest import linked_user
from tests.access.support import CatalogStripe, entitlement_summary, event, fresh
from tests.support import graphql
from tests.webhooks import support as s

T = s.BASE_TIME
ENTITLEMENTS = "query { viewer { entitlements } }"
UPDATED = "entitlements.active_entitlement_summary.updated"


async def _entitlements(client, token):
    return (await graphql(client, ENTITLEMENTS, token=token))["data"]["viewer"]["entitlements"]


async def test_the_viewer_lists_the_lookup_keys_of_its_active_entitlements(
    database, deliver, client, token_for
):
    await linked_user("ada", "cus_ada")

    await deliver([event(UPDATED, entitlement_summary("cus_ada", ["reports", "api-access"]))])

    assert await _entitlements(client, token_for("ada")) == ["api-access", "reports"]


async def test_a_viewer_without_a_customer_has_no_entitlements(database, client, token_for):
    assert await _entitlements(client, token_for("newcomer")) == []


async def test_the_newest_summary_wins_whatever_the_order_and_the_duplicates(
    database, deliver, client, token_for
):
    summaries: list[tuple[list[str], int]] = [
        (["reports"], T),
        ([], T + 60),
        (["api-access", "reports"], T + 120),
    ]
    for order in permutations(summaries):
        customer, user = fresh("cus"), fresh("user")
        await linked_user(user, customer)
        events = [
            event(UPDATED, entitlement_summary(customer, keys), created=created)
            for keys, created in order
        ]

        await deliver([*events, events[0]])

        assert await _entitlements(client, token_for(user)) == ["api-access", "reports"], order


class TwoPagesStripe(CatalogStripe):
    """stripe-mock whose first page of active entitlements says more follow (and names a
    feature of its own); the SDK then reads the next page from stripe-mock."""

    async def call(self, operation):
        result = await super().call(operation)
        if getattr(result, "url", None) == "/v1/entitlements/active_entitlements":
            result["has_more"] = True
            result.data[0]["lookup_key"] = "on-the-first-page"
        return result


async def test_a_summary_with_more_entitlements_than_its_page_is_read_in_full(
    settings, database, client, token_for
):
    gateway = stripe_gateway_for(settings, TwoPagesStripe)
    services = bootstrap(settings, stripe=gateway)
    await linked_user("ada", "cus_ada")
    partial = entitlement_summary("cus_ada", ["in-the-event"], has_more=True)
    try:
        await services.webhooks.ingest(parse_event(event(UPDATED, partial)))
    finally:
        await services.close()

    # Every page Stripe lists now: stripe-mock's fixture entitlement ("something") follows.
    assert await _entitlements(client, token_for("ada")) == ["on-the-first-page", "something"]


async def test_sync_rebuilds_each_customers_active_entitlements(settings, database):
    gateway = stripe_gateway_for(settings, CatalogStripe)
    try:
        await MirrorSync(gateway).run(customer_id="cus_synced")
    finally:
        await gateway.close()

    summary = await EntitlementSummary.get(id="cus_synced")
    assert [item["lookup_key"] for item in summary.entitlements] == ["something"]


class FeaturedProductsStripe(CatalogStripe):
    """stripe-mock whose products list one active feature each, named after the product (its
    fixture feature has no ids)."""

    async def call(self, operation):
        result = await super().call(operation)
        url = getattr(result, "url", "") or ""
        if url.startswith("/v1/products/") and url.endswith("/features"):
            product_id = url.split("/")[3]
            listed = result.data[0]
            listed["id"] = f"prodft_{product_id}"
            listed.entitlement_feature["id"] = f"feat_{product_id}"
            listed.entitlement_feature["lookup_key"] = f"{product_id}-feature"
            listed.entitlement_feature["name"] = "A feature"
            listed.entitlement_feature["active"] = True
        return result


async def test_sync_mirrors_each_products_features_and_forgets_removed_ones(settings, database):
    gateway = stripe_gateway_for(settings, FeaturedProductsStripe)
    try:
        product = (await gateway.call(lambda v1: v1.products.list_async())).data[0].id
        await ProductFeature.create(
            id="prodft_gone",
            product_id=product,
            feature_id="feat_gone",
            lookup_key="gone",
            name="Gone",
        )

        report = await MirrorSync(gateway).run()
    finally:
        await gateway.close()

    features = await ProductFeature.all().values("id", "product_id", "lookup_key", "active")
    assert features == [
        {
            "id": f"prodft_{product}",
            "product_id": product,
            "lookup_key": f"{product}-feature",
            "active": True,
        }
    ]
    assert report.stored["product_features"] == 1
