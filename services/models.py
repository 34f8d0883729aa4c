"""The store: Tortoise models for users, the Stripe event log and the local mirror of Stripe.

Mirror rows carry the `created` time and id of the event that last wrote them (source_*
columns), so a snapshot is applied only when it is newer than what the row holds
(see services.mirror.ordering).

Model docstrings become SQL table comments, and Tortoise's SQLite migrations split statements on
semicolons and break on backticks: keep both out of model docstrings and field descriptions.
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class User(Model):
    """A signed-in user of the host app, keyed by the JWT sub claim (external_id)."""

    id = fields.IntField(primary_key=True)
    external_id = fields.CharField(max_length=255, unique=True)
    email = fields.CharField(max_length=320, null=True)
    stripe_customer_id = fields.CharField(max_length=255, unique=True, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "users"


class StripeEvent(Model):
    """Every accepted webhook event, stored once by id before it is applied."""

    id = fields.CharField(max_length=255, primary_key=True)
    type = fields.CharField(max_length=128, db_index=True)
    object_id = fields.CharField(
        max_length=255, null=True, db_index=True, description="id of data.object"
    )
    created = fields.BigIntField(description="Stripe's event.created, unix seconds")
    livemode = fields.BooleanField(default=False)
    payload: fields.Field[dict[str, Any]] = fields.JSONField()
    status = fields.CharField(max_length=16, description="processed|ignored|failed")
    attempts = fields.IntField(default=0)
    error = fields.TextField(null=True)
    received_at = fields.DatetimeField(auto_now_add=True)
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "stripe_events"
        # By status, then Stripe's creation time: the failed events oldest first (replay), how
        # many failed and the newest applied (metrics), each without scanning the log.
        indexes = (("status", "created"),)


class MirrorFields(Model):
    """Columns shared by every mirrored Stripe object: which version of it the row holds.

    The triple (source_created, source_rank, source_event_id) orders snapshots, see
    services.mirror.ordering for the rule.
    """

    source_created = fields.BigIntField(default=0)
    source_rank = fields.IntField(default=0)
    source_event_id = fields.CharField(max_length=255, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        abstract = True


# The longest customer email Stripe accepts (its API refuses a longer one when a customer is
# created or updated), so the mirror holds every email Stripe sends.
STRIPE_EMAIL_MAX_LENGTH = 512


class Customer(MirrorFields):
    id = fields.CharField(max_length=255, primary_key=True)
    user_external_id = fields.CharField(max_length=255, null=True, db_index=True)
    email = fields.CharField(max_length=STRIPE_EMAIL_MAX_LENGTH, null=True)
    default_payment_method_id = fields.CharField(max_length=255, null=True)
    deleted = fields.BooleanField(default=False)

    class Meta:
        table = "customers"


class Subscription(MirrorFields):
    id = fields.CharField(max_length=255, primary_key=True)
    customer_id = fields.CharField(max_length=255, db_index=True)
    status = fields.CharField(max_length=32)
    price_id = fields.CharField(max_length=255)
    product_id = fields.CharField(max_length=255, null=True)
    plan_name = fields.CharField(max_length=255, null=True)
    price_nickname = fields.CharField(
        max_length=255, null=True, description="plan_name comes from it before the product name"
    )
    quantity = fields.IntField(default=1)
    current_period_end = fields.DatetimeField(null=True)
    cancel_at_period_end = fields.BooleanField(
        default=False, description="ends when its current period does, in either billing mode"
    )
    cancel_at = fields.DatetimeField(null=True)
    canceled_at = fields.DatetimeField(null=True)
    trial_end = fields.DatetimeField(null=True)
    created = fields.DatetimeField(null=True)
    default_payment_method_id = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "subscriptions"


class PaymentMethod(MirrorFields):
    id = fields.CharField(max_length=255, primary_key=True)
    customer_id = fields.CharField(max_length=255, null=True, db_index=True)
    brand = fields.CharField(max_length=64, null=True)
    last4 = fields.CharField(max_length=4, null=True)
    exp_month = fields.IntField(null=True)
    exp_year = fields.IntField(null=True)
    detached = fields.BooleanField(default=False)

    class Meta:
        table = "payment_methods"


class Invoice(MirrorFields):
    id = fields.CharField(max_length=255, primary_key=True)
    customer_id = fields.CharField(max_length=255, db_index=True)
    subscription_id = fields.CharField(max_length=255, null=True)
    status = fields.CharField(max_length=32)
    amount_due = fields.BigIntField(default=0)
    amount_paid = fields.BigIntField(default=0)
    currency = fields.CharField(max_length=8)
    created = fields.DatetimeField()
    hosted_invoice_url = fields.CharField(max_length=2048, null=True)
    finalized_at = fields.DatetimeField(
        null=True, description="when Stripe first tried to collect it (automatic collection)"
    )

    class Meta:
        table = "invoices"


class Product(MirrorFields):
    id = fields.CharField(max_length=255, primary_key=True)
    name = fields.CharField(max_length=255)
    description = fields.TextField(null=True)
    active = fields.BooleanField(default=True)
    deleted = fields.BooleanField(default=False)

    class Meta:
        table = "products"


class Price(MirrorFields):
    id = fields.CharField(max_length=255, primary_key=True)
    product_id = fields.CharField(max_length=255, db_index=True)
    active = fields.BooleanField(default=True)
    deleted = fields.BooleanField(default=False)
    unit_amount = fields.BigIntField(null=True)
    currency = fields.CharField(max_length=8)
    interval = fields.CharField(max_length=16, null=True)
    interval_count = fields.IntField(null=True)
    nickname = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "prices"


class Purchase(MirrorFields):
    """One line item of a Checkout Session in payment mode: a product bought once."""

    id = fields.CharField(max_length=511, primary_key=True, description="session id:line item id")
    checkout_session_id = fields.CharField(max_length=255)
    customer_id = fields.CharField(max_length=255, db_index=True)
    payment_intent_id = fields.CharField(max_length=255, null=True, db_index=True)
    product_id = fields.CharField(max_length=255)
    price_id = fields.CharField(max_length=255, null=True)
    quantity = fields.IntField(default=1)
    paid = fields.BooleanField(default=False)

    class Meta:
        table = "purchases"


class Charge(MirrorFields):
    """A payment's charge, kept for its refund state."""

    id = fields.CharField(max_length=255, primary_key=True)
    customer_id = fields.CharField(max_length=255, null=True, db_index=True)
    payment_intent_id = fields.CharField(max_length=255, null=True, db_index=True)
    amount = fields.BigIntField(default=0)
    amount_refunded = fields.BigIntField(default=0)
    refunded = fields.BooleanField(default=False, description="refunded in full")

    class Meta:
        table = "charges"


