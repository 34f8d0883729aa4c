"""What the simulated Stripe account sells, and the test cards its customers pay with."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.naming import mint_id


@dataclass(frozen=True, slots=True)
class Card:
    """A card a customer types into Checkout or the Portal (Stripe's test tokens)."""

    brand: str
    last4: str
    exp_month: int
    exp_year: int
    token: str
    declines: bool = False

    @property
    def label(self) -> str:
        return f"{self.brand} {self.last4} {self.exp_month:02d}/{self.exp_year}"


CARDS: dict[str, Card] = {
    "visa": Card("visa", "4242", 12, 2030, "tok_visa"),
    "mastercard": Card("mastercard", "4444", 8, 2031, "tok_mastercard"),
    # Attaches fine, then every charge on it is declined (Stripe's 4000 0000 0000 0341).
    "declining visa": Card("visa", "0341", 11, 2032, "tok_chargeCustomerFail", declines=True),
}


@dataclass(frozen=True, slots=True)
class Feature:
    """A Stripe Entitlements feature, which a product grants to its subscribers."""

    id: str
    lookup_key: str
    name: str


@dataclass(frozen=True, slots=True)
class CatalogPrice:
    """One price with its product; `interval` is None for one-time prices. `features` are the
    features attached to the product."""

    key: str
    product_name: str
    nickname: str
    unit_amount: int
    currency: str
    interval: str | None
    product_id: str
    price_id: str
    features: tuple[Feature, ...] = ()

    @property
    def recurring(self) -> bool:
        return self.interval is not None


FEATURES = {"reports": "Reports", "priority-support": "Priority support"}


def build_catalog(namespace: str) -> dict[str, CatalogPrice]:
    """The catalog every journey of a run buys from, keyed by role ("basic", "pro", ...)."""
    features = {
        lookup_key: Feature(mint_id("feat", namespace, f"feature {lookup_key}"), lookup_key, name)
        for lookup_key, name in FEATURES.items()
    }
    rows = (
        ("basic", "Basic", "Basic monthly", 900, "month", ("reports",)),
        ("pro", "Pro", "Pro monthly", 2900, "month", ("reports", "priority-support")),
        ("setup", "Setup session", "One-time setup session", 4900, None, ()),
    )
    return {
        key: CatalogPrice(
            key=key,
            product_name=name,
            nickname=nickname,
            unit_amount=amount,
            currency="usd",
            interval=interval,
            product_id=mint_id("prod", namespace, f"product {key}"),
            price_id=mint_id("price", namespace, f"price {key}"),
            features=tuple(features[lookup_key] for lookup_key in granted),
        )
        for key, name, nickname, amount, interval, granted in rows
    }
