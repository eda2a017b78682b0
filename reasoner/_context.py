"""Sentences of a clinical summary with their cue hits, their ConText modifiers, and the windows
a mention takes its regions and date from.

A `Sentence` is one span of the letter, its text normalised (line-broken words and dates joined,
whitespace collapsed) and matched once per cue role of `data/lexicon/finding-terms.ttl`.
Negation, possible existence, history, hypothetical, rule-out and other experiencer are
medspaCy's ConText over the sentence (`_cues`: its default rules extended by
`data/lexicon/context-rules.json`), found once per sentence and asked per mention
(`Sentence.modifiers`). A mention's regions are the noun phrase before it ("neck, back and right
shoulder pain"), else the words after it ("pain in the low back, right elbow") up to a clause
boundary ("but", a conjunction that starts a new clause: `Sentence.separated`); its date is the
one stated, marked inferred when relative or coarser than a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property

from rdflib import Graph, Namespace, URIRef

from ._cues import Cues, find_boundaries, find_cues
from ._dates import DateMention, find_dates
from ._lexicon import LEX, Hit, Matcher, lexicon, literal_of, members
from ._terminology import hpo_labels, hpo_obo_path, read_obo
from .vocab import BASE, IMR, REGION, SKOS

__all__ = [
    "FIND",
    "GAP_STOP",
    "Clinical",
    "Modifiers",
    "Sentence",
    "clinical",
    "dated",
    "narrowest",
    "nearest_date",
    "normalize",
    "post_chain",
    "pre_chain",
]

FIND = Namespace(BASE + "lexicon/finding/")
ITEM = Namespace(BASE + "lexicon/item/")
_SCHEME = BASE + "scheme/"
_CUE_ROLES = [
    "Administrative",
    "ReportCue",
    "ExamCue",
    "VisitCue",
    "DefinitiveCue",
    "Performed",
    "NotPerformed",
    "StudyResult",
    "InjuryCue",
    "ReinjuryCue",
    "Mechanism",
    "DiagnosisCue",
]
_ROLES: dict[str, tuple[str, ...]] = (
    {
        "findings": ("scheme:finding", "RedFlag", "NeuroDeficit", "NotAFinding"),
        # a label two groups share goes to the first listed (Matcher): "chest" is region:Chest
        "regions": ("scheme:region", "item:OtherRegion", "NotARegion"),
        "status": [
            "StatusWorsened",
            "StatusNew",
            "StatusUnchanged",
            "StatusImproved",
            "StatusResolved",
            "StatusNone",
        ],
        "care": ("scheme:care", "item:Medication", "NotACare"),
        "response": [
            "ResponseNone",
            "ResponsePartial",
            "ResponseImproved",
            "ResponseFailedToProgress",
        ],
        "procedures": (
            "scheme:procedure",
            "OtherSurgery",
            "GenericSurgery",
            "OtherInjection",
            "NotAProcedure",
        ),
        "plan": (
            "PlanDeclined",
            "PlanConditional",
            "PlanConsidered",
            "PlanPossible",
            "PlanPlanned",
        ),
        "studies": ("scheme:modality", "Electrodiagnostic"),
        "interpretation": ("InterpNormal", "InterpAbnormal"),
        "conditions": [
            "Radiculopathy",
            "Stenosis",
            "DiscDisplacement",
            "SpinePain",
            "ArthrodesisStatus",
            "CarpalTunnel",
        ],
    }
    | {role: (role,) for role in _CUE_ROLES}
    | {"Administrative": ("Administrative", "NotAdministrative")}
)
_CATEGORIES = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "RULE_OUT": "ruled_out",
    "FAMILY": "other_experiencer",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
}
"""ConText categories (medspaCy's, and the project's RULE_OUT) and the modifier each sets."""


@dataclass(frozen=True)
class Modifiers:
    """How the ConText cues of its sentence modify one mention."""

    negated: bool = False
    uncertain: bool = False
    ruled_out: bool = False
    other_experiencer: bool = False
    historical: bool = False
    """In the scope of a history cue ("history of ..."): not a current symptom."""
    hypothetical: bool = False
    """In the scope of a conditional ("if symptoms worsen"): no finding at all."""
    negated_by: str = ""
    negated_after: bool = False
    """Negated by a backward cue that follows the mention ("x-rays were negative")."""


@dataclass(frozen=True)
class Clinical:
    """The clinical lexicon: one matcher per cue role, and the graph for concept properties."""

    graph: Graph
    matchers: dict[str, Matcher]

    def value(self, concept: URIRef, prop: URIRef = LEX.value) -> URIRef | None:
        """The IRI value of `prop` on `concept` (lex:value by default), if any."""
        found = sorted(o for o in self.graph.objects(concept, prop) if isinstance(o, URIRef))
        return found[0] if found else None

    def rank(self, concept: URIRef) -> int:
        """lex:rank of a concept (100 when unranked)."""
        return int(literal_of(self.graph, concept, LEX.rank) or 100)

    def broader(self, concept: URIRef) -> set[URIRef]:
        """All concepts `concept` is narrower than (transitively), itself excluded."""
        found = self.graph.transitive_objects(concept, SKOS.broader)
        return {c for c in found if isinstance(c, URIRef) and c != concept}


@cache
def clinical() -> Clinical:
    """The clinical lexicon (schemes + item-terms + finding-terms + the terminology mappings),
    built once per process; the words of the mapped HPO terms are labels of their concepts,
    below the project's own (reasoner/_terminology.py). The parsed HPO is not kept: only the
    few hundred labels derived from it are (it would hold 26 MB per worker process)."""
    graph = lexicon("item-terms", "finding-terms", "terminology")
    terminology = hpo_labels(graph, read_obo(hpo_obo_path()))
    matchers = {}
    for role, names in _ROLES.items():
        concepts = _role_concepts(graph, names)
        extra = terminology
        if role == "status":
            plain = Matcher(graph, concepts)
            words = (w for c in _role_concepts(graph, _ROLES["findings"]) for w in extra.get(c, ()))
            extra = {FIND.NotAStatus: [w for w in words if plain.search(w) is not None]}
            concepts = [*concepts, FIND.NotAStatus]
        matchers[role] = Matcher(graph, concepts, labels_only=[ITEM.Medication], terminology=extra)
    return Clinical(graph, matchers)


def _role_concepts(graph: Graph, names: tuple[str, ...] | list[str]) -> list[URIRef]:
    """The concepts a cue role matches: whole schemes ("scheme:finding"), item-lexicon concepts
    ("item:Medication") and finding-lexicon concepts, in the order that breaks ties."""
    concepts: list[URIRef] = []
    for name in names:
        if name.startswith("scheme:"):
            scheme = URIRef(f"{_SCHEME}{name[7:]}/scheme")
            concepts += [c for c in members(graph, SKOS.inScheme, scheme) if c != scheme]
        else:
            concepts.append(ITEM[name[5:]] if name.startswith("item:") else FIND[name])
    return concepts


def normalize(raw: str) -> str:
    """Join words and dates broken at a line end ("x-" / "rays", "10/14/" / "2016"), collapse space.

    Examples
    --------
    >>> normalize("X-rays dated 11-\\n16-2016 showed\\n  mild changes.")
    'X-rays dated 11-16-2016 showed mild changes.'
    """
    joined = re.sub(r"(?<=\w)([-/])[ \t]*\r?\n\s*(?=\w)", r"\1", raw)
    return " ".join(joined.split())


@dataclass
class Sentence:
    """One sentence: raw offsets, normalised text, and its hits per cue role (matched lazily)."""

    start: int
    end: int
    text: str
    lex: Clinical
    reference: date | None = None
    _hits: dict[str, list[Hit]] = field(default_factory=dict)

    def hits(self, role: str) -> list[Hit]:
        """Hits of one role, minus the 'not a ...' concepts that only shadow other matches."""
        if role not in self._hits:
            found = self.lex.matchers[role].find(self.text)
            self._hits[role] = [h for h in found if not str(h.concept).endswith(_SHADOWS)]
        return self._hits[role]

    def has(self, role: str) -> bool:
        """Whether any cue of the role occurs."""
        return bool(self.hits(role))

    @cached_property
    def dates(self) -> list[DateMention]:
        """Explicit dates (relative ones resolved against `reference`)."""
        return find_dates(self.text, reference_date=self.reference)

    @cached_property
    def cues(self) -> Cues:
        """The sentence's ConText modifiers and their scopes (medspaCy, found once)."""
        return find_cues(self.text)

    @cached_property
    def boundaries(self) -> list[int]:
        """Where the clause boundaries for attribute attachment begin (from the cues when the
        matcher already ran, else matched alone)."""
        return self.cues.boundaries() if self.cues.complete else find_boundaries(self.text)

    def separated(self, a: int, b: int) -> bool:
        """Whether a clause boundary lies between the offsets: a status word or a region at one
        does not modify a mention at the other ("shoulder pain improved but the neck pain
        persists"). Commas are not boundaries here: regions are listed with them ("pain in the
        neck, low back, right elbow")."""
        low, high = min(a, b), max(a, b)
        return any(low <= x < high for x in self.boundaries)

    def modifiers(self, start: int, end: int) -> Modifiers:
        """ConText modifiers of the mention at [start, end). A forward negation names the
        negating words (`negated_by`); a mention negated only by a cue after it is
        `negated_after`."""
        found: dict[str, bool] = {}
        trigger, forward, backward = "", False, False
        for cue in self.cues.reaching(start, end):
            name = _CATEGORIES.get(cue.category)
            if name is None:
                continue
            found[name] = True
            if name == "negated" and cue.direction == "BACKWARD":
                backward, trigger = True, trigger or cue.text
            elif name == "negated":
                forward, trigger = True, cue.text
        return Modifiers(**found, negated_by=trigger, negated_after=backward and not forward)

    def clause(self, start: int, end: int, stops: str = ";:") -> tuple[int, int]:
        """Bounds of the clause around [start, end): up to the nearest `stops` character."""
        left = max((self.text.rfind(ch, 0, start) for ch in stops), default=-1) + 1
        rights = [i for i in (self.text.find(ch, end) for ch in stops) if i >= 0]
        return left, min(rights, default=len(self.text))

    def regions_in(self, a: int, b: int) -> list[Hit]:
        """Region hits lying within [a, b)."""
        return [h for h in self.hits("regions") if a <= h.start and h.end <= b]


