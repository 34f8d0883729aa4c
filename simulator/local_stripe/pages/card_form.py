"""The card fields of a hosted page, checked the way Stripe's card form checks them in the
browser: a mistyped card never reaches the account, only a card that is well formed does (and
that card may still be declined)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from simulator.local_stripe.cards import TEST_CARDS, CardInput, TestCard

# The fields every card form posts, by name (templates use the same names), with their labels.
CARD_LABELS = {
    "number": "Card number",
    "expiry": "Expiry (MM / YY)",
    "cvc": "CVC",
    "name": "Name on card",
}
MIN_DIGITS, MAX_DIGITS = 12, 19
_SEPARATORS = re.compile(r"[\s-]")
_EXPIRY = re.compile(r"^(\d{1,2})\s*/?\s*(\d{2}|\d{4})$")
_CVC = re.compile(r"^\d{3,4}$")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True, slots=True)
class CardFormErrors:
    """What is wrong with the typed card, by field name, in the words Stripe's form uses."""

    by_field: Mapping[str, str]


def read_card(
    form: Mapping[str, str], *, today: datetime | None = None
) -> CardInput | CardFormErrors:
    """The card typed into `form` (what the account then accepts or declines), or what to fix
    in it. The CVC and the name are checked as Stripe's form checks them, then forgotten."""
    errors: dict[str, str] = {}
    number = _SEPARATORS.sub("", form.get("number", ""))
    if not number.isdigit() or len(number) < MIN_DIGITS:
        errors["number"] = "Your card number is incomplete."
    elif len(number) > MAX_DIGITS or not _luhn_valid(number):
        errors["number"] = "Your card number is invalid."
    expiry = _read_expiry(form.get("expiry", ""), today or datetime.now(UTC))
    if isinstance(expiry, str):
        errors["expiry"] = expiry
    cvc = form.get("cvc", "").strip()
    if not _CVC.match(cvc):
        errors["cvc"] = "Your card's security code is incomplete."
    name = form.get("name", "").strip()
    if not name:
        errors["name"] = "Enter the name on the card."
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = f"The name can have at most {MAX_NAME_LENGTH} characters."
    if errors or isinstance(expiry, str):
        return CardFormErrors(errors)
    return CardInput(number, exp_month=expiry[0], exp_year=expiry[1])


def _outcome(card: TestCard) -> str:
    if card.declined is not None:
        return f"Declined: {card.declined[1]}"
    if card.charges_fail:
        return "Saved, but every charge on it fails"
    return "Succeeds"


# The test numbers the local Stripe knows, grouped as printed on a card, with their outcome.
TEST_CARD_LIST = tuple(
    (" ".join(number[start : start + 4] for start in range(0, len(number), 4)), _outcome(card))
    for number, card in TEST_CARDS.items()
)


def _read_expiry(typed: str, today: datetime) -> tuple[int, int] | str:
    match = _EXPIRY.match(typed.strip())
    if match is None:
        return "Your card's expiration date is incomplete."
    month, year = int(match[1]), int(match[2])
    if len(match[2]) == 2:
        year += today.year // 100 * 100
    if not 1 <= month <= 12:
        return "Your card's expiration date is invalid."
    if (year, month) < (today.year, today.month):
        return "Your card's expiration date is in the past."
    return month, year


def _luhn_valid(digits: str) -> bool:
    """The check digit every card number ends with (ISO/IEC 7812)."""
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(digits)):
        doubled = digit * 2 if position % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0
