"""The local Checkout page: it shows what the session sells, takes Stripe's test cards, shows a
decline without changing anything, and sends the browser to the success URL once paid."""

from __future__ import annotations

import re

from simulator.toolkit.stripe_mock import StripeMockServer
from tests.local_stripe.pages_support import (
    BANNER,
    BASE_URL,
    CANCEL_URL,
    CARD_DETAILS,
    SUCCESS_URL,
    PagesStand,
    event_types,
    local_stand,
    text_of,
)

HOSTILE = '<script>alert("pwned")</script><img src=x onerror=alert(1)>'


async def test_the_page_shows_the_line_item_with_price_interval_and_quantity(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer, "pro", quantity=3)

    page = await pages.browser.get(f"/checkout/{session.id}")

    assert page.status_code == 200
    text = text_of(page.text)
    assert "Subscribe to Pro" in text
    assert "$87.00 per month" in text
    assert "Pro monthly" in text
    assert "Qty 3 · Billed monthly" in text
    assert "Total due today $87.00" in text
    assert "ada@example.com" in text


async def test_the_url_the_api_returns_opens_the_page_of_that_session(pages: PagesStand):
    customer = await pages.api("/v1/customers", {"email": "ada@example.com"})
    pro = pages.local.side.catalog["pro"]

    created = await pages.api(
        "/v1/checkout/sessions",
        {
            "mode": "subscription",
            "customer": customer["id"],
            "line_items[0][price]": pro.price_id,
            "line_items[0][quantity]": "2",
            "success_url": SUCCESS_URL,
            "cancel_url": CANCEL_URL,
        },
    )
    page = await pages.browser.get(created["url"])

    assert created["url"] == f"{BASE_URL}/checkout/{created['id']}"
    assert "Qty 2 · Billed monthly" in text_of(page.text)


async def test_a_trial_shows_its_free_days_and_nothing_due_today(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer, "basic", trial_days=14)

    text = text_of((await pages.browser.get(f"/checkout/{session.id}")).text)

    assert "14 days free" in text
    assert "Then $9.00 per month" in text
    assert "Total due today $0.00" in text
    assert "Start trial" in text


