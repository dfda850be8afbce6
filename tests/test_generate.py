"""The synthetic generator of bench/ (issue 13): a graph of 100, 300 or 2,000 entities, from two
seeds, conforms to the shapes, is written as a built folder that ``ecokg.open`` reads, has every
shape the questions use, and every public question answers its sample arguments."""

from __future__ import annotations


import json

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


def _generation(out):
    """Every file of the current generation of ``out`` but the store, by name (the summary without
    its generation id)."""
    gen = (out / "current").resolve() if (out / "current").is_symlink() else next((out / "generations").iterdir())
    files = {}
    for p in sorted(gen.rglob("*")):
        rel = p.relative_to(gen)
        if p.is_file() and rel.parts[0] != "store":
            files[str(rel)] = p.read_bytes()
    summary = json.loads(files.pop("summary.json"))
    summary.pop("generation")
    return files, summary


def test_a_streamed_build_writes_what_the_whole_model_writes(generate, tmp_path, capsys):
    """``--stream`` (the default from STREAM_FROM entities): parts into a compact graph, freed before
    the store loads. The folder must be the one the whole model gives, file for file."""
    args = ["--entities", "600", "--seed", "4", "--no-shacl"]
    generate.main([*args, "--out", str(tmp_path / "whole"), "--no-stream"])
    whole_out = capsys.readouterr().out
    generate.main([*args, "--out", str(tmp_path / "streamed"), "--stream"])
    streamed_out = capsys.readouterr().out
    assert streamed_out.replace(str(tmp_path / "streamed"), str(tmp_path / "whole")) == whole_out  # the same counts and sample arguments
    whole, streamed = _generation(tmp_path / "whole"), _generation(tmp_path / "streamed")
    assert sorted(streamed[0]) == sorted(whole[0])
    assert streamed == whole
    with ecokg.open(tmp_path / "streamed") as kg:
        assert kg.counts().as_dict()["evidence"] == streamed[1]["evidence"]


def test_a_streamed_build_refuses_shacl(generate, tmp_path, capsys):
    with pytest.raises(SystemExit):
        generate.main(["--entities", "300", "--out", str(tmp_path / "g"), "--stream"])
    assert "--no-shacl" in capsys.readouterr().err
    assert not (tmp_path / "g").exists()
