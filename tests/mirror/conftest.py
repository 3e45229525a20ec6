"""Mirror tests: the store is the test cache's (FJUDGE_CACHE/mirror), pre-filled once per
session from the CDN URLs the fixture pages use (tests needing it carry the `npm` marker)."""

from __future__ import annotations

import pytest_asyncio

from tests.conftest import FIXTURES

MIRROR_PAGES = FIXTURES / "mirror"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def prefilled():
    """Every CDN URL of tests/fixtures/mirror fetched into the test store (once per session)."""
    from judge.mirror import from_env
    from judge.mirror.scan import scan_paths

    service = from_env(offline=False)
    assert service is not None, "FJUDGE_MIRROR=off: the mirror tests need the mirror"
    results = {}
    try:
        for url in scan_paths([MIRROR_PAGES]):
            results[url] = await service.warm(url)
    finally:
        await service.close()
    missing = {u: r.detail for u, r in results.items() if r.action != "mirrored"}
    assert not missing, missing
    return results


@pytest_asyncio.fixture(loop_scope="session")
async def registry():
    """A loopback npm registry the test publishes to (see registry_server.py)."""
    from tests.mirror.registry_server import FakeRegistry

    reg = FakeRegistry()
    await reg.start()
    yield reg
    await reg.close()


@pytest_asyncio.fixture(loop_scope="session")
async def local_mirror(registry, tmp_path):
    """A MirrorService over a fresh store, fetching only from the loopback registry."""
    from judge.mirror.registry import Registry
    from judge.mirror.service import MirrorService

    service = MirrorService(tmp_path / "mirror", registry=Registry(base=registry.url))
    yield service
    await service.close()
