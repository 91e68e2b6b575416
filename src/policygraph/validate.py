"""SHACL validation of a graph against ``ontology/shapes.ttl`` (pyshacl).

>>> from policygraph.graph import new_dataset
>>> validate(new_dataset()).conforms
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Dataset, Graph
from rdflib.namespace import RDF, SH

from .namespaces import shapes_path


@dataclass
class Report:
    conforms: bool
    violations: list[str] = field(default_factory=list)

    def text(self) -> str:
        if self.conforms:
            return "conforms: the graph satisfies every shape"
        lines = [f"{len(self.violations)} violation(s):"]
        lines += [f"  - {v}" for v in self.violations]
        return "\n".join(lines)

    @classmethod
    def of(cls, violations: Iterable[str], max_listed: int = 50) -> Report:
        """The report of these violations (of one graph or of many validated apart)."""
        found = sorted(set(violations))
        if len(found) > max_listed:
            found = [*found[:max_listed], f"... and {len(found) - max_listed} more"]
        return cls(not found, found)


def _union(ds: Dataset | Graph) -> Graph:
    if not isinstance(ds, Dataset):
        return ds
    g = Graph()
    for ctx in ds.graphs():
        for t in ctx:
            g.add(t)
    return g


@functools.cache
def _shapes() -> Graph:
    return Graph().parse(shapes_path(), format="turtle")


def violations(ds: Dataset | Graph) -> list[str]:
    """Every violation of the union of ``ds``'s graphs, in a readable form, sorted."""
    from pyshacl import validate as shacl

    # pyshacl does not change the shapes graph, so one parse serves a process's every call
    _, results, _ = shacl(_union(ds), shacl_graph=_shapes(), inference="none",
                          advanced=False, allow_warnings=True)
    found: list[str] = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        found.append(f"{focus} {('[' + str(path) + '] ') if path else ''}{msg}")
    return sorted(found)


def validate(ds: Dataset | Graph, max_listed: int = 50) -> Report:
    """Validate the union of all named graphs; violations listed in a readable form."""
    return Report.of(violations(ds), max_listed)
