"""The services one running app holds. The composition root (billing_portal.bootstrap) fills it;
the layers above reach every service through it."""

from __future__ import annotations

from dataclasses import dataclass

from services.access import Access
from services.access_groups import AccessGroups
from services.auth import TokenVerifier
from services.catalog import Catalog
from services.checkout import CheckoutSessions
from services.checkout_confirmation import CheckoutConfirmations
from services.live_billing import LiveBilling
from services.metrics import Metrics
from services.mirror.sync import MirrorSync
from services.notifications import BillingChanges
from services.portal_blocks import PortalBlocks
from services.portal_configuration import PortalConfigurations
from services.portal_sessions import PortalSessions
from services.stripe_gateway import StripeGateway
from services.users import BillingUsers
from services.webhooks import WebhookService


@dataclass(slots=True)
class Services:
    stripe: StripeGateway
    tokens: TokenVerifier
    users: BillingUsers
    catalog: Catalog
    checkout: CheckoutSessions
    confirmations: CheckoutConfirmations
    portal: PortalSessions
    blocks: PortalBlocks
    configurations: PortalConfigurations
    webhooks: WebhookService
    sync: MirrorSync
    access: Access
    access_groups: AccessGroups
    changes: BillingChanges
    live: LiveBilling
    metrics: Metrics

    async def close(self) -> None:
        await self.changes.close()
        await self.stripe.close()
