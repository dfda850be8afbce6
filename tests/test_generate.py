"""The synthetic generator of bench/ (issue 13): a graph of 100, 300 or 2,000 entities, from two
seeds, conforms to the shapes, is written as a built folder that ``ecokg.open`` reads, has every
shape the questions use, and every public question answers its sample arguments."""

from __future__ import annotations


import pytest
from ecokg.graph.questions import public_questions

import ecokg

# (entities, seed, SHACL): the shapes are checked at 100 and 300 entities; at 2,000 pyshacl takes
# most of a minute per graph, and the graph is drawn by the same code as the smaller ones
SIZES = [(100, 3, True), (100, 11, True), (300, 3, True), (300, 11, True), (2000, 3, False), (2000, 11, False)]


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}-seed{s}" for n, s, _ in SIZES])
def built(request, generate, tmp_path_factory):
    entities, seed, shacl = request.param
    out = tmp_path_factory.mktemp("synthetic")
    kg = generate.generate(entities, seed=seed)
    samples = generate.sample_args(kg)
    summary = generate.write(kg, out, shacl=shacl, dump=False)  # SHACL: the graph conforms
    return out, samples, summary, shacl


def test_the_generated_graph_has_every_shape(built):
    _out, _samples, summary, shacl = built
    for cls in ("Person", "Position", "GroupMembership", "AllianceRole", "IndustryAlliance", "Company",
                "CloudProvider", "Bank", "InvestmentFirm", "Fund", "ResearchInstitution", "ExpertGroup", "Trend",
                "Sector", "Investment", "AIModel", "ModelFamily", "Place", "Benchmark", "BenchmarkResult"):
        assert summary["classes"].get(cls, 0) > 0, cls
    for rel in ("parentOrganisation", "inSector", "investmentFocus", "setUpBy", "remitSector", "concernsSector",
                "broaderSector", "investor", "investee", "investmentSector", "developedBy", "inFamily",
                "locatedIn", "withinPlace", "forModel", "onBenchmark"):
        assert summary["relations"].get(rel, 0) > 0, rel
    assert summary["shacl"] == ("conforms" if shacl else "skipped")


def test_every_public_question_answers_the_sample_arguments(built):
    out, samples, _summary, _shacl = built
    assert set(samples) == set(public_questions())
    with ecokg.open(out) as kg:
        empty = [q for q, args in samples.items() if not kg.ask(q, **args).rows]
        assert not empty, f"empty answers: {empty} (arguments {[samples[q] for q in empty]})"
        person = samples["organisations-of"]["person"]
        assert kg.find(person)[0]["name"] == person