_SHADOWS = (
    "NotARegion",
    "NotACare",
    "NotAProcedure",
    "NotAFinding",
    "NotAdministrative",
    "NotAStatus",
)

GAP_STOP = re.compile(
    r"^(?:and|or|with|of|to|in|at|on|for|from|into|over|the|a|an|was|were|is|are|had|has|have|"
    r"\w+ed|\w+ing|that|which|who|but|as|by|than|greater|more)$",
    re.I,
)

_CONNECT_PREP = re.compile(
    r"^[\s,]*(?:and\s+)?(?:in|of|to|at|over)\s+the\s+(?:(?:right|left|bilateral)\s+)?$", re.I
)

_CONNECT_LATER = re.compile(
    r"^[\s,/]*(?:(?:and|or|&)\s+)?(?:(?:right|left|bilateral|both|the|his|her|anterior|posterior|medial"
    r"|lateral|upper|lower|mid)\s+)*$",
    re.I,
)


_SUBJECT_OF_NEW_CLAUSE = re.compile(
    r"^\s*,?\s*(?:and|but|or|while|whereas)\s+(?:the|his|her|their)\s+"
    r"(?:(?:right|left|bilateral|both)\s+)*$",
    re.I,
)
_FINITE_VERB = re.compile(r"^\s+(?:is|are|was|were|has|have|had|remains?|appears?|shows?)\b", re.I)
"""A region word joined by a conjunction and its own article, and followed by a verb ("..., and
the neck is not tender"), is the subject of a new clause, not one more region of the list."""


