"""Loading a plan (:mod:`.neo4j_write`) into Neo4j, writing only what changed.

One load:

1. creates the constraints and indexes (``IF NOT EXISTS``);
2. reads the load state (a node ``:EcoKGLoad``, outside the ecokg namespace) and, per root label,
   the count and sums of the content hashes of the ecokg nodes there: a root label whose figures
   equal the plan's holds exactly the plan's nodes; for the others it reads the ids and hashes;
3. sorts the plan's nodes into *new* (not in the database: ``CREATE``, and ``CREATE`` of their
   relationships), *changed* (the hash differs or is missing: ``MERGE``, owned properties set or
   removed where they differ, labels put right, relationships of ecokg's types that the node no
   longer has deleted and the others merged) and *unchanged* (same hash: nothing is sent), and
   finds the ecokg nodes the plan no longer has (*removed*: their ecokg relationships are deleted,
   then the node, unless a relationship of the user's still touches it: then it is *kept*);
4. writes, in batches, each in its own managed transaction.

Hashes are trusted only when the load state says the last load completed: a load marks it
``running`` before its first write and ``complete`` after its last, so after a load that died
half-way (some hashes written, some relationships not) the next load checks every node (as
``full=True`` does on request). A load that finds nothing to change writes nothing at all.

What the hash cannot see: a change made by hand to a property or relationship ecokg owns (``SET
n.name = 'x'``, deleting one of ecokg's relationships). ``full=True`` (``ecokg load neo4j --full``,
and :meth:`Neo4jStore.write` of a model) compares every value, as every load did before hashes,
and puts those back.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import AbstractSet, Any

from ecokg.graph.stores.base import Progress, WriteReport, no_progress
from ecokg.graph.stores.neo4j_write import (
    HASH,
    LOW,
    EdgeGroup,
    WritePlan,
    all_labels,
    batches,
    checksum_cypher,
    create_edges_cypher,
    create_nodes_cypher,
    edge_cypher,
    hashes_cypher,
    node_cypher,
    present_cypher,
    prune_cypher,
    remove_cypher,
    unlink_cypher,
)
from ecokg.ontology import ID_NS
from ecokg.ontology.neo4j import constraint_statements, index_statements, search_index_statement
from ecokg.ontology.schema import Schema, get_schema

#: The label of the one node that holds the load state (its ``key`` is :data:`STATE_KEY`).
STATE_LABEL = "EcoKGLoad"
STATE_KEY = "ecokg"
COUNTERS = ("nodes_created", "relationships_created", "properties_set", "labels_added")
REMOVALS = ("nodes_deleted", "relationships_deleted", "labels_removed")


@dataclass
class LoadReport:
    """What a load did: the nodes it created, changed, left alone, verified (sent although their
    hash was the same), removed and kept (ids), and the server's counters (``report.details``:
    created, set, added; ``removals``: deleted, removed)."""

    report: WriteReport
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    verified: int = 0  # nodes sent with MERGE although their hash was the same (full, or hashes untrusted)
    sent: int = 0  # rows sent to the server (nodes, relationships, deletions)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removals: dict[str, int] = field(default_factory=dict)
    checked_all: bool = False  # every node was compared (full, or the last load did not complete)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase
    answers: dict[str, Any] = field(default_factory=dict)  # what became of the build's answers (neo4j_answers)

    def summary(self) -> dict[str, Any]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged,
                "verified": self.verified, "rows_sent": self.sent,
                "removed": len(self.removed), "kept": len(self.kept), "checked_all": self.checked_all,
                **self.removals}


def ecokg_types(schema: Schema) -> list[str]:
    """The relationship types ecokg writes: one per object property of the ontology."""
    return sorted(schema.rel_type(p) for p in schema.object_properties)


def schema_statements(schema: Schema) -> list[str]:
    return [*constraint_statements(schema), *index_statements(schema), search_index_statement(schema)]


def state_cypher() -> str:
    return f"MATCH (m:{STATE_LABEL} {{key: $key}}) RETURN m.state AS state"


def set_state_cypher() -> str:
    return f"MERGE (m:{STATE_LABEL} {{key: $key}}) SET m.state = $state, m.digest = $digest, m.at = datetime()"


def drop_state_cypher() -> str:
    return f"MATCH (m:{STATE_LABEL} {{key: $key}}) DELETE m"


@dataclass
class Diff:
    """The plan against the database: per node group, the positions of new nodes, of changed ones
    and of those whose hash is the same but not trusted (written like changed ones); the ids of
    ecokg nodes to remove, by root label."""

    new: list[list[int]]
    changed: list[list[int]]
    verify: list[list[int]]
    unchanged: int
    gone: dict[str, list[str]]

    def merged(self) -> list[list[int]]:
        """Per group, the positions of the nodes written with MERGE (changed, or to verify)."""
        return [sorted(c + v) for c, v in zip(self.changed, self.verify)]

    def empty(self) -> bool:
        return not any(self.new) and not any(self.merged()) and not any(self.gone.values())


def compare(p: WritePlan, stored: dict[str, dict[str, int]], trusted: bool,
            same: AbstractSet[str] = frozenset()) -> Diff:
    """Sort the plan's nodes by what the database holds: ``stored`` maps a root label to the ids
    and hashes of the ecokg nodes under it; the root labels in ``same`` hold exactly the plan's
    nodes (their checksums are equal), and are not in ``stored``. Untrusted hashes make every
    stored node one to verify. A node stored under another root label than the plan's (its class
    changed root) is removed there and created anew."""
    new: list[list[int]] = []
    changed: list[list[int]] = []
    verify: list[list[int]] = []
    unchanged = 0
    planned: set[str] = set()
    moved: dict[str, list[str]] = defaultdict(list)
    for g in p.nodes:
        planned.update(g.ids)
        if g.root in same:
            unchanged += len(g.ids)
            new.append([])
            changed.append([])
            verify.append([])
            continue
        have = stored.get(g.root, {})
        n: list[int] = []
        c: list[int] = []
        v: list[int] = []
        for i, (node_id, h) in enumerate(zip(g.ids, g.hashes)):
            old = have.get(node_id)
            if old is None:
                n.append(i)
                moved_from = [r for r, ids in stored.items() if r != g.root and node_id in ids]
                for r in moved_from:
                    moved[r].append(node_id)
            elif old == h:
                if trusted:
                    unchanged += 1
                else:
                    v.append(i)
            else:
                c.append(i)
        new.append(n)
        changed.append(c)
        verify.append(v)
    gone = {root: sorted({i for i in have if i not in planned} | set(moved.get(root, ())))
            for root, have in stored.items()}
    return Diff(new, changed, verify, unchanged, {r: ids for r, ids in gone.items() if ids})


class Loader:
    """One load of ``plan`` through ``session`` (a Neo4j driver session)."""

    def __init__(self, session: Any, plan: WritePlan, *, full: bool = False, batch: int = 1000,
                 progress: Progress = no_progress, schema: Schema | None = None) -> None:
        self.session = session
        self.plan = plan
        self.full = full
        self.batch = batch
        self.progress = progress
        self.schema = schema or get_schema()
        self.types = ecokg_types(self.schema)
        self.counters: dict[str, int] = dict.fromkeys(COUNTERS, 0)
        self.removals: dict[str, int] = dict.fromkeys(REMOVALS, 0)
        self.done = 0
        self.total = 0
        self.phases: dict[str, float] = {}  # seconds per phase of the load
        self._t = 0.0

    # -- talking to the server -------------------------------------------------------------------
    def _read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        return [r.data() for r in self.session.run(cypher, params)]

    def _write(self, cypher: str, rows: list[Any], count: bool = True, **params: Any) -> None:
        def work(tx: Any) -> Any:
            return tx.run(cypher, rows=rows, **params).consume().counters

        c = self.session.execute_write(work)
        for name in COUNTERS:
            self.counters[name] += getattr(c, name)
        for name in REMOVALS:
            self.removals[name] += getattr(c, name)
        if count:
            self.done += len(rows)
            self.progress(self.done, self.total)

    def _state(self, state: str) -> None:
        digest = self.plan.digest if state == "complete" else None
        self.session.execute_write(lambda tx: tx.run(set_state_cypher(), key=STATE_KEY, state=state,
                                                     digest=digest).consume())

    # -- the load --------------------------------------------------------------------------------
    def stored(self, trusted: bool) -> tuple[dict[str, dict[str, int]], set[str]]:
        """The ids and hashes of the ecokg nodes in the database by root label, and the root labels
        that hold exactly the plan's nodes (trusted hashes whose checksums equal the plan's: their
        ids and hashes are not read)."""
        expected = self.plan.checksums()
        out: dict[str, dict[str, int]] = {}
        same: set[str] = set()
        for root in self.schema.root_classes():
            row = self._read(checksum_cypher(root), ns=ID_NS, low=LOW)[0]
            if row["nodes"] == 0:
                continue
            if trusted and row["unhashed"] == 0 and \
                    (row["nodes"], row["low"], row["high"]) == expected.get(root, (0, 0, 0)):
                same.add(root)
                continue
            ids = self._read(hashes_cypher(root), ns=ID_NS)[0]
            out[root] = dict(zip(ids["ids"], ids["hashes"]))
        return out, same

    def _lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(self.phases.get(phase, 0.0) + now - self._t, 3)
        self._t = now

    def run(self) -> LoadReport:
        self._t = time.perf_counter()
        for stmt in schema_statements(self.schema):
            self.session.run(stmt).consume()
        # a new index fills from existing nodes in the background; later writes update it in their
        # own transactions (not eventually consistent), so wait only here
        self.session.run("CALL db.awaitIndexes(300)").consume()
        self._lap("schema")
        state = self._read(state_cypher(), key=STATE_KEY)
        trusted = not self.full and bool(state) and state[0]["state"] == "complete"
        stored, same = self.stored(trusted)
        self._lap("read hashes")
        diff = compare(self.plan, stored, trusted, same)
        new = [g.ids[i] for g, idx in zip(self.plan.nodes, diff.new) for i in idx]
        changed = [g.ids[i] for g, idx in zip(self.plan.nodes, diff.changed) for i in idx]
        merged = [g.ids[i] for g, idx in zip(self.plan.nodes, diff.merged()) for i in idx]
        report = LoadReport(WriteReport(self.plan.size, 0, dict(self.counters)), new, changed, diff.unchanged,
                            verified=len(merged) - len(changed), checked_all=not trusted, phases=self.phases)
        self._lap("compare")
        if diff.empty():
            self.progress(0, 0)
            return report
        self.plan.read_props()
        edges = self._edge_work(set(new), set(merged))
        prune = self._prune_rows(diff)
        self._lap("read rows")
        gone = sum(len(v) for v in diff.gone.values())
        self.total = (len(new) + len(merged) + sum(len(idx) for _, _, idx in edges)
                      + sum(len(r) for _, r in prune) + 2 * gone)
        self.progress(0, self.total)
        self._state("running")
        kept = self._remove(diff.gone)
        self._lap("remove")
        self._nodes(diff)
        self._lap("nodes")
        for cypher, rows in prune:
            for chunk in batches(rows, self.batch):
                self._write(cypher, chunk, types=self.types, ns=ID_NS)
        self._lap("prune")
        for cypher, group, idx in edges:
            for chunk in batches(idx, self.batch):
                self._write(cypher, [group.row(i) for i in chunk])
        self._lap("relationships")
        self._state("complete")
        report.removed = sorted({i for ids in diff.gone.values() for i in ids} - set(kept))
        report.kept = kept
        report.removals = dict(self.removals)
        report.sent = self.done
        report.report = WriteReport(self.plan.size, sum(self.counters.values()) + sum(self.removals.values()),
                                    dict(self.counters))
        return report

    def _remove(self, gone: dict[str, list[str]]) -> list[str]:
        """Delete the ecokg relationships of the nodes the plan no longer has, then those nodes that
        nothing else touches; the ids of the ones kept (a user's relationship touches them)."""
        kept: list[str] = []
        for root, ids in gone.items():
            for chunk in batches(ids, self.batch):
                self._write(unlink_cypher(root), chunk, types=self.types, ns=ID_NS)
            for chunk in batches(ids, self.batch):
                self._write(remove_cypher(root), chunk)
            kept += self._read(present_cypher(root), rows=ids)[0]["ids"]
        return sorted(kept)

    def _nodes(self, diff: Diff) -> None:
        every = all_labels(self.schema)
        for g, new, changed in zip(self.plan.nodes, diff.new, diff.merged()):
            if new:
                cypher = create_nodes_cypher(g.root, g.labels)
                for chunk in batches(new, self.batch):
                    self._write(cypher, [g.node_props(i) for i in chunk])
            if changed:
                stale = tuple(lb for lb in every if lb not in g.labels)
                cypher = node_cypher(g.root, g.labels, stale)
                for chunk in batches(changed, self.batch):
                    self._write(cypher, [g.row(i) for i in chunk], owned=self.plan.owned)

    def _edge_work(self, new: set[str], changed: set[str]) -> list[tuple[str, EdgeGroup, list[int]]]:
        """(Cypher, group, rows) of the relationships from or to new nodes (CREATE: none of theirs
        exists; a node deleted by hand gets back the relationships of unchanged nodes into it too)
        and from changed ones (MERGE)."""
        work = []
        for g in self.plan.edges():
            created = [i for i, (s, t) in enumerate(zip(g.sources, g.targets)) if s in new or t in new] if new else []
            merged = [i for i, (s, t) in enumerate(zip(g.sources, g.targets))
                      if s in changed and t not in new] if changed else []
            if created:
                work.append((create_edges_cypher(g.type, g.src, g.dst, g.evidence is not None), g, created))
            if merged:
                work.append((edge_cypher(g.type, g.src, g.dst), g, merged))
        return work

    def _prune_rows(self, diff: Diff) -> list[tuple[str, list[dict[str, Any]]]]:
        """(Cypher, rows) deleting the relationships changed nodes no longer have."""
        changed = {g.ids[i]: g.root for g, idx in zip(self.plan.nodes, diff.merged()) for i in idx}
        if not changed:
            return []
        keep: dict[str, list[str]] = {i: [] for i in changed}
        for g in self.plan.edges():
            for s, t in zip(g.sources, g.targets):
                if s in keep:
                    keep[s].append(f"{g.type} {t}")
        by_root: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node_id, root in changed.items():
            by_root[root].append({"id": node_id, "keep": keep[node_id]})
        return [(prune_cypher(root), rows) for root, rows in by_root.items()]


__all__ = ["HASH", "LoadReport", "Loader", "STATE_LABEL", "compare", "ecokg_types", "schema_statements"]
