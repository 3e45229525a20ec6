"""Fixtures: a shared real `fjudge serve` process for the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.service.service_harness import ServiceProcess


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    """A shared server: 2 workers, a 1 MB body cap."""
    db = tmp_path_factory.mktemp("svc") / "jobs.db"
    svc = ServiceProcess(db, "--workers", "2", "--max-body-mb", "1").start()
    yield svc
    svc.stop()


@pytest.fixture(scope="module")
def client(service: ServiceProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=120) as c:
        yield c
