"""The README's notebook section runs as written, against the README's main build."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def notebook_blocks() -> list[str]:
    """The ```python blocks of the section '## In a notebook'."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## In a notebook", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def run(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102 - our own README
    return out.getvalue()


@pytest.fixture()
def in_project(built: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder whose out/ is the README's main build (as after scripts/quickstart)."""
    (tmp_path / "out").symlink_to(built.out_dir, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_section_has_both_blocks() -> None:
    blocks = notebook_blocks()
    assert len(blocks) == 2
    assert 'ecokg.open("out")' in blocks[0] and "neo4j=True" in blocks[1]


def test_the_embedded_store_block_runs(in_project: Path, kg: Any) -> None:
    out = run(notebook_blocks()[0])
    people = {p.name for p in kg.of_class("Person")
              if any(kg.nodes[m.target].props.get("orgAsWritten") == "阳光保险集团" for m in kg.out_edges(p.id, "holds"))}
    assert people and all(name in out for name in people)
    assert "陈宏" in out and "智谱华章" in out  # the explained connection
    assert "\n智谱华章\n" in out  # find("zhipu ai")
    assert f"{len(kg.all_evidence())} pieces of evidence" in out


@pytest.mark.neo4j
def test_the_neo4j_block_runs(in_project: Path, neo4j_env: dict[str, str], loaded_neo4j: Any,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in neo4j_env.items():
        monkeypatch.setenv(k, v)
    out = run(notebook_blocks()[1])
    assert out.strip().splitlines()[-1] == "True"  # the same people on both stores
    assert "'bank':" in out


# -- what the README shows is what the commands print ------------------------------------------
def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(title, 1)[1].split("\n## ", 1)[0]


def _invoke(args: list[str]) -> Any:
    from click.testing import CliRunner

    from ecokg.cli import cli

    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, (args, res.output)
    return res


def test_every_command_of_the_tour_runs(in_project: Path) -> None:
    """Each ```bash block of the tour and every `ecokg ask ...` the README names runs on the
    README's main build and prints rows."""
    import shlex

    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", _section("## A short tour"), re.S)
    inline = sorted({c for c in re.findall(r"`(ecokg ask [^`]+)`", text)
                     if "NAME" not in c and "--list" not in c})  # the synopsis and the listing are no questions
    assert len(blocks) >= 4 and len(inline) >= 6
    for command in [*blocks, *inline]:
        words = shlex.split(command.strip())
        assert words[0] == "ecokg", command
        args = [w for w in words[1:] if w not in ("--table", "--json")]
        res = _invoke([*args, "--format", "json"])
        data = __import__("json").loads(res.stdout)
        rows = data.get("rows", data) if isinstance(data, dict) else data
        assert rows, command


def test_the_investors_table_is_the_real_answer(in_project: Path) -> None:
    import json

    section = _section("**Which investors connect to the AIGC trend")
    table = [ln for ln in section.splitlines() if ln.startswith("| ") and not ln.startswith("| ---")][1:]
    shown = [[c.strip() for c in ln.strip("|").split("|")] for ln in table]
    answer = json.loads(_invoke(["ask", "investors-of", "Trend:AIGC", "--format", "json"]).stdout)["ranking"]
    assert [(int(r[0]), r[1], int(r[2])) for r in shown] == [(a["rank"], a["investor"], a["score"]) for a in answer]
    for row, item in zip(shown, answer):
        assert row[4] == "、".join(item.get("people") or []), row
        reason, of = re.match(r"(.*) \(one of (\d+)\)$", row[3]).groups()
        assert reason in {ln["reason"] for ln in item["links"]} and int(of) == len(item["links"]), row


def test_model_race_figures_are_the_real_answer(in_project: Path) -> None:
    import json

    text = README.read_text(encoding="utf-8")
    claim = re.search(r"`ecokg ask model-race 智谱华章 --table` one developer's best total score month by month \((.*?)\)",
                      text, re.S).group(1)
    pairs = re.findall(r"(\d{4}-\d{2})(?: [\w.-]+)? (\d+\.\d+)", claim)
    assert len(pairs) >= 3
    best = {r["date"]: r["score"] for r in json.loads(_invoke(["ask", "model-race", "智谱华章", "--json"]).stdout)["ranking"]}
    for month, score in pairs:
        assert abs(best[month] - float(score)) < 1e-9, (month, score, best)


def test_the_bridges_paragraph_is_the_real_answer(in_project: Path) -> None:
    import json

    paragraph = " ".join(_section("**Who links finance and cloud?**").split("\n\n", 1)[0].split())
    rows = json.loads(_invoke(["ask", "bridges", "--json"]).stdout)["rows"]
    groups_of: dict[str, set[str]] = {}
    for r in rows:
        groups_of.setdefault(r["person"], set()).add(r["group"])
    claims = re.findall(r"(\S+) and (\S+) sit on both (\S+) (?:\([^)]*\) )?and (\S+?)[ ;.]", paragraph)
    assert len(claims) >= 2
    for a, b, g1, g2 in claims:
        for person in (a, b):
            assert {g1, g2} <= groups_of[person], (person, g1, g2)
    for person, org in re.findall(r"`ecokg ask organisations-of (\S+)`\s+gives (\S+?)[,.]", paragraph):
        orgs = {r["organisation"] for r in json.loads(_invoke(["ask", "organisations-of", person, "--json"]).stdout)["rows"]}
        assert org in orgs, (person, org, orgs)
