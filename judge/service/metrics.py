"""Prometheus metrics of the service (its own registry, so several apps can coexist in tests)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

BUCKETS = (0.5, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 300, 600)


class Metrics:
    """Queue depth, jobs by status, judge seconds, browser restarts, rejections."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.queue_depth = Gauge("fjudge_queue_depth", "Jobs waiting for a worker.", registry=r)
        self.running = Gauge("fjudge_jobs_running", "Jobs being judged now.", registry=r)
        self.jobs = Gauge("fjudge_jobs", "Jobs in the store by status.", ["status"], registry=r)
        self.finished = Counter(
            "fjudge_jobs_finished",
            "Jobs finished by this process, by job status and verdict status.",
            ["status", "verdict"],
            registry=r,
        )
        self.judge_seconds = Histogram(
            "fjudge_judge_seconds", "Seconds to judge one job.", buckets=BUCKETS, registry=r
        )
        self.browser_restarts = Gauge(
            "fjudge_browser_restarts", "Browser relaunches since start.", registry=r
        )
        self.refused = Counter(
            "fjudge_requests_refused", "Requests refused, by reason.", ["reason"], registry=r
        )

    def render(self, counts: dict[str, int], browser_restarts: int) -> bytes:
        """The text exposition, with the store-derived gauges refreshed."""
        for status, n in counts.items():
            self.jobs.labels(status=status).set(n)
        self.queue_depth.set(counts.get("queued", 0))
        self.browser_restarts.set(browser_restarts)
        return generate_latest(self.registry)
