"""All or nothing: a store or graph file killed mid-change holds the old or the new state.

Real processes (``policygraph load`` / ``build``) are killed with SIGKILL at seeded random
moments on a real corpus; the store is then opened by a fresh process and counted.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policygraph.cli import main
from policygraph.store import OxigraphStore

KILLS = 6


def _policygraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "policygraph.cli", *args]


def _state(store: Path) -> tuple[int, int]:
    """(quads, named graphs) of the store, read by a fresh process as a user would."""
    out = subprocess.run(_policygraph("query", "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?m) "
                                      "WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", f"oxigraph:{store}",
                                      "--format", "csv"), capture_output=True, text=True, check=True)
    n, m = out.stdout.splitlines()[1].split(",")
    return int(n), int(m)


@pytest.fixture(scope="module")
def graphs(shared: Path, tmp_path_factory) -> tuple[Path, Path]:
    """An old graph (20 policy documents) and a new one (the whole policies corpus)."""
    policies = shared / "corpus" / "policies"
    root = tmp_path_factory.mktemp("atomic")
    old = root / "old" / "central"
    old.mkdir(parents=True)
    for f in sorted((policies / "central").glob("*.txt"))[:20]:
        shutil.copy(f, old / f.name)
    new = root / "new"
    shutil.copytree(policies, new)
    out = []
    for folder in (root / "old", new):
        graph = root / f"{folder.name}.nq"
        assert main(["build", str(folder), "-o", str(graph), "--no-view", "--no-validate"]) == 0
        out.append(graph)
    return out[0], out[1]


def _kill_at(cmd: list[str], delay: float) -> int | None:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    return proc.wait()


def test_load_killed_at_random_moments_leaves_old_or_new(graphs, tmp_path: Path) -> None:
    old, new = graphs
    pristine = tmp_path / "pristine"
    assert main(["load", str(old), "--store", f"oxigraph:{pristine}"]) == 0
    old_state = _state(pristine)
    full = tmp_path / "full"
    shutil.copytree(pristine, full)
    t = time.perf_counter()
    subprocess.run(_policygraph("load", str(new), "--store", f"oxigraph:{full}"), check=True,
                   capture_output=True)
    took = time.perf_counter() - t
    new_state = _state(full)
    assert old_state != new_state
    rng = random.Random(11)
    for i in range(KILLS):
        store = tmp_path / f"s{i}"
        shutil.copytree(pristine, store)
        _kill_at(_policygraph("load", str(new), "--store", f"oxigraph:{store}"),
                 rng.uniform(0.4 * took, 1.1 * took))
        state = _state(store)
        assert state in (old_state, new_state), f"kill {i}: a half-loaded store {state}"
        assert not any(p.name.startswith(f".{store.name}.") for p in store.parent.iterdir()), \
            "a staging folder was left behind"


def test_recover_finishes_or_undoes_an_interrupted_switch(tmp_path: Path, graphs) -> None:
    old, _ = graphs
    store = tmp_path / "st"
    assert main(["load", str(old), "--store", f"oxigraph:{store}"]) == 0
    state = _state(store)
    # killed between the two renames: the store folder is gone, the new one complete
    shutil.copytree(store, tmp_path / ".st.new")
    store.rename(tmp_path / ".st.old")
    OxigraphStore(store).close()
    assert _state(store) == state
    assert not (tmp_path / ".st.old").exists() and not (tmp_path / ".st.new").exists()


def test_build_output_killed_is_old_or_new(graphs, shared: Path, tmp_path: Path) -> None:
    _, new = graphs
    folder = new.parent / "new"
    out = tmp_path / "g.nq"
    assert main(["build", str(folder.parent / "old"), "-o", str(out), "--no-view", "--no-validate"]) == 0
    before = out.read_bytes()
    rng = random.Random(5)
    for _ in range(5):
        _kill_at(_policygraph("build", str(folder), "-o", str(out), "--no-view", "--no-validate"),
                 rng.uniform(1, 30))
        assert out.read_bytes() in (before, new.read_bytes())


def test_build_killed_while_writing_its_view_keeps_graph_and_view_together(graphs, tmp_path: Path) -> None:
    _, new = graphs
    folder = new.parent / "new"
    out = tmp_path / "v.trig"
    view = out.with_suffix(".html")
    assert main(["build", str(folder.parent / "old"), "-o", str(out), "--no-validate"]) == 0
    old_pair = (out.read_bytes(), view.read_bytes())
    probe = tmp_path / "probe" / "v.trig"  # the new pair, and how long a build takes with a warm cache
    assert main(["build", str(folder), "-o", str(probe), "--no-validate"]) == 0
    t = time.perf_counter()
    subprocess.run(_policygraph("build", str(folder), "-o", str(probe), "--no-validate"), check=True,
                   capture_output=True)
    took = time.perf_counter() - t
    new_pair = (probe.read_bytes(), probe.with_suffix(".html").read_bytes())
    shutil.copytree(probe.parent / ".policygraph-cache", tmp_path / ".policygraph-cache", dirs_exist_ok=True)
    rng = random.Random(8)
    for i in range(5):
        # late in the build: extraction comes from the cache, so most of the time is graph and view
        _kill_at(_policygraph("build", str(folder), "-o", str(out), "--no-validate"),
                 rng.uniform(0.5 * took, 1.05 * took))
        pair = (out.read_bytes(), view.read_bytes())
        assert pair in (old_pair, new_pair), f"kill {i}: a graph beside a view of another graph"
        if pair == new_pair:  # start the next kill from the old pair again
            assert main(["build", str(folder.parent / "old"), "-o", str(out), "--no-validate"]) == 0
