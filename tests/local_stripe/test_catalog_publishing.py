"""The local Stripe's catalog reaches the service even when the first delivery fails (a proxy
in front of a service still starting, say): it is sent again until every event is
acknowledged, and never again after that."""

from __future__ import annotations

from tests.local_stripe.pages_support import PagesStand, event_types


async def test_a_refused_catalog_is_sent_again_until_acknowledged(pages: PagesStand) -> None:
    pages.endpoint.refuse("price.created", 1)

    first = await pages.local.publish_catalog()
    second = await pages.local.publish_catalog()

    assert (first, second) == (False, True)
    products = [event for event in pages.take_events() if event["type"] == "product.created"]
    prices = len(pages.local.prices())
    assert len(products) == 2 * prices


async def test_an_acknowledged_catalog_is_not_sent_again(pages: PagesStand) -> None:
    assert await pages.local.publish_catalog()
    pages.take_events()

    assert await pages.local.publish_catalog()
    assert event_types(pages.take_events()) == []
