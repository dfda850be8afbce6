"""User deal data: who invested in which company, in which round, when, how much, in which sector.

Format (CSV with a header row, or a JSON list of objects with the same keys)::

    investor,company,round,date,amount,sector,source
    阿里巴巴,月之暗面,,,,large-models,"public press reports, 2024: ..."

- ``investor`` (required) and ``company`` name organisations; known names and aliases
  resolve to the graph's organisations (阿里 -> 阿里巴巴), others become new organisations;
- ``round``, ``amount`` are kept as written; ``date`` is ``YYYY-MM-DD`` when given;
- ``sector`` is a key, name or alias of ``data/sectors.yaml`` (optional if ``company`` is given);
- ``source`` says where the row comes from; it becomes the evidence's basis note.

Every row becomes an ``eco:Investment`` whose evidence has basis ``user-data``, the file,
the row's line and the row's text. A bad row raises :class:`LoaderError` naming the file
and line; nothing is loaded from a file with a bad row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.loaders.curated import CuratedData
from ecokg.ontology.errors import LoaderError
from ecokg.ontology.iris import entity_iri, org_iri, sector_iri, source_iri
from ecokg.ontology.terms import C, D, P

BASIS = "user-data"

FIELDS = ("investor", "company", "round", "date", "amount", "sector", "source")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _rows(path: Path, raw: str) -> list[tuple[int, dict[str, str], str]]:
    """(line, row, text of the row) for CSV or JSON."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise LoaderError(f"not valid JSON: {e.msg}", str(path), e.lineno) from e
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise LoaderError("expected a JSON list of objects", str(path))
        return [(i, {k: "" if v is None else str(v) for k, v in r.items()}, json.dumps(r, ensure_ascii=False))
                for i, r in enumerate(data, start=1)]
    lines = raw.splitlines()
    reader = csv.DictReader(io.StringIO(raw))
    missing = [f for f in ("investor",) if f not in (reader.fieldnames or [])]
    if missing:
        raise LoaderError(f"the header lacks the column(s) {', '.join(missing)}; expected {', '.join(FIELDS)}",
                          str(path), 1)
    out = []
    for row in reader:
        line = reader.line_num
        out.append((line, {k: (v or "").strip() for k, v in row.items() if k}, lines[line - 1] if line <= len(lines) else ""))
    return out


def read_deals(path: Path, curated: CuratedData) -> KnowledgeGraph:
    """The deals of ``path`` as a graph: one ``Investment`` per row, with its evidence."""
    path = Path(path)
    try:
        raw_bytes = path.read_bytes()
        raw = raw_bytes.decode("utf-8-sig")
    except FileNotFoundError as e:
        raise LoaderError("deal file not found", str(path)) from e
    except UnicodeDecodeError as e:
        raise LoaderError("not UTF-8 text", str(path)) from e
    gaz = curated.gazetteer()
    sha = hashlib.sha256(raw_bytes).hexdigest()
    src = source_iri(sha)
    pending: list[tuple[dict[str, Any], Evidence]] = []
    for line, row, text in _rows(path, raw):
        unknown = set(row) - set(FIELDS)
        if unknown:
            raise LoaderError(f"unknown column(s) {', '.join(sorted(unknown))}; expected {', '.join(FIELDS)}",
                              str(path), line)
        if not row.get("investor"):
            raise LoaderError("the investor is empty", str(path), line)
        if not row.get("company") and not row.get("sector"):
            raise LoaderError("a deal names a company, a sector, or both", str(path), line)
        if row.get("date") and not DATE_RE.match(row["date"]):
            raise LoaderError(f"date {row['date']!r} is not YYYY-MM-DD", str(path), line)
        sector = None
        if row.get("sector"):
            s = row["sector"]
            sector = s if s in curated.sector_by_key else gaz.sectors.get(s)
            if sector is None:
                raise LoaderError(f"unknown sector {s!r} (use a key, name or alias of sectors.yaml)", str(path), line)
        row["sector"] = sector or ""
        note = row.get("source") or "user deal data"
        pending.append((row, Evidence(source=src, quote=text or json.dumps(row, ensure_ascii=False),
                                      basis=BASIS, line=line, note=note)))
    kg = KnowledgeGraph()
    kg.add_node(src, C.SourceDocument, {D.fileName: path.name, D.sha256: sha})
    for row, ev in pending:
        investor = gaz.canonical_org(row["investor"]) or row["investor"]
        kg.add_node(org_iri(investor), C.Organisation, {D.name: investor}, ev)
        iri = entity_iri("investment", investor, row.get("company"), row.get("round"), row.get("date"), row.get("sector"))
        props = {D.round: row.get("round") or None, D.date: row.get("date") or None, D.amount: row.get("amount") or None}
        kg.add_node(iri, C.Investment, props, ev)
        kg.add_edge(iri, P.investor, org_iri(investor))
        if row.get("company"):
            company = gaz.canonical_org(row["company"]) or row["company"]
            kg.add_node(org_iri(company), C.Organisation, {D.name: company}, ev)
            kg.add_edge(iri, P.investee, org_iri(company))
        if row["sector"]:
            kg.add_edge(iri, P.investmentSector, sector_iri(row["sector"]))
    return kg
