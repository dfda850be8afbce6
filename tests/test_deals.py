"""Deal data loaded next to the Blue Book: user-data evidence, clear errors on bad rows."""

from __future__ import annotations

import csv
import json

import pytest
from ecokg.loaders.deals import read_deals

from ecokg.errors import LoaderError


def test_sample_deals_are_investments_with_user_data_evidence(built):
    from ecokg.loaders import sample_deals_path

    rows = list(csv.DictReader(sample_deals_path().open(encoding="utf-8")))
    kg = built.kg
    deals = [n for n in kg.of_class("Investment") if any(ev.basis == "user-data" for ev in n.evidence)]
    assert len(deals) == len(rows)
    for n in deals:
        (ev,) = n.evidence
        assert ev.line and ev.note and ev.quote.startswith(tuple(r["investor"] for r in rows))
        investors = [kg.nodes[e.target].props["name"] for e in kg.out_edges(n.id, "investor")]
        assert len(investors) == 1


def _write(tmp_path, text, name="deals.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("body,message,line", [
    ("investor,company,date\n阿里巴巴,月之暗面,2024/02\n", "not YYYY-MM-DD", 2),
    ("investor,company,sector\n阿里巴巴,月之暗面,spaceships\n", "unknown sector", 2),
    ("investor,company\n阿里巴巴,月之暗面\n,百川智能\n", "investor is empty", 3),
    ("company,round\n月之暗面,A\n", "lacks the column", 1),
    ("investor,company,colour\n阿里巴巴,月之暗面,red\n", "unknown column", 2),
])
def test_bad_rows_name_file_and_line(tmp_path, curated, body, message, line):
    path = _write(tmp_path, body)
    with pytest.raises(LoaderError, match=message) as err:
        read_deals(path, curated)
    assert err.value.line == line and str(path) in str(err.value)


def test_json_deals_and_alias_resolution(tmp_path, curated):
    path = _write(tmp_path, json.dumps([{"investor": "阿里", "company": "月之暗面", "sector": "大模型"}],
                                       ensure_ascii=False), "deals.json")
    kg = read_deals(path, curated)
    (inv,) = kg.of_class("Investment")
    assert [kg.nodes[e.target].props["name"] for e in kg.out_edges(inv.id, "investor")] == ["阿里巴巴"]
    from ecokg.ontology.iris import sector_iri

    assert [e.target for e in kg.out_edges(inv.id, "investmentSector")] == [sector_iri("large-models")]
