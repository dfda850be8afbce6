"""``write_generation(..., release=...)``: the Python work first, then ``release`` (where a caller frees a
graph too large to keep beside the store's load), then the load and the dumps. The generation written
must be the one the overlapped write makes, file for file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecokg.build import write_generation
from ecokg.graph.stores.oxigraph import RdfStore, STORE_DIR


def _files(folder: Path) -> dict[str, bytes]:
    """Every file a generation holds besides the store (byte for byte), by path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and STORE_DIR not in p.relative_to(folder).parts}


@pytest.mark.parametrize("dump", [True, False])
def test_a_released_write_writes_what_the_overlapped_write_does(generate, tmp_path, dump):
    kg = generate.generate(300, seed=5)
    steps: list[str] = []
    released: list[list[str]] = []

    def release() -> None:
        released.append(list(steps))

    both = write_generation(kg, tmp_path / "overlapped", dump=dump)
    one_by_one = write_generation(kg, tmp_path / "released", steps.append, dump=dump, release=release)
    assert one_by_one[0] == both[0]
    assert sorted(one_by_one[1]) == sorted(both[1])
    assert _files(tmp_path / "released") == _files(tmp_path / "overlapped")
    assert len(released) == 1
    # called after everything read from the graph, before the store loads
    assert released[0][-1].startswith("writing the rows")
    assert steps[len(released[0])].startswith("loading the embedded store")
    store = RdfStore(tmp_path / "released" / STORE_DIR, read_only=True)
    assert len(store) == both[0]
    store.close()


def test_a_failing_release_stops_the_write_before_the_load(generate, tmp_path):
    kg = generate.generate(200, seed=5)

    def release() -> None:
        raise MemoryError("freeing failed")

    with pytest.raises(MemoryError):
        write_generation(kg, tmp_path / "g", release=release)
    assert json.loads((tmp_path / "g" / "names.json").read_text(encoding="utf-8"))  # written before
    assert not (tmp_path / "g" / "ecokg.ttl").exists()  # the dumps never ran