def narrowest(s: Sentence, concepts: list[URIRef]) -> list[URIRef]:
    """Region-scheme concepts in order, without duplicates or any broader than another named one."""
    named = [c for c in dict.fromkeys(concepts) if str(c).startswith(str(REGION))]
    broader = {b for c in named for b in s.lex.broader(c)}
    return [c for c in named if c not in broader]


def pre_chain(s: Sentence, floor: int, start: int) -> list[Hit]:
    """Region words forming the noun phrase before `start` ("neck, back and right shoulder")."""
    chain: list[Hit] = []
    position = start
    for hit in reversed(s.regions_in(floor, start)):
        gap = s.text[hit.end : position]
        words = gap.split()
        near = not chain and len(words) <= 2 and not re.search(r"[.;:,]", gap)
        near = near and not any(GAP_STOP.match(w) for w in words)
        if not (near or (chain and _CONNECT_LATER.match(gap))):
            break
        chain.insert(0, hit)
        position = hit.start
    return chain


def post_chain(s: Sentence, end: int, ceiling: int) -> list[Hit]:
    """Region words named right after `end` in the same comma clause ("of the right shoulder"),
    with any joined to them by commas, 'and' or 'or' ("low back, right elbow, right knee"), up
    to a clause boundary ("but", a conjunction starting a new clause)."""
    chain: list[Hit] = []
    position = end
    for hit in s.regions_in(end, ceiling):
        gap = s.text[position : hit.start]
        first = not chain and len(gap.split()) <= 10 and not re.search(r"[.;:,]", gap)
        if not (first or (chain and (_CONNECT_LATER.match(gap) or _CONNECT_PREP.match(gap)))):
            break
        if s.separated(position, hit.start):
            break  # "pain improved but the shoulder ...": the region is the next clause's
        if (
            chain
            and _SUBJECT_OF_NEW_CLAUSE.match(s.text[position : hit.start])
            and (_FINITE_VERB.match(s.text[hit.end : hit.end + 20]))
        ):
            break  # "tenderness of the right knee and the left ankle is not swollen"
        chain.append(hit)
        position = hit.end
    return chain


def dated(when: DateMention, s: Sentence, basis: str) -> list[tuple[str, object]]:
    """The date values of a fact: stated, or inferred when relative or less precise than a day."""
    values: list[tuple[str, object]] = [("date", when.value)]
    if when.relative or when.precision != "day":
        what = "relative" if when.relative else f"{when.precision} only"
        values += [("dateCertainty", IMR.InferredFromRecord), ("dateBasis", f"{basis} ({what})")]
    return values


def nearest_date(dates: list[DateMention], position: int) -> DateMention | None:
    after = [d for d in dates if d.start >= position]
    before = [d for d in dates if d.end <= position]
    return after[0] if after else (before[-1] if before else None)
