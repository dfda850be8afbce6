"""Model families and their versions: 通义千问2.0(v1030) and Qwen-14B-Chat are versions of 通义千问.

The families are curated (``data/models.yaml`` entries of ``kind: family``, with their
aliases: Qwen, 通义). A model whose curated entry names its family is a version of it (curated
evidence); a model whose name is a family's name or alias followed by a version (digits,
``-``, brackets, v and a digit; not more Latin letters, so Yi-34B is a Yi but YiXin is not) is a version of
it by its name (evidence of basis ``name-grammar`` quoting the name).

>>> f = Families({"通义千问": ["Qwen", "通义"], "Yi": [], "GPT": []})
>>> f.family_of("通义千问2.0(v1030)"), f.family_of("Qwen-14B-Chat"), f.family_of("Yi-34B-Chat")
(('通义千问', '通义千问'), ('通义千问', 'Qwen'), ('Yi', 'Yi'))
>>> f.family_of("YiXin"), f.family_of("通义千问"), f.family_of("gpt-3.5-turbo"), f.family_of("通义千问V2")
(None, None, ('GPT', 'GPT'), ('通义千问', '通义千问'))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ecokg.graph.model import Evidence, KnowledgeGraph
from ecokg.loaders.kinds import NAME_GRAMMAR
from ecokg.loaders.resolve import fold, is_version_break
from ecokg.ontology.iris import model_iri
from ecokg.ontology.terms import C, D, P


class Families:
    """Family names and aliases, longest first."""

    def __init__(self, families: Mapping[str, Iterable[str]]):
        forms = [(fold(form), form, name) for name, aliases in families.items() for form in (name, *aliases) if form]
        self.forms = sorted(forms, key=lambda t: (-len(t[0]), t[0]))

    def family_of(self, model: str) -> tuple[str, str] | None:
        """(family, the form it was named by) for a version's name, or None (also for a family itself)."""
        f = fold(model)
        for folded, form, name in self.forms:
            if f == folded:
                return None
            if f.startswith(folded) and (is_version_break(f, len(folded)) or not f[len(folded)].isascii()):
                return name, form
        return None


def add_families(kg: KnowledgeGraph, families: Families, curated_family: Mapping[str, str],
                 family_evidence: Mapping[str, Evidence]) -> None:
    """Link every model to its family: by its curated entry (``curated_family``: model -> family,
    with ``family_evidence`` per family) or by its name. The family nodes are ModelFamily."""
    for node in list(kg.of_class(C.AIModel)):
        name = node.name
        if name in family_evidence:
            kg.add_node(node.id, C.ModelFamily, None, family_evidence[name])
            continue
        fam = curated_family.get(name)
        if fam is not None:
            ev = family_evidence[fam]
            kg.add_node(model_iri(fam), C.ModelFamily, {D.name: fam}, ev)
            kg.add_edge(node.id, P.inFamily, model_iri(fam), ev)
            continue
        got = families.family_of(name)
        if got is None or not node.evidence:
            continue
        fam, form = got
        kg.add_node(model_iri(fam), C.ModelFamily, {D.name: fam}, family_evidence[fam])
        kg.add_edge(node.id, P.inFamily, model_iri(fam),
                    Evidence(source=node.evidence[0].source, quote=name, basis=NAME_GRAMMAR,
                             note=f"a version of {fam}: its name begins with {form}"))


__all__ = ["Families", "add_families"]
