"""The card form's own checks, made before the account sees a card, and how amounts and dates
read on the pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.pages.card_form import CardFormErrors, read_card
from simulator.local_stripe.pages.rendering import date, href, money

TODAY = datetime(2026, 12, 1, tzinfo=UTC)
TYPED = {"number": "4242 4242 4242 4242", "expiry": "12 / 34", "cvc": "123", "name": "Ada"}


def errors_of(**changes: str) -> dict[str, str]:
    read = read_card({**TYPED, **changes}, today=TODAY)
    assert isinstance(read, CardFormErrors)
    return dict(read.by_field)


def test_a_well_formed_card_is_read_with_a_four_digit_year():
    assert read_card(TYPED, today=TODAY) == CardInput("4242424242424242", 12, 2034)


@pytest.mark.parametrize("expiry", ["1234", "12/34", "12 / 2034", " 12/34 "])
def test_the_expiry_may_be_typed_with_or_without_its_slash(expiry):
    assert isinstance(read_card({**TYPED, "expiry": expiry}, today=TODAY), CardInput)


def test_this_month_is_not_yet_past():
    assert isinstance(read_card({**TYPED, "expiry": "12/26"}, today=TODAY), CardInput)


def test_an_expiry_in_the_past_is_refused():
    assert errors_of(expiry="11/26") == {"expiry": "Your card's expiration date is in the past."}


def test_a_thirteenth_month_is_refused():
    assert errors_of(expiry="13/30") == {"expiry": "Your card's expiration date is invalid."}


def test_a_short_number_is_incomplete_and_a_wrong_check_digit_invalid():
    assert errors_of(number="4242 4242") == {"number": "Your card number is incomplete."}
    assert errors_of(number="4242424242424241") == {"number": "Your card number is invalid."}


def test_the_cvc_and_the_name_are_required():
    assert set(errors_of(cvc="12", name=" ")) == {"cvc", "name"}


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (2900, "usd", "$29.00"),
        (123456, "eur", "€1,234.56"),
        (-450, "gbp", "-£4.50"),
        (1000, "jpy", "1,000 JPY"),
        (999, "chf", "9.99 CHF"),
    ],
)
def test_amounts_read_as_people_write_them(amount, currency, shown):
    assert money(amount, currency) == shown


def test_a_timestamp_reads_as_its_day_in_utc():
    assert date(int(TODAY.timestamp())) == "1 December 2026"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "JAVASCRIPT:alert(1)", ""]
)
def test_only_web_addresses_become_links(url):
    assert href(url) is None
    assert href("https://app.example/account") == "https://app.example/account"
