"""Any delivery order, with any duplicates, leaves the mirror of in-order delivery."""

from __future__ import annotations

from itertools import count
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.webhooks.events import parse_event
from tests.webhooks import support as s
from tests.webhooks.journey import journey, object_ids

JOURNEY_LENGTH = len(journey("shape"))
_examples = count()


async def _deliver_all(service, events) -> dict[str, Any]:
    for body in events:
        await service.ingest(parse_event(body))
    return await s.mirror_state(object_ids(events))


@st.composite
def deliveries(draw):
    """A permutation of the journey's indexes, with some of them delivered again."""
    order = draw(st.permutations(range(JOURNEY_LENGTH)))
    repeats = draw(st.lists(st.integers(0, JOURNEY_LENGTH - 1), max_size=8))
    positions = draw(
        st.lists(st.integers(0, JOURNEY_LENGTH), min_size=len(repeats), max_size=len(repeats))
    )
    sequence = list(order)
    for index, position in zip(repeats, positions, strict=True):
        sequence.insert(position, index)
    return sequence


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=deliveries())
async def test_every_delivery_order_converges_to_the_in_order_mirror(webhook_service, sequence):
    service = webhook_service()
    # Each example gets its own ids (and event ids), so examples need no cleanup between them.
    example = next(_examples)
    in_order, shuffled = f"a{example:04d}", f"b{example:04d}"  # fixed width: no id contains another
    expected = _rename(await _deliver_all(service, journey(in_order)), in_order, shuffled)

    events = journey(shuffled)
    actual = await _deliver_all(service, [events[index] for index in sequence])

    assert actual == expected


def _rename(state: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The in-order mirror with the shuffled journey's ids, compared column by column."""
    return {
        table: [
            {
                key: value.replace(f"_{old}", f"_{new}") if isinstance(value, str) else value
                for key, value in row.items()
            }
            for row in rows
        ]
        for table, rows in state.items()
    }
