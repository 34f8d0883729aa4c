"""Stripe's documented test card numbers, as the local Checkout and portal accept them.

Test mode accepts only these numbers; each one stands for an outcome (a card that pays, one the
issuer declines, one that is saved fine but whose charges fail). A number it does not know is
refused as an incorrect number, as Stripe refuses real card numbers in test mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from simulator.local_stripe.errors import CardDeclined
from simulator.stripe_side.catalog import Card

DECLINED = "Your card was declined."
INSUFFICIENT_FUNDS = "Your card has insufficient funds."
INCORRECT_NUMBER = (
    "Your card number is incorrect. This is a local test stand-in for Stripe: use one of "
    "Stripe's test card numbers, such as 4242 4242 4242 4242."
)
# Expiry used when the form gives none: any future date is accepted in test mode.
DEFAULT_EXPIRY_YEARS = 4


@dataclass(frozen=True, slots=True)
class CardInput:
    """What a person typed into a card form; spaces in the number are ignored."""

    number: str
    exp_month: int | None = None
    exp_year: int | None = None

    @property
    def digits(self) -> str:
        return "".join(self.number.split())


@dataclass(frozen=True, slots=True)
class TestCard:
    """One documented test number: its brand and token, and how the issuer treats it."""

    brand: str
    token: str
    # Declined whenever it is used, saved or charged: (decline code, message).
    declined: tuple[str, str] | None = None
    # Saved fine, then every charge on it is declined.
    charges_fail: bool = False


# BEHAVIOUR: local.test-cards
TEST_CARDS: dict[str, TestCard] = {
    "4242424242424242": TestCard("visa", "tok_visa"),
    "5555555555554444": TestCard("mastercard", "tok_mastercard"),
    "4000000000000002": TestCard(
        "visa", "tok_chargeDeclined", declined=("generic_decline", DECLINED)
    ),
    "4000000000009995": TestCard(
        "visa",
        "tok_chargeDeclinedInsufficientFunds",
        declined=("insufficient_funds", INSUFFICIENT_FUNDS),
    ),
    "4000000000000341": TestCard("visa", "tok_chargeCustomerFail", charges_fail=True),
}


def card_for(entered: CardInput, *, now: int, charged_now: bool) -> Card:
    """The card `entered` stands for, or `CardDeclined` when Stripe would refuse it here:
    saved only (`charged_now` False) or saved and charged at once."""
    known = TEST_CARDS.get(entered.digits)
    if known is None:
        raise CardDeclined(INCORRECT_NUMBER, code="incorrect_number")
    if known.declined is not None:
        decline_code, message = known.declined
        raise CardDeclined(message, code="card_declined", decline_code=decline_code)
    if known.charges_fail and charged_now:
        raise CardDeclined(DECLINED, code="card_declined", decline_code="generic_decline")
    year = entered.exp_year or datetime.fromtimestamp(now, UTC).year + DEFAULT_EXPIRY_YEARS
    return Card(
        brand=known.brand,
        last4=entered.digits[-4:],
        exp_month=entered.exp_month or 12,
        # "MM / YY" on a form: a two-digit year is this century's.
        exp_year=year + 2000 if year < 100 else year,
        token=known.token,
        declines=known.charges_fail,
    )
