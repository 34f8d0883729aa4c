"""Telling live subscribers that their billing changed (see `changes`): in-process, or across
instances through PostgreSQL (`postgres`)."""

from services.notifications.changes import BillingChanges, customer_topic, user_topic
from services.notifications.inbox import Inbox

__all__ = ["BillingChanges", "Inbox", "customer_topic", "user_topic"]
