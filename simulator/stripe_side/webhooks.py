"""Stripe's webhook delivery: a seeded chaos of deliveries, and the endpoint they are POSTed to.

Genuine deliveries are signed like Stripe signs them (the toolkit signs with the stripe SDK's own
helper) with the wall-clock time, because the service checks the timestamp against its own
clock; the event's `created` comes from the simulated clock. Which deliveries to make, and what
to do about their answers (Stripe's retries), is the outbox's job: the endpoint makes each POST
once and says what came back.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import hashlib
import hmac
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulator.toolkit.connections import no_answer
from simulator.toolkit.events import event_body
from simulator.toolkit.signing import webhook_headers
from simulator.toolkit.versions import stripe_sdk_api_version

STALE_SECONDS = 3_600
FORGERIES = ("bad signature", "stale timestamp", "tampered body")
# The key of the `v0` signature Stripe adds to test-mode events: not the endpoint's secret, so a
# verifier that accepted any scheme but `v1` would reject every genuine delivery.
TEST_MODE_V0_KEY = b"stripe test mode v0"

Answer = int | str
"""A status code, or the sentence saying why there was none."""


def acknowledged(answer: Answer) -> bool:
    """Stripe counts only a 2xx as delivered; a redirect, 4xx, 5xx or no answer is a failure."""
    return isinstance(answer, int) and 200 <= answer < 300


def answered(answer: Answer) -> str:
    return f"was answered {answer}" if isinstance(answer, int) else f"failed: {answer}"


@dataclass
class DeliveryLog:
    """What one step sent; everything here is decided by the seed, so reports can show it."""

    events: int = 0
    duplicates: int = 0
    forged_rejected: int = 0
    problems: list[str] = field(default_factory=list)
    # The events Stripe generated, one list per moment (each genuine event once, in the order
    # generated), for checking against golden traces.
    batches: list[list[dict[str, Any]]] = field(default_factory=list)

    def take(self) -> DeliveryLog:
        """This log's content, leaving it empty for the next step."""
        taken = DeliveryLog(
            self.events, self.duplicates, self.forged_rejected, self.problems, self.batches
        )
        self.events, self.duplicates, self.forged_rejected = 0, 0, 0
        self.problems, self.batches = [], []
        return taken


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST to make: a genuine event (maybe a duplicate, maybe Stripe's `retry` number n of
    it) or a `forgery` of one."""

    label: str
    body: bytes
    forgery: str | None
    delay: float
    duplicate: bool = False
    signed_body: bytes | None = None
    event_id: str | None = None
    retry: int = 0

    @classmethod
    def of(cls, event: dict[str, Any], *, duplicate: bool = False) -> Delivery:
        return cls(event["type"], event_body(event), None, 0.0, duplicate, event_id=event["id"])


class Chaos:
    """Seeded disorder: reorder, duplicate and delay deliveries, and mix in forged ones."""

    def __init__(self, rng: random.Random | None) -> None:
        self._rng = rng

    @property
    def enabled(self) -> bool:
        return self._rng is not None

    def plan(
        self,
        events: list[dict[str, Any]],
        mint_event_id: Callable[[str], str],
        retries: Sequence[Delivery] = (),
    ) -> list[Delivery]:
        """The burst's deliveries; `retries` are Stripe's retries of earlier ones falling due
        now, which come first unless chaos mixes them in."""
        # BEHAVIOUR: events.burst-unordered (without chaos: in the order Stripe generated them)
        plain = [*retries, *(Delivery.of(event) for event in events)]
        rng = self._rng
        if rng is None or not plain:
            return plain
        deliveries = [dataclasses.replace(d, delay=rng.uniform(0, 0.02)) for d in plain]
        if not events:
            rng.shuffle(deliveries)
            return deliveries
        # BEHAVIOUR: events.duplicates (the same event again, and now and then a twin: another
        # event id describing the same change)
        deliveries += [
            dataclasses.replace(Delivery.of(event, duplicate=True), delay=rng.uniform(0.005, 0.03))
            for event in events
            if rng.random() < 0.3
        ]
        if rng.random() < 0.3:
            original = rng.choice(events)
            twin = {**original, "id": mint_event_id(f"twin of {original['id']}")}
            deliveries.append(
                dataclasses.replace(Delivery.of(twin, duplicate=True), delay=rng.uniform(0, 0.03))
            )
        victim = rng.choice(events)
        forgery = rng.choice(FORGERIES)
        forged = event_body(_corrupt(victim, mint_event_id(f"forgery of {victim['id']}")))
        signed = event_body(victim) if forgery == "tampered body" else None
        deliveries.append(
            Delivery(
                f"{forgery} {victim['type']}",
                forged,
                forgery,
                rng.uniform(0, 0.02),
                signed_body=signed,
            )
        )
        # BEHAVIOUR: events.burst-unordered
        rng.shuffle(deliveries)
        return deliveries


def _corrupt(event: dict[str, Any], forged_id: str) -> dict[str, Any]:
    """A hostile copy: if the service ever applied it, the final state would be visibly wrong."""
    forged = copy.deepcopy(event)
    forged["id"] = forged_id
    forged["created"] = event["created"] + 10 * 86_400
    target = forged["data"]["object"]
    for key, hostile in (("status", "canceled"), ("amount_paid", 0), ("name", "Forged")):
        if key in target:
            target[key] = hostile
    if "invoice_settings" in target:
        target["invoice_settings"]["default_payment_method"] = "pm_forged"
    return forged


class WebhookEndpoint:
    """The service's `/webhooks/stripe` as registered in Stripe: its URL, its signing secret,
    and the API version events for it are rendered in (the SDK's unless told otherwise)."""

    def __init__(
        self, http: httpx.AsyncClient, url: str, secret: str, *, api_version: str | None = None
    ) -> None:
        self._http = http
        self._url = url
        self._secret = secret
        # BEHAVIOUR: webhook.api-version
        self.api_version = api_version or stripe_sdk_api_version()

    async def deliver(
        self, deliveries: list[Delivery], *, at_once: bool
    ) -> list[tuple[Delivery, Answer]]:
        """Each delivery POSTed once: in order, one after the other; or `at_once`, so delays
        shuffle arrivals (chaos)."""
        if at_once:
            answers = await asyncio.gather(*(self._one(delivery) for delivery in deliveries))
            return list(zip(deliveries, answers, strict=True))
        return [(delivery, await self._one(delivery)) for delivery in deliveries]

    async def _one(self, delivery: Delivery) -> Answer:
        if delivery.delay:
            await asyncio.sleep(delivery.delay)
        if delivery.forgery is not None:
            return await self._post(delivery.body, self._forged_headers(delivery))
        answer = await self._post(delivery.body, self._genuine_headers(delivery.body))
        if isinstance(answer, str):
            # A request lost on a pooled connection the server had just closed goes again on a
            # fresh one: the HTTP client's own resend, not one of Stripe's retries.
            answer = await self._post(delivery.body, self._genuine_headers(delivery.body))
        return answer

    def _genuine_headers(self, body: bytes) -> dict[str, str]:
        # BEHAVIOUR: webhook.signature
        headers = webhook_headers(body, self._secret)
        stamp = headers["stripe-signature"].split(",", 1)[0].removeprefix("t=")
        test_mode = hmac.new(TEST_MODE_V0_KEY, f"{stamp}.".encode() + body, hashlib.sha256)
        headers["stripe-signature"] += f",v0={test_mode.hexdigest()}"
        return headers

    def _forged_headers(self, delivery: Delivery) -> dict[str, str]:
        if delivery.forgery == "bad signature":
            return webhook_headers(delivery.body, self._secret + "-forged")
        if delivery.forgery == "stale timestamp":
            stale = int(time.time()) - STALE_SECONDS
            return webhook_headers(delivery.body, self._secret, timestamp=stale)
        return webhook_headers(delivery.signed_body or b"", self._secret)

    async def _post(self, body: bytes, headers: dict[str, str]) -> Answer:
        try:
            response = await self._http.post(self._url, content=body, headers=headers)
        except httpx.RequestError as error:
            return no_answer(error)
        return response.status_code
