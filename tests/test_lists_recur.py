"""What the whole document says about where names begin and end (ecokg.loaders.lists.recur), and
the grammar rules added with it. The organisations and people here are fictional: no lexicon or
gazetteer knows them, so only the text can place them."""

from __future__ import annotations

import dataclasses
import doctest
import gc

import listgen
import listgen_dev
import pytest
from ecokg.loaders.lists import read_list, read_lists
from ecokg.loaders.lists.recur import Grams, attested, bound
from ecokg.loaders.lists.text import normalise
from ecokg.loaders.lists.tokens import Weights


def _span(n, word: str, k: int = 0) -> tuple[int, int]:
    """The ``k``-th place ``word`` stands in the normalised text."""
    starts = [i for i in range(len(n.text)) if n.text.startswith(word, i)]
    return starts[k], starts[k] + len(word)


def _orgs(entries):
    return {e.name: [p.org for p in e.posts] for e in entries}


# -- the document's evidence ---------------------------------------------------------------------

def test_a_name_written_in_varied_company_is_attested_and_its_tail_is_not():
    n = normalise("岑子奇嘉信董事长 甘秀奇嘉信管理合伙人")
    # the first reading took 嘉信 in both entries; the readings around it are asked about
    got = attested([(Grams(n), [_span(n, "嘉信", 0), _span(n, "嘉信", 1)])])
    assert "奇嘉信" in got  # after 子 and 秀, before 董 and 管
    assert "嘉信" not in got  # always after 奇


def test_a_name_after_the_same_character_in_most_places_is_not_attested():
    # 京东集团 three times, 金东集团 once: 东集团 follows 京 in most of them
    n = normalise("王一京东集团总裁 李二京东集团副总裁 赵三京东集团董事 徐尉金东集团主任")
    spans = [_span(n, "东集团", k) for k in range(4)]
    got = attested([(Grams(n), spans)])
    assert "京东集团" in got
    assert "东集团" not in got


def test_a_unit_always_written_after_the_same_character_is_bound():
    n = normalise("张三国家超级计算昆仑中心主任 李四国家超级计算昆仑中心研究员 王五云图信息技术部总监 "
                  "赵六星河信息技术部总监")
    spans = [_span(n, "计算昆仑中心", 0), _span(n, "计算昆仑中心", 1), _span(n, "信息技术部", 0),
             _span(n, "信息技术部", 1)]
    got = bound([(Grams(n), spans)])
    assert "计算昆仑中心" in got  # always after 级: the end of 国家超级计算昆仑中心
    assert "信息技术部" not in got  # after 图 and 河: a unit of two organisations


def test_occurrences_are_found_whatever_their_length():
    n = normalise("星河资本合伙人 陈刚星河资本董事 星河投资总监")
    g = Grams(n)
    assert g.occurrences("星河资本") == [0, 9]
    assert g.occurrences("星河") == [0, 9, 15]
    assert g.occurrences("星河资本董事") == [9]


# -- the reader with that evidence ------------------------------------------------------------------

LIST = ("岑子奇嘉信董事长 甘秀奇嘉信管理合伙人 陶明远山智能云事业群总监 韩立远山智能投资总监 "
        "罗时奇嘉信首席技术官 白云远山智能副总裁")


def test_an_organisation_named_in_several_entries_places_the_names_before_it():
    es = _orgs(read_list(LIST))
    assert es.get("岑子") == ["奇嘉信"], es
    assert es.get("甘秀") == ["奇嘉信"], es


def test_without_the_document_evidence_the_same_list_reads_otherwise():
    """The test above can fail: with the attested readings weighing nothing, the name prior
    (three characters are likelier than two) takes 岑子奇|嘉信."""
    w = dataclasses.replace(Weights(), org_attested=0.0)
    es = _orgs(read_lists([(LIST, 0)], weights=w)[0])
    assert "岑子" not in es or es["岑子"] != ["奇嘉信"]


def test_a_unit_needs_a_name_before_its_suffix():
    # 事业群 alone is no unit: 智能云事业群 is the unit, 远山 the organisation
    es = {e.name: e for e in read_list(LIST)}
    post = es["陶明"].posts[0]
    assert (post.org, post.title) == ("远山智能", "云事业群总监") or (post.org, post.title) == (
        "远山", "智能云事业群总监"), (post.org, post.title)
    assert not post.title.startswith("事业群")


