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
