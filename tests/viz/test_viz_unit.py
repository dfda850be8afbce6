"""ecokg.viz without a browser: selection, caps, escaping, assets, offline HTML."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from ecokg.viz.assets import load_vis_assets, pyvis_lib_dir
from ecokg.viz.escape import html_text, script_json
from pyvis.network import Network
from viz_graphs import (
    INJECTIONS,
    ecosystem_graph,
    injection_graph,
    iri,
    scale_graph,
    undirected_shortest_path_nodes,
)
from viz_pages import parse_tags, payload, read_html

from ecokg import viz


def test_vis_assets_come_from_installed_pyvis() -> None:
    assets = load_vis_assets()
    assert assets.js_path.is_relative_to(pyvis_lib_dir())
    assert assets.css_path.is_relative_to(pyvis_lib_dir())
    assert assets.version == "9.1.2"
    assert "</script" not in assets.js.lower()
    assert "<!--" not in assets.js
    assert len(assets.js) > 100_000


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(2)</script>",
        "<!-- a & b > c -->",
        "line\u2028sep\u2029para",
        {"k<": ["&amp;", 1, 2.5, True, None]},
    ],
)
def test_script_json_escapes_and_round_trips(value: object) -> None:
    text = script_json(value)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == value


def test_html_text_escapes_quotes() -> None:
    assert html_text('" onmouseover="alert(3)') == "&quot; onmouseover=&quot;alert(3)"
    assert html_text("<img src=x>") == "&lt;img src=x&gt;"


def _written(tmp_path: Path) -> dict[str, viz.ViewResult]:
    G = ecosystem_graph()
    return {
        "overview": viz.overview(G, tmp_path / "overview.html"),
        "ego": viz.ego(G, iri("aliyun"), tmp_path / "ego.html", hops=2),
        "path": viz.path_view(
            G, [[iri("hongshan"), iri("inv-1"), iri("startup"), iri("sector-ai")]], tmp_path / "path.html"
        ),
        "investors_sectors": viz.investors_sectors(G, tmp_path / "investors.html"),
    }


def test_pages_are_self_contained_utf8(tmp_path: Path) -> None:
    for name, result in _written(tmp_path).items():
        text = read_html(result.path)  # strict UTF-8 decode
        assert '<meta charset="utf-8">' in text, name
        tags = parse_tags(result.path)
        for tag, attrs in tags.tags:
            assert not (tag == "script" and attrs.get("src")), (name, attrs)
            assert tag != "link", (name, attrs)
            for value in attrs.values():
                assert not (value or "").lower().startswith(("http:", "https:", "//")), (name, tag, attrs)
        assert "cdn.jsdelivr" not in text and "cdnjs" not in text and "bootstrap" not in text.lower()


def test_only_the_pages_own_scripts_may_run(tmp_path: Path) -> None:
    """The policy lists the hash of each inline script of the page and allows no other script:
    no 'unsafe-inline', so markup injected into a page could not run."""
    import base64
    import hashlib
    import re

    for name, result in _written(tmp_path).items():
        text = read_html(result.path)
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
        script_src = re.search(r"script-src ([^;]*);", policy.replace("&#x27;", "'").replace("&#39;", "'")).group(1)
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, name
        scripts = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
        assert scripts, name
        allowed = set(script_src.split())
        for body in scripts:
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, name
        assert len(allowed) == len(scripts), name


def test_chinese_labels_are_stored_verbatim(tmp_path: Path) -> None:
    G = ecosystem_graph()
    result = viz.overview(G, tmp_path / "o.html")
    text = read_html(result.path)
    labels = {n["id"]: n["label"] for n in payload(result.path)["nodes"]}
    assert labels == {n: a["label"] for n, a in G.nodes(data=True)}
    assert "阿里云" in text and "国家集成电路产业投资基金" in text


def test_overview_draws_everything_under_cap(tmp_path: Path) -> None:
    G = ecosystem_graph()
    result = viz.overview(G, tmp_path / "o.html")
    data = payload(result.path)
    assert result.nodes_drawn == len(data["nodes"]) == G.number_of_nodes()
    assert result.edges_drawn == len(data["edges"]) == G.number_of_edges()
    assert result.total_nodes == G.number_of_nodes() and not result.sampled
    assert result.notice is None and 'id="ecokg-notice"' not in read_html(result.path)
    sizes = {n["id"]: n["value"] for n in data["nodes"]}
    assert sizes == dict(G.degree())
    legend_classes = {n["cls"] for n in data["nodes"]}
    text = read_html(result.path)
    for cls in legend_classes:
        assert f'<span class="legend-text">{cls}</span>' in text


def test_overview_cap_keeps_highest_degree_deterministically(tmp_path: Path) -> None:
    G = scale_graph(3000)
    cap = 1000
    a = viz.overview(G, tmp_path / "a.html", cap=cap)
    b = viz.overview(G, tmp_path / "b.html", cap=cap)
    assert a.nodes_drawn == cap and a.total_nodes == G.number_of_nodes() and a.sampled
    expected = sorted(G.nodes, key=lambda n: (-G.degree(n), n))[:cap]
    ids = [n["id"] for n in payload(a.path)["nodes"]]
    assert ids == expected
    assert read_html(a.path) == read_html(b.path)
    notice = f"Showing {cap:,} of {G.number_of_nodes():,} nodes (highest degree first)"
    assert a.notice == notice and notice in read_html(a.path)
    kept = set(expected)
    assert a.edges_drawn == sum(1 for u, v in G.edges() if u in kept and v in kept)


def test_ego_matches_networkx_ego_graph(tmp_path: Path) -> None:
    G = ecosystem_graph()
    center = iri("aliyun")
    for hops in (1, 2, 3):
        result = viz.ego(G, center, tmp_path / f"ego{hops}.html", hops=hops)
        expected = set(nx.ego_graph(G.to_undirected(), center, radius=hops).nodes)
        ids = {n["id"] for n in payload(result.path)["nodes"]}
        assert ids == expected and result.total_nodes == len(expected)


def test_ego_cap_keeps_nearest(tmp_path: Path) -> None:
    G = scale_graph(3000)
    center = max(G.nodes, key=lambda n: (G.degree(n), n))
    dist = nx.single_source_shortest_path_length(G.to_undirected(), center, cutoff=2)
    cap = min(200, len(dist) - 1)
    result = viz.ego(G, center, tmp_path / "ego.html", hops=2, cap=cap)
    assert result.sampled and result.nodes_drawn == cap and result.total_nodes == len(dist)
    ids = [n["id"] for n in payload(result.path)["nodes"]]
    assert ids[0] == center
    worst_kept = max(dist[n] for n in ids)
    assert all(dist[n] >= worst_kept for n in set(dist) - set(ids))
    assert "nearest to the centre first" in read_html(result.path)


def test_ego_unknown_centre(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        viz.ego(ecosystem_graph(), iri("nope"), tmp_path / "x.html")


def test_investors_sectors_matches_oracle(tmp_path: Path) -> None:
    G = ecosystem_graph()
    result = viz.investors_sectors(G, tmp_path / "inv.html")
    expected = undirected_shortest_path_nodes(G, max_hops=3)
    data = payload(result.path)
    assert {n["id"] for n in data["nodes"]} == expected
    assert result.nodes_drawn == len(expected)
    roles = {n["id"]: n.get("role") for n in data["nodes"]}
    assert roles[iri("tencent")] == "investor"  # props.investor = True
    assert roles[iri("lonely-fund")] == "investor"
    assert roles[iri("sector-chips")] == "sector"
    connected = viz.investors_sectors(G, tmp_path / "inv2.html", connected_only=True)
    ids = {n["id"] for n in payload(connected.path)["nodes"]}
    assert iri("lonely-fund") not in ids and iri("hongshan") in ids


def test_investors_sectors_scale_oracle(tmp_path: Path) -> None:
    G = scale_graph(400, seed=7, m=1)
    result = viz.investors_sectors(G, tmp_path / "inv.html", cap=10_000)
    expected = undirected_shortest_path_nodes(G, max_hops=3)
    assert {n["id"] for n in payload(result.path)["nodes"]} == expected


def test_path_view_draws_consecutive_edges(tmp_path: Path) -> None:
    G = ecosystem_graph()
    paths = [
        [iri("hongshan"), iri("inv-1"), iri("startup"), iri("sector-ai")],
        [iri("tencent"), iri("startup"), iri("bank")],
        [iri("p-wang"), iri("sector-chips")],  # no such edge: dashed synthetic step
    ]
    result = viz.path_view(G, paths, tmp_path / "p.html")
    data = payload(result.path)
    expected_nodes = {n for p in paths for n in p}
    assert {n["id"] for n in data["nodes"]} == expected_nodes
    steps = {frozenset(s) for p in paths for s in zip(p, p[1:], strict=False)}
    real = [(u, v) for u, v, _ in G.edges(keys=True) if frozenset((u, v)) in steps]
    synthetic = [s for s in steps if not any(frozenset(e) == s for e in real)]
    assert result.edges_drawn == len(real) + len(synthetic)
    assert all(e.get("width") == 3 for e in data["edges"])
    assert sum(1 for e in data["edges"] if e.get("dashes")) == len(synthetic)


def test_path_view_unknown_node(tmp_path: Path) -> None:
    with pytest.raises(KeyError):
        viz.path_view(ecosystem_graph(), [[iri("aliyun"), iri("ghost")]], tmp_path / "p.html")


def test_injection_is_escaped_in_html(tmp_path: Path) -> None:
    G = injection_graph()
    heading = INJECTIONS[0] + INJECTIONS[1] + INJECTIONS[2]
    result = viz.overview(G, tmp_path / "evil.html", title=heading)
    text = read_html(result.path)
    assert "<img" not in text
    assert "<script>alert" not in text
    assert '" onmouseover="' not in text
    tags = parse_tags(result.path)
    for tag, attrs in tags.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, attrs)
            assert "javascript:" not in (value or "").lower(), (tag, attrs)
    assert sum(1 for tag, _ in tags.tags if tag == "script") == 3
    h1 = "".join(data for tag, data in tags.text if tag == "h1")
    assert h1 == heading
    labels = {n["id"]: n["label"] for n in payload(result.path)["nodes"]}
    assert labels == {n: a["label"] for n, a in G.nodes(data=True)}


def test_writer_does_not_use_pyvis_add_node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("quadratic pyvis add_node/add_edge used")

    monkeypatch.setattr(Network, "add_node", boom)
    monkeypatch.setattr(Network, "add_edge", boom)
    result = viz.overview(scale_graph(500), tmp_path / "o.html")
    assert result.nodes_drawn == 500


def test_write_page_requires_html_suffix(tmp_path: Path) -> None:
    spec = viz.PageSpec(title="t", nodes=[], edges=[])
    with pytest.raises(ValueError):
        viz.write_page(spec, tmp_path / "x.txt")


def test_cap_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        viz.overview(ecosystem_graph(), tmp_path / "o.html", cap=0)
