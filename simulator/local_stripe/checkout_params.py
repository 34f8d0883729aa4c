"""Where a new Checkout Session sends the browser, read from its create parameters, and the
combinations Stripe refuses.

stripe-mock checks each value against Stripe's spec (so `ui_mode` and `redirect_on_completion`
are known names by now), but not how they go together: a hosted session takes success and
cancel URLs, an embedded one a return URL instead, which `redirect_on_completion: never` in turn
forbids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from simulator.local_stripe.calls import ApiRefusal
from simulator.stripe_side.checkout_ui import RedirectOnCompletion, UiMode

UI_MODES: tuple[UiMode, ...] = get_args(UiMode)
REDIRECTS: tuple[RedirectOnCompletion, ...] = get_args(RedirectOnCompletion)
# The parameters only one of the UI modes takes.
ONLY_FOR: dict[str, UiMode] = {
    "success_url": "hosted_page",
    "cancel_url": "hosted_page",
    "return_url": "embedded_page",
    "redirect_on_completion": "embedded_page",
}


@dataclass(frozen=True, slots=True)
class CheckoutRedirects:
    """How the session is shown, and where it sends the browser."""

    ui_mode: UiMode
    success_url: str | None = None
    cancel_url: str | None = None
    return_url: str | None = None
    redirect_on_completion: RedirectOnCompletion = "always"


def checkout_redirects(params: dict[str, str]) -> CheckoutRedirects | None:
    """The session's redirects; None for a UI mode the local Stripe does not model (`elements`,
    `form`: forms built with Stripe.js components)."""
    ui_mode = params.get("ui_mode", "hosted_page")
    if ui_mode not in UI_MODES:
        return None
    # BEHAVIOUR: local.embedded-session
    unsupported = sorted(
        name for name, mode in ONLY_FOR.items() if name in params and mode != ui_mode
    )
    if unsupported:
        raise ApiRefusal(
            f"The following parameters are not supported with 'ui_mode: {ui_mode}': "
            f"{', '.join(unsupported)}.",
            param=unsupported[0],
        )
    redirect = params.get("redirect_on_completion", "always")
    if redirect not in REDIRECTS:
        return None
    return_url = params.get("return_url")
    if ui_mode == "embedded_page":
        if redirect == "never" and return_url is not None:
            raise ApiRefusal(
                "You cannot pass `return_url` when `redirect_on_completion` is `never`.",
                param="return_url",
            )
        if redirect != "never" and return_url is None:
            raise ApiRefusal(
                "Missing required param: return_url.", code="parameter_missing", param="return_url"
            )
    return CheckoutRedirects(
        ui_mode=ui_mode,
        success_url=params.get("success_url"),
        cancel_url=params.get("cancel_url"),
        return_url=return_url,
        redirect_on_completion=redirect,
    )
