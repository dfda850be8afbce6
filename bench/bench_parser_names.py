"""How much the generated-list figures of bench/bench_parser.py owe to the parser knowing the
generated people's given-name characters (issue 9).

Run: python bench/bench_parser_names.py [with|without]

The parser's common given-name characters (``lexicon.COMMON_GIVEN``) are derived from jieba's
dictionary (loaders/lists/given.py); the generated people's given names are Faker's zh_CN list
(tests/listgen.py). The two sources overlap as any two lists of common Chinese name characters
do; this prints by how much. ``without`` removes every character of Faker's list from the
parser's (an extreme: the parser then knows none of the generated given names) and scores the
same generated lists as the benchmark's section 1; ``with`` is section 1 as is. The gap bounds
how much the overlap flatters the generated figures.
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
gen = set(listgen.GIVEN)
print(f"generator's given-name characters (Faker zh_CN): {len(gen)}; known to the parser: "
      f"{len(gen & lx.COMMON_GIVEN)}; parser's list: {len(lx.COMMON_GIVEN)} characters")
if mode == "without":
    lx.COMMON_GIVEN = frozenset(c for c in lx.COMMON_GIVEN if c not in gen)
    rv.COMMON_GIVEN = lx.COMMON_GIVEN
    print("parser without any of the generator's characters; COMMON_GIVEN now", len(lx.COMMON_GIVEN))
import bench_parser
bench_parser.generated([1, 2, 3, 4], [33, 150])
