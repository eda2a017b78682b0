"""Namespaces: the ontology, the schemes, the guideline KB and derived output IRIs."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

__all__ = [
    "BASE",
    "CASE",
    "CRIT",
    "DCTERMS",
    "GL",
    "IMR",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REGION",
    "SH",
    "SKOS",
    "SVC",
    "XSD",
    "Resolved",
    "curie",
]

BASE = "https://w3id.org/imrkg/"
IMR = Namespace(BASE + "ontology#")
GL = Namespace(BASE + "guideline/")
CRIT = Namespace(BASE + "criteria/")
CASE = Namespace(BASE + "case/")
REGION = Namespace(BASE + "scheme/region/")
MODALITY = Namespace(BASE + "scheme/modality/")
SVC = Namespace(BASE + "scheme/service/")
FINDING = Namespace(BASE + "scheme/finding/")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES: dict[str, str] = {
    "imr": str(IMR),
    "gl": str(GL),
    "crit": str(CRIT),
    "region": str(REGION),
    "modality": str(MODALITY),
    "svc": str(SVC),
    "finding": str(FINDING),
    "care": BASE + "scheme/care/",
    "proc": BASE + "scheme/procedure/",
    "redflag": BASE + "scheme/redflag/",
    "rules": BASE + "rules/",
    "intake": BASE + "intake/",
    "prov": str(PROV),
    "oa": str(OA),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "sh": str(SH),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def curie(iri: str) -> str:
    """Shorten an IRI with the project prefixes; full IRI in angle brackets when unbound.

    Examples
    --------
    >>> curie("https://w3id.org/imrkg/criteria/NeckRedFlag")
    'crit:NeckRedFlag'
    >>> curie("https://w3id.org/imrkg/case/seed-cervical-ct/request-0")
    'case:seed-cervical-ct/request-0'
    >>> curie("http://example.org/x")
    '<http://example.org/x>'
    """
    best = ""
    for prefix, namespace in _CURIE_PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(_CURIE_PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(_CURIE_PREFIXES[best]) :]}"
    return f"<{iri}>"


# Messages also shorten case IRIs; graphs do not bind `case:`, which case files use for their own
# namespace (https://w3id.org/imrkg/case/<case-id>/).
_CURIE_PREFIXES = {**PREFIXES, "case": BASE + "case/"}


class Resolved:
    """A namespace whose terms are built once and then read as plain attributes.

    rdflib builds and validates a new URIRef on every namespace attribute access (about 1 µs);
    the justification builder does that some 140 times a request on the bulk engine's hot path.

    Examples
    --------
    >>> imr = Resolved(IMR)
    >>> imr.Met is imr.Met, imr.Met == IMR.Met
    (True, True)
    """

    def __init__(self, namespace: Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = self._namespace[name]
        setattr(self, name, term)
        return term
