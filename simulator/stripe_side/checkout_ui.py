"""Where a Checkout Session's form shows, and where it sends the browser afterwards.

Stripe's hosted page has a success and a cancel URL; a form embedded in the app's page (by
Stripe.js) has neither, but a client secret to mount it with and, unless it never redirects, a
return URL. The session says which in the same fields wherever it is shown: the API's answers
and the events' snapshots alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

UiMode = Literal["hosted_page", "embedded_page"]
SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}"
# When an embedded session sends the browser to its return URL once complete.
RedirectOnCompletion = Literal["always", "if_required", "never"]


@dataclass(frozen=True, slots=True)
class CheckoutUi:
    mode: UiMode = "hosted_page"
    success_url: str | None = None
    cancel_url: str | None = None
    return_url: str | None = None
    redirect_on_completion: RedirectOnCompletion = "always"
    client_secret: str | None = None

    @property
    def embedded(self) -> bool:
        return self.mode == "embedded_page"

    def landing(self, session_id: str) -> str | None:
        """Where Checkout sends the browser once the session is complete, with the session's id
        in place of the placeholder: a hosted session's success URL; an embedded session's
        return URL when it always redirects (a card payment needs no redirect, so with
        `if_required` the app's page stays, as with `never`)."""
        # BEHAVIOUR: local.embedded-return
        if self.embedded:
            target = self.return_url if self.redirect_on_completion == "always" else None
        else:
            target = self.success_url
        return target.replace(SESSION_ID_PLACEHOLDER, session_id) if target else None

    def session_fields(self) -> dict[str, Any]:
        """The session's fields that tell its UI, in the newest API version's names."""
        # BEHAVIOUR: local.embedded-session
        return {
            "cancel_url": self.cancel_url,
            "client_secret": self.client_secret,
            "redirect_on_completion": self.redirect_on_completion if self.embedded else None,
            "return_url": self.return_url,
            "success_url": self.success_url,
            "ui_mode": self.mode,
        }
