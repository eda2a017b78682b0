"""Intake: check one built case graph against shapes/intake/ with pyshacl."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pyshacl import validate as pyshacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, URIRef
from rdflib.term import Node

from .build import CaseGraph
from .errors import (
    BadDateError,
    CaseDataError,
    Location,
    MissingFieldError,
    ShapeError,
    UnknownTermError,
)
from .knowledge import Knowledge
from .vocab import RDFS, SH, XSD, curie

__all__ = ["IntakeProblem", "check_intake", "intake_problems"]

_KIND_BY_COMPONENT: dict[Node, type[CaseDataError]] = {
    SH.MinCountConstraintComponent: MissingFieldError,
    SH.ClassConstraintComponent: UnknownTermError,
}

_HINTS: dict[type[CaseDataError], str] = {
    MissingFieldError: (
        "add each missing field named above to the case file "
        "(shapes/intake/case-intake.ttl lists what a case must hold)"
    ),
    UnknownTermError: (
        "use a term declared in ontology/schemes.ttl (e.g. region:CervicalSpine, modality:CT), "
        "or declare the new term there first"
    ),
    BadDateError: 'write every date as "YYYY-MM-DD"^^xsd:date',
    CaseDataError: (
        "fix each field named above (shapes/intake/case-intake.ttl lists what a case must hold)"
    ),
}


@dataclass(frozen=True)
class IntakeProblem:
    """One intake violation, in CURIEs, ready to print."""

    focus: str  # CURIE of the focus node
    path: str  # CURIE of the sh:resultPath, or ""
    message: str  # the sh:resultMessage
    shape: str  # CURIE of sh:sourceShape if it is an IRI, else ""

    def line(self) -> str:
        """One line of an error message: ``request-0 (case:x/request-0): imr:modality: ...``."""
        field = f"{self.path}: " if self.path else ""
        return f"{_local_name(self.focus)} ({self.focus}): {field}{self.message}"


def intake_problems(case: CaseGraph, knowledge: Knowledge) -> list[IntakeProblem]:
    """Every intake violation of one built case, sorted; empty when the case is well formed.

    Raises
    ------
    ShapeError
        When pyshacl cannot load or run the intake shapes.
    """
    return [problem for problem, _ in _classified_problems(case, knowledge)]


def check_intake(case: CaseGraph, knowledge: Knowledge) -> None:
    """Raise one error listing every intake problem of the case, or return when there is none.

    The error's class (and so its code) is the problems' common kind: missing field (IMR-E202),
    unknown term (IMR-E203) or bad date (IMR-E204); IMR-E201 when they differ or fit none.

    Raises
    ------
    CaseDataError
        When the case violates the intake shapes; its location names the first problem's field.
    ShapeError
        When pyshacl cannot load or run the intake shapes.
    """
    found = _classified_problems(case, knowledge)
    if not found:
        return
    kinds = {kind for _, kind in found}
    error = kinds.pop() if len(kinds) == 1 else CaseDataError
    lines = [problem.line() for problem, _ in found]
    message = (
        lines[0]
        if len(lines) == 1
        else (f"{len(lines)} intake problems:\n    " + "\n    ".join(lines))
    )
    first = found[0][0]
    raise error(message, where=Location(case.source, field=first.path or None), hint=_HINTS[error])


def _classified_problems(
    case: CaseGraph, knowledge: Knowledge
) -> list[tuple[IntakeProblem, type[CaseDataError]]]:
    """Each distinct problem with the error class its constraint component calls for, sorted."""
    report = _intake_report(case, knowledge)
    results = set(report.subjects(SH.focusNode, None))
    found = {_classify(report, result, knowledge.intake) for result in results}
    return sorted(found, key=lambda pair: dataclasses.astuple(pair[0]))


def _classify(
    report: Graph, result: Node, shapes: Graph
) -> tuple[IntakeProblem, type[CaseDataError]]:
    source = report.value(result, SH.sourceShape)
    path = report.value(result, SH.resultPath)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    problem = IntakeProblem(
        focus=_term(report.value(result, SH.focusNode)),
        path=curie(str(path)) if isinstance(path, URIRef) else "",
        message=messages[0] if messages else "does not conform to the intake shapes",
        shape=_shape_curie(source, shapes),
    )
    return problem, _kind(report.value(result, SH.sourceConstraintComponent), source, shapes)


def _intake_report(case: CaseGraph, knowledge: Knowledge) -> Graph:
    """Validate one case graph in memory (never over Oxigraph: pyshacl asks len() per result).

    The built graph types scheme concepts with their most specific class only
    (region:CervicalSpine a imr:SpinalRegion), so the class hierarchy is mixed in as the
    ontology graph for sh:class imr:BodyRegion to hold; the case graph itself is not touched.
    Advanced mode is on for the SPARQL target that selects diagnostic requests by category.
    """
    hierarchy = Graph()
    for cls, superclasses in knowledge.superclasses.items():
        for superclass in superclasses - {cls}:
            hierarchy.add((cls, RDFS.subClassOf, superclass))
    try:
        _, report, _ = pyshacl_validate(
            case.graph,
            shacl_graph=knowledge.intake,
            ont_graph=hierarchy,
            inference="none",
            advanced=True,
            inplace=False,
            abort_on_first=False,
            allow_warnings=True,
        )
    except ReportableRuntimeError as exc:
        raise ShapeError(
            f"cannot run the intake shapes: {exc.message}",
            where=Location(knowledge.root / "shapes" / "intake"),
            hint="fix the shape named in the message; `pyshacl -m` checks shapes against SHACL",
        ) from None
    return report  # type: ignore[no-any-return]


def _kind(component: Node | None, shape: Node | None, shapes: Graph) -> type[CaseDataError]:
    """Missing field, unknown term or bad date, read off the failing constraint; else generic."""
    if component == SH.DatatypeConstraintComponent and shape is not None:
        return BadDateError if shapes.value(shape, SH.datatype) == XSD.date else CaseDataError
    return _KIND_BY_COMPONENT.get(component, CaseDataError) if component else CaseDataError


def _shape_curie(shape: Node | None, shapes: Graph) -> str:
    """The shape's CURIE, falling back on the prefixes the shapes file declares (intake:)."""
    if not isinstance(shape, URIRef):
        return ""
    name = curie(str(shape))
    if name.startswith("<"):
        try:
            return shapes.namespace_manager.curie(str(shape), generate=False)
        except (KeyError, ValueError):
            return name
    return name


def _term(node: Node | None) -> str:
    if isinstance(node, URIRef):
        return curie(str(node))
    return node.n3() if node is not None else ""


def _local_name(focus: str) -> str:
    """The last segment of a CURIE or IRI: the node's name in its case."""
    name = focus.strip("<>").rstrip("/#")
    return name[max(name.rfind("/"), name.rfind("#"), name.rfind(":")) + 1 :] or focus
