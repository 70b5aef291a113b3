"""Prometheus metrics, one registry per app so that apps (and tests) never share counters."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "planwijzer_http_requests", "HTTP requests by route and status.", ["method", "route", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "planwijzer_http_request_seconds", "HTTP request latency by route.", ["route"],
            buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0), registry=self.registry,
        )  # fmt: skip
        self.answers = Counter(
            "planwijzer_answers", "Answers by status and composer.", ["status", "composer"], registry=self.registry
        )
