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
and line (a JSON file: the row's number); nothing is loaded from a file with a bad row. Bad
rows: an unknown column or sector, more fields than the header, an empty investor, a date
that is not a real ``YYYY-MM-DD`` day, a field over :data:`FIELD_MAX` characters, a JSON
value that is an object or a list. Names are cleaned (:func:`~ecokg.loaders.resolve.clean_name`:
NFKC, no zero-width or control characters) and resolved like every source's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.loaders.base import read_bytes_limited
from ecokg.loaders.curated import CuratedData
from ecokg.loaders.resolve import clean_name
from ecokg.ontology.errors import LoaderError
from ecokg.ontology.iris import entity_iri, org_iri, sector_iri, source_iri
from ecokg.ontology.terms import C, D, P

BASIS = "user-data"

_EXTRA = "\x00extra"  # the key of fields beyond the header's (csv restkey)
FIELDS = ("investor", "company", "round", "date", "amount", "sector", "source")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
#: The longest field a deal row may have, in characters (a name, a round, a source note).
FIELD_MAX = 10_000
_JSON_SCALARS = (str, int, float)


def _json_row(path: Path, i: int, r: dict[str, Any]) -> dict[str, str]:
    """One JSON object as a row of text values; objects and lists where text is expected are refused."""
    row = {}
    for k, v in r.items():
        if isinstance(v, bool) or not (v is None or isinstance(v, _JSON_SCALARS)):
            what = "an object" if isinstance(v, dict) else "a list" if isinstance(v, list) else type(v).__name__
            raise LoaderError(f"row {i}: {k!r} is {what}; expected text or a number", str(path))
        row[k] = "" if v is None else str(v)
    return row


def _valid_date(text: str) -> bool:
    """Is ``text`` a real day written ``YYYY-MM-DD`` (not 2024-13-45)?"""
    if not DATE_RE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _rows(path: Path, raw: str) -> list[tuple[int, dict[str, str], str]]:
    """(line, row, text of the row) for CSV or JSON."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as e:
            raise LoaderError(f"not valid JSON: {e.msg}", str(path), e.lineno) from e
        except RecursionError as e:
            raise LoaderError("not valid JSON: nested too deeply", str(path)) from e
        if not isinstance(data, list):
            raise LoaderError("expected a JSON list of objects", str(path))
        out_json = []
        for i, r in enumerate(data, start=1):
            if not isinstance(r, dict):
                raise LoaderError(f"row {i} is not a JSON object; expected a JSON list of objects", str(path))
            out_json.append((i, _json_row(path, i, r), json.dumps(r, ensure_ascii=False)))
        return out_json
    lines = raw.splitlines()
    reader = csv.DictReader(io.StringIO(raw), restkey=_EXTRA)
    out = []
    last = 0  # the line the last good record ended on: an error is in the record after it
    try:
        missing = [f for f in ("investor",) if f not in (reader.fieldnames or [])]
        if missing:
            raise LoaderError(f"the header lacks the column(s) {', '.join(missing)}; expected {', '.join(FIELDS)}",
                              str(path), 1)
        last = reader.line_num
        for row in reader:
            line = last = reader.line_num
            extra = row.pop(_EXTRA, None)
            if extra:
                raise LoaderError(f"the row has {len(reader.fieldnames or []) + len(extra)} fields, the header "
                                  f"{len(reader.fieldnames or [])}: extra field(s) {extra!r:.200}", str(path), line)
            out.append((line, {k: (v or "").strip() for k, v in row.items() if k},
                        lines[line - 1] if line <= len(lines) else ""))
    except csv.Error as e:
        raise LoaderError(f"not valid CSV: {e} (fields are at most {FIELD_MAX} characters)", str(path),
                          last + 1) from e
    return out


def read_deals(path: Path, curated: CuratedData) -> KnowledgeGraph:
    """The deals of ``path`` as a graph: one ``Investment`` per row, with its evidence."""
    path = Path(path)
    raw_bytes = read_bytes_limited(path)
    try:
        raw = raw_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LoaderError(f"not UTF-8 text (byte {e.start})", str(path)) from e
    gaz = curated.gazetteer()
    resolver = curated.resolver()
    sha = hashlib.sha256(raw_bytes).hexdigest()
    src = source_iri(sha)
    pending: list[tuple[dict[str, Any], Evidence]] = []
    for line, row, text in _rows(path, raw):
        unknown = set(row) - set(FIELDS)
        if unknown:
            raise LoaderError(f"unknown column(s) {', '.join(sorted(unknown))[:200]}; expected {', '.join(FIELDS)}",
                              str(path), line)
        long = next((k for k, v in row.items() if len(v) > FIELD_MAX), None)
        if long:
            raise LoaderError(f"the field {long!r} has {len(row[long])} characters, more than {FIELD_MAX}",
                              str(path), line)
        for k in ("investor", "company", "sector"):
            if row.get(k):
                row[k] = clean_name(row[k])
        if not row.get("investor"):
            raise LoaderError("the investor is empty", str(path), line)
        if not row.get("company") and not row.get("sector"):
            raise LoaderError("a deal names a company, a sector, or both", str(path), line)
        if row.get("date") and not _valid_date(row["date"]):
            raise LoaderError(f"date {row['date'][:40]!r} is not YYYY-MM-DD or not a real day", str(path), line)
        sector = None
        if row.get("sector"):
            s = row["sector"]
            sector = s if s in curated.sector_by_key else gaz.sectors.get(s)
            if sector is None:
                raise LoaderError(f"unknown sector {s[:80]!r} (use a key, name or alias of sectors.yaml)", str(path),
                                  line)
        row["sector"] = sector or ""
        note = row.get("source") or "user deal data"
        pending.append((row, Evidence(source=src, quote=text or json.dumps(row, ensure_ascii=False),
                                      basis=BASIS, line=line, note=note)))
    kg = KnowledgeGraph()
    kg.add_node(src, C.SourceDocument, {D.fileName: path.name, D.sha256: sha})
    for row, ev in pending:
        investor = resolver.org(row["investor"], path.name, ev.line)
        kg.add_node(org_iri(investor), C.Organisation, {D.name: investor}, ev)
        iri = entity_iri("investment", investor, row.get("company"), row.get("round"), row.get("date"), row.get("sector"))
        props = {D.round: row.get("round") or None, D.date: row.get("date") or None, D.amount: row.get("amount") or None}
        kg.add_node(iri, C.Investment, props, ev)
        kg.add_edge(iri, P.investor, org_iri(investor))
        if row.get("company"):
            company = resolver.org(row["company"], path.name, ev.line)
            kg.add_node(org_iri(company), C.Organisation, {D.name: company}, ev)
            kg.add_edge(iri, P.investee, org_iri(company))
        if row["sector"]:
            kg.add_edge(iri, P.investmentSector, sector_iri(row["sector"]))
    return kg
