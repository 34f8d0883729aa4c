"""The simulated account's Customer Portal configurations, and which one each portal session shows.

The service creates and updates its configuration through the API and names it when it creates
a portal session; a session that names none shows the account's default configuration, whose
settings are the Dashboard's defaults: no plan switch, no quantity change, no prorations,
cancellation at the end of the period, card updates and invoice history shown.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

ProrationBehavior = Literal["none", "create_prorations", "always_invoice"]
PRORATION_BEHAVIORS: tuple[ProrationBehavior, ...] = get_args(ProrationBehavior)

_UPDATE = "features[subscription_update]"
_CANCEL = "features[subscription_cancel]"
# The switches of the features that are only on or off.
_SWITCHES = {
    "cancel_enabled": f"{_CANCEL}[enabled]",
    "payment_method_update_enabled": "features[payment_method_update][enabled]",
    "invoice_history_enabled": "features[invoice_history][enabled]",
}
_HEADLINE = "business_profile[headline]"


class PortalRefused(Exception):
    """The portal does not offer what the customer tried: its configuration does not allow it."""


@dataclass(frozen=True, slots=True)
class PortalConfiguration:
    """What one configuration lets a customer do to their subscription in the portal."""

    update_enabled: bool = False
    allowed_updates: frozenset[str] = frozenset()
    switchable_prices: frozenset[str] = frozenset()
    # BEHAVIOUR: portal.switch-plan.prorations (Stripe's value when the creation left it out)
    proration_behavior: ProrationBehavior = "none"
    cancellation_mode: str = "at_period_end"
    cancel_enabled: bool = True
    payment_method_update_enabled: bool = True
    invoice_history_enabled: bool = True
    # The portal's message to customers (`business_profile.headline`).
    headline: str | None = None

    def check_cancel(self) -> None:
        """Refuse a cancellation the portal does not offer under this configuration."""
        if not self.cancel_enabled:
            raise PortalRefused("the portal's configuration does not let customers cancel")

    def check_card_update(self) -> None:
        """Refuse a card update the portal does not offer under this configuration."""
        if not self.payment_method_update_enabled:
            raise PortalRefused("the portal's configuration does not let customers change cards")

    def check_update(self, *, price_now: str, price: str, quantity_now: int, quantity: int) -> None:
        """Refuse a change the portal does not offer under this configuration."""
        if not self.update_enabled:
            raise PortalRefused("the portal's configuration does not let customers update plans")
        if price != price_now and (
            "price" not in self.allowed_updates or price not in self.switchable_prices
        ):
            raise PortalRefused(f"the portal's configuration does not offer the price {price}")
        if quantity != quantity_now and "quantity" not in self.allowed_updates:
            raise PortalRefused("the portal's configuration does not let customers change quantity")

    def updated_by(self, params: Mapping[str, str]) -> PortalConfiguration:
        """This configuration after a create or update call with the form `params`; what the
        call leaves out keeps its value (for a creation, Stripe's defaults: this class's)."""
        changes: dict[str, object] = {}
        if f"{_UPDATE}[enabled]" in params:
            changes["update_enabled"] = params[f"{_UPDATE}[enabled]"] == "true"
        allowed = _listed(params, f"{_UPDATE}[default_allowed_updates][]")
        if allowed is not None:
            changes["allowed_updates"] = frozenset(allowed)
        prices = _listed(params, f"{_UPDATE}[products][][prices][]")
        if prices is not None:
            changes["switchable_prices"] = frozenset(prices)
        behavior = params.get(f"{_UPDATE}[proration_behavior]")
        if behavior in PRORATION_BEHAVIORS:
            changes["proration_behavior"] = behavior
        if f"{_CANCEL}[mode]" in params:
            changes["cancellation_mode"] = params[f"{_CANCEL}[mode]"]
        for name, key in _SWITCHES.items():
            if key in params:
                changes[name] = params[key] == "true"
        if _HEADLINE in params:
            changes["headline"] = params[_HEADLINE] or None
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def _listed(params: Mapping[str, str], pattern: str) -> list[str] | None:
    """The values of a form-encoded list whose keys match `pattern` (`[]` marks an index);
    None when the call did not send the list."""
    keys = re.compile(re.escape(pattern).replace(r"\[\]", r"\[\d+\]") + "$")
    values = [value for key, value in params.items() if keys.match(key)]
    return values or None


# BEHAVIOUR: portal.switch-plan.prorations (the Dashboard's defaults for the account's own
# configuration: switching plans, changing quantities and prorating are all off)
ACCOUNT_DEFAULT = PortalConfiguration()


class PortalConfigurations:
    """The configurations the service saved, by id, and the one each portal session uses."""

    def __init__(self, account_default: PortalConfiguration = ACCOUNT_DEFAULT) -> None:
        self._account_default = account_default
        self._by_id: dict[str, PortalConfiguration] = {}
        self._by_session: dict[str, str] = {}

    def saved(self, configuration_id: str, params: Mapping[str, str]) -> None:
        """A configuration created, or updated, with the form `params`."""
        current = self._by_id.get(configuration_id, PortalConfiguration())
        self._by_id[configuration_id] = current.updated_by(params)

    def session_created(self, session_id: str, configuration_id: str | None) -> None:
        if configuration_id is not None:
            self._by_session[session_id] = configuration_id

    def for_session(self, session_id: str) -> PortalConfiguration:
        """What the portal session shows: the configuration it was created with, or the
        account's default."""
        configuration_id = self._by_session.get(session_id)
        if configuration_id is None:
            return self._account_default
        return self.configuration(configuration_id)

    def configuration(self, configuration_id: str) -> PortalConfiguration:
        """The configuration saved under this id; the account's default for any other id."""
        return self._by_id.get(configuration_id, self._account_default)
