"""The local Customer Portal: it shows the plan, its dates, cards and invoices, offers what the
saved configuration allows, and each task changes the subscription and sends its webhooks."""

from __future__ import annotations

import re

from simulator.local_stripe.pages.rendering import date
from simulator.local_stripe.sessions import PortalSession
from simulator.stripe_side.state import CustomerState
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.local_stripe.pages_support import (
    BANNER,
    BASE_URL,
    CARD_DETAILS,
    RETURN_URL,
    PagesStand,
    event_types,
    full_portal,
    local_stand,
    text_of,
)

HOSTILE = "<b onmouseover=alert(1)>Pro</b>"


async def configured_portal(
    pages: PagesStand, changes: dict[str, str]
) -> tuple[CustomerState, PortalSession]:
    """A subscribed customer's portal session on the full configuration with `changes`."""
    customer = await pages.subscribed()
    return customer, pages.portal(customer, {**full_portal(pages.local), **changes})


async def overview(pages: PagesStand, session_id: str) -> str:
    page = await pages.browser.get(f"/portal/{session_id}")
    assert page.status_code == 200
    return page.text


async def test_the_overview_shows_the_plan_its_renewal_date_card_and_invoices(pages: PagesStand):
    customer = await pages.subscribed("pro")
    subscription = pages.subscription_of(customer)
    session = pages.portal(customer)

    text = text_of(await overview(pages, session.id))

    assert "Pro Active" in text
    assert "$29.00 per month" in text
    assert f"Renews on {date(subscription.period_end)}" in text
    assert "Visa •••• 4242" in text
    assert "Invoice history" in text
    assert "$29.00 Paid" in text


async def test_the_url_the_api_returns_opens_the_portal_of_that_session(pages: PagesStand):
    customer = await pages.subscribed("pro")

    created = await pages.api(
        "/v1/billing_portal/sessions", {"customer": customer.id, "return_url": RETURN_URL}
    )
    page = await pages.browser.get(created["url"])

    assert created["url"] == f"{BASE_URL}/portal/{created['id']}"
    assert "Pro Active" in text_of(page.text)


async def test_the_return_link_is_the_sessions_return_url(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer)

    page = await overview(pages, session.id)

    assert f'<a id="return-link" href="{RETURN_URL}">' in page


async def test_the_default_configuration_offers_cancel_but_no_plan_change(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer)

    page = await overview(pages, session.id)

    assert 'id="cancel-plan"' in page
    assert 'id="update-plan"' not in page


async def test_cancelling_at_the_period_end_keeps_the_plan_until_then(pages: PagesStand):
    customer = await pages.subscribed()
    subscription = pages.subscription_of(customer)
    session = pages.portal(customer)

    answer = await pages.browser.post(f"/portal/{session.id}/cancel")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/portal/{session.id}"
    assert subscription.scheduled_end == subscription.period_end
    assert subscription.status == "active"
    assert event_types(pages.take_events()) == ["customer.subscription.updated"]
    text = text_of(await overview(pages, session.id))
    assert f"Your plan will be cancelled on {date(subscription.period_end)}." in text
    assert f"Cancels on {date(subscription.period_end)}" in text


async def test_a_configuration_that_cancels_immediately_ends_the_plan_now(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer, full_portal(pages.local, cancellation_mode="immediately"))

    cancel_screen = await pages.browser.get(f"/portal/{session.id}/cancel")
    await pages.browser.post(f"/portal/{session.id}/cancel")

    assert "ends <strong>now</strong>" in cancel_screen.text
    assert "customer.subscription.deleted" in event_types(pages.take_events())
    assert pages.local.current_subscription(customer.id) is None
    assert "You have no subscription." in await overview(pages, session.id)


