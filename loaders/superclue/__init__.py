"""SuperCLUE leaderboards (https://github.com/CLUEbenchmark/SuperCLUE): pure parsing of
the README's tables into boards of scored rows (:mod:`ecokg.loaders.superclue.parse`)."""

from __future__ import annotations

from ecokg.loaders.superclue.parse import Board, BoardRow, SuperClue, parse_superclue

__all__ = ["Board", "BoardRow", "SuperClue", "parse_superclue"]
