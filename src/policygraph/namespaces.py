"""RDF namespaces used across the project, as rdflib objects (``PG.Company``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

PG = Namespace("https://w3id.org/policygraph/ont#")
#: Base of every resource the project mints: entities, documents, evidence.
PGR = Namespace("https://w3id.org/policygraph/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

#: The ten entity types of GUIDELINES.md, in their canonical order.
ENTITY_TYPES: tuple[str, ...] = (
    "Company", "GovernmentAgency", "Organization", "Place", "Zone",
    "Industry", "Programme", "Project", "Fund", "Event",
)
#: The eleven predicates of GUIDELINES.md; the last two take literals.
PREDICATES: tuple[str, ...] = (
    "investsIn", "locatedIn", "inIndustry", "partOf", "targets", "announcedAt",
    "organizedBy", "participatesIn", "subOrganizationOf", "investmentCNY", "date",
)
LITERAL_PREDICATES = frozenset({"investmentCNY", "date"})

PREFIXES: dict[str, Namespace] = {
    "pg": PG, "pgr": PGR, "rdf": Namespace(str(RDF)), "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)), "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)), "prov": Namespace(str(PROV)),
    "owl": Namespace(str(OWL)), "org": ORG, "schema": SCHEMA,
}


def package_file(*parts: str) -> Path:
    """Path of a file shipped inside the package (ontology, lexicons, sample)."""
    return Path(str(resources.files("policygraph").joinpath(*parts)))


def ontology_path() -> Path:
    return package_file("ontology", "policygraph.ttl")


def shapes_path() -> Path:
    return package_file("ontology", "shapes.ttl")