async def test_renewing_withdraws_the_scheduled_cancellation(pages: PagesStand):
    customer = await pages.subscribed()
    subscription = pages.subscription_of(customer)
    session = pages.portal(customer)
    await pages.browser.post(f"/portal/{session.id}/cancel")
    pages.take_events()
    assert 'id="renew-form"' in await overview(pages, session.id)

    answer = await pages.browser.post(f"/portal/{session.id}/renew")

    assert answer.status_code == 303
    assert subscription.scheduled_end is None
    assert event_types(pages.take_events()) == ["customer.subscription.updated"]
    text = text_of(await overview(pages, session.id))
    assert f"Renews on {date(subscription.period_end)}" in text


async def test_switching_plan_moves_the_subscription_to_the_chosen_price(pages: PagesStand):
    customer = await pages.subscribed("pro")
    basic = pages.local.side.catalog["basic"]
    session = pages.portal(customer, full_portal(pages.local))
    screen = await pages.browser.get(f"/portal/{session.id}/update")
    assert f'value="{basic.price_id}"' in screen.text

    answer = await pages.browser.post(
        f"/portal/{session.id}/update", data={"price": basic.price_id, "quantity": "1"}
    )

    assert answer.status_code == 303
    assert pages.subscription_of(customer).price == basic
    assert "customer.subscription.updated" in event_types(pages.take_events())
    assert "Your plan was updated." in await overview(pages, session.id)


async def test_changing_the_quantity_keeps_the_price(pages: PagesStand):
    customer = await pages.subscribed("pro")
    pro = pages.local.side.catalog["pro"]
    session = pages.portal(customer, full_portal(pages.local))

    await pages.browser.post(
        f"/portal/{session.id}/update", data={"price": pro.price_id, "quantity": "4"}
    )

    subscription = pages.subscription_of(customer)
    assert (subscription.price, subscription.quantity) == (pro, 4)
    assert "customer.subscription.updated" in event_types(pages.take_events())
    assert "4 \u00d7 $29.00" in text_of(await overview(pages, session.id))


async def test_confirming_the_plan_unchanged_says_so_and_sends_nothing(pages: PagesStand):
    customer = await pages.subscribed("pro")
    pro = pages.local.side.catalog["pro"]
    session = pages.portal(customer, full_portal(pages.local))

    await pages.browser.post(
        f"/portal/{session.id}/update", data={"price": pro.price_id, "quantity": "1"}
    )
    screen = await pages.browser.get(f"/portal/{session.id}/update")

    assert "This is already your plan." in screen.text
    assert pages.take_events() == []


async def test_a_quantity_that_is_not_a_whole_number_is_refused_on_the_field(pages: PagesStand):
    customer = await pages.subscribed("pro")
    session = pages.portal(customer, full_portal(pages.local))

    await pages.browser.post(f"/portal/{session.id}/update", data={"quantity": "two"})
    screen = await pages.browser.get(f"/portal/{session.id}/update")

    assert 'id="quantity-error"' in screen.text
    assert pages.take_events() == []


async def test_a_switch_the_configuration_does_not_offer_is_refused_and_changes_nothing(
    pages: PagesStand,
):
    customer = await pages.subscribed("pro")
    basic = pages.local.side.catalog["basic"]
    session = pages.portal(customer)

    await pages.browser.post(f"/portal/{session.id}/update", data={"price": basic.price_id})
    screen = await pages.browser.get(f"/portal/{session.id}/update")

    assert 'id="notice"' in screen.text
    assert pages.subscription_of(customer).price.key == "pro"
    assert pages.take_events() == []


async def test_updating_the_card_makes_it_the_customers_default(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer)

    answer = await pages.browser.post(
        f"/portal/{session.id}/payment-method",
        data={"number": "5555 5555 5555 4444", **CARD_DETAILS},
    )

    assert answer.status_code == 303
    default = pages.local.default_card(customer.id)
    assert default is not None
    assert default.card.last4 == "4444"
    assert event_types(pages.take_events()) == ["customer.updated", "payment_method.attached"]
    text = text_of(await overview(pages, session.id))
    assert "Mastercard •••• 4444 Default" in text


