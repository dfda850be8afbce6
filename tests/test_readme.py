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
