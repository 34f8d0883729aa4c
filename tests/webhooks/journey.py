"""One customer's whole journey as the events Stripe would send, in the order it sent them."""

from __future__ import annotations

from typing import Any

from tests.webhooks import support as s


def journey(prefix: str) -> list[dict[str, Any]]:
    """Subscribe, fail a payment, recover, switch card, rename the plan, cancel.

    Ids (event ids too) are unique per `prefix`, so several journeys can share one database.
    Some steps share a second, as Stripe's do, to exercise the tie-break.
    """
    t = s.BASE_TIME
    cus, sub, pm, pm2 = f"cus_{prefix}", f"sub_{prefix}", f"pm_{prefix}", f"pm2_{prefix}"
    prod, price, inv, inv2 = f"prod_{prefix}", f"price_{prefix}", f"in_{prefix}", f"in2_{prefix}"

    def sub_snapshot(status: str, **fields: Any) -> dict[str, Any]:
        return s.subscription(sub, cus, status, price=price, product=prod, **fields)

    steps = [
        (t - 100, "product.created", s.product(prod, "Basic")),
        (t - 100, "price.created", s.price(price, prod)),
        (t, "customer.created", s.customer(cus, user_id=f"user_{prefix}")),
        (t + 1, "payment_method.attached", s.card(pm, cus)),
        (t + 1, "customer.subscription.created", sub_snapshot("incomplete")),
        (t + 1, "invoice.created", s.invoice(inv, cus, "draft", subscription_id=sub)),
        (t + 2, "invoice.finalized", s.invoice(inv, cus, "open", subscription_id=sub)),
        (t + 2, "invoice.paid", s.invoice(inv, cus, "paid", subscription_id=sub)),
        (t + 2, "customer.subscription.updated", sub_snapshot("active")),
        (
            t + 2,
            "checkout.session.completed",
            s.checkout_session(f"cs_{prefix}", cus, user_id=f"user_{prefix}"),
        ),
        (t + 10, "invoice.payment_failed", s.invoice(inv2, cus, "open", subscription_id=sub)),
        (t + 10, "customer.subscription.updated", sub_snapshot("past_due")),
        (t + 11, "payment_method.attached", s.card(pm2, cus, last4="1111")),
        (
            t + 11,
            "customer.updated",
            s.customer(cus, user_id=f"user_{prefix}", default_payment_method=pm2),
        ),
        (t + 12, "invoice.paid", s.invoice(inv2, cus, "paid", subscription_id=sub)),
        (
            t + 12,
            "customer.subscription.updated",
            sub_snapshot("active", period_end=t + 90 * 86400),
        ),
        (t + 13, "payment_method.detached", s.card(pm, None)),
        (t + 20, "product.updated", s.product(prod, "Basic (2026)")),
        (
            t + 30,
            "customer.subscription.updated",
            sub_snapshot("active", cancel_at_period_end=True),
        ),
        (t + 40, "customer.subscription.deleted", sub_snapshot("canceled", canceled_at=t + 40)),
    ]
    return [
        s.event(kind, snapshot, created=created, event_id=f"evt_{prefix}_{number:02d}")
        for number, (created, kind, snapshot) in enumerate(steps)
    ]


def object_ids(events: list[dict[str, Any]]) -> set[str]:
    return {str(event["data"]["object"]["id"]) for event in events}
