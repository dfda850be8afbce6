"""The synthetic generator of bench/ (issue 13): a small graph conforms to the shapes, is written as a
built folder that ``ecokg.open`` reads, and every public question answers its sample arguments."""

from __future__ import annotations


import pytest
from ecokg.graph.questions import public_questions

import ecokg




@pytest.fixture(scope="module")
def built(generate, tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    kg = generate.generate(300, seed=3)
    samples = generate.sample_args(kg)
    summary = generate.write(kg, out, shacl=True, dump=False)  # SHACL: the graph conforms
    return out, samples, summary


def test_the_generated_graph_has_every_shape(built):
    _out, _samples, summary = built
    for cls in ("Person", "Position", "GroupMembership", "AllianceRole", "IndustryAlliance", "Company",
                "CloudProvider", "Bank", "InvestmentFirm", "Fund", "ResearchInstitution", "ExpertGroup", "Trend",
                "Sector", "Investment", "AIModel", "ModelFamily", "Place", "Benchmark", "BenchmarkResult"):
        assert summary["classes"].get(cls, 0) > 0, cls
    for rel in ("parentOrganisation", "inSector", "investmentFocus", "setUpBy", "remitSector", "concernsSector",
                "broaderSector", "investor", "investee", "investmentSector", "developedBy", "inFamily",
                "locatedIn", "withinPlace", "forModel", "onBenchmark"):
        assert summary["relations"].get(rel, 0) > 0, rel
    assert summary["shacl"] == "conforms"


def test_every_public_question_answers_the_sample_arguments(built):
    out, samples, _summary = built
    assert set(samples) == set(public_questions())
    with ecokg.open(out) as kg:
        empty = [q for q, args in samples.items() if not kg.ask(q, **args).rows]
        assert not empty, f"empty answers: {empty} (arguments {[samples[q] for q in empty]})"
        person = samples["organisations-of"]["person"]
        assert kg.find(person)[0]["name"] == person
