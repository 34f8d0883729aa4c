"""The hosted Customer Portal of one portal session: an overview, and a screen per task (cancel,
change plan, change card), each offered only as the saved portal configuration allows.

A session created with `flow_data` is that one task: it opens on its screen, its back link
returns to the app, and once done the browser goes where the flow says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.local_stripe.errors import ActionRefused, CardDeclined
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.pages.card_form import CARD_LABELS, CardFormErrors, read_card
from simulator.local_stripe.pages.forms import kept, posted_form
from simulator.local_stripe.pages.notices import Notice, Notices
from simulator.local_stripe.pages.portal_view import PortalView
from simulator.local_stripe.pages.rendering import date, href, not_found, page, see_other
from simulator.local_stripe.sessions import PortalSession

# Each flow's screen, by the flow's type.
FLOW_SCREENS = {
    "subscription_cancel": "cancel",
    "subscription_update": "update",
    "payment_method_update": "payment-method",
}
MAX_QUANTITY = 10_000
LABELS = {**CARD_LABELS, "price": "Plan", "quantity": "Quantity"}

Screen = Callable[[Request, PortalSession], Awaitable[Response]]


class PortalPages:
    """The routes of the Customer Portal, answering from `local`."""

    def __init__(self, local: LocalStripe) -> None:
        self._local = local
        self._notices = Notices()

    def routes(self) -> list[Route]:
        base = "/portal/{session_id}"
        return [
            Route(base, self._session(self._overview)),
            Route(f"{base}/cancel", self._session(self._cancel), methods=["GET", "POST"]),
            Route(f"{base}/update", self._session(self._update), methods=["GET", "POST"]),
            Route(f"{base}/payment-method", self._session(self._card), methods=["GET", "POST"]),
            Route(f"{base}/renew", self._session(self._renew), methods=["POST"]),
        ]

    def _session(self, screen: Screen) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            session = self._local.portal_session(request.path_params["session_id"])
            if session is None:
                return not_found("This portal session does not exist on the local Stripe.")
            return await screen(request, session)

        return endpoint

    # -- screens -----------------------------------------------------------------------------

    async def _overview(self, request: Request, session: PortalSession) -> Response:
        if session.flow in FLOW_SCREENS:
            return see_other(_screen_path(session, FLOW_SCREENS[session.flow]))
        return self._render("portal.html", session)

    async def _cancel(self, request: Request, session: PortalSession) -> Response:
        if request.method == "GET":
            return self._render("portal_cancel.html", session)
        try:
            await self._local.cancel_subscription(session.id)
        except ActionRefused as refused:
            return self._refused(session, "cancel", refused)
        subscription = self._local.current_subscription(session.customer_id)
        end = subscription.scheduled_end if subscription else None
        done = f"Your plan will be cancelled on {date(end)}." if end else "Your plan was cancelled."
        return self._done(session, done)

    async def _update(self, request: Request, session: PortalSession) -> Response:
        if request.method == "GET":
            return self._render("portal_update.html", session)
        form = await posted_form(request)
        subscription = self._local.current_subscription(session.customer_id)
        price_id = form.get("price") or (subscription.price.price_id if subscription else "")
        quantity_typed = form.get("quantity", "").strip()
        quantity = None  # the current one, unless another is typed
        if quantity_typed:
            if not quantity_typed.isdigit() or not 1 <= int(quantity_typed) <= MAX_QUANTITY:
                error = {"quantity": f"Enter a whole number from 1 to {MAX_QUANTITY}."}
                notice = Notice(None, field_errors=error, values=kept(form, "quantity"))
                return self._again(session, "update", notice)
            quantity = int(quantity_typed)
        try:
            await self._local.switch_plan(session.id, price_id, quantity)
        except ActionRefused as refused:
            return self._refused(session, "update", refused)
        return self._done(session, "Your plan was updated.")

    async def _card(self, request: Request, session: PortalSession) -> Response:
        if request.method == "GET":
            return self._render("portal_card.html", session)
        form = await posted_form(request)
        typed = kept(form, "number", "expiry", "name")
        card = read_card(form)
        if isinstance(card, CardFormErrors):
            notice = Notice(None, field_errors=card.by_field, values=typed)
            return self._again(session, "payment-method", notice)
        try:
            await self._local.update_card(session.id, card)
        except CardDeclined as declined:
            notice = Notice(None, field_errors={"number": declined.message}, values=typed)
            return self._again(session, "payment-method", notice)
        except ActionRefused as refused:
            return self._refused(session, "payment-method", refused)
        return self._done(session, "Your payment method was updated.")

    async def _renew(self, request: Request, session: PortalSession) -> Response:
        try:
            await self._local.renew_subscription(session.id)
        except ActionRefused as refused:
            self._notices.leave(session.id, Notice(refused.message))
            return see_other(_screen_path(session, None))
        return self._done(session, "Your plan was renewed: it no longer ends.")

    # -- answers -----------------------------------------------------------------------------

    def _render(self, template: str, session: PortalSession) -> Response:
        return page(
            template,
            view=PortalView.of(self._local, session),
            notice=self._notices.take(session.id),
            labels=LABELS,
            overview=_screen_path(session, None),
            # A flow's screens lead back to the app; the full portal's lead to its overview.
            back=href(session.return_url) if session.flow else _screen_path(session, None),
            return_link=href(session.return_url),
            screen_path=lambda screen: _screen_path(session, screen),
            max_quantity=MAX_QUANTITY,
        )

    def _again(self, session: PortalSession, screen: str, notice: Notice) -> Response:
        """Back to `screen`, which shows `notice` (what to fix) once."""
        self._notices.leave(session.id, notice)
        return see_other(_screen_path(session, screen))

    def _refused(self, session: PortalSession, screen: str, refused: ActionRefused) -> Response:
        return self._again(session, screen, Notice(refused.message))

    def _done(self, session: PortalSession, message: str) -> Response:
        """A task is done: a flow sends the browser back to the app, the full portal shows its
        overview with `message`."""
        if session.flow:
            target = href(session.after_completion_url) or href(session.return_url)
            if target:
                return see_other(target)
        self._notices.leave(session.id, Notice(message, tone="success"))
        return see_other(_screen_path(session, None))


def _screen_path(session: PortalSession, screen: str | None) -> str:
    base = f"/portal/{session.id}"
    return f"{base}/{screen}" if screen else base
