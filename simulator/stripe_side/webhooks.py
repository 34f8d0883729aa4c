"""Stripe's webhook delivery: a seeded chaos of deliveries, and the endpoint they are POSTed to.

Genuine deliveries are signed like Stripe signs them (the toolkit signs with the stripe SDK's own
helper) with the wall-clock time, because the service checks the timestamp against its own
clock; the event's `created` comes from the simulated clock.
"""

from __future__ import annotations

import asyncio
import copy
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulator.toolkit.connections import no_answer
from simulator.toolkit.events import event_body
from simulator.toolkit.signing import webhook_headers

STALE_SECONDS = 3_600
FORGERIES = ("bad signature", "stale timestamp", "tampered body")
STRIPE_RETRIES = 3


@dataclass
class DeliveryLog:
    """What one step sent; everything here is decided by the seed, so reports can show it."""

    events: int = 0
    duplicates: int = 0
    forged_rejected: int = 0
    problems: list[str] = field(default_factory=list)

    def take(self) -> DeliveryLog:
        """This log's content, leaving it empty for the next step."""
        taken = DeliveryLog(self.events, self.duplicates, self.forged_rejected, self.problems)
        self.events, self.duplicates, self.forged_rejected, self.problems = 0, 0, 0, []
        return taken


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST to make: a genuine event (maybe a duplicate) or a `forgery` of one."""

    label: str
    body: bytes
    forgery: str | None
    delay: float
    duplicate: bool = False
    signed_body: bytes | None = None


class Chaos:
    """Seeded disorder: reorder, duplicate and delay deliveries, and mix in forged ones."""

    def __init__(self, rng: random.Random | None) -> None:
        self._rng = rng

    @property
    def enabled(self) -> bool:
        return self._rng is not None

    def plan(self, events: list[dict[str, Any]], forged_id: str) -> list[Delivery]:
        plain = [Delivery(e["type"], event_body(e), None, 0.0) for e in events]
        rng = self._rng
        if rng is None or not events:
            return plain
        deliveries = [Delivery(d.label, d.body, None, rng.uniform(0, 0.02)) for d in plain]
        deliveries += [
            Delivery(d.label, d.body, None, rng.uniform(0.005, 0.03), duplicate=True)
            for d in plain
            if rng.random() < 0.3
        ]
        victim = rng.choice(events)
        forgery = rng.choice(FORGERIES)
        forged = event_body(_corrupt(victim, forged_id))
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
    """POSTs deliveries to the service's `/webhooks/stripe`, retrying 5xx as Stripe does."""

    def __init__(self, http: httpx.AsyncClient, url: str, secret: str) -> None:
        self._http = http
        self._url = url
        self._secret = secret

    async def deliver(self, deliveries: list[Delivery], log: DeliveryLog, *, at_once: bool) -> None:
        """In order, one after the other; or `at_once`, so delays shuffle arrivals (chaos)."""
        if at_once:
            await asyncio.gather(*(self._one(delivery, log) for delivery in deliveries))
            return
        for delivery in deliveries:
            await self._one(delivery, log)

    async def _one(self, delivery: Delivery, log: DeliveryLog) -> None:
        if delivery.delay:
            await asyncio.sleep(delivery.delay)
        if delivery.forgery is not None:
            answer = await self._post(delivery.body, self._forged_headers(delivery))
            if answer == 400:
                log.forged_rejected += 1
            else:
                log.problems.append(
                    f"forged delivery ({delivery.label}) {_answered(answer)}, expected 400"
                )
            return
        for attempt in range(STRIPE_RETRIES + 1):
            answer = await self._post(delivery.body, webhook_headers(delivery.body, self._secret))
            if isinstance(answer, int) and answer < 500:
                break
            await asyncio.sleep(0.05 * (attempt + 1))
        if delivery.duplicate:
            log.duplicates += 1
        else:
            log.events += 1
        if answer != 200:
            kind = "duplicate of " if delivery.duplicate else ""
            log.problems.append(f"webhook {kind}{delivery.label} {_answered(answer)}, expected 200")

    def _forged_headers(self, delivery: Delivery) -> dict[str, str]:
        if delivery.forgery == "bad signature":
            return webhook_headers(delivery.body, self._secret + "-forged")
        if delivery.forgery == "stale timestamp":
            stale = int(time.time()) - STALE_SECONDS
            return webhook_headers(delivery.body, self._secret, timestamp=stale)
        return webhook_headers(delivery.signed_body or b"", self._secret)

    async def _post(self, body: bytes, headers: dict[str, str]) -> int | str:
        """The status code, or why there was none: Stripe retries both 5xx and no answer."""
        try:
            response = await self._http.post(self._url, content=body, headers=headers)
        except httpx.RequestError as error:
            return no_answer(error)
        return response.status_code


def _answered(answer: int | str) -> str:
    return f"was answered {answer}" if isinstance(answer, int) else f"failed: {answer}"
