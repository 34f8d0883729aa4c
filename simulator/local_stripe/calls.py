"""One API call to the local Stripe, as its handlers see it, and the answers they give.

A handler reads the call's form (or query) parameters by their bracketed names
(`line_items[0][price]`), answers with an object rendered for the call, refuses as Stripe
refuses (`ApiRefusal`), or returns None for what the local account does not model, which
stripe-mock's answer then stands for.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.render import Renderer
from simulator.stripe_side.objects import StripeObject

_EXPAND = re.compile(r"expand\[\d*\]$")
DOC_URL = "https://stripe.com/docs/error-codes/"


@dataclass(frozen=True)
class ApiCall:
    """A request the local account answers: its path ids, parameters and `expand` list."""

    local: LocalStripe
    render: Renderer
    ids: dict[str, str]
    params: dict[str, str]
    expand: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        local: LocalStripe,
        render: Renderer,
        ids: dict[str, str],
        pairs: Sequence[tuple[str, str]],
    ) -> ApiCall:
        """From the request's form or query `pairs` (a repeated key keeps its last value)."""
        expand = tuple(value for key, value in pairs if _EXPAND.match(key))
        params = {key: value for key, value in pairs if not _EXPAND.match(key)}
        return cls(local, render, ids, params, expand)

    def flag(self, name: str) -> bool | None:
        """A boolean parameter: None when the call left it out."""
        value = self.params.get(name)
        return None if value is None else value == "true"

    def number(self, name: str) -> int | None:
        value = self.params.get(name)
        if value is None:
            return None
        if not value.lstrip("-").isdigit():
            raise ApiRefusal(f"Invalid integer: {value}", param=name)
        return int(value)


@dataclass(frozen=True)
class Handled:
    """A handler's answer; `afterwards` runs once the answer is sent (Stripe's events)."""

    body: StripeObject
    afterwards: Callable[[], Awaitable[None]] | None = None
    status: int = 200


@dataclass
class ApiRefusal(Exception):
    """A request Stripe refuses, with the fields of Stripe's error object."""

    message: str
    status: int = 400
    code: str | None = None
    param: str | None = None
    kind: str = "invalid_request_error"
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> StripeObject:
        error: StripeObject = {"message": self.message, "type": self.kind}
        if self.code is not None:
            error["code"] = self.code
            error["doc_url"] = f"{DOC_URL}{self.code.replace('_', '-')}"
        if self.param is not None:
            error["param"] = self.param
        return {"error": {**error, **self.extra}}


def missing(noun: str, object_id: str, *, param: str = "id") -> ApiRefusal:
    """Stripe's answer for an id the account does not hold: 404 on a path, 400 in a form."""
    status = 404 if param == "id" else 400
    return ApiRefusal(
        f"No such {noun}: '{object_id}'", status=status, code="resource_missing", param=param
    )
