"""Explanations as a reviewer's rationale (text) and as the `explain --format json` contract."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .vocab import curie

if TYPE_CHECKING:
    from .explain import Change, Evidence, Explanation, Reason, Source

__all__ = ["explanation_json", "explanation_text"]

_VERDICT = {"Upheld": "is not medically necessary", "Overturned": "is medically necessary"}


def explanation_json(expl: Explanation) -> dict[str, Any]:
    """One explanation as JSON-ready data.

    Keys are exactly ``item_index``, ``outcome``, ``why`` (``criterion``, ``status``, ``pages``,
    ``sources``, ``evidence``) and ``what_would_change`` (``changes``, ``criterion``, ``pages``,
    ``sources``, ``new_outcome``). ``criterion`` is a CURIE; in a change that needs several
    criteria it is a list of CURIEs. ``pages`` joins the page ranges of all cited parts with ", "
    ('' when the cited parts are unpaged sections). ``sources`` lists the parts cited on the
    request's date as they are in `determine --format json` (``id`` CURIE, ``label``, which
    names the section, and ``pages``, null for an unpaged section), so a change whose source has
    no pages still says where it comes from. Each evidence object is ``fact`` (CURIE, or the bare
    IRI when no prefix fits), ``text``, ``date`` (ISO or null), ``quote`` (whitespace collapsed),
    ``start`` and ``end`` (character offsets in the letter; null when the fact has no source).

    Examples
    --------
    >>> from reasoner.explain import Change, Explanation
    >>> c = Change(("document: a new finding",), ("https://w3id.org/imrkg/criteria/X",),
    ...            ("X",), "", "Overturned")
    >>> explanation_json(Explanation("r", 0, "Upheld", (), (c,)))["what_would_change"]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'changes': ['document: a new finding'], 'criterion': 'crit:X', 'pages': '', 'sources': [],
      'new_outcome': 'Overturned'}]
    """
    return {
        "item_index": expl.item_index,
        "outcome": expl.outcome,
        "why": [
            {
                "criterion": _id(r.criterion),
                "status": r.status,
                "pages": r.pages,
                "sources": _sources_json(r.sources),
                "evidence": [_evidence_json(e) for e in r.evidence],
            }
            for r in expl.why
        ],
        "what_would_change": [_change_json(c) for c in expl.what_would_change],
    }


def explanation_text(expl: Explanation) -> str:
    """One explanation as a short rationale: outcome, because..., what would change it.

    Examples
    --------
    >>> from reasoner.explain import Explanation, Reason
    >>> r = Reason("https://w3id.org/imrkg/criteria/X", "A change is documented", "not met",
    ...            "177-182", (), "ACOEM Ch. 8, pp. 177-182")
    >>> print(explanation_text(Explanation("r", 0, "Upheld", (r,), (), "CT neck")))
    Upheld: CT neck (item 0) is not medically necessary because
      - A change is documented: not met (ACOEM Ch. 8, pp. 177-182).
    What would change it: nothing the record could add (no criterion can be met).
    """
    name = expl.item_text or curie(expl.request)
    if expl.outcome not in _VERDICT:
        why = expl.reason or "no rule applies"
        return f"{expl.outcome}: {name} (item {expl.item_index}): {why}."
    lines = [f"{expl.outcome}: {name} (item {expl.item_index}) {_VERDICT[expl.outcome]} because"]
    for reason in expl.why:
        lines += _reason_lines(reason)
    if not expl.what_would_change:
        nothing = (
            "nothing the record could add (no criterion can be met)"
            if expl.outcome == "Upheld"
            else "no removal of documented facts"
        )
        lines.append(f"What would change it: {nothing}.")
        return "\n".join(lines)
    lines.append("What would change it (each alternative alone):")
    lines += [_change_line(c) for c in expl.what_would_change]
    return "\n".join(lines)


def _reason_lines(reason: Reason) -> list[str]:
    where = f" ({reason.citation})" if reason.citation else ""
    lines = [f"  - {reason.label}: {reason.status}{where}."]
    lines += [f"      {message}" for message in reason.unmet]
    for e in reason.evidence:
        date = f"{e.date} " if e.date else ""
        quote = f' -- "{_clip(e.quote)}" [{e.start}-{e.end}]' if e.quote else ""
        lines.append(f"      looked at: {date}{e.text}{quote}")
    return lines


def _change_line(change: Change) -> str:
    labels = "; ".join(change.labels)
    where = f"; {change.citation}" if change.citation else ""
    return f"  - {'; '.join(change.changes)} => {change.new_outcome} ({labels}{where})"


def _change_json(change: Change) -> dict[str, Any]:
    ids = [_id(c) for c in change.criteria]
    return {
        "changes": list(change.changes),
        "criterion": ids[0] if len(ids) == 1 else ids,
        "pages": change.pages,
        "sources": _sources_json(change.sources),
        "new_outcome": change.new_outcome,
    }


def _sources_json(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
    return [{"id": _id(s.part), "label": s.label, "pages": s.pages or None} for s in sources]


def _evidence_json(e: Evidence) -> dict[str, Any]:
    return {
        "fact": _id(e.fact),
        "text": e.text,
        "date": e.date,
        "quote": e.quote,
        "start": e.start,
        "end": e.end,
    }


def _id(iri: str) -> str:
    short = curie(iri)
    return iri if short.startswith("<") else short


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
