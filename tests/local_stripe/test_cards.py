"""Stripe's test card numbers, as the local pages accept them."""

from __future__ import annotations

import pytest

from simulator.local_stripe.cards import CardInput, card_for
from simulator.local_stripe.errors import CardDeclined

NOW = 1_800_000_000


def test_the_success_card_is_a_visa_ending_4242() -> None:
    card = card_for(CardInput("4242 4242 4242 4242", 4, 31), now=NOW, charged_now=True)

    assert (card.brand, card.last4, card.exp_month, card.exp_year) == ("visa", "4242", 4, 2031)


@pytest.mark.parametrize(
    ("number", "decline_code"),
    [("4000000000000002", "generic_decline"), ("4000000000009995", "insufficient_funds")],
)
def test_declining_cards_are_refused_even_when_only_saved(number: str, decline_code: str) -> None:
    with pytest.raises(CardDeclined) as declined:
        card_for(CardInput(number), now=NOW, charged_now=False)

    assert declined.value.decline_code == decline_code


def test_the_card_that_fails_charges_is_saved_and_declines_later() -> None:
    card = card_for(CardInput("4000000000000341"), now=NOW, charged_now=False)

    assert card.declines is True


def test_the_card_that_fails_charges_is_declined_when_charged_at_once() -> None:
    with pytest.raises(CardDeclined):
        card_for(CardInput("4000000000000341"), now=NOW, charged_now=True)


def test_a_number_that_is_not_a_test_card_is_incorrect() -> None:
    with pytest.raises(CardDeclined) as declined:
        card_for(CardInput("4111111111111112"), now=NOW, charged_now=True)

    assert declined.value.code == "incorrect_number"