async def test_a_trial_that_needs_no_card_starts_without_the_card_form(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(
        customer, "basic", trial_days=7, payment_method_collection="if_required"
    )

    page = await pages.browser.get(f"/checkout/{session.id}")
    answer = await pages.browser.post(f"/checkout/{session.id}", data={})

    assert 'id="number"' not in page.text
    assert answer.status_code == 303
    assert pages.subscription_of(customer).status == "trialing"


async def test_a_one_time_price_is_paid_for_its_amount(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer, "setup")

    text = text_of((await pages.browser.get(f"/checkout/{session.id}")).text)

    assert "Pay $49.00" in text
    assert "per month" not in text


async def test_the_promotion_code_field_appears_only_when_the_session_allows_codes(
    pages: PagesStand,
):
    customer = await pages.customer()
    allowed = pages.checkout(customer, allow_promotion_codes=True)
    not_allowed = pages.checkout(customer)

    assert 'name="promotion_code"' in (await pages.browser.get(f"/checkout/{allowed.id}")).text
    assert (
        'name="promotion_code"' not in (await pages.browser.get(f"/checkout/{not_allowed.id}")).text
    )


async def test_the_success_card_redirects_to_the_success_url_with_the_session_id(pages: PagesStand):
    customer = await pages.customer()
    pages.take_events()
    session = pages.checkout(customer)

    answer = await pages.pay(session)

    assert answer.status_code == 303
    assert answer.headers["location"] == f"https://app.example/welcome?session={session.id}"
    delivered = event_types(pages.take_events())
    assert "checkout.session.completed" in delivered
    assert "customer.subscription.created" in delivered
    assert session.status == "complete"


async def test_a_declined_card_shows_the_decline_and_sends_no_webhook(pages: PagesStand):
    customer = await pages.customer()
    pages.take_events()
    session = pages.checkout(customer)

    answer = await pages.pay(session, "4000 0000 0000 0002")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/checkout/{session.id}"
    page = await pages.browser.get(answer.headers["location"])
    assert '<p id="number-error" class="field-error">Your card was declined.</p>' in page.text
    assert pages.take_events() == []
    assert pages.local.current_subscription(customer.id) is None
    assert session.status == "open"


async def test_the_decline_is_linked_to_the_card_number_field_for_screen_readers(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    await pages.pay(session, "4000 0000 0000 0002")
    page = await pages.browser.get(f"/checkout/{session.id}")

    number_input = re.search(r'<input id="number"[^>]*>', page.text)
    assert number_input is not None
    assert 'aria-describedby="number-error"' in number_input[0]
    assert 'aria-invalid="true"' in number_input[0]
    assert "autofocus" in number_input[0]


async def test_the_insufficient_funds_card_says_so(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    await pages.pay(session, "4000000000009995")
    page = await pages.browser.get(f"/checkout/{session.id}")

    assert 'field-error">Your card has insufficient funds.</p>' in page.text
    assert session.status == "open"


async def test_the_card_that_fails_on_its_next_charge_is_declined_when_payment_is_due_now(
    pages: PagesStand,
):
    customer = await pages.customer()
    pages.take_events()
    session = pages.checkout(customer)

    await pages.pay(session, "4000000000000341")
    page = await pages.browser.get(f"/checkout/{session.id}")

    assert '<p id="number-error" class="field-error">Your card was declined.</p>' in page.text
    assert pages.take_events() == []


async def test_after_a_decline_the_success_card_still_completes_the_session(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)
    await pages.pay(session, "4000000000000002")

    answer = await pages.pay(session)

    assert answer.status_code == 303
    assert session.id in answer.headers["location"]


async def test_a_mistyped_card_number_is_refused_by_the_form_before_the_account_sees_it(
    pages: PagesStand,
):
    customer = await pages.customer()
    pages.take_events()
    session = pages.checkout(customer)

    await pages.pay(session, "4242 4242 4242 4241")
    page = await pages.browser.get(f"/checkout/{session.id}")

    assert "Your card number is invalid." in page.text
    assert pages.take_events() == []


async def test_missing_card_details_are_each_named_in_an_error_summary(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    await pages.browser.post(f"/checkout/{session.id}", data={"number": ""})
    page = await pages.browser.get(f"/checkout/{session.id}")

    summary = re.search(r'<div id="error-summary".*?</div>', page.text, re.DOTALL)
    assert summary is not None
    for field in ("number", "expiry", "cvc", "name"):
        assert f'href="#{field}"' in summary[0]


async def test_what_was_typed_is_shown_again_except_the_cvc(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    await pages.pay(session, "4000000000000002")
    page = await pages.browser.get(f"/checkout/{session.id}")

    assert 'value="Ada Lovelace"' in page.text
    assert f'value="{CARD_DETAILS["cvc"]}"' not in page.text


async def test_an_error_is_shown_once(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)
    await pages.pay(session, "4000000000000002")

    await pages.browser.get(f"/checkout/{session.id}")
    again = await pages.browser.get(f"/checkout/{session.id}")

    assert 'id="number-error"' not in again.text


async def test_a_promotion_code_the_account_does_not_have_is_refused(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer, allow_promotion_codes=True)

    await pages.browser.post(
        f"/checkout/{session.id}",
        data={"number": "4242424242424242", "promotion_code": "SPRING", **CARD_DETAILS},
    )
    page = await pages.browser.get(f"/checkout/{session.id}")

    assert "This code is invalid" in page.text
    assert session.status == "open"


async def test_the_back_link_leads_to_the_cancel_url(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    page = await pages.browser.get(f"/checkout/{session.id}")

    assert f'<a id="back" class="back" href="{CANCEL_URL}">' in page.text


async def test_a_cancel_url_that_is_not_a_web_address_gets_no_link(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer, cancel_url="javascript:alert(1)")

    page = await pages.browser.get(f"/checkout/{session.id}")

    assert "javascript:" not in page.text


async def test_a_completed_session_says_so_instead_of_taking_another_payment(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)
    await pages.pay(session)
    pages.take_events()

    page = await pages.browser.get(f"/checkout/{session.id}")
    again = await pages.pay(session)

    assert "Payment complete" in page.text
    assert again.headers["location"] == f"/checkout/{session.id}"
    assert pages.take_events() == []


async def test_an_unknown_session_is_not_found(pages: PagesStand):
    page = await pages.browser.get("/checkout/cs_test_nothing")

    assert page.status_code == 404
    assert BANNER in page.text


async def test_the_page_says_it_is_a_local_stand_in_for_stripe(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    page = await pages.browser.get(f"/checkout/{session.id}")

    assert BANNER in page.text


async def test_a_hostile_product_name_is_shown_as_text(stripe_mock: StripeMockServer):
    async with local_stand(stripe_mock.url, product_names={"pro": HOSTILE}) as pages:
        customer = await pages.customer()
        session = pages.checkout(customer)

        page = await pages.browser.get(f"/checkout/{session.id}")

    assert "<script>" not in page.text
    assert "<img" not in page.text
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page.text


async def test_the_page_allows_no_script_to_run(pages: PagesStand):
    customer = await pages.customer()
    session = pages.checkout(customer)

    page = await pages.browser.get(f"/checkout/{session.id}")

    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
