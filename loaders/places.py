"""Places as sources write them: 浙江杭州 (province and city), 北京 (a municipality), 太原 (a city).

The province-level regions and their cities are curated (``data/places.yaml``, public
knowledge of China's administrative divisions); a place text is read against them.

>>> p = Places({"浙江": ["杭州", "宁波"], "北京": [], "山西": ["太原"]})
>>> p.read("浙江杭州"), p.read("北京"), p.read(" 太原 "), p.read("火星")
(('浙江', '杭州'), ('北京', None), ('山西', '太原'), None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class Places:
    """Provinces (short names) and their cities."""

    def __init__(self, provinces: Mapping[str, Sequence[str]]):
        self.provinces = {p: list(cities) for p, cities in provinces.items()}
        self.city_province = {c: p for p, cities in self.provinces.items() for c in cities}

    def read(self, text: str) -> tuple[str, str | None] | None:
        """(province, city or None) for a place text, or None when it names no known place.

        Accepts the forms 浙江杭州, 浙江省杭州市, 杭州, 杭州市, 北京, 北京市."""
        t = "".join(text.split())
        for suffix in ("市", "省"):
            t = t.removesuffix(suffix)
        for province in sorted(self.provinces, key=len, reverse=True):
            if t.startswith(province):
                rest = t[len(province):]
                for filler in ("省", "市", "自治区", "特别行政区"):
                    rest = rest.removeprefix(filler)
                if not rest:
                    return province, None
                if rest in self.provinces[province]:
                    return province, rest
                return None
        if t in self.city_province:
            return self.city_province[t], t
        return None


__all__ = ["Places"]
