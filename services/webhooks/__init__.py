"""Stripe webhooks: verification, the event log, and the mirror kept exact by newer-wins.

See `service` for the flow, `ordering` for the rule that makes every delivery order converge,
and `handlers` for what each event type changes.
"""

from services.webhooks.errors import EventNotStored, WebhookRejected
from services.webhooks.service import Outcome, ReplayReport, WebhookService

__all__ = ["EventNotStored", "Outcome", "ReplayReport", "WebhookRejected", "WebhookService"]