class EntitlementSummary(MirrorFields):
    """A customer's active Stripe entitlements, as the latest summary listed them."""

    id = fields.CharField(max_length=255, primary_key=True, description="the customer id")
    entitlements: fields.Field[list[dict[str, str]]] = fields.JSONField(
        description="each active entitlement's feature id and lookup key"
    )

    class Meta:
        table = "entitlement_summaries"


class ProductFeature(MirrorFields):
    """A Stripe feature attached to a product (written by sync: Stripe sends no event for it)."""

    id = fields.CharField(max_length=255, primary_key=True)
    product_id = fields.CharField(max_length=255, db_index=True)
    feature_id = fields.CharField(max_length=255)
    lookup_key = fields.CharField(max_length=255)
    name = fields.CharField(max_length=255)
    active = fields.BooleanField(default=True)

    class Meta:
        table = "product_features"


class SessionRateWindow(Model):
    """The session calls one user made in one fixed window, counted for every instance."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.CharField(max_length=255)
    window_start = fields.BigIntField(db_index=True, description="unix seconds")
    calls = fields.IntField()

    class Meta:
        table = "session_rate_windows"
        unique_together = (("user_id", "window_start"),)


class AccessGroup(Model):
    """A group of users an admin defined by what they bought (a payment condition)."""

    key = fields.CharField(max_length=64, primary_key=True)
    name = fields.CharField(max_length=200)
    condition = fields.CharField(max_length=16, description="is_one_of|is_none_of|has_all_of")
    product_ids: fields.Field[list[str]] = fields.JSONField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "access_groups"


class PortalBlock(Model):
    """What an admin configured for one Customer Portal block in the host app."""

    id = fields.UUIDField(primary_key=True)
    title = fields.CharField(max_length=200)
    subtitle = fields.CharField(max_length=500, null=True)
    background_image_url = fields.CharField(max_length=2048, null=True)
    redirect_url = fields.CharField(max_length=2048)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "portal_blocks"


class PortalConfiguration(Model):
    """The single billing_portal configuration this app keeps in Stripe (one row)."""

    id = fields.IntField(primary_key=True)
    stripe_configuration_id = fields.CharField(max_length=255, unique=True)
    options: fields.Field[dict[str, Any]] = fields.JSONField(
        description="the admin's last PortalConfigurationInput"
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "portal_configurations"
