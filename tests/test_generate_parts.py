"""The synthetic generator's parts (issue 13): ``generate_parts`` keeps the contract of a build from
parts (every node and every edge in exactly one part, complete; merged in order, the parts make
``generate``'s graph), cuts parts at the size asked, is deterministic per seed, and ranks every
benchmark result within its month and board from all their scores."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from ecokg.graph.model import KnowledgeGraph
from ecokg.ontology.terms import C, D, P

# (entities, seed, part_nodes): tiny parts put most edges in another part than one of their nodes;
# part_nodes=1 makes every unit (an entity with what only it has) a part of its own
CUTS = [(100, 7, 1), (300, 3, 40), (2000, 11, 500), (2000, 3, 1500)]


def _iterate(generate: Any, entities: int, seed: int, part_nodes: int) -> tuple[list[KnowledgeGraph], KnowledgeGraph]:
    """The parts, and the graph merged from them as they come (so that a part changed after it was
    handed over would not count)."""
    parts, merged = [], KnowledgeGraph()
    for part in generate.generate_parts(entities, seed, part_nodes):
        merged.merge(part)
        parts.append(part)
    return parts, merged


@pytest.mark.parametrize("entities,seed,part_nodes", CUTS)
def test_the_parts_keep_the_contract(generate: Any, entities: int, seed: int, part_nodes: int) -> None:
    parts, merged = _iterate(generate, entities, seed, part_nodes)
    node_part: dict[str, int] = {}
    edge_part: dict[tuple[str, str, str], int] = {}
    for k, part in enumerate(parts):
        assert part.nodes or part.edges, f"part {k} is empty"
        for node_id, node in part.nodes.items():
            assert node_id not in node_part, f"{node_id} in parts {node_part[node_id]} and {k}"
            assert node.classes, node_id
            node_part[node_id] = k
        for key in part.edges:
            assert key not in edge_part, f"{key} in parts {edge_part[key]} and {k}"
            edge_part[key] = k
    apart = 0
    for (source, _prop, target), k in edge_part.items():
        assert source in node_part and target in node_part, (source, target)
        apart += node_part[source] != k or node_part[target] != k
    assert len(parts) > 1 and apart, "the cut puts edges in other parts than their nodes"
    # the graph the parts make is generate's, nodes and edges with all their evidence
    assert merged.canonical() == generate.generate(entities, seed).canonical()


@pytest.mark.parametrize("entities,seed,part_nodes", CUTS)
def test_parts_are_cut_at_the_size_asked(generate: Any, entities: int, seed: int, part_nodes: int) -> None:
    """Every part but the last ends at the first unit's end that takes it to ``part_nodes``: so it
    holds at least that, and at most ``PART_SLACK`` more (the rest of the unit)."""
    sizes = [len(p.nodes) for p in generate.generate_parts(entities, seed, part_nodes)]
    assert all(part_nodes <= n <= part_nodes + generate.PART_SLACK for n in sizes[:-1]), sizes
    assert 0 <= sizes[-1] <= part_nodes + generate.PART_SLACK
    total = len(generate.generate(entities, seed).nodes)
    assert sum(sizes) == total and len(sizes) >= total // (part_nodes + generate.PART_SLACK)


def test_the_largest_unit_is_what_the_slack_allows(generate: Any) -> None:
    """With one-node parts each part is a unit: the largest (a person with posts, memberships and
    an alliance role) is ``PART_SLACK`` + 1 nodes at most, and at 2,000 entities one reaches it or
    comes within a node of it."""
    sizes = [len(p.nodes) for p in generate.generate_parts(2000, 7, 1)]
    assert generate.PART_SLACK <= max(sizes) <= generate.PART_SLACK + 1


def test_generate_is_one_part(generate: Any) -> None:
    (whole,) = generate.generate_parts(300, 3, 10**9)
    assert whole.canonical() == generate.generate(300, 3).canonical()
    assert len(whole.nodes) > 300  # entities, and the posts, memberships, results... on top


def test_the_same_seed_gives_the_same_parts(generate: Any) -> None:
    a = [p.canonical() for p in generate.generate_parts(2000, 5, 700)]
    b = [p.canonical() for p in generate.generate_parts(2000, 5, 700)]
    assert a == b and len(a) > 1
    other = KnowledgeGraph()
    for p in generate.generate_parts(2000, 6, 700):
        other.merge(p)
    merged = KnowledgeGraph()
    for p in generate.generate_parts(2000, 5, 700):
        merged.merge(p)
    assert other.canonical() != merged.canonical()


def test_the_parts_make_the_planned_entities(generate: Any) -> None:
    """The named entities are the plan's, named by index (人0 ... 机构0 ... 模型0 ...)."""
    entities = 2000
    plan = generate.plan(entities)
    kg = KnowledgeGraph()
    for p in generate.generate_parts(entities, 11, 300):
        kg.merge(p)

    def names(cls: str) -> set[str]:
        return {n.name for n in kg.nodes.values() if cls in n.classes}

    assert names(C.Person) == {f"人{i}" for i in range(plan["people"])}
    orgs = set().union(*(names(k) for k, _ in generate.ORG_KINDS))
    assert orgs == {f"机构{i}" for i in range(plan["organisations"])}
    assert names(C.AIModel) == {f"模型{i}" for i in range(plan["models"])}
    assert names(C.ModelFamily) == {f"系列{i}" for i in range(plan["families"])}
    assert names(C.Sector) == {f"行业{i}" for i in range(plan["sectors"])}
    assert names(C.Trend) == {f"趋势{i}" for i in range(plan["trends"])}
    assert names(C.ExpertGroup) == {f"组{i}" for i in range(plan["groups"])}
    assert names(C.Place) == {f"省{i}" for i in range(plan["provinces"])} | {f"市{i}" for i in range(plan["cities"])}
    assert names(C.IndustryAlliance) == {"联盟0"} and names(C.Benchmark) == {"基准0"}
    # evidence on every entity, membership and evidenced relation
    for n in kg.nodes.values():
        if not n.classes & {C.Sector, C.Report, C.SourceDocument}:
            assert n.evidence, n.id
    for e in kg.edges.values():
        assert bool(e.evidence) == kg.schema.is_evidenced(e.prop), e


@pytest.mark.parametrize("seed", [3, 11])
def test_ranks_are_those_of_the_scores_of_each_month_and_board(generate: Any, seed: int) -> None:
    """A result's rank is its place among all the scores of its month and board, highest first
    (equal scores in the order of the models' numbers), though the results come in many parts."""
    kg = KnowledgeGraph()
    for p in generate.generate_parts(2000, seed, 200):
        kg.merge(p)
    rows: dict[tuple[str, str], list[tuple[Any, int, int]]] = defaultdict(list)
    for r in kg.of_class(C.BenchmarkResult):
        (model,) = [e.target for e in kg.out_edges(r.id, P.forModel)]
        number = int(kg.nodes[model].name.removeprefix("模型"))
        rows[(r.props[D.assessedIn], r.props[D.board])].append((r.props[D.score], number, r.props[D.rank]))
    assert len(rows) > 6 and sum(map(len, rows.values())) > 200  # months and boards, many results
    for key, results in rows.items():
        ordered = sorted(results, key=lambda row: (-row[0], row[1]))
        assert [rank for _s, _m, rank in ordered] == list(range(1, len(results) + 1)), key
