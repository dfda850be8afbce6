"""The China Cloud Ecosystem Blue Book as a source: its text -> model facts with evidence.

- :mod:`.parse` reads the structure of the text (contents, expert lists, groups, trends,
  benchmark tables) and :mod:`.narrative` the forms of its running text;
  :mod:`.entries` and :mod:`.titles` read one list entry (person, organisation, title);
- :mod:`.facts` turns what was read into graph facts, each with the exact quote and offsets.
"""

from __future__ import annotations

from ecokg.loaders.bluebook.facts import read_bluebook

__all__ = ["read_bluebook"]
