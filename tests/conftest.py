from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.namespaces import package_file

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return package_file("sample")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso on 127.0.0.1 (Debian's virtuoso-opensource), started once per test session."""
    import os

    from policygraph.store.virtuoso import VirtuosoServer

    if not VirtuosoServer.available():
        if os.environ.get("CI"):
            pytest.fail("CI must install virtuoso-opensource for the SPARQL server tests", pytrace=False)
        pytest.skip("virtuoso-opensource is not installed")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"), buffers=20000).start()
    yield server
    server.stop()
