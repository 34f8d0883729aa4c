"""What the services count and time, behind one port (`Metrics`) that the composition root fills
with Prometheus metrics of the app's own, or with nothing when metrics are off."""

from services.metrics.port import NO_METRICS, Metrics, NoMetrics
from services.metrics.prometheus import MEDIA_TYPE, EventLogReading, PrometheusMetrics

__all__ = [
    "MEDIA_TYPE",
    "NO_METRICS",
    "EventLogReading",
    "Metrics",
    "NoMetrics",
    "PrometheusMetrics",
]