def test_an_association_of_an_industry_is_one_name_not_a_subsidiary():
    # 行业协会 follows 险, 图 and 山: attested, yet no organisation of its own under 滨海保险
    es = {e.name: e for e in read_list(
        "侯晴滨海保险行业协会副会长兼秘书长 王敏上海云图行业协会秘书长 李强北京远山行业协会会长 "
        "柯颖华沧澜银行业协会副会长 赵刚滨海证券投资基金业协会会长")}
    assert [(p.org, p.parent) for p in es["侯晴"].posts] == [("滨海保险行业协会", None)]
    assert [(p.org, p.parent) for p in es["赵刚"].posts] == [("滨海证券投资基金业协会", None)]
    assert [p.org for p in es["柯颖华"].posts] == ["沧澜银行业协会"]


def test_a_second_post_of_another_national_body_is_not_a_unit_of_the_first():
    # 中国科学院 shares 中国 with 中国社会科学院, not a name: it is a post of its own
    e = read_list("曹蕾欣中国社会科学院计算机系总经理、中国科学院软件学院院长")[0]
    assert [(p.org, p.title) for p in e.posts] == [("中国社会科学院", "计算机系总经理"),
                                                   ("中国科学院", "软件学院院长")]


def test_an_organisation_does_not_end_with_the_prefix_of_a_title():
    e = read_list("雷兰蕾青云图副董事长兼投资总监")[0]
    assert [(p.org, p.title) for p in e.posts] == [("青云图", "副董事长兼投资总监")]


def test_a_latin_name_ends_where_a_capital_follows_a_small_letter():
    e = read_list("管涛中国航天星河CEO、MiniMaxCOO、中国石化首席技术官")[0]
    assert [(p.org, p.title) for p in e.posts] == [("中国航天星河", "CEO"), ("MiniMax", "COO"),
                                                   ("中国石化", "首席技术官")]


@pytest.mark.parametrize("kind", ["mixed", "dun", "wrapped"])
def test_the_fast_search_for_one_reading_finds_the_best_of_several(kind):
    from ecokg.loaders.lists.decode import Decoder
    from ecokg.loaders.lists.tokens import Candidates, Signals

    text, _ = listgen.generate(40, 5040, kind)
    dec = Decoder(Candidates(normalise(text), Signals()))
    one, several = dec.best(k=1), dec.best(k=3)
    assert one[0].score == pytest.approx(several[0].score)
    assert [(t.kind, t.start, t.end) for t in one[0].tokens] == [(t.kind, t.start, t.end) for t in several[0].tokens]


def test_the_cycle_collector_is_left_as_it_was():
    assert gc.isenabled()
    read_list("陈刚星河资本董事总经理")
    assert gc.isenabled()
    gc.disable()
    try:
        read_list("陈刚星河资本董事总经理")
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- development lists --------------------------------------------------------------------------------

def test_development_organisations_are_apart_from_the_benchmark_and_the_curated_data():
    from ecokg.loaders.curated import load_curated

    gaz = load_curated().gazetteer()
    dev = listgen_dev.ORGANISATIONS
    assert len(set(dev)) == len(dev) >= 150
    assert [o for o in dev if o in listgen.ORGANISATIONS] == []
    assert [o for o in dev if o in gaz.orgs] == []


@pytest.mark.parametrize("kind", ["mixed", "dun"])
def test_development_lists_are_read_well(kind):
    text, entries = listgen_dev.generate(150, 599150, kind)
    got = read_lists([(text, 0)])[0]
    people = {e.name for e in got if e.name}
    gold = {e.name for e in entries}
    found = {(e.name, p.org, p.title, p.former) for e in got for p in e.posts}
    truth = listgen.truth(entries)
    assert len(people & gold) / len(gold) >= 0.93
    assert len(found & truth) / len(truth) >= 0.85


@pytest.mark.parametrize("module", ["recur", "review", "tokens"])
def test_the_examples_in_the_modules_hold(module):
    import importlib

    mod = importlib.import_module(f"ecokg.loaders.lists.{module}")
    result = doctest.testmod(mod)
    assert result.attempted > 0 and result.failed == 0, result


def test_context_asked_where_the_last_token_says():
    """The decoders ask :meth:`Decoder._context` by state and kind: each state is entered by
    one kind of token only, and the table gives what the check on the last token gave."""
    from ecokg.loaders.lists.decode import Decoder, _context_steps, _entered
    from ecokg.loaders.lists.tokens import NAME, ORG, SEP, SKIP, Candidates

    dec = Decoder(Candidates(normalise("张三北京大学教授", 0)))
    entered = {nxt: kind for steps in dec.trans.values() for kind, nxt, _ in steps}
    table = _context_steps(dec.trans, _entered(dec.trans))
    for state, steps in dec.trans.items():
        last = entered.get(state, SKIP)
        for kind, _, _ in steps:
            assert table[state, kind] == (last == NAME or (kind == ORG and (state == "org" or last == SEP)))
