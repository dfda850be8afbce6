"""A gazetteer of known names: organisations, models and sectors with their aliases.

Built from the curated reference data (``data/*.yaml``); the Blue Book parser
uses it to find where a name ends and which entity an alias stands for.

>>> g = Gazetteer()
>>> g.add_org("阿里巴巴", ["阿里"])
>>> g.canonical_org("阿里")
'阿里巴巴'
>>> g.prefix_ends("阿里巴巴集团副总裁")
[4, 2]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ecokg.loaders.lists.lexicon import occurrences


@dataclass
class Gazetteer:
    """Names and aliases mapped to canonical names, by kind of entity."""

    orgs: dict[str, str] = field(default_factory=dict)  # written form -> canonical name
    models: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)  # alias -> sector key
    _max_org: int = 0

    def add_org(self, name: str, aliases: list[str] | tuple[str, ...] = ()) -> None:
        for form in (name, *aliases):
            if form:
                self.orgs.setdefault(form, name)
                self._max_org = max(self._max_org, len(form))

    def add_model(self, name: str, aliases: list[str] | tuple[str, ...] = ()) -> None:
        for form in (name, *aliases):
            if form:
                self.models.setdefault(form, name)

    def add_sector(self, key: str, aliases: list[str] | tuple[str, ...]) -> None:
        for a in aliases:
            self.sectors.setdefault(a, key)

    def canonical_org(self, written: str) -> str | None:
        return self.orgs.get(written)

    def canonical_model(self, written: str) -> str | None:
        return self.models.get(written) or self.models.get(written.lower())

    def prefix_ends(self, text: str) -> list[int]:
        """Lengths of the known organisation names that ``text`` starts with, longest first."""
        out = []
        for n in range(min(self._max_org, len(text)), 0, -1):
            if text[:n] in self.orgs:
                out.append(n)
        return out

    def find_sectors(self, text: str) -> list[tuple[str, str, int]]:
        """Sector aliases in ``text``: (sector key, alias, offset), longest alias first at each place,
        non-overlapping, in text order.

        >>> g = Gazetteer(); g.add_sector("cloud", ["云", "公有云"])
        >>> g.find_sectors("公有云中国区")
        [('cloud', '公有云', 0)]
        """
        aliases = sorted(self.sectors, key=len, reverse=True)
        taken: list[tuple[int, int]] = []
        found: list[tuple[str, str, int]] = []
        for a in aliases:
            for i in occurrences(text, a):
                j = i + len(a)
                if not any(i < e and s < j for s, e in taken):
                    taken.append((i, j))
                    found.append((self.sectors[a], a, i))
        return sorted(found, key=lambda t: t[2])
