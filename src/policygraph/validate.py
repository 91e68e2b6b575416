"""SHACL validation of a graph against ``ontology/shapes.ttl`` (pyshacl).

>>> from policygraph.graph import new_dataset
>>> validate(new_dataset()).conforms
True
"""

from __future__ import annotations

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


def _union(ds: Dataset | Graph) -> Graph:
    if not isinstance(ds, Dataset):
        return ds
    g = Graph()
    for ctx in ds.graphs():
        for t in ctx:
            g.add(t)
    return g


def validate(ds: Dataset | Graph, max_listed: int = 50) -> Report:
    """Validate the union of all named graphs; violations listed in a readable form."""
    from pyshacl import validate as shacl

    shapes = Graph().parse(shapes_path(), format="turtle")
    conforms, results, _ = shacl(_union(ds), shacl_graph=shapes, inference="none",
                                 advanced=False, allow_warnings=True)
    violations: list[str] = []
    for r in sorted(results.subjects(RDF.type, SH.ValidationResult), key=str):
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        violations.append(f"{focus} {('[' + str(path) + '] ') if path else ''}{msg}")
    violations.sort()
    if len(violations) > max_listed:
        rest = len(violations) - max_listed
        violations = [*violations[:max_listed], f"... and {rest} more"]
    return Report(bool(conforms), violations)
