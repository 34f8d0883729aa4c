"""The services behind the GraphQL API, wired once per app from settings.

Checkout and portal sessions share one rate limiter: the budget is "sessions per user", whichever
kind the user keeps asking for.
"""

from __future__ import annotations

from dataclasses import dataclass

from billing_portal.settings import Settings
from services.checkout import CheckoutSessions
from services.customers import CustomerAccounts
from services.plans import Catalog
from services.portal import PortalSessions
from services.portal_blocks import PortalBlocks
from services.portal_configuration import PortalConfigurations
from services.rate_limit import SlidingWindowLimiter
from services.stripe_gateway import StripeGateway
from services.urls import RedirectPolicy
from services.users import Accounts


@dataclass(frozen=True, slots=True)
class ApiServices:
    catalog: Catalog
    checkout: CheckoutSessions
    portal: PortalSessions
    blocks: PortalBlocks
    configurations: PortalConfigurations
    accounts: Accounts

    @classmethod
    def build(cls, settings: Settings, stripe: StripeGateway) -> ApiServices:
        redirects = RedirectPolicy.of(settings.allowed_redirect_hosts, is_prod=settings.is_prod)
        limiter = SlidingWindowLimiter(settings.rate_limit_sessions_per_minute)
        catalog = Catalog(stripe)
        blocks = PortalBlocks(redirects)
        configurations = PortalConfigurations(stripe=stripe, catalog=catalog, redirects=redirects)
        return cls(
            catalog=catalog,
            checkout=CheckoutSessions(
                stripe=stripe,
                catalog=catalog,
                customers=CustomerAccounts(stripe),
                redirects=redirects,
                limiter=limiter,
            ),
            portal=PortalSessions(
                stripe=stripe,
                blocks=blocks,
                configurations=configurations,
                redirects=redirects,
                limiter=limiter,
            ),
            blocks=blocks,
            configurations=configurations,
            accounts=Accounts(),
        )
