"""The Checkout page of one Checkout Session: what is bought, a card form, and the redirect to
the app's success URL once the local Stripe accepted the card (after its webhooks were
delivered, as Stripe waits for `checkout.session.completed` before redirecting).

An embedded session's page is the same page in a frame of the app's page, found by the session's
client secret (what the app's page was given); once paid, the frame tells the stand-in Stripe.js
in the app's page where the browser goes (stripe_js.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.local_stripe.errors import ActionRefused, CardDeclined
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.pages.card_form import CARD_LABELS, CardFormErrors, read_card
from simulator.local_stripe.pages.forms import kept, posted_form
from simulator.local_stripe.pages.notices import Notice, Notices
from simulator.local_stripe.pages.rendering import href, money, not_found, page, see_other
from simulator.local_stripe.sessions import CheckoutSession

PROMOTION_CODE = "promotion_code"
LABELS = {**CARD_LABELS, PROMOTION_CODE: "Promotion code"}
# What a person may see again after a failed attempt (never the CVC).
KEPT_FIELDS = ("number", "expiry", "name", PROMOTION_CODE)
INTERVAL_ADVERBS = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}
# Where the frame of an embedded Checkout loads from, followed by the session's client secret.
EMBEDDED_PATH = "/embedded-checkout"
MISSING = "This Checkout Session does not exist on the local Stripe."


@dataclass(frozen=True, slots=True)
class CheckoutSummary:
    """What the page says is being bought, worked out once for the template."""

    heading: str
    price_line: str
    after_trial: str | None
    billed: str | None
    subtotal: str
    due_today: str
    submit_label: str

    @classmethod
    def of(cls, session: CheckoutSession) -> CheckoutSummary:
        price = session.price
        subtotal = money(price.unit_amount * session.quantity, price.currency)
        per_period = f"{subtotal} per {price.interval}" if price.interval else subtotal
        trial = session.trial_days
        if session.mode == "subscription":
            heading = f"Subscribe to {price.product_name}"
            submit = "Start trial" if trial else "Subscribe"
        else:
            heading = price.product_name
            submit = f"Pay {money(session.amount_total, price.currency)}"
        return cls(
            heading=heading,
            price_line=f"{trial} days free" if trial else per_period,
            after_trial=f"Then {per_period}" if trial else None,
            billed=f"Billed {INTERVAL_ADVERBS.get(price.interval, price.interval)}"
            if price.interval
            else None,
            subtotal=subtotal,
            due_today=money(session.amount_total, price.currency),
            submit_label=submit,
        )


class CheckoutPages:
    """The routes of the Checkout page, answering from `local`."""

    def __init__(self, local: LocalStripe) -> None:
        self._local = local
        self._notices = Notices()

    def routes(self) -> list[Route]:
        return [
            Route("/checkout/{session_id}", self._hosted, methods=["GET", "POST"]),
            Route(f"{EMBEDDED_PATH}/{{client_secret}}", self._embedded, methods=["GET", "POST"]),
        ]

    async def _hosted(self, request: Request) -> Response:
        session = self._local.checkout_session(request.path_params["session_id"])
        if session is None:
            return not_found(MISSING)
        if session.embedded:
            return not_found(
                "This Checkout Session is embedded in the app's page: it has no page of its own."
            )
        return await self._page(request, session)

    async def _embedded(self, request: Request) -> Response:
        session = self._local.checkout_session_by_secret(request.path_params["client_secret"])
        if session is None:
            return not_found(MISSING, embedded=True)
        return await self._page(request, session)

    async def _page(self, request: Request, session: CheckoutSession) -> Response:
        if request.method == "POST":
            return await self._pay(request, session)
        if session.status != "open":
            return page(
                "checkout_closed.html",
                embedded=session.embedded,
                session=session,
                success=href(session.landing_url),
                back=href(session.cancel_url),
            )
        customer = self._local.customer(session.customer_id)
        return page(
            "checkout.html",
            embedded=session.embedded,
            session=session,
            summary=CheckoutSummary.of(session),
            email=customer.email if customer else None,
            back=href(session.cancel_url),
            notice=self._notices.take(session.id),
            labels=LABELS,
        )

    async def _pay(self, request: Request, session: CheckoutSession) -> Response:
        here = request.url.path
        if session.status != "open":
            return see_other(here)
        form = await posted_form(request)
        typed = kept(form, *KEPT_FIELDS)
        card = read_card(form) if session.card_required else None
        if isinstance(card, CardFormErrors):
            self._notices.leave(session.id, Notice(None, field_errors=card.by_field, values=typed))
            return see_other(here)
        code = form.get(PROMOTION_CODE, "").strip() if session.allow_promotion_codes else ""
        try:
            landing = await self._local.complete_checkout(
                session.id, card, promotion_code=code or None
            )
        except CardDeclined as declined:
            errors = {"number": declined.message}
            self._notices.leave(session.id, Notice(None, field_errors=errors, values=typed))
            return see_other(here)
        except ActionRefused as refused:
            self._notices.leave(session.id, Notice(refused.message, values=typed))
            return see_other(here)
        # An embedded page stays in its frame: its completed page hands the landing on.
        return see_other(here if session.embedded else href(landing) or here)
