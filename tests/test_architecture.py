"""The shape of the code: layers whose imports only point down, no import cycles, the
ontology as the only source of class names, and query files that name only its terms.

Layers (docs/architecture.md): ontology <- graph <- loaders <- ecokg (the application);
viz is a leaf that imports nothing else of ecokg and is imported only by the application.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import networkx as nx
import pytest

PACKAGES = ("ecokg", "ecokg.graph", "ecokg.loaders", "ecokg.ontology", "ecokg.viz")
LAYERS = {"ecokg.ontology": 0, "ecokg.graph": 1, "ecokg.loaders": 2}
APP = 3


def modules() -> dict[str, Path]:
    """Every module of the installed package, by dotted name."""
    out: dict[str, Path] = {}
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        out[pkg_name] = Path(str(pkg.__file__))
        for m in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            spec = importlib.util.find_spec(m.name)
            if spec and spec.origin and spec.origin.endswith(".py"):
                out[m.name] = Path(spec.origin)
    return out


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported module, line, only under TYPE_CHECKING) for every import of ecokg modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            if t == "ecokg" or t.startswith("ecokg."):
                while t not in known and "." in t:
                    t = t.rsplit(".", 1)[0]
                out.append((t, node.lineno, node.lineno in typing_only))
    return out


def layer(module: str) -> int | str:
    if module == "ecokg.viz" or module.startswith("ecokg.viz."):
        return "viz"
    for prefix, n in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            return n
    return APP


def violations(graph: dict[str, list[tuple[str, int, bool]]]) -> list[str]:
    """Imports that point up a layer, into viz from below the application, or out of viz."""
    bad = []
    for a, targets in graph.items():
        for b, line, _ in targets:
            la, lb = layer(a), layer(b)
            if la == "viz" and lb != "viz":
                bad.append(f"{a}:{line} imports {b}: viz is a leaf and imports nothing else of ecokg")
            elif lb == "viz" and la not in ("viz", APP):
                bad.append(f"{a}:{line} imports {b}: only the application uses viz")
            elif la != "viz" and lb != "viz" and isinstance(la, int) and isinstance(lb, int) and lb > la:
                bad.append(f"{a}:{line} imports {b}: layer {la} must not import layer {lb}")
    return bad


@pytest.fixture(scope="module")
def import_graph() -> dict[str, list[tuple[str, int, bool]]]:
    mods = modules()
    known = set(mods)
    return {name: imports(name, path, known) for name, path in mods.items()}


def test_the_walk_sees_every_layer(import_graph: dict[str, list[tuple[str, int, bool]]]) -> None:
    layers = {layer(m) for m in import_graph}
    assert layers == {0, 1, 2, APP, "viz"}
    assert sum(len(v) for v in import_graph.values()) > 50


def test_imports_point_down_only(import_graph: dict[str, list[tuple[str, int, bool]]]) -> None:
    assert violations(import_graph) == []


def test_the_layer_check_can_fail() -> None:
    fake = {"ecokg.graph.model": [("ecokg.loaders.curated", 1, False)],
            "ecokg.viz.page": [("ecokg.ontology.schema", 2, False)],
            "ecokg.loaders.deals": [("ecokg.viz", 3, False)],
            "ecokg.ontology.schema": [("ecokg.errors", 4, False)]}
    assert len(violations(fake)) == 4


def test_no_import_cycles(import_graph: dict[str, list[tuple[str, int, bool]]]) -> None:
    g = nx.DiGraph()
    for a, targets in import_graph.items():
        g.add_node(a)
        for b, _, typing_only in targets:
            if not typing_only and a != b:
                g.add_edge(a, b)
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert cycles == []


def test_class_names_are_never_typed_outside_the_ontology() -> None:
    """Package code names classes through ecokg.ontology.terms (C.Person), never as "Person"."""
    from ecokg.ontology.schema import get_schema

    classes = set(get_schema().classes)
    found = []
    for name, path in modules().items():
        if layer(name) == 0:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in classes:
                found.append(f"{name}:{node.lineno}: {node.value!r}")
    assert found == []


_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def unknown_terms(sparql: str, cypher: str) -> list[str]:
    """Classes, properties, labels, relationship types and node properties that the queries
    name and the ontology lacks."""
    from ecokg.ontology.neo4j import EVIDENCE_LIST, ID
    from ecokg.ontology.schema import get_schema

    s = get_schema()
    terms = set(s.classes) | set(s.object_properties) | set(s.datatype_properties)
    types = {s.rel_type(p) for p in s.object_properties}
    props = set(s.datatype_properties) | {ID, EVIDENCE_LIST}
    bad = [f"eco:{t}" for t in re.findall(r"\beco:([A-Za-z]\w*)", sparql) if t not in terms]
    bare = _STRING.sub("''", re.sub(r"//[^\n]*", "", cypher))
    bare = re.sub(r"\bdb(?:\.\w+)+\s*\(", "(", bare)  # procedure names (db.index.fulltext.queryNodes) are no properties
    for lit in _STRING.findall(re.sub(r"//[^\n]*", "", cypher)):
        text = lit[1:-1]
        if re.fullmatch(r"[A-Z][a-z]\w*", text) and text not in s.classes:
            bad.append(f"label '{text}'")
        if re.fullmatch(r"[A-Z][A-Z_]+", text) and text not in types:
            bad.append(f"type '{text}'")
    for group in re.findall(r"\[\s*\w*\s*:\s*([A-Z_|]+)", bare):
        bad += [f"type {t}" for t in group.split("|") if t and t not in types]
    bad += [f"label {t}" for t in re.findall(r"\b\w+\s*:\s*([A-Z][a-z]\w*)", bare) if t not in s.classes]
    bad += [f"property {p}" for p in re.findall(r"\b[a-z]\w*\.([A-Za-z]\w*)", bare) if p not in props]
    return bad


def test_query_files_name_only_ontology_terms() -> None:
    from ecokg.graph.questions import questions

    for q in questions().values():
        assert unknown_terms(q.sparql, q.cypher) == [], q.name


def test_the_query_check_can_fail() -> None:
    bad = unknown_terms("SELECT * { ?p a eco:Persn ; eco:nmae ?n }",
                        "MATCH (p:Persn)-[:WORKS_AT|HOLDS]->(m) WHERE m:Postion AND NOT type(r) IN ['EVIDENSE'] "
                        "RETURN p.nmae, m.title")
    assert bad == ["eco:Persn", "eco:nmae", "type 'EVIDENSE'", "type WORKS_AT", "label Persn", "label Postion",
                   "property nmae"]
