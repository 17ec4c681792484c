"""The chokemap vocabulary: classes, properties and named individuals.

One namespace for the vocabulary (``cm:``) and one for the instances (``cmi:``).
``CM`` is a :class:`rdflib.namespace.DefinedNamespace` with ``_fail = True``, so a
misspelt term raises at import time instead of silently matching nothing.

Conventions (also stated in ``graph/queries/shapes.ttl`` and the README's data model):

* shares (``cm:share``) are fractions from 0 to 1, as ``xsd:decimal``;
* dates are ``xsd:date``; a validity interval ``cm:validFrom``..``cm:validTo`` and a
  policy's ``cm:effectiveFrom``..``cm:effectiveTo`` include both end days;
* a dependency edge is a qualified node: ``X cm:requires [ cm:input R ; ... ]``
  (X needs R, all requirements are needed) and ``X cm:suppliedBy [ cm:supplier S ; ... ]``
  (S can provide X, any one supplier suffices), each with at least one ``cm:source``.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from . import terms

__all__ = [
    "CM",
    "CMI",
    "PREFIXES",
    "ENTITY_CLASSES",
    "ITEM_CLASSES",
    "ACTOR_CLASSES",
    "BLOCKING_KINDS",
    "CONDITION_KINDS",
    "NEUTRAL_KINDS",
    "CLAIM_STATUSES",
]


class CM(DefinedNamespace):
    """Terms of the chokemap vocabulary (``https://chokemap.org/ns#``)."""

    _NS = Namespace(terms.VOCAB)
    _fail = True

    # --- entity classes
    Firm: URIRef
    Government: URIRef
    Country: URIRef
    Chip: URIRef
    Component: URIRef
    Tool: URIRef
    Material: URIRef
    Software: URIRef
    Process: URIRef
    System: URIRef
    Facility: URIRef
    Policy: URIRef
    Source: URIRef
    Claim: URIRef
    CountryGroup: URIRef
    Dataset: URIRef
    Link: URIRef  # a reviewed link from another dataset's id to a bundled entity (data/links-*.ttl)

    # --- labels and identity
    alias: URIRef
    description: URIRef
    wikidata: URIRef
    isoCode: URIRef
    aggregate: URIRef
    etoId: URIRef  # the ETO id (N26, P88, S2) a cm:Link starts from
    etoName: URIRef  # ETO's name for it, kept as a key for the reviewer
    method: URIRef  # how a cm:Link was made: name, alias, country, wikidata, hand

    # --- structure (no source required: identity-level facts)
    locatedIn: URIRef
    operatedBy: URIRef
    designedBy: URIRef
    kindOf: URIRef
    governs: URIRef
    partOf: URIRef
    exportControlAuthority: URIRef
    subjectTo: URIRef

    # --- qualified dependency edges
    requires: URIRef
    input: URIRef
    suppliedBy: URIRef
    supplier: URIRef
    ownedBy: URIRef
    owner: URIRef
    share: URIRef
    shareBasis: URIRef
    quantity: URIRef
    validFrom: URIRef
    validTo: URIRef
    source: URIRef
    note: URIRef
    stock: URIRef
    planned: URIRef

    # --- country groups, launches, plans, the data's horizon
    membership: URIRef
    member: URIRef
    headquarters: URIRef
    launch: URIRef
    expectedFrom: URIRef
    notBefore: URIRef
    onMarketBy: URIRef
    NotYetLaunched: URIRef
    LaunchDateUnknown: URIRef
    NotAProduct: URIRef
    currentTo: URIRef

    # --- sourced attribute values ("specs")
    spec: URIRef
    property: URIRef
    value: URIRef
    unit: URIRef
    asOf: URIRef

    # --- sources
    url: URIRef
    publisher: URIRef
    date: URIRef
    secondary: URIRef

    # --- policies
    issuer: URIRef
    kind: URIRef
    covers: URIRef
    coversAll: URIRef
    coversSupplier: URIRef
    destination: URIRef
    listedParty: URIRef
    scope: URIRef
    effectiveFrom: URIRef
    effectiveTo: URIRef
    announced: URIRef
    relaxes: URIRef
    suspends: URIRef
    condition: URIRef

    # --- policy kinds (what a policy does to a flow it applies to)
    Ban: URIRef
    LicenceDenial: URIRef
    EntityListing: URIRef
    ImportBan: URIRef
    LicenceReview: URIRef
    Tariff: URIRef
    RevenueShare: URIRef
    VolumeCap: URIRef
    ImportApproval: URIRef
    Restriction: URIRef
    Suspension: URIRef
    Announcement: URIRef

    # --- policy scopes (whose flows a policy reaches)
    IssuerExports: URIRef
    Extraterritorial: URIRef
    Imports: URIRef

    # --- claims
    statement: URIRef
    status: URIRef
    about: URIRef
    claimedBy: URIRef
    Verified: URIRef
    Disputed: URIRef
    Unverified: URIRef


#: Namespace of the bundled graph's instances.
CMI = Namespace(terms.INSTANCES)

#: Prefixes bound on every graph chokemap creates (and predefined in SPARQL queries).
PREFIXES: dict[str, str] = {
    "cm": str(CM._NS),
    "cmi": str(CMI),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
}

#: Things that are made and needed: they take part in requirements and supply.
ITEM_CLASSES: tuple[URIRef, ...] = (
    CM.Chip,
    CM.Component,
    CM.Tool,
    CM.Material,
    CM.Software,
    CM.Process,
    CM.System,
)

#: Things that supply items: a firm, one of its facilities, or a country as a whole.
ACTOR_CLASSES: tuple[URIRef, ...] = (CM.Firm, CM.Facility, CM.Country)

#: Every class a node of the graph can have (sources and qualified edges are not nodes).
ENTITY_CLASSES: tuple[URIRef, ...] = (
    *ITEM_CLASSES,
    *ACTOR_CLASSES,
    CM.Government,
    CM.CountryGroup,
    CM.Policy,
    CM.Claim,
)

#: Policy kinds that stop a flow they apply to (:data:`graph.core.terms.BLOCKING`).
BLOCKING_KINDS: frozenset[URIRef] = frozenset(getattr(CM, name) for name in terms.BLOCKING)
#: Policy kinds that let a flow through with conditions attached.
CONDITION_KINDS: frozenset[URIRef] = frozenset(getattr(CM, name) for name in terms.CONDITION)
#: Policy kinds with no effect of their own on flows (they act through other policies).
NEUTRAL_KINDS: frozenset[URIRef] = frozenset(getattr(CM, name) for name in terms.NEUTRAL)

CLAIM_STATUSES: frozenset[URIRef] = frozenset({CM.Verified, CM.Disputed, CM.Unverified})
