"""How much the generated-list figures of bench/bench_parser.py owe to the parser knowing the
generator's given-name characters (issue 9).

Run: python bench/bench_parser_names.py [with|without]

``lexicon.COMMON_GIVEN`` (the parser's common given-name characters) holds 112 of the 114 characters
of ``tests/listgen.py``'s ``GIVEN``, the pool the generated people's given names are drawn from.
``without`` removes every one of them from the parser's list (an extreme: a real list of common
given-name characters would hold most of them) and scores the same generated lists as the
benchmark's section 1; ``with`` is section 1 as is. The gap bounds how much the generated
figures are flattered; the sample (real names) does not share the overlap.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'bench'))
sys.path.insert(0, str(ROOT / 'tests'))
import listgen
from ecokg.loaders.lists import lexicon as lx
import ecokg.loaders.lists.review as rv
mode = sys.argv[1] if len(sys.argv) > 1 else "without"
if mode == "without":
    lx.COMMON_GIVEN = frozenset(c for c in lx.COMMON_GIVEN if c not in listgen.GIVEN)
    rv.COMMON_GIVEN = lx.COMMON_GIVEN
    print("parser without any of the generator's", len(set(listgen.GIVEN)), "given-name characters; COMMON_GIVEN now", len(lx.COMMON_GIVEN))
import bench_parser
bench_parser.generated([1, 2, 3, 4], [33, 150])
