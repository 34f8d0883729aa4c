"""Stripe webhook delivery: verification, the event envelope, the event log and the endpoint's
use case. What an event changes in the mirror is `services.mirror`'s job.
"""

from services.webhooks.batch import Outcome
from services.webhooks.errors import EventNotStored, WebhookRejected
from services.webhooks.service import ReplayReport, WebhookService

__all__ = ["EventNotStored", "Outcome", "ReplayReport", "WebhookRejected", "WebhookService"]