async def test_a_declined_card_update_shows_the_decline_and_changes_nothing(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer)

    await pages.browser.post(
        f"/portal/{session.id}/payment-method",
        data={"number": "4000000000000002", **CARD_DETAILS},
    )
    screen = await pages.browser.get(f"/portal/{session.id}/payment-method")

    assert '<p id="number-error" class="field-error">Your card was declined.</p>' in screen.text
    assert pages.local.default_card(customer.id) is None
    assert pages.take_events() == []


async def test_invoice_history_is_hidden_when_the_configuration_turns_it_off(pages: PagesStand):
    _, session = await configured_portal(pages, {"features[invoice_history][enabled]": "false"})

    page = await overview(pages, session.id)

    assert 'id="invoices"' not in page


async def test_a_configuration_without_cancellation_neither_offers_nor_accepts_it(
    pages: PagesStand,
):
    customer, session = await configured_portal(
        pages, {"features[subscription_cancel][enabled]": "false"}
    )

    page = await overview(pages, session.id)
    await pages.browser.post(f"/portal/{session.id}/cancel")

    assert 'id="cancel-plan"' not in page
    assert pages.subscription_of(customer).scheduled_end is None
    assert pages.take_events() == []


async def test_a_configuration_without_card_updates_neither_offers_nor_accepts_them(
    pages: PagesStand,
):
    changes = {"features[payment_method_update][enabled]": "false"}
    customer, session = await configured_portal(pages, changes)

    page = await overview(pages, session.id)
    await pages.browser.post(
        f"/portal/{session.id}/payment-method",
        data={"number": "5555555555554444", **CARD_DETAILS},
    )

    assert 'id="update-card"' not in page
    assert pages.local.default_card(customer.id) is None
    assert pages.take_events() == []


async def test_the_headline_the_configuration_saved_heads_the_portal(pages: PagesStand):
    _, session = await configured_portal(pages, {"business_profile[headline]": "Acme & co"})

    page = await overview(pages, session.id)

    assert "<h1>Acme &amp; co</h1>" in page


async def test_a_cancel_flow_opens_on_the_cancel_screen_and_returns_to_the_app(pages: PagesStand):
    customer = await pages.subscribed()
    done = "https://app.example/account?cancelled=1"
    session = pages.portal(customer, flow="subscription_cancel", after_completion_url=done)

    opened = await pages.browser.get(f"/portal/{session.id}")
    screen = await pages.browser.get(opened.headers["location"])
    answer = await pages.browser.post(f"/portal/{session.id}/cancel")

    assert opened.status_code == 303
    assert opened.headers["location"] == f"/portal/{session.id}/cancel"
    assert re.search(rf'<a id="back" class="button" href="{re.escape(RETURN_URL)}">', screen.text)
    assert answer.headers["location"] == done
    assert "customer.subscription.updated" in event_types(pages.take_events())


async def test_a_card_update_flow_opens_on_the_card_form(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer, flow="payment_method_update")

    opened = await pages.browser.get(f"/portal/{session.id}")

    assert opened.headers["location"] == f"/portal/{session.id}/payment-method"


async def test_an_unknown_portal_session_is_not_found(pages: PagesStand):
    page = await pages.browser.get("/portal/bps_nothing")

    assert page.status_code == 404


async def test_every_portal_screen_says_it_is_a_local_stand_in_for_stripe(pages: PagesStand):
    customer = await pages.subscribed()
    session = pages.portal(customer, full_portal(pages.local))

    for screen in ("", "/cancel", "/update", "/payment-method"):
        page = await pages.browser.get(f"/portal/{session.id}{screen}")
        assert BANNER in page.text, screen


async def test_a_hostile_plan_name_is_shown_as_text(stripe_mock: StripeMockServer):
    async with local_stand(stripe_mock.url, product_names={"pro": HOSTILE}) as pages:
        customer = await pages.subscribed("pro")
        session = pages.portal(customer, full_portal(pages.local))

        screens = [
            (await pages.browser.get(f"/portal/{session.id}{screen}")).text
            for screen in ("", "/cancel", "/update")
        ]

    for page in screens:
        assert "<b onmouseover" not in page
        assert "&lt;b onmouseover=alert(1)&gt;Pro&lt;/b&gt;" in page
