"""The notebooks run top to bottom (nbclient, a real kernel), so they never rot."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.mark.parametrize("name", ["explore.ipynb", "gov_work_reports.ipynb", "policies.ipynb"])
def test_notebook_executes(name: str, shared: Path) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    committed_outputs = sum(len(c.get("outputs", [])) for c in nb.cells if c.cell_type == "code")
    assert committed_outputs > 0, f"{name} is committed without its outputs"
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert images, "the charts were not drawn"
