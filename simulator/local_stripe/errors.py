"""What a hosted page tells the person on it when an action cannot be done.

Every message is written for that person (the pages show it as it is), not for a developer.
"""

from __future__ import annotations


class UnknownSession(LookupError):
    """No Checkout or portal session has this id (the page answers 404)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ActionRefused(Exception):
    """The page does not offer this now: nothing changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CardDeclined(ActionRefused):
    """The card was refused, with Stripe's error `code` and `decline_code`: nothing changed."""

    def __init__(self, message: str, *, code: str, decline_code: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.decline_code = decline_code
