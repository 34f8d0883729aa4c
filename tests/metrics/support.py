"""Reading metrics as a scraper does: by sample name and labels."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from billing_portal.metrics_endpoint import METRICS_PATH
from services.metrics import Metrics


def parsed(text: str) -> list[Sample]:
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


async def scrape(client: httpx.AsyncClient, headers: dict[str, str] | None = None) -> list[Sample]:
    """What GET /metrics serves (which must answer 200)."""
    response = await client.get(METRICS_PATH, headers=headers)
    assert response.status_code == 200, response.text
    return parsed(response.text)


async def scrape_directly(metrics: Metrics) -> list[Sample]:
    return parsed((await metrics.scrape()).decode())


def value(samples: list[Sample], name: str, **labels: str) -> float | None:
    """The sample named `name` whose labels include `labels`; None when there is none."""
    for sample in samples:
        if sample.name == name and labels.items() <= sample.labels.items():
            return sample.value
    return None


def label_values(samples: list[Sample], name: str, label: str) -> set[str]:
    return {sample.labels[label] for sample in samples if sample.name == name}
