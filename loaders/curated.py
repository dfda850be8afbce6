"""Curated reference data: organisations, models and the sector vocabulary.

These facts come from public knowledge, not from the Blue Book. Each one enters
the graph with evidence whose basis is ``curated``, pointing at the data file,
its line and the entry's stated basis, so no curated fact passes for a Blue Book
statement.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.loaders.gazetteer import Gazetteer
from ecokg.loaders.families import Families, add_families
from ecokg.loaders.pinyin import add_pinyin
from ecokg.loaders.kinds import add_name_grammar, kind_from_name
from ecokg.loaders.places import Places
from ecokg.loaders.resolve import Resolver
from ecokg.ontology.errors import LoaderError
from ecokg.ontology.iris import org_iri, sector_iri, source_iri
from ecokg.ontology.schema import get_schema
from ecokg.ontology.terms import C, D, P

CURATED = "curated"  # the evidence basis of every curated fact


def org_kinds() -> list[str]:
    """The kinds an organisation may have in organisations.yaml: the classes below Organisation."""
    return [c for c in get_schema().descendants(C.Organisation) if c != C.Organisation]


def investor_kinds() -> list[str]:
    """Kinds whose sectors are an investment focus rather than the sector they work in."""
    return get_schema().descendants(C.Investor)


def default_data_dir() -> Path:
    return Path(str(resources.files("ecokg.data")))


@dataclass
class CuratedFile:
    path: Path
    entries: list[dict[str, Any]]
    lines: dict[str, int]  # entry key -> 1-based line of its "- name:"/"- key:" line
    sha256: str

    @property
    def iri(self) -> str:
        return source_iri(self.sha256)


@dataclass
class CuratedData:
    organisations: CuratedFile
    models: CuratedFile
    sectors: CuratedFile
    places_file: CuratedFile
    categories: CuratedFile
    org_by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    model_by_name: dict[str, dict[str, Any]] = field(default_factory=dict)
    sector_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)

    _resolver: Resolver | None = field(default=None, repr=False, compare=False)

    def resolver(self) -> Resolver:
        """The build's one resolver of written names (see :mod:`ecokg.loaders.resolve`): every
        source of a build resolves through it, so its merge log covers them all."""
        if self._resolver is None:
            self._resolver = Resolver(
                {o["name"]: o.get("aliases") or [] for o in self.organisations.entries},
                {o["name"]: o.get("name_en") for o in self.organisations.entries},
                {m["name"]: m.get("aliases") or [] for m in self.models.entries},
                {m["name"]: m.get("name_en") for m in self.models.entries})
        return self._resolver

    def places(self) -> Places:
        """The province-level regions and their cities (``places.yaml``)."""
        return Places({p["name"]: p.get("cities") or [] for p in self.places_file.entries})

    def category_sector(self, category: str) -> tuple[str, Evidence] | None:
        """The sector a model category maps to (``categories.yaml``), with the curated evidence."""
        for c in self.categories.entries:
            if c["category"] == category.strip():
                f = self.categories
                return str(c["sector"]), Evidence(source=f.iri, quote=f"{c['category']}: {c['sector']}", basis=CURATED,
                                                  line=f.lines.get(c["category"]), note=str(c["basis"]))
        return None

    def org_kind(self, name: str) -> str | None:
        """The kind of the organisation named ``name`` (canonical): curated, else what its name says."""
        entry = self.org_by_name.get(name)
        if entry is not None and entry.get("kind"):
            return str(entry["kind"])
        got = kind_from_name(name)
        return got[0] if got else None

    def gazetteer(self) -> Gazetteer:
        g = Gazetteer()
        for o in self.organisations.entries:
            g.add_org(o["name"], o.get("aliases") or [])
        for m in self.models.entries:
            g.add_model(m["name"], m.get("aliases") or [])
        for s in self.sectors.entries:
            g.add_sector(s["key"], [s["name"], *(s.get("aliases") or [])])
        return g


def _read(path: Path, key: str, required: tuple[str, ...]) -> CuratedFile:
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except FileNotFoundError as e:
        raise LoaderError("curated data file not found", str(path)) from e
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        line = getattr(getattr(e, "problem_mark", None), "line", None)
        raise LoaderError(f"not valid UTF-8 YAML: {e}", str(path), line + 1 if line is not None else None) from e
    if not isinstance(data, list):
        raise LoaderError("expected a YAML list of entries", str(path))
    lines: dict[str, int] = {}
    for i, text_line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        m = re.match(rf"^- {key}:\s*(.+?)\s*$", text_line)
        if m:
            lines[m.group(1).strip("'\"")] = i
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise LoaderError(f"entry {n} is not a mapping", str(path))
        missing = [f for f in required if not entry.get(f)]
        if missing:
            raise LoaderError(f"entry {entry.get(key, n)!r} lacks {', '.join(missing)}", str(path),
                              lines.get(str(entry.get(key))))
    return CuratedFile(path, data, lines, hashlib.sha256(raw).hexdigest())


def load_curated(data_dir: Path | None = None) -> CuratedData:
    """Read and check ``organisations.yaml``, ``models.yaml``, ``sectors.yaml``, ``places.yaml`` and
    ``categories.yaml``."""
    d = Path(data_dir) if data_dir else default_data_dir()
    cd = CuratedData(
        organisations=_read(d / "organisations.yaml", "name", ("name", "basis")),
        models=_read(d / "models.yaml", "name", ("name", "basis")),
        sectors=_read(d / "sectors.yaml", "key", ("key", "name")),
        places_file=_read(d / "places.yaml", "name", ("name", "level")),
        categories=_read(d / "categories.yaml", "category", ("category", "sector", "basis")),
    )
    cd.org_by_name = {o["name"]: o for o in cd.organisations.entries}
    cd.model_by_name = {m["name"]: m for m in cd.models.entries}
    cd.sector_by_key = {s["key"]: s for s in cd.sectors.entries}
    for o in cd.organisations.entries:
        where = (str(cd.organisations.path), cd.organisations.lines.get(o["name"]))
        if o.get("kind") and o["kind"] not in org_kinds():
            raise LoaderError(f"{o['name']}: unknown kind {o['kind']!r} (one of {', '.join(org_kinds())})", *where)
        if o.get("parent") and o["parent"] not in cd.org_by_name:
            raise LoaderError(f"{o['name']}: parent {o['parent']!r} is not an organisation of the file", *where)
        for s in o.get("sectors") or []:
            if s not in cd.sector_by_key:
                raise LoaderError(f"{o['name']}: unknown sector {s!r}", *where)
    for m in cd.models.entries:
        where = (str(cd.models.path), cd.models.lines.get(m["name"]))
        if m.get("developer") and m["developer"] not in cd.org_by_name:
            raise LoaderError(f"{m['name']}: developer {m['developer']!r} is not in organisations.yaml", *where)
        if m.get("family") and cd.model_by_name.get(m["family"], {}).get("kind") != "family":
            raise LoaderError(f"{m['name']}: family {m['family']!r} is no entry of kind family in models.yaml", *where)
        if m.get("kind") not in (None, "family"):
            raise LoaderError(f"{m['name']}: kind is `family` or absent, not {m['kind']!r}", *where)
    for c in cd.categories.entries:
        if c["sector"] not in cd.sector_by_key:
            raise LoaderError(f"category {c['category']}: unknown sector {c['sector']!r}", str(cd.categories.path),
                              cd.categories.lines.get(c["category"]))
    return cd


def _evidence(f: CuratedFile, key: str, field_text: str, entry: dict[str, Any]) -> Evidence:
    return Evidence(source=f.iri, quote=field_text, basis=CURATED, line=f.lines.get(key),
                    note=str(entry.get("basis", "")))


def add_sources(kg: KnowledgeGraph, cd: CuratedData) -> None:
    for f in (cd.organisations, cd.models, cd.sectors, cd.places_file, cd.categories):
        kg.add_node(f.iri, C.SourceDocument, {D.fileName: f.path.name, D.sha256: f.sha256})


def add_sectors(kg: KnowledgeGraph, cd: CuratedData) -> None:
    """Every sector of the vocabulary becomes a Sector node (a SKOS concept)."""
    for s in cd.sectors.entries:
        kg.add_node(sector_iri(s["key"]), C.Sector,
                    {D.name: s["name"], D.nameEn: s.get("name_en"), D.alias: list(s.get("aliases") or [])})
    for s in cd.sectors.entries:
        if s.get("broader"):
            kg.add_edge(sector_iri(s["key"]), P.broaderSector, sector_iri(s["broader"]))


def enrich(kg: KnowledgeGraph, cd: CuratedData) -> None:
    """Add curated facts about the organisations and models already in ``kg``, and about
    the organisations those facts name (parents, developers), with curated evidence; link
    model versions to their families; then what names say (kinds, units' parents), with
    evidence of basis ``name-grammar``.

    The build calls this once, after every source has been read and merged.
    """
    add_sources(kg, cd)
    add_sectors(kg, cd)
    fams = {m["name"]: m for m in cd.models.entries if m.get("kind") == "family"}
    add_families(kg, Families({name: m.get("aliases") or [] for name, m in fams.items()}),
                 {m["name"]: m["family"] for m in cd.models.entries if m.get("family")},
                 {name: _evidence(cd.models, name, "kind: family", m) for name, m in fams.items()})
    todo = [n.name for n in kg.of_class(C.Organisation) if n.props.get(D.name) in cd.org_by_name]
    for n in list(kg.of_class(C.AIModel)):
        m = cd.model_by_name.get(n.props.get(D.name, ""))
        if m is None:
            continue
        f = cd.models
        if m.get("name_en") or m.get("aliases"):
            kg.add_node(n.id, C.AIModel, {D.nameEn: m.get("name_en"), D.alias: list(m.get("aliases") or [])},
                        _evidence(f, m["name"], f"- name: {m['name']}", m))
        if m.get("developer"):
            todo.append(m["developer"])
            dev = cd.org_by_name[m["developer"]]
            kg.add_node(org_iri(dev["name"]), C.Organisation, {D.name: dev["name"]},
                        _evidence(cd.organisations, dev["name"], f"- name: {dev['name']}", dev))
            kg.add_edge(n.id, P.developedBy, org_iri(m["developer"]),
                        _evidence(f, m["name"], f"developer: {m['developer']}", m))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        o = cd.org_by_name[name]
        f = cd.organisations
        iri = org_iri(name)
        props: dict[str, Any] = {D.name: name, D.nameEn: o.get("name_en"), D.alias: list(o.get("aliases") or [])}
        kg.add_node(iri, C.Organisation, props, _evidence(f, name, f"- name: {name}", o))
        if o.get("kind"):
            kg.add_node(iri, o["kind"], None, _evidence(f, name, f"kind: {o['kind']}", o))
        if o.get("parent"):
            parent = cd.org_by_name[o["parent"]]
            kg.add_node(org_iri(parent["name"]), C.Organisation, {D.name: parent["name"]},
                        _evidence(f, parent["name"], f"- name: {parent['name']}", parent))
            kg.add_edge(iri, P.parentOrganisation, org_iri(o["parent"]), _evidence(f, name, f"parent: {o['parent']}", o))
            todo.append(o["parent"])
        prop = P.investmentFocus if o.get("kind") in investor_kinds() else P.inSector
        for s in o.get("sectors") or []:
            kg.add_edge(iri, prop, sector_iri(s), _evidence(f, name, f"sectors: [{', '.join(o['sectors'])}]", o))
    add_name_grammar(kg, cd.org_by_name, untyped=[o["name"] for o in cd.organisations.entries
                                                  if "kind" in o and o["kind"] is None])
    add_pinyin(kg)  # last: every entity that came from any source or from curated data
